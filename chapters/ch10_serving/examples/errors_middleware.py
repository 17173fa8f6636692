"""Wrap app.wsgi_app, not app: the wrapper has none of Flask's methods.

Run: python chapters/ch10_serving/examples/errors_middleware.py
"""
from flask import Flask


class Counter:
    """A minimal WSGI middleware: counts the requests passing through."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.count = 0

    def __call__(self, environ, start_response):
        self.count += 1
        return self.wsgi_app(environ, start_response)


app = Flask(__name__)
app = Counter(app)  # wrong: `app` is no longer the Flask object
try:
    @app.get("/")
    def hello():
        return "Hello"
except AttributeError as error:
    print(f"AttributeError: {error}")

app = Flask(__name__)
app.wsgi_app = Counter(app.wsgi_app)  # right: app stays Flask, requests pass through Counter


@app.get("/")
def hello():
    return "Hello"


app.test_client().get("/")
print("app.wsgi_app = Counter(app.wsgi_app): routes work, requests counted:", app.wsgi_app.count)
