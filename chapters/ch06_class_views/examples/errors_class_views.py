"""The mistakes class-based views invite, each reproduced with the test client."""
import functools

from flask import Flask
from flask.views import MethodView, View


def fresh_app() -> Flask:
    app = Flask("errors_class_views_demo")
    app.testing = True      # let exceptions reach this script instead of becoming a 500 page
    return app


class Hello(View):
    def dispatch_request(self):
        return "hello"


class Items(MethodView):
    def __init__(self, store):
        self.store = store

    def get(self):
        return {"items": self.store}


def require_key(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def show(what, request):
    try:
        response = request()
        print(f"{what}: {response.status}")
    except (TypeError, AssertionError) as error:
        print(f"{what}: {type(error).__name__}: {error}")


app = fresh_app()
app.add_url_rule("/hello", view_func=Hello)                  # the class, not Hello.as_view("hello")
show("the class as view_func", lambda: app.test_client().get("/hello"))

app = fresh_app()
app.add_url_rule("/items", view_func=Items.as_view("items"))  # Items needs a store
show("as_view without __init__'s arguments", lambda: app.test_client().get("/items"))

app = fresh_app()
app.add_url_rule("/items", view_func=Items.as_view("items", []), methods=["GET", "POST"])
show("methods= lists POST, the class has no post()", lambda: app.test_client().post("/items"))

app = fresh_app()
app.add_url_rule("/items", view_func=Items.as_view("items", []))  # MethodView: GET only
show("POST to a class without post()", lambda: app.test_client().post("/items"))

try:
    @require_key                      # wraps the class in a function: as_view is gone
    class Private(MethodView):
        def get(self):
            return "secret"
    Private.as_view("private")
except AttributeError as error:
    print(f"a decorator on the class: AttributeError: {error}")
