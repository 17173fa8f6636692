"""Which URLs each built-in converter accepts, tried through the test client."""
from flask import Flask

app = Flask(__name__)
print("converters:", ", ".join(sorted(app.url_map.converters)))


@app.get("/string/<name>")
@app.get("/int/<int:n>")
@app.get("/float/<float:x>")
@app.get("/path/<path:p>")
def echo(**values):
    return {key: f"{value!r} ({type(value).__name__})" for key, value in values.items()}


client = app.test_client()
for url in ["/string/flask", "/string/a/b", "/int/42", "/int/-1", "/int/abc", "/float/1.5", "/float/1", "/path/a/b/c"]:
    response = client.get(url)
    print(f"{url:<14} -> {response.status_code} {response.get_json() if response.is_json else ''}")
