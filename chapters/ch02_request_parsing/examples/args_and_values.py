"""MultiDicts: getlist, type=int's silent fallback, and which source request.values prefers."""
from flask import Flask, request

app = Flask(__name__)

with app.test_request_context("/?tag=a&tag=b&page=abc"):
    print("args.get('tag')     ->", request.args.get("tag"))          # only the first
    print("args.getlist('tag') ->", request.args.getlist("tag"))
    # type=int swallows the ValueError and hands back the default: the mistake is hidden.
    print("args.get('page', 1, type=int) ->", request.args.get("page", 1, type=int))

with app.test_request_context("/?id=query", method="POST", data={"id": "form"}):
    print("values.getlist('id') ->", request.values.getlist("id"))  # args first, then form
    print("values.get('id')     ->", request.values.get("id"))

with app.test_request_context("/?id=query", method="GET", data={"id": "form"}):
    # For GET, Werkzeug leaves the form out of values: a GET body has no defined meaning.
    print("GET values.getlist('id') ->", request.values.getlist("id"))
