"""Grader for chapter 4: redirects, url_for, abort and error handlers (see chapters/ch04_redirects_abort/README.md)."""
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import abort, url_for
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from tests import fuzz
from tests.expect import expect_error, expect_header, expect_json_equal, expect_status, expect_text, expected_answer, request_line
from tests.helpers import require
from track.model.i18n import _

SECRET = "hunter2"  # in the exception /boom raises; it must never reach the client
LOCAL_TARGETS = ["/admin?tab=2", "/profile/bob", "/users/1#top"]
UNSAFE_TARGETS = {
    "scheme-relative": "//evil.example", "https": "https://evil.example", "http-path": "http://evil.example/admin",
    "slash-backslash": "/\\evil.example", "backslashes": "\\\\evil.example", "javascript": "javascript:alert(1)",
    "tab": "/\t/evil.example", "newline": "/\n/evil.example", "no-slash": "evil.example",
    "triple-slash": "///evil.example", "https-one-slash": "https:/evil.example", "empty": "",
    "leading-spaces": "  //evil.example",
}
# Methods each of these routes refuses with 405 before any exercise's view runs.
REFUSED_METHODS = st.sampled_from(["POST", "PUT", "DELETE", "PATCH"])
REFUSING_PATHS = st.sampled_from(["/new", "/old", "/", "/users/1", "/boom"])


def built_url(app, endpoint, **values):
    with app.test_request_context():
        return url_for(endpoint, **values)


def login(client, username="alice", next_in_form=None, next_in_query=None):
    form = {"username": username} if username is not None else {}
    if next_in_form is not None:
        form["next"] = next_in_form
    query = {"next": next_in_query} if next_in_query is not None else None
    return client.post("/login", data=form, query_string=query)


@pytest.mark.exercise("redirect")
class TestRedirect:
    @pytest.mark.rule("moved-301")
    def test_old_is_moved_permanently_to_new(self, client):
        response = client.get("/old")
        expect_status(response, 301)
        expect_header(response, "Location", "/new")

    @pytest.mark.rule("reaches-new")
    def test_following_it_reaches_the_new_page(self, client):
        expect_text(client.get("/old", follow_redirects=True), "new page")


@pytest.mark.exercise("url_for")
class TestUrlFor:
    @pytest.mark.parametrize("name", ["alice", "Ada Lovelace", "小明", "<script>alert(1)", "<img src=x onerror=alert(1)>", "50%&more"])
    @pytest.mark.rule("go-302-url-for")
    def test_go_redirects_to_the_profile_url(self, app, client, name):
        response = client.get("/go/" + name)
        expect_status(response, 302)
        expected = built_url(app, "profile", name=name)
        assert response.headers.get("Location") == expected, _(
            "GET /go/{name} sent Location: {got}, expected {expected}. Build the URL with "
            "url_for(\"profile\", name=name): it quotes what a URL cannot hold as it is; an f-string does not.").format(
            name=name, got=repr(response.headers.get("Location")), expected=repr(expected))

    @pytest.mark.parametrize("name", ["alice", "小明", "<script>alert(1)", "<img src=x onerror=alert(1)>", '"quoted"&'])
    @pytest.mark.rule("profile-escaped")
    def test_profile_escapes_the_name(self, client, name):
        response = client.get("/go/" + name, follow_redirects=True)
        expect_text(response, f"profile of {escape(name)}")
        assert "<" not in response.get_data(as_text=True), _(
            "{request} sent back a tag from the URL unescaped: show the name with escape(name)."
        ).format(request=request_line(response))

    @pytest.mark.rule("never-500")
    def test_any_name_gets_no_500(self, client):
        fuzz.probe(lambda name: client.get("/go/" + name, follow_redirects=True), fuzz.path_segments())


@pytest.mark.exercise("login_redirect")
class TestLoginRedirect:
    @pytest.mark.rule("admin-needs-login")
    def test_admin_without_login_redirects_to_login_with_next(self, client):
        response = client.get("/admin")
        expect_status(response, 302)
        location = urlsplit(expect_header(response, "Location"))
        assert location.path == "/login" and parse_qs(location.query) == {"next": ["/admin"]}, (
            _("GET /admin without a login should redirect to /login?next=/admin, got {location}.").format(
                location=repr(response.headers["Location"]))
        )
        expect_text(client.get("/admin", follow_redirects=True), "Please login first")

    @pytest.mark.rule("login-sets-session")
    def test_login_then_admin(self, client):
        response = login(client, "alice", next_in_form="/admin")
        expect_status(response, 302)
        expect_header(response, "Location", "/admin")
        expect_text(client.get("/admin"), "Welcome to admin page, alice")

    @pytest.mark.rule("next-form-or-query")
    def test_next_falls_back_to_the_query_string(self, client):
        expect_header(login(client, next_in_query="/admin"), "Location", "/admin")

    @pytest.mark.rule("next-form-or-query")
    def test_the_form_next_wins_over_the_query(self, client):
        expect_header(login(client, next_in_form="/users/1", next_in_query="/admin"), "Location", "/users/1")

    @pytest.mark.rule("browser-flow")
    def test_the_whole_browser_flow(self, client):
        login_url = client.get("/admin").headers.get("Location", "")
        response = client.post(login_url, data={"username": "bob"}, follow_redirects=True)
        expect_text(response, "Welcome to admin page, bob")

    @pytest.mark.rule("username-escaped")
    def test_the_username_is_escaped(self, client):
        login(client, "<b>eve</b>")
        expect_text(client.get("/admin"), "Welcome to admin page, &lt;b&gt;eve&lt;/b&gt;")

    @pytest.mark.parametrize("target", LOCAL_TARGETS)
    @pytest.mark.rule("local-next-followed")
    def test_local_paths_are_followed(self, client, target):
        expect_header(login(client, next_in_form=target), "Location", target)

    @pytest.mark.parametrize("target", list(UNSAFE_TARGETS.values()), ids=list(UNSAFE_TARGETS))
    @pytest.mark.rule("unsafe-next-home")
    def test_unsafe_next_goes_home(self, app, client, target):
        response = login(client, next_in_form=target)
        expect_status(response, 302)
        expect_header(response, "Location", built_url(app, "index"))

    @pytest.mark.parametrize("form", [{}, {"username": ""}, {"username": "   "}, {"next": "/admin"}],
                             ids=["missing", "empty", "blank", "next-only"])
    @pytest.mark.rule("blank-username-400")
    def test_missing_or_blank_username_is_400(self, client, form):
        expect_error(client.post("/login", data=form), 400)
        expect_status(client.get("/admin"), 302)  # and nobody is logged in

    @pytest.mark.rule("is-local-path-bool")
    def test_is_local_path_answers_a_bool(self, chapter_module):
        is_local_path = require(chapter_module, "is_local_path")
        for target in [*LOCAL_TARGETS, *UNSAFE_TARGETS.values(), None]:
            answer = is_local_path(target)
            assert answer is (target in LOCAL_TARGETS), _(
                "is_local_path({target}) returned {answer}, expected {expected}: it answers a bool, "
                "True only for a path on this site."
            ).format(target=repr(target), answer=repr(answer), expected=target in LOCAL_TARGETS)

    @pytest.mark.rule("never-500")
    def test_any_login_form_gets_no_500_and_json_errors(self, client):
        def send(form):
            response = client.post("/login", data=fuzz.query_string(**form),
                                   content_type="application/x-www-form-urlencoded")
            shown = client.get("/admin")  # the stored username comes back on the admin page
            return shown if response.status_code < 400 and shown.status_code >= 500 else response

        fields = st.fixed_dictionaries({}, optional={"username": fuzz.TEXT, "next": fuzz.TEXT})
        fuzz.probe(send, fields, json_errors=True)


@pytest.mark.exercise("abort")
class TestAbort:
    @pytest.mark.rule("known-users")
    def test_known_users(self, client, chapter_module):
        for user_id, name in chapter_module.USERS.items():
            expect_json_equal(client.get(f"/users/{user_id}"), {"id": user_id, "name": name})

    @pytest.mark.parametrize("path", ["/users/0", "/users/3", "/users/999999", "/users/-1", "/users/abc"])
    @pytest.mark.rule("unknown-404")
    def test_unknown_ids_are_404(self, client, path):
        with expected_answer(_("a 404: check the id first and call abort(404, ...) for an unknown one")):
            response = client.get(path)
        expect_status(response, 404)

    @pytest.mark.rule("never-500")
    def test_any_id_gets_no_500(self, client):
        ids = st.one_of(st.integers().map(str), fuzz.HUGE_NUMBERS.map(str), fuzz.path_segments())
        fuzz.probe(lambda user_id: client.get("/users/" + user_id), ids)


@pytest.mark.exercise("error_handlers")
@pytest.mark.usefixtures("crash_as_500")  # TESTING re-raises a view's exception into the test: these tests read the 500
class TestErrorHandlers:
    @pytest.fixture
    def app(self, app):
        app.add_url_rule("/grader-abort/<int:code>", "grader_abort", lambda code: abort(code))
        return app

    @pytest.mark.parametrize("path", ["/no-such-page", "/users/abc", "/<script>alert(1)</script>", "/old/deeper"])
    @pytest.mark.rule("404-json")
    def test_404_is_json(self, client, path):
        response = client.get(path)
        expect_error(response, 404)
        assert "<script>" not in response.get_data(as_text=True), _(
            "The 404 for {request} echoed a tag from the URL: answer a message that does not repeat the URL."
        ).format(request=request_line(response))

    @pytest.mark.parametrize(("method", "path"), [("POST", "/new"), ("DELETE", "/old"), ("PUT", "/login")])
    @pytest.mark.rule("405-json-allow")
    def test_405_is_json_and_keeps_allow(self, client, method, path):
        response = client.open(path, method=method)
        expect_error(response, 405)
        assert "GET" in expect_header(response, "Allow"), _(
            "The 405 should still say which methods are allowed: start from error.get_response(), which keeps Allow.")

    @pytest.mark.parametrize("status", [400, 403, 409, 418, 501, 503])
    @pytest.mark.rule("keeps-status")
    def test_every_http_error_keeps_its_status(self, client, status):
        expect_error(client.get(f"/grader-abort/{status}"), status)

    @pytest.mark.rule("never-500")
    def test_any_url_or_method_gets_no_500_and_json_errors(self, client):
        unknown_urls = st.tuples(st.just("GET"), fuzz.path_segments().map("/no-such-page/{}".format))
        requests = st.one_of(unknown_urls, st.tuples(REFUSED_METHODS, REFUSING_PATHS))
        fuzz.probe(lambda request: client.open(request[1], method=request[0]), requests, json_errors=True)

    @pytest.mark.rule("500-hides-exception")
    def test_500_is_json_without_the_exception_text(self, client):
        response = client.get("/boom")
        expect_error(response, 500)
        body = response.get_data(as_text=True)
        assert SECRET not in body and "Traceback" not in body and "RuntimeError" not in body, (
            _("The 500 must not show what went wrong inside; it sent {body}. Flask has already written the exception "
              "to the log: answer a fixed message, not str(error).").format(body=repr(body))
        )


@pytest.mark.exercise("custom_exception")
class TestCustomException:
    @pytest.mark.rule("http-exception-402")
    def test_insufficient_funds_is_a_402_http_exception(self, chapter_module):
        cls = getattr(chapter_module, "InsufficientFunds", None)
        assert isinstance(cls, type) and issubclass(cls, HTTPException), _(
            "InsufficientFunds should subclass HTTPException.")
        assert cls.code == 402, _("InsufficientFunds.code should be 402, got {code}: set the class attribute `code = 402`.").format(code=repr(cls.code))

    @pytest.mark.rule("lowers-balance")
    def test_withdrawals_lower_the_balance(self, client):
        expect_json_equal(client.post("/withdraw", data={"amount": "30"}), {"balance": 70})
        expect_json_equal(client.post("/withdraw", data={"amount": "20.5"}), {"balance": 49.5})

    @pytest.mark.rule("exact-decimals")
    def test_decimal_amounts_add_up_exactly(self, client):
        client.post("/withdraw", data={"amount": "0.1"})
        expected = float(Decimal("100") - Decimal("0.1") - Decimal("0.2"))
        expect_json_equal(client.post("/withdraw", data={"amount": "0.2"}), {"balance": expected})

    @pytest.mark.rule("whole-balance")
    def test_the_whole_balance_can_go(self, client):
        expect_json_equal(client.post("/withdraw", data={"amount": "100"}), {"balance": 0})

    @pytest.mark.rule("too-much-402")
    def test_too_much_is_402_and_changes_nothing(self, client):
        expect_error(client.post("/withdraw", data={"amount": "100.01"}), 402)
        expect_json_equal(client.post("/withdraw", data={"amount": "100"}), {"balance": 0})

    @pytest.mark.parametrize(
        "amount",
        [None, "", "abc", "0", "-5", "-0.01", "NaN", "sNaN", "Infinity", "-Infinity", "1,5", "5 apples", "0x10"],
        ids=["missing", "empty", "letters", "zero", "negative", "negative-cents", "nan", "snan", "infinity",
             "minus-infinity", "comma", "trailing-words", "hex"],
    )
    @pytest.mark.rule("bad-amount-400")
    def test_bad_amounts_are_400_and_change_nothing(self, client, amount):
        expect_error(client.post("/withdraw", data={} if amount is None else {"amount": amount}), 400)
        expect_json_equal(client.post("/withdraw", data={"amount": "100"}), {"balance": 0})

    @pytest.mark.rule("default-description")
    def test_raised_without_a_message_it_still_explains(self, app, chapter_module, client):
        insufficient_funds = require(chapter_module, "InsufficientFunds")

        def raise_it():
            raise insufficient_funds()

        app.add_url_rule("/grader-insufficient", "grader_insufficient", raise_it)
        data = expect_error(client.get("/grader-insufficient"), 402)
        assert data["message"].strip(), _(
            "InsufficientFunds() raised without a text answered the message {message}: give the class "
            "a `description` for that case."
        ).format(message=repr(data["message"]))

    @pytest.mark.rule("never-500")
    def test_any_amount_gets_no_500_and_json_errors(self, client):
        amounts = st.one_of(fuzz.TEXT, fuzz.NUMBERS.map(str))
        fuzz.probe(lambda amount: client.post("/withdraw", data=fuzz.query_string(amount=amount),
                                              content_type="application/x-www-form-urlencoded"),
                   amounts, json_errors=True)

    @pytest.mark.rule("balance-per-app")
    def test_each_app_has_its_own_balance(self, chapter_module, app, client):
        expect_json_equal(client.post("/withdraw", data={"amount": "60"}), {"balance": 40})
        other = chapter_module.create_app({"TESTING": True}).test_client()
        expect_json_equal(other.post("/withdraw", data={"amount": "60"}), {"balance": 40})
