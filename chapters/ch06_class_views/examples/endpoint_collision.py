"""Why a decorator without functools.wraps breaks the second route, and how wraps fixes it."""
import functools

from flask import Flask


def log_calls_naive(view):
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def log_calls(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def a():
    return "a"


def b():
    return "b"


print("naive decorator: both functions are now called", repr(log_calls_naive(a).__name__))
app = Flask("collision_demo")
app.route("/a")(log_calls_naive(a))          # endpoint "wrapper"
try:
    app.route("/b")(log_calls_naive(b))      # endpoint "wrapper" again, a different function
except AssertionError as error:
    print("AssertionError:", error)

print("with functools.wraps:", log_calls(a).__name__, log_calls(b).__name__)
app = Flask("wraps_demo")
app.route("/a")(log_calls(a))
app.route("/b")(log_calls(b))
print("endpoints:", sorted(e for e in app.view_functions if e != "static"))
