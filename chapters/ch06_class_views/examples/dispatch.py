"""What as_view builds, how MethodView picks a method, and which requests `decorators` see."""
import functools

from flask import Flask
from flask.views import MethodView, View


class Plain(View):
    def dispatch_request(self, name):
        # View: one method for every request; the URL's variables arrive as arguments.
        return f"Plain.dispatch_request(name={name!r})"


def shout(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        print("  decorator ran")
        return view(*args, **kwargs)
    return wrapper


class Items(MethodView):
    decorators = [shout]

    def get(self):
        return "get()"

    def post(self):
        return "post()"


print("MethodView collected the methods from the class:", sorted(Items.methods))

app = Flask("dispatch_demo")
view = Items.as_view("items")
print("as_view gave a function:", view.__name__, "| view_class:", view.view_class.__name__)
app.add_url_rule("/items", view_func=view)
app.add_url_rule("/plain/<name>", view_func=Plain.as_view("plain"))

client = app.test_client()
print(client.get("/plain/ada").text)
for method in ("GET", "POST", "HEAD", "OPTIONS", "PUT"):
    print(f"{method}:")
    response = client.open("/items", method=method)
    body = response.text if response.status_code < 400 else "(Flask's error page)"
    print(f"  -> {response.status_code} {body!r}")
# OPTIONS is answered by Flask before the view function (and so before `decorators`) runs;
# HEAD goes through the view: MethodView falls back to get() and Werkzeug drops the body.
