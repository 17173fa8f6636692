"""One converter, two directions: matching a URL (regex, to_python) and url_for (to_url)."""
from datetime import date

from flask import Flask, url_for
from werkzeug.routing import BaseConverter, ValidationError


class DayConverter(BaseConverter):
    regex = r"\d{4}-\d{2}-\d{2}"          # 1. the shape: Werkzeug builds the rule's regex from it

    def to_python(self, value):            # 2. matched text -> the view's argument
        print(f"  to_python({value!r})")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None   # "not this rule": the router moves on, 404 at the end

    def to_url(self, value):               # 3. url_for: the value -> URL text
        print(f"  to_url({value!r})")
        return value.isoformat()


app = Flask("converters_demo")
print("built-in converters:", ", ".join(sorted(app.url_map.converters)))
app.url_map.converters["day"] = DayConverter


@app.get("/day/<day:d>")
def show(d):
    return {"day": d.isoformat(), "type": type(d).__name__}


client = app.test_client()
for path in ("/day/2024-02-29", "/day/2023-02-29", "/day/2024-2-9"):
    print(f"GET {path}")
    response = client.get(path)
    print(f"  -> {response.status_code} {response.json if response.is_json else ''}")
# /day/2024-2-9 printed no to_python: the regex refused it before any Python ran.

with app.test_request_context():
    print("url_for('show', d=date(2025, 1, 31)):")
    print("  ->", url_for("show", d=date(2025, 1, 31)))
