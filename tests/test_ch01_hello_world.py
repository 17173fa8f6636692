"""Grader for chapter 1: Hello, World (see chapters/ch01_hello_world/README.md)."""
import pytest
from flask import url_for

from tests.expect import expect_json, expect_json_equal, expect_status, expect_text

ALL_METHODS_OF_METHOD_ROUTE = {"GET", "HEAD", "OPTIONS", "POST"}


@pytest.mark.exercise("hello")
class TestHello:
    def test_root_says_hello(self, client):
        expect_text(client.get("/"), "Hello, World!")

    def test_root_is_html_text(self, client):
        response = client.get("/")
        expect_status(response, 200)
        assert response.mimetype == "text/html", f"GET / should be text/html (a returned str), got {response.mimetype}."

    def test_head_has_no_body(self, client):
        response = client.head("/")
        expect_status(response, 200)
        assert response.data == b"", "HEAD / must answer the headers of GET / without a body."


@pytest.mark.exercise("greet")
class TestGreet:
    @pytest.mark.parametrize("name", ["flask", "Ada Lovelace", "小明"])
    def test_greets_the_name(self, client, name):
        expect_text(client.get(f"/user/{name}"), f"Hello, {name}!")

    @pytest.mark.parametrize(
        ("name", "escaped"),
        [("<b>x", "&lt;b&gt;x"), ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
         ('"quoted"&', "&#34;quoted&#34;&amp;")],
    )
    def test_escapes_html(self, client, name, escaped):
        response = client.get(f"/user/{name}")
        expect_text(response, f"Hello, {escaped}!")
        assert "<" not in response.get_data(as_text=True), "A tag from the URL came back unescaped: that is an XSS hole."

    def test_segment_never_contains_a_slash(self, client):
        expect_status(client.get("/user/a/b"), 404)


@pytest.mark.exercise("post")
class TestPost:
    @pytest.mark.parametrize("post_id", [0, 7, 12345])
    def test_returns_the_id_as_a_json_int(self, client, post_id):
        expect_json_equal(client.get(f"/post/{post_id}"), {"post_id": post_id})

    @pytest.mark.parametrize("segment", ["abc", "1.5", "-3", "7x", "%20"])
    def test_non_integers_are_404(self, client, segment):
        expect_status(client.get(f"/post/{segment}"), 404)


@pytest.mark.exercise("methods")
class TestMethods:
    @pytest.mark.parametrize("method", ["GET", "POST"])
    def test_answers_the_method(self, client, method):
        expect_text(client.open("/method", method=method), method)

    @pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
    def test_other_methods_are_405_with_allow(self, client, method):
        response = client.open("/method", method=method)
        expect_status(response, 405)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert allowed == ALL_METHODS_OF_METHOD_ROUTE, (
            f"{method} /method answered 405 as it should, but Allow lists {sorted(allowed)}; "
            f"expected {sorted(ALL_METHODS_OF_METHOD_ROUTE)}."
        )


@pytest.mark.exercise("add_url_rule")
class TestAddUrlRule:
    @pytest.mark.parametrize("path", ["/test", "/test2"])
    def test_both_urls_answer_test(self, client, path):
        expect_text(client.get(path), "test")

    def test_both_rules_share_endpoint_t1(self, app):
        endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
        found = {path: endpoints.get(path) for path in ("/test", "/test2")}
        assert found == {"/test": "t1", "/test2": "t1"}, (
            f"Expected /test and /test2 under the endpoint 't1', found {found} (None: no such rule)."
        )

    def test_url_for_builds_one_of_them(self, app):
        with app.test_request_context():
            try:
                built = url_for("t1")
            except Exception as error:  # BuildError: the endpoint does not exist yet
                pytest.fail(f"url_for('t1') failed: {error}", pytrace=False)
        assert built in ("/test", "/test2"), f"url_for('t1') built {built!r}, expected /test or /test2."


@pytest.mark.exercise("url_map")
class TestUrlMap:
    def expected(self, app):
        rules = [
            {"rule": r.rule, "endpoint": r.endpoint, "methods": sorted(r.methods)}
            for r in app.url_map.iter_rules() if r.endpoint != "static"
        ]
        return sorted(rules, key=lambda item: item["rule"])

    def test_lists_every_rule_but_static(self, app, client):
        data = expect_json(client.get("/routes"))
        assert isinstance(data, list), f"GET /routes should answer a JSON list, got {type(data).__name__}."
        assert data == self.expected(app), (
            f"GET /routes answered {data!r};\nexpected (sorted by rule, methods sorted, no 'static'): {self.expected(app)!r}"
        )

    def test_reads_the_live_url_map(self, app, client):
        app.add_url_rule("/added-by-the-grader", "grader_rule", lambda: "x", methods=["DELETE"])
        data = expect_json(client.get("/routes"))
        added = [item for item in data if item.get("rule") == "/added-by-the-grader"]
        assert added == [{"rule": "/added-by-the-grader", "endpoint": "grader_rule", "methods": ["DELETE", "OPTIONS"]}], (
            "The grader added a rule before the request; /routes should list it (read app.url_map, "
            f"do not write the list by hand). Found: {added!r}"
        )
