"""Tutorial 001's per-route CORS decorator, and why its route must list OPTIONS itself."""
from functools import wraps

from flask import Flask, make_response

app = Flask(__name__)
calls = []


def allow_cross_domain(view):  # the tutorial's decorator, with its three headers
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "PUT,GET,POST,DELETE,PATCH"
        response.headers["Access-Control-Allow-Headers"] = "Referer,Accept,Origin,User-Agent"
        return response
    return wrapper


@app.route("/auto", methods=["PUT"])
@allow_cross_domain
def auto():
    calls.append("auto")
    return {"saved": True}


@app.route("/listed", methods=["PUT", "OPTIONS"])
@allow_cross_domain
def listed():
    calls.append("listed")
    return {"saved": True}


client = app.test_client()
preflight = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT"}
# Without OPTIONS in methods, Flask answers the preflight itself: the decorator never runs.
auto_answer = client.options("/auto", headers=preflight)
print("OPTIONS /auto   ->", auto_answer.status_code, "Allow-Origin:", auto_answer.headers.get("Access-Control-Allow-Origin"))
# With it, the view answers the preflight: the headers are there, and so is the view's work.
listed_answer = client.options("/listed", headers=preflight)
print("OPTIONS /listed ->", listed_answer.status_code, "Allow-Origin:", listed_answer.headers.get("Access-Control-Allow-Origin"))
print("views that ran for a preflight:", calls)
assert auto_answer.headers.get("Access-Control-Allow-Origin") is None and calls == ["listed"]
