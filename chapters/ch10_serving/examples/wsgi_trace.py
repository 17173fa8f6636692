"""A Flask app is a WSGI callable: call it by hand and watch the steps Flask takes inside."""
from flask import Flask
from werkzeug.test import create_environ


class TracedFlask(Flask):
    """Flask with a print at each step a request goes through."""

    def __call__(self, environ, start_response):
        print("1. app.__call__(environ, start_response)  - the server calls the app object")
        return super().__call__(environ, start_response)

    def wsgi_app(self, environ, start_response):
        print("2. app.wsgi_app(...)                      - pushes the app and request contexts (middleware wraps this)")
        return super().wsgi_app(environ, start_response)

    def full_dispatch_request(self):
        print("3. full_dispatch_request()                - before_request hooks, then the view, then after_request")
        return super().full_dispatch_request()

    def dispatch_request(self):
        print("4. dispatch_request()                     - URL rule matched, the view runs")
        return super().dispatch_request()


app = TracedFlask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"


def start_response(status, headers, exc_info=None):
    print(f"5. start_response({status!r}, {headers!r})")


body = app(create_environ("/"), start_response)   # exactly what gevent or gunicorn does
print("6. the body, an iterable of bytes:", b"".join(body))
