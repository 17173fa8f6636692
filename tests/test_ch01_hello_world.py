"""Grader for chapter 1: Hello, World (see chapters/ch01_hello_world/README.md)."""
import pytest
from flask import url_for
from hypothesis import strategies as st

from tests import fuzz
from tests.expect import difference, expect_json, expect_json_equal, expect_status, expect_text, expected_answer
from track.model.i18n import _

ALL_METHODS_OF_METHOD_ROUTE = {"GET", "HEAD", "OPTIONS", "POST"}


@pytest.mark.exercise("hello")
class TestHello:
    @pytest.mark.rule("body-hello-world")
    def test_root_says_hello(self, client):
        expect_text(client.get("/"), "Hello, World!")

    @pytest.mark.rule("text-html")
    def test_root_is_html_text(self, client):
        response = client.get("/")
        expect_status(response, 200)
        assert response.mimetype == "text/html", _("GET / should be text/html (a returned str), got {mimetype}.").format(
            mimetype=response.mimetype)

    @pytest.mark.rule("head-no-body")
    def test_head_has_no_body(self, client):
        response = client.head("/")
        expect_status(response, 200)
        assert response.data == b"", _("HEAD / must answer the headers of GET / without a body.")


@pytest.mark.exercise("greet")
class TestGreet:
    @pytest.mark.parametrize("name", ["flask", "Ada Lovelace", "小明"])
    @pytest.mark.rule("greets-name")
    def test_greets_the_name(self, client, name):
        expect_text(client.get(f"/user/{name}"), f"Hello, {name}!")

    @pytest.mark.parametrize(
        ("name", "escaped"),
        [("<b>x", "&lt;b&gt;x"), ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
         ('"quoted"&', "&#34;quoted&#34;&amp;")],
    )
    @pytest.mark.rule("escapes-html")
    def test_escapes_html(self, client, name, escaped):
        response = client.get(f"/user/{name}")
        assert response.get_data(as_text=True) != f"Hello, {name}!", _(
            "GET /user/{name} sent the name back as it came, tags and all: a browser would run them (an XSS hole). "
            "Put `escape(name)` (from markupsafe) into the text instead of the raw name.").format(name=name)
        expect_text(response, f"Hello, {escaped}!")
        assert "<" not in response.get_data(as_text=True), _(
            "A tag from the URL came back unescaped: that is an XSS hole.")

    @pytest.mark.rule("one-segment")
    def test_segment_never_contains_a_slash(self, client):
        expect_status(client.get("/user/a/b"), 404)

    @pytest.mark.rule("never-500")
    def test_any_name_gets_no_500(self, client):
        fuzz.probe(lambda name: client.get("/user/" + name), fuzz.path_segments())


@pytest.mark.exercise("post")
class TestPost:
    @pytest.mark.parametrize("post_id", [0, 7, 12345])
    @pytest.mark.rule("json-int")
    def test_returns_the_id_as_a_json_int(self, client, post_id):
        response = client.get(f"/post/{post_id}")
        assert (response.get_json(silent=True) or {}).get("post_id") != str(post_id), _(
            "GET /post/{id} answered the id as the string {text}: a URL segment is a string unless a converter "
            "turns it into an int. Write the rule as `/post/<int:post_id>`; a non-number is then a 404 "
            "before the view runs.").format(id=post_id, text=repr(str(post_id)))
        expect_json_equal(response, {"post_id": post_id})

    @pytest.mark.parametrize("segment", ["abc", "1.5", "-3", "7x", "%20"])
    @pytest.mark.rule("non-integer-404")
    def test_non_integers_are_404(self, client, segment):
        with expected_answer(_("a 404 (`/post/<int:post_id>` refuses a non-number before the view runs)")):
            response = client.get(f"/post/{segment}")
        expect_status(response, 404)

    @pytest.mark.rule("never-500")
    def test_any_id_gets_no_500(self, client):
        ids = st.one_of(st.integers().map(str), fuzz.HUGE_NUMBERS.map(str), fuzz.path_segments())
        fuzz.probe(lambda post_id: client.get("/post/" + post_id), ids)


@pytest.mark.exercise("methods")
class TestMethods:
    @pytest.mark.parametrize("method", ["GET", "POST"])
    @pytest.mark.rule("answers-method")
    def test_answers_the_method(self, client, method):
        expect_text(client.open("/method", method=method), method)

    @pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
    @pytest.mark.rule("others-405-allow")
    def test_other_methods_are_405_with_allow(self, client, method):
        response = client.open("/method", method=method)
        expect_status(response, 405)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert allowed == ALL_METHODS_OF_METHOD_ROUTE, _(
            "{method} /method answered 405 as it should, but Allow lists {allowed}; expected {expected}."
        ).format(method=method, allowed=sorted(allowed), expected=sorted(ALL_METHODS_OF_METHOD_ROUTE))

    @pytest.mark.rule("never-500")
    def test_any_method_gets_no_500(self, client):
        # Any RFC 9110 token is a method a client may send, known to Flask or not.
        methods = st.one_of(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]),
                            st.from_regex(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}", fullmatch=True))
        fuzz.probe(lambda method: client.open("/method", method=method, data=b"x"), methods)


@pytest.mark.exercise("add_url_rule")
class TestAddUrlRule:
    @pytest.mark.parametrize("path", ["/test", "/test2"])
    @pytest.mark.rule("both-urls")
    def test_both_urls_answer_test(self, client, path):
        expect_text(client.get(path), "test")

    @pytest.mark.rule("endpoint-t1")
    def test_both_rules_share_endpoint_t1(self, app):
        endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
        found = {path: endpoints.get(path) for path in ("/test", "/test2")}
        shown = ", ".join(f"{path} → {endpoint!r}" if endpoint else _("{path}: no rule").format(path=path)
                          for path, endpoint in found.items())
        assert found == {"/test": "t1", "/test2": "t1"}, _(
            "/test and /test2 should share one endpoint, 't1' (add_url_rule(..., endpoint=\"t1\", ...) for both); "
            "found {found}.").format(found=shown)

    @pytest.mark.rule("url-for-t1")
    def test_url_for_builds_one_of_them(self, app):
        with app.test_request_context():
            try:
                built = url_for("t1")
            except Exception as error:  # BuildError: the endpoint does not exist yet
                pytest.fail(_("url_for('t1') failed: {error}").format(error=error), pytrace=False)
        assert built in ("/test", "/test2"), _(
            "url_for('t1') built {built}, expected /test or /test2.").format(built=repr(built))


@pytest.mark.exercise("url_map")
class TestUrlMap:
    def expected(self, app):
        rules = [
            {"rule": r.rule, "endpoint": r.endpoint, "methods": sorted(r.methods)}
            for r in app.url_map.iter_rules() if r.endpoint != "static"
        ]
        return sorted(rules, key=lambda item: item["rule"])

    @pytest.mark.rule("lists-rules-sorted")
    def test_lists_every_rule_but_static(self, app, client):
        data = expect_json(client.get("/routes"))
        assert isinstance(data, list), _(
            "GET /routes should answer a JSON list, got {kind}.").format(kind=type(data).__name__)
        problem = difference(data, self.expected(app))
        assert problem is None, _(
            "GET /routes should list every rule of the URL map but 'static', sorted by rule, each with its methods "
            "sorted: {problem}.").format(problem=problem)

    @pytest.mark.rule("live-url-map")
    def test_reads_the_live_url_map(self, app, client):
        app.add_url_rule("/added-by-the-grader", "grader_rule", lambda: "x", methods=["DELETE"])
        data = expect_json(client.get("/routes"))
        added = [item for item in data if item.get("rule") == "/added-by-the-grader"]
        assert added == [{"rule": "/added-by-the-grader", "endpoint": "grader_rule", "methods": ["DELETE", "OPTIONS"]}], _(
            "The grader added a rule before the request; /routes should list it (read app.url_map, "
            "do not write the list by hand). Found: {found}"
        ).format(found=repr(added))
