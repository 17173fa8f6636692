"""Four ways to get a hook wrong, two of them from the tutorials (001, 000): run it and read the output."""
from flask import Flask


def fresh_app(name: str) -> Flask:
    app = Flask(name)
    app.testing = True      # let exceptions reach this script instead of becoming a 500 page

    @app.get("/")
    def index():
        print("  the view ran")
        return "the view's answer"

    return app


print("1. Tutorial 001's signature: before_request functions take no arguments.")
app = fresh_app("wrong_signature")


@app.before_request
def before(request):        # Flask calls before(): `request` is a global, not a parameter
    pass


try:
    app.test_client().get("/")
except TypeError as error:
    print(f"  TypeError: {error}")

print("2. Tutorial 000's `return ''`: any value but None is a response, '' included.")
app = fresh_app("returns_empty_string")


@app.before_request
def check():
    return ""               # meant as "nothing to say"; Flask reads "answer with an empty body"


response = app.test_client().get("/")
print(f"  {response.status_code}, body {response.data!r}: the view never ran")

print("3. An after_request hook must return the response it was given.")
app = fresh_app("after_returns_none")


@app.after_request
def add_header(response):
    response.headers["X-Checked"] = "yes"       # ...and no `return response`


try:
    app.test_client().get("/")
except TypeError as error:
    print(f"  TypeError: {error}")

print("4. Hooks are set up before the first request, not from inside one.")
app = fresh_app("late_setup")
app.test_client().get("/")
try:
    app.before_request(lambda: None)
except AssertionError as error:
    print(f"  AssertionError: {error.args[0].splitlines()[0]}")
