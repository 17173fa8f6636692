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
        """Exercise `hello`: GET / answers 200 with the body exactly `Hello, World!`.

        Rules:
        - [body-hello-world] GET / answers 200 with the body exactly `Hello, World!`.
        - [text-html] the response is text/html (what Flask makes of a returned str).
        - [head-no-body] HEAD / answers 200 with the headers of GET / and no body.
        """
        # SOLUTION hello
        return "Hello, World!"
        # END SOLUTION

    @app.get("/user/<name>")
    def greet(name: str):
        """Exercise `greet`: GET /user/<name> answers `Hello, <name>!`, with <name> HTML-escaped.

        The body is sent as text/html: an unescaped `<b>` or `<script>` in the URL would be
        rendered by the browser (reflected XSS). `markupsafe.escape` turns `<` into `&lt;`.

        Rules:
        - [greets-name] GET /user/<name> answers `Hello, <name>!` for any name, Chinese too.
        - [escapes-html] `<`, `>`, `&` and quotes in the name come back escaped, never as a tag.
        - [one-segment] the name is one path segment: /user/a/b is a 404.
        - [never-500] no name makes it answer 500.
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

        Rules:
        - [json-int] GET /post/7 answers JSON {"post_id": 7}, the id a JSON number.
        - [non-integer-404] a segment that is not a whole number (abc, 1.5, -3, 7x) is a 404.
        - [never-500] no id, however huge or odd, makes it answer 500.
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

        Rules:
        - [answers-method] GET and POST /method answer the method's name, `GET` or `POST`.
        - [others-405-allow] PUT, DELETE, PATCH get 405 with `Allow: GET, HEAD, OPTIONS, POST`.
        - [never-500] no method, known to Flask or not, makes it answer 500.
        """
        # SOLUTION methods
        return request.method
        # END SOLUTION

    def test():
        """Exercise `add_url_rule`: one view for /test and /test2, both answering `test`.

        Rules:
        - [both-urls] GET /test and GET /test2 both answer `test`.
        - [endpoint-t1] both rules are registered under the one endpoint name `t1`.
        - [url-for-t1] `url_for("t1")` builds /test or /test2.
        """
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

        Rules:
        - [lists-rules-sorted] every rule but `static`, as {"rule", "endpoint", "methods"} with
          the methods sorted, the list sorted by rule.
        - [live-url-map] a rule added to the app after it was built is listed too: read the
          URL map at request time, never a list written by hand.
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
