"""The order Flask runs the hooks in: a good request, a failing view, a handled failure."""
import logging

from flask import Flask


def build(handle_errors: bool) -> Flask:
    app = Flask("hook_order_demo")
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 instead of re-raising, like a server
    app.logger.setLevel(logging.CRITICAL)        # keep the traceback out of this demo's output

    @app.before_request
    def before_one():
        print("  before_request #1")

    @app.before_request
    def before_two():
        print("  before_request #2")

    @app.after_request
    def after_one(response):
        print(f"  after_request #1 (registered first, runs last), status {response.status_code}")
        return response

    @app.after_request
    def after_two(response):
        print("  after_request #2")
        return response

    @app.teardown_request
    def teardown(exc):
        print(f"  teardown_request, exc={exc!r}")

    @app.get("/ok")
    def ok():
        print("  the view")
        return "ok"

    @app.get("/fail")
    def fail():
        print("  the view raises")
        raise ValueError("boom")

    if handle_errors:
        @app.errorhandler(ValueError)
        def handled(error):
            print(f"  errorhandler(ValueError) answers for {error!r}")
            return {"error": "bad value"}, 400

    return app


print("GET /ok")
build(False).test_client().get("/ok")
print("\nGET /fail, no error handler: Flask's 500 still passes the after_request hooks,")
print("and teardown receives the exception")
build(False).test_client().get("/fail")
print("\nGET /fail, with an error handler: the handler answers, teardown sees exc=None")
build(True).test_client().get("/fail")
