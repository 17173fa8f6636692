"""Grader for chapter 4: redirects, url_for, abort and error handlers (see chapters/ch04_redirects_abort/README.md)."""
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_status, expect_text

SECRET = "hunter2"  # in the exception /boom raises; it must never reach the client


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
    def test_old_is_moved_permanently_to_new(self, client):
        response = client.get("/old")
        expect_status(response, 301)
        expect_header(response, "Location", "/new")

    def test_following_it_reaches_the_new_page(self, client):
        expect_text(client.get("/old", follow_redirects=True), "new page")


@pytest.mark.exercise("url_for")
class TestUrlFor:
    @pytest.mark.parametrize("name", ["alice", "Ada Lovelace", "小明", "<script>alert(1)", "<img src=x onerror=alert(1)>", "50%&more"])
    def test_go_redirects_to_the_profile_url(self, app, client, name):
        response = client.get("/go/" + name)
        expect_status(response, 302)
        expect_header(response, "Location", built_url(app, "profile", name=name))

    @pytest.mark.parametrize("name", ["alice", "小明", "<script>alert(1)", "<img src=x onerror=alert(1)>", '"quoted"&'])
    def test_profile_escapes_the_name(self, client, name):
        response = client.get("/go/" + name, follow_redirects=True)
        expect_text(response, f"profile of {escape(name)}")
        assert "<" not in response.get_data(as_text=True), "A tag from the URL came back unescaped."


@pytest.mark.exercise("login_redirect")
class TestLoginRedirect:
    def test_admin_without_login_redirects_to_login_with_next(self, client):
        response = client.get("/admin")
        expect_status(response, 302)
        location = urlsplit(expect_header(response, "Location"))
        assert location.path == "/login" and parse_qs(location.query) == {"next": ["/admin"]}, (
            f"GET /admin without a login should redirect to /login?next=/admin, got {response.headers['Location']!r}."
        )
        expect_text(client.get("/admin", follow_redirects=True), "Please login first")

    def test_login_then_admin(self, client):
        response = login(client, "alice", next_in_form="/admin")
        expect_status(response, 302)
        expect_header(response, "Location", "/admin")
        expect_text(client.get("/admin"), "Welcome to admin page, alice")

    def test_next_falls_back_to_the_query_string(self, client):
        expect_header(login(client, next_in_query="/admin"), "Location", "/admin")

    def test_the_form_next_wins_over_the_query(self, client):
        expect_header(login(client, next_in_form="/users/1", next_in_query="/admin"), "Location", "/users/1")

    def test_the_whole_browser_flow(self, client):
        login_url = client.get("/admin").headers.get("Location", "")
        response = client.post(login_url, data={"username": "bob"}, follow_redirects=True)
        expect_text(response, "Welcome to admin page, bob")

    def test_the_username_is_escaped(self, client):
        login(client, "<b>eve</b>")
        expect_text(client.get("/admin"), "Welcome to admin page, &lt;b&gt;eve&lt;/b&gt;")

    @pytest.mark.parametrize("target", ["/admin?tab=2", "/profile/bob", "/users/1#top"])
    def test_local_paths_are_followed(self, client, target):
        expect_header(login(client, next_in_form=target), "Location", target)

    @pytest.mark.parametrize(
        "target",
        ["//evil.example", "https://evil.example", "http://evil.example/admin", "/\\evil.example",
         "\\\\evil.example", "javascript:alert(1)", "/\t/evil.example", "/\n/evil.example", "evil.example",
         "///evil.example", "https:/evil.example", "", "  //evil.example"],
        ids=["scheme-relative", "https", "http-path", "slash-backslash", "backslashes", "javascript", "tab",
             "newline", "no-slash", "triple-slash", "https-one-slash", "empty", "leading-spaces"],
    )
    def test_unsafe_next_goes_home(self, app, client, target):
        response = login(client, next_in_form=target)
        expect_status(response, 302)
        expect_header(response, "Location", built_url(app, "index"))

    @pytest.mark.parametrize("form", [{}, {"username": ""}, {"username": "   "}, {"next": "/admin"}],
                             ids=["missing", "empty", "blank", "next-only"])
    def test_missing_or_blank_username_is_400(self, client, form):
        expect_error(client.post("/login", data=form), 400)
        expect_status(client.get("/admin"), 302)  # and nobody is logged in


@pytest.mark.exercise("abort")
class TestAbort:
    def test_known_users(self, client, chapter_module):
        for user_id, name in chapter_module.USERS.items():
            expect_json_equal(client.get(f"/users/{user_id}"), {"id": user_id, "name": name})

    @pytest.mark.parametrize("path", ["/users/0", "/users/3", "/users/999999", "/users/-1", "/users/abc"])
    def test_unknown_ids_are_404(self, client, path):
        expect_status(client.get(path), 404)


@pytest.mark.exercise("error_handlers")
class TestErrorHandlers:
    @pytest.fixture
    def app_config(self):
        # TESTING re-raises a view's exception into the test: turn that off to see the 500.
        return {"TESTING": True, "PROPAGATE_EXCEPTIONS": False}

    @pytest.mark.parametrize("path", ["/no-such-page", "/users/abc", "/<script>alert(1)</script>", "/old/deeper"])
    def test_404_is_json(self, client, path):
        response = client.get(path)
        expect_error(response, 404)
        assert "<script>" not in response.get_data(as_text=True), "The 404 echoed a tag from the URL."

    @pytest.mark.parametrize(("method", "path"), [("POST", "/new"), ("DELETE", "/old"), ("PUT", "/login")])
    def test_405_is_json_and_keeps_allow(self, client, method, path):
        response = client.open(path, method=method)
        expect_error(response, 405)
        assert "GET" in expect_header(response, "Allow"), "The 405 should still say which methods are allowed."

    def test_500_is_json_without_the_exception_text(self, client):
        response = client.get("/boom")
        expect_error(response, 500)
        body = response.get_data(as_text=True)
        assert SECRET not in body and "Traceback" not in body and "RuntimeError" not in body, (
            f"The 500 must not show what went wrong inside; it sent {body!r}."
        )


@pytest.mark.exercise("custom_exception")
class TestCustomException:
    def test_insufficient_funds_is_a_402_http_exception(self, chapter_module):
        cls = getattr(chapter_module, "InsufficientFunds", None)
        assert isinstance(cls, type) and issubclass(cls, HTTPException), "InsufficientFunds should subclass HTTPException."
        assert cls.code == 402, f"InsufficientFunds.code should be 402, got {cls.code!r}."

    def test_withdrawals_lower_the_balance(self, client):
        expect_json_equal(client.post("/withdraw", data={"amount": "30"}), {"balance": 70})
        expect_json_equal(client.post("/withdraw", data={"amount": "20.5"}), {"balance": 49.5})

    def test_decimal_amounts_add_up_exactly(self, client):
        client.post("/withdraw", data={"amount": "0.1"})
        expected = float(Decimal("100") - Decimal("0.1") - Decimal("0.2"))
        expect_json_equal(client.post("/withdraw", data={"amount": "0.2"}), {"balance": expected})

    def test_the_whole_balance_can_go(self, client):
        expect_json_equal(client.post("/withdraw", data={"amount": "100"}), {"balance": 0})

    def test_too_much_is_402_and_changes_nothing(self, client):
        expect_error(client.post("/withdraw", data={"amount": "100.01"}), 402)
        expect_json_equal(client.post("/withdraw", data={"amount": "100"}), {"balance": 0})

    @pytest.mark.parametrize(
        "amount",
        [None, "", "abc", "0", "-5", "-0.01", "NaN", "sNaN", "Infinity", "-Infinity", "1,5", "5 apples", "0x10"],
        ids=["missing", "empty", "letters", "zero", "negative", "negative-cents", "nan", "snan", "infinity",
             "minus-infinity", "comma", "trailing-words", "hex"],
    )
    def test_bad_amounts_are_400_and_change_nothing(self, client, amount):
        expect_error(client.post("/withdraw", data={} if amount is None else {"amount": amount}), 400)
        expect_json_equal(client.post("/withdraw", data={"amount": "100"}), {"balance": 0})

    def test_each_app_has_its_own_balance(self, chapter_module, app, client):
        expect_json_equal(client.post("/withdraw", data={"amount": "60"}), {"balance": 40})
        other = chapter_module.create_app({"TESTING": True}).test_client()
        expect_json_equal(other.post("/withdraw", data={"amount": "60"}), {"balance": 40})
