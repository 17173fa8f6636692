"""`request` is not a global: each request gets its own, and outside one there is none."""
from flask import Flask, request

app = Flask(__name__)

try:
    request.args
except RuntimeError as error:
    print("Outside a request:", str(error).splitlines()[0])

# Two requests, one inside the other: each sees its own query string.
with app.test_request_context("/search?q=outer"):
    with app.test_request_context("/search?q=inner"):
        print("inner request sees q =", request.args["q"])
    print("outer request sees q =", request.args["q"])
