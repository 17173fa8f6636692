"""The errors the lesson's "Common errors" quotes, reproduced: run it and read the output."""
from flask import Flask, current_app

app = Flask(__name__)


@app.get("/health")
def health():
    return "ok"


client = app.test_client()
print(client.get("/no-such-page").status)      # 404 NOT FOUND
print(client.delete("/health").status)         # 405 METHOD NOT ALLOWED
try:
    current_app.name                            # no request, no `with app.app_context():`
except RuntimeError as error:
    print(f"RuntimeError: {error}".splitlines()[0])
