"""Chapter 1: the application object, routes, dynamic segments, methods and the URL map.

Run it with `make chapter-1 run` (gevent) or `flask --app chapters.ch01_hello_world.app run --debug`.
"""
from flask import Flask, current_app, request
from markupsafe import escape


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    # --8<-- [start:factory]
    # __name__ tells Flask where this module lives, so it can find templates, static files
    # and the instance folder relative to it.
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    # --8<-- [end:factory]

    @app.get("/")
    def hello():
        """Exercise `hello`: GET / answers 200 with the body exactly `Hello, World!`."""
        # SOLUTION hello
        return "Hello, World!"
        # END SOLUTION

    @app.get("/user/<name>")
    def greet(name: str):
        """Exercise `greet`: GET /user/<name> answers `Hello, <name>!`, with <name> HTML-escaped.

        The body is sent as text/html: an unescaped `<b>` or `<script>` in the URL would be
        rendered by the browser (reflected XSS). `markupsafe.escape` turns `<` into `&lt;`.
        """
        # SOLUTION greet
        return f"Hello, {escape(name)}!"
        # END SOLUTION

    # SOLUTION post
    @app.get("/post/<int:post_id>")
    # STUB
    # @app.get("/post/<post_id>")  # TODO(post): only whole numbers should match (a converter)
    # END SOLUTION
    def show_post(post_id):
        """Exercise `post`: GET /post/<int:post_id> answers JSON {"post_id": <int>}.

        /post/abc must be a 404: let the URL converter refuse it, not the view.
        """
        # SOLUTION post
        return {"post_id": post_id}
        # END SOLUTION

    # SOLUTION methods
    @app.route("/method", methods=["GET", "POST"])
    # STUB
    # @app.route("/method")  # TODO(methods): accept POST as well as GET
    # END SOLUTION
    def method():
        """Exercise `methods`: /method accepts GET and POST and answers the method's name.

        Any other method (PUT, DELETE) must get Flask's 405 with an `Allow` header.
        """
        # SOLUTION methods
        return request.method
        # END SOLUTION

    def test():
        """Exercise `add_url_rule`: one view for /test and /test2, both answering `test`."""
        return "test"

    # SOLUTION add_url_rule
    # `@app.route` is a thin wrapper around this call. Both rules share the endpoint name
    # "t1", so url_for("t1") builds the first of them.
    app.add_url_rule("/test", endpoint="t1", view_func=test)
    app.add_url_rule("/test2", endpoint="t1", view_func=test)
    # STUB
    # # TODO(add_url_rule): register `test` above with app.add_url_rule (no decorator) for
    # # both /test and /test2, under the single endpoint name "t1".
    # END SOLUTION

    @app.get("/routes")
    def routes():
        """Exercise `url_map`: GET /routes answers a JSON list describing every rule but `static`.

        Each item is {"rule": str, "endpoint": str, "methods": sorted list of str}; the list
        is sorted by "rule". Read the rules from `current_app.url_map.iter_rules()`.
        """
        # SOLUTION url_map
        rules = [
            {"rule": rule.rule, "endpoint": rule.endpoint, "methods": sorted(rule.methods)}
            for rule in current_app.url_map.iter_rules()
            if rule.endpoint != "static"
        ]
        return sorted(rules, key=lambda item: item["rule"])
        # END SOLUTION

    return app
