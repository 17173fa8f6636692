"""What Flask builds from each kind of return value (run it and read the table)."""
from flask import Flask, jsonify, make_response

app = Flask(__name__)
returns = {
    "str": lambda: "Hello",
    "dict": lambda: {"id": 1},
    "list": lambda: [1, 2],
    "jsonify": lambda: jsonify(id=1),
    "(body, status)": lambda: ("Created", 201),
    "(body, headers)": lambda: ("Hi", {"Content-Type": "text/plain; charset=utf-8"}),
    "(body, status, headers)": lambda: ({"id": 3}, 201, {"Location": "/items/3"}),
    "make_response": lambda: make_response("Teapot", 418),
}
for number, (name, view) in enumerate(returns.items()):
    app.add_url_rule(f"/{number}", name, view)

client = app.test_client()
for rule in app.url_map.iter_rules():
    if rule.endpoint != "static":
        r = client.get(rule.rule)
        extra = f" Location={r.headers['Location']}" if "Location" in r.headers else ""
        print(f"{rule.endpoint:24} -> {r.status_code} {r.content_type:26} {r.get_data(as_text=True).strip()!r}{extra}")

# dict and jsonify give the same response; jsonify also takes keywords or several values.
with app.app_context():
    print("jsonify(1, 2) ->", jsonify(1, 2).get_data(as_text=True).strip())
