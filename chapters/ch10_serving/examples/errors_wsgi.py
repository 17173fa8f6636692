"""The mistakes a hand-written WSGI app makes, caught by wsgiref.validate as the grader runs it.

Run: python chapters/ch10_serving/examples/errors_wsgi.py
"""
import warnings
from wsgiref.validate import WSGIWarning, validator

from werkzeug.test import create_environ


def str_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["Hello, WSGI!"]  # str, not bytes


def no_reason(environ, start_response):
    start_response("200", [("Content-Type", "text/plain")])  # "200 OK" it must be
    return [b"Hello, WSGI!"]


def tuple_headers(environ, start_response):
    start_response("200 OK", (("Content-Type", "text/plain"),))  # a list it must be
    return [b"Hello, WSGI!"]


warnings.simplefilter("error", WSGIWarning)  # as the course's pytest runs: a warning fails
for app in (str_body, no_reason, tuple_headers):
    body = None
    try:
        body = validator(app)(create_environ("/"), lambda status, headers, exc_info=None: None)
        b"".join(body)
    except (AssertionError, WSGIWarning) as error:
        print(f"{app.__name__}: {type(error).__name__}: {error}")
    finally:
        if body is not None:
            body.close()
