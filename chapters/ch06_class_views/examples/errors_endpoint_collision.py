"""Why a decorator without functools.wraps breaks the second route, and the two fixes."""
import functools

from flask import Flask


def log_calls_naive(view):
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def log_calls_by_hand(view):
    # Tutorial 001's fix: rename the wrapper. Only the name is copied.
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    wrapper.__name__ = view.__name__
    return wrapper


def log_calls(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def a():
    """Page a."""
    return "a"


def b():
    """Page b."""
    return "b"


a.public = True     # a function attribute: it lives in a.__dict__


print("naive decorator: both functions are now called", repr(log_calls_naive(a).__name__))
app = Flask("collision_demo")
app.route("/a")(log_calls_naive(a))          # endpoint "wrapper"
try:
    app.route("/b")(log_calls_naive(b))      # endpoint "wrapper" again, a different function
except AssertionError as error:
    print("AssertionError:", error)

for fix in (log_calls_by_hand, log_calls):
    app = Flask(f"{fix.__name__}_demo")
    app.route("/a")(fix(a))
    app.route("/b")(fix(b))
    view = app.view_functions["a"]
    print(f"{fix.__name__}: endpoints {sorted(e for e in app.view_functions if e != 'static')}")
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__", "public"):
        print(f"  {attribute:12} {getattr(view, attribute, '(missing)')!r}")
    print(f"  __wrapped__  {'the original a' if getattr(view, '__wrapped__', None) is a else '(missing)'}")
