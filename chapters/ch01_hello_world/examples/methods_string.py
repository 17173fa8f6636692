"""methods must be a list: a bare string such as "POST" is refused when the route is added."""
from flask import Flask

app = Flask(__name__)

try:
    # A string is iterable too: without the check, "POST" would mean the methods P, O, S and T.
    app.add_url_rule("/send", view_func=lambda: "sent", methods="POST")
    raise SystemExit("a string was accepted as methods")
except TypeError as error:
    print("methods='POST'   ->", f"TypeError: {error}")

app.add_url_rule("/send", view_func=lambda: "sent", methods=["POST"])
print("methods=['POST'] ->", sorted(next(app.url_map.iter_rules("<lambda>")).methods))
