"""`request.json` vs `get_json()`, and the raw `query_string` vs the parsed `args`."""
from flask import Flask, request
from werkzeug.exceptions import HTTPException

app = Flask(__name__)


def attempt(label, read):
    """Read the body as JSON, printing the value or the HTTP error it raised."""
    try:
        print(f"  {label:<22} -> {read()!r}")
    except HTTPException as error:
        print(f"  {label:<22} -> {error.code} {error.name}")


for content_type in ["application/json", "application/problem+json", "text/plain"]:
    with app.test_request_context("/", method="POST", data='{"a": 1}', content_type=content_type):
        print(f"body {{\"a\": 1}} sent as {content_type}:")
        # request.json is a property that calls get_json() with no options: the same outcome.
        attempt("request.json", lambda: request.json)
        attempt("get_json()", request.get_json)
        attempt("get_json(silent=True)", lambda: request.get_json(silent=True))  # None, no error
        attempt("get_json(force=True)", lambda: request.get_json(force=True))    # ignore the type
print()

with app.test_request_context("/search?q=flask%20%26%20werkzeug&tag=a&tag=b&empty="):
    print("query_string (raw bytes):", request.query_string)
    print("args (decoded MultiDict):", request.args.to_dict(flat=False))
