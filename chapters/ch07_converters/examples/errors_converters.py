"""The errors converters and url_for produce, each reproduced with a small app."""
from datetime import date

from flask import Flask, url_for
from werkzeug.routing import BaseConverter, BuildError


class LooseDayConverter(BaseConverter):
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)     # no ValidationError: a bad day escapes as ValueError

    def to_url(self, value):
        return value.isoformat()


def fresh_app() -> Flask:
    app = Flask("errors_converters_demo")
    app.testing = True      # let exceptions reach this script instead of becoming a 500 page
    return app


print("1. A rule that names a converter before it is registered:")
try:
    fresh_app().add_url_rule("/day/<day:d>", "day", lambda d: d.isoformat())
except LookupError as error:
    print(f"  LookupError: {error}")

app = fresh_app()
app.url_map.converters["day"] = LooseDayConverter


@app.get("/day/<day:d>")
def day(d):
    return d.isoformat()


@app.get("/float/<float:x>")
def show_float(x):
    return str(x)


print("2. to_python raising anything but ValidationError:")
try:
    app.test_client().get("/day/2023-02-29")
except ValueError as error:
    print(f"  ValueError: {error}  (a 500 on a server; raise ValidationError for a 404)")

print("3. A URL no converter accepts:")
print(f"  GET /float/1 -> {app.test_client().get('/float/1').status}  (float needs a dot: /float/1.0)")

print("4. url_for without the rule's variables, or with a value to_url cannot write:")
with app.test_request_context():
    try:
        url_for("day")
    except BuildError as error:      # printed with the full name a traceback shows
        print(f"  {type(error).__module__}.{type(error).__name__}: {error}")
    try:
        url_for("day", d="2024-02-29")
    except AttributeError as error:
        print(f"  AttributeError: {error}  (to_url expects a date)")
