"""Grader for chapter 5: hooks, contexts, interceptors, CORS (see chapters/ch05_hooks/README.md).

One exercise, one verdict: a test runs only its own exercise's code. The grader adds its own
routes and hooks to the app it builds, registered after the chapter's, so they run last:

- GRADER_REFUSED is refused by the grader's before_request hook (a 401 no interceptor wrote):
  `timing` and `contexts` see a request a hook cut short without needing `interceptor`;
- the header GRADER_USER makes the grader's hook put that user on `g.user`, as the interceptor
  would: `g_user` grades /me on its own (the interceptor's tests check that it sets `g.user`).
"""
import logging
import re
import time
import uuid

import pytest
from flask import abort, g, has_app_context, request

from tests.conftest import require
from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_status

TOKENS = {"tok-alice": "alice", "tok-bob": "bob"}
ALLOWED = "https://app.example"
FOREIGN = "https://evil.example"
OPEN = ["/health", "/login", "/register"]
DECIMAL = re.compile(r"\d+(\.\d+)?")
GRADER_ROUTE = "/grader-protected"
GRADER_REFUSED = "/grader-refused"
GRADER_USER = "X-Grader-User"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


ALICE = bearer("tok-alice")


class GraderError(Exception):
    """Raised by a route the grader adds: its name must reach the teardown log."""


@pytest.fixture
def app_config():
    # Errors answer 500 instead of reaching the test: the stub (without a handler) then
    # fails with a readable status rather than a traceback.
    return {"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "API_TOKENS": dict(TOKENS), "CORS_ORIGINS": [ALLOWED]}


def refuse_grader_path():
    """The grader's own refusal, standing in for the interceptor's 401 (no view: it answers first)."""
    if request.path == GRADER_REFUSED:
        return {"error": "unauthorized", "message": "refused by the grader's before_request hook"}, 401
    return None


def keep_grader_user():
    """Put the GRADER_USER header's user on g, as the interceptor does for a known token."""
    if GRADER_USER in request.headers:
        g.user = request.headers[GRADER_USER]


@pytest.fixture
def app(app):
    """The chapter's app plus routes and hooks the grader adds (before any request, as Flask requires)."""
    app.before_request(refuse_grader_path)
    app.before_request(keep_grader_user)
    app.add_url_rule(GRADER_ROUTE, "grader_protected", lambda: {"user": g.get("user")})

    def grader_raise():
        raise GraderError("grader detail that must stay on the server")

    def grader_abort(code):
        abort(code)

    def grader_slow():
        time.sleep(0.03)  # the behaviour under test is a duration: the header must show it
        return "slow"

    app.add_url_rule("/grader-raise", "grader_raise", grader_raise)
    app.add_url_rule("/grader-abort/<int:code>", "grader_abort", grader_abort)
    app.add_url_rule("/grader-slow", "grader_slow", grader_slow)
    return app


@pytest.mark.exercise("timing")
class TestTiming:
    @pytest.mark.parametrize(("path", "headers", "status"), [
        ("/health", {}, 200), (GRADER_ROUTE, ALICE, 200), (GRADER_REFUSED, ALICE, 401),
        ("/no-such-page", ALICE, 404), ("/grader-raise", ALICE, 500),
    ])
    def test_every_response_has_both_headers(self, client, path, headers, status):
        response = client.get(path, headers=headers)
        expect_status(response, status)
        took = expect_header(response, "X-Response-Time")
        assert DECIMAL.fullmatch(took), f"X-Response-Time should be milliseconds as a plain decimal like 1.234, got {took!r}."
        expect_header(response, "X-Request-Id")

    def test_time_covers_the_view(self, client):
        took = expect_header(client.get("/grader-slow", headers=ALICE), "X-Response-Time")
        assert DECIMAL.fullmatch(took) and float(took) >= 30, (
            f"The grader's view took at least 30 ms, but X-Response-Time said {took!r}: measure in "
            "milliseconds from a before_request start kept on g."
        )

    @pytest.mark.parametrize("incoming", ["abc-123", "0f8e2c9d4b7a4e1f9c3d2b1a0e9f8d7c"])
    def test_echoes_the_incoming_request_id(self, client, incoming):
        expect_header(client.get("/health", headers={"X-Request-Id": incoming}), "X-Request-Id", incoming)

    def test_makes_a_new_uuid4_hex_per_request(self, client):
        first = expect_header(client.get("/health"), "X-Request-Id")
        second = expect_header(client.get("/health"), "X-Request-Id")
        for value in (first, second):
            assert re.fullmatch(r"[0-9a-f]{32}", value) and uuid.UUID(value).version == 4, (
                f"Without an incoming X-Request-Id the app should make uuid.uuid4().hex, got {value!r}."
            )
        assert first != second, f"Two requests got the same X-Request-Id {first!r}: make a new one per request."


@pytest.mark.exercise("interceptor")
class TestInterceptor:
    @pytest.mark.parametrize(("case", "headers"), [
        ("missing", {}),
        ("Bearer with no token", {"Authorization": "Bearer"}),
        ("Bearer and a blank", {"Authorization": "Bearer "}),
        ("wrong scheme Basic", {"Authorization": "Basic YWxpY2U6c2VjcmV0"}),
        ("wrong scheme Token", {"Authorization": "Token tok-alice"}),
        ("no scheme", {"Authorization": "tok-alice"}),
        ("unknown token", bearer("tok-mallory")),
        ("token with extra text", bearer("tok-alice extra")),
        ("token in another header", {"X-Token": "tok-alice"}),
    ])
    def test_refuses_without_a_known_token(self, client, case, headers):
        response = client.get(GRADER_ROUTE, headers=headers)
        expect_error(response, 401)
        scheme = expect_header(response, "WWW-Authenticate")
        assert scheme.startswith("Bearer"), f"({case}) WWW-Authenticate should name the Bearer scheme, got {scheme!r}."

    def test_default_dev_tokens_are_replaced_by_config(self, chapter_module, client):
        defaults = require(chapter_module, "create_app")({"TESTING": True}).config.get("API_TOKENS") or {}
        for token in set(defaults) - set(TOKENS):
            expect_error(client.get(GRADER_ROUTE, headers=bearer(token)), 401)

    @pytest.mark.parametrize(("token", "user"), list(TOKENS.items()))
    def test_known_token_passes_and_sets_g_user(self, client, token, user):
        expect_json_equal(client.get(GRADER_ROUTE, headers=bearer(token)), {"user": user})

    def test_scheme_is_case_insensitive(self, client):
        expect_json_equal(client.get(GRADER_ROUTE, headers={"Authorization": "bearer tok-bob"}), {"user": "bob"})

    @pytest.mark.parametrize("path", OPEN)
    def test_allow_list_needs_no_token(self, client, path):
        expect_status(client.get(path), 200)

    def test_health_answers_ok(self, client):
        expect_json_equal(client.get("/health"), {"status": "ok"})

    @pytest.mark.parametrize("path", ["/me", "/app-name", "/boom"])
    def test_other_routes_are_protected(self, client, path):
        expect_error(client.get(path), 401)

    @pytest.mark.parametrize("path", ["/health/x", "/healthz", "/no-such-page"])
    def test_unknown_urls_stay_404(self, client, path):
        expect_status(client.get(path), 404)


@pytest.mark.exercise("g_user")
class TestGUser:
    # The token lets the request through the interceptor; the grader's hook puts the user on
    # g itself, so /me is graded whether or not the interceptor is done. "carol" has no token:
    # /me must answer what is on g, not look the token up again.
    @pytest.mark.parametrize(("token", "user"), [*TOKENS.items(), ("tok-alice", "carol")])
    def test_me_answers_the_user_on_g(self, client, token, user):
        data = expect_json(client.get("/me", headers={**bearer(token), GRADER_USER: user}))
        assert data == {"username": user}, (
            f"The grader's own before_request hook put {user!r} on g.user before the view ran; GET /me "
            f"answered {data!r}, expected {{'username': {user!r}}}: answer the user kept on g."
        )


@pytest.mark.exercise("teardown")
class TestTeardown:
    def log(self, app) -> list:
        log = app.extensions.get("teardown_log")
        assert isinstance(log, list), f'app.extensions["teardown_log"] should be a list, got {log!r}.'
        return log

    def test_logs_a_normal_request(self, app, client):
        expect_status(client.get("/health"), 200)
        assert self.log(app)[-1:] == [{"path": "/health", "error": None}], (
            f'After GET /health the last teardown entry should be {{"path": "/health", "error": None}}; log: {self.log(app)!r}'
        )

    @pytest.mark.parametrize("path", ["/grader-raise", "/boom"])
    def test_logs_the_exception_of_a_failed_view(self, app, client, path):
        response = client.get(path, headers=ALICE)
        expect_status(response, 500)
        entries = self.log(app)
        assert entries and entries[-1].get("path") == path and isinstance(entries[-1].get("error"), str), (
            f"After GET {path} raised, the last teardown entry should name the exception's class; log: {entries!r}"
        )
        if path == "/grader-raise":
            assert entries[-1]["error"] == GraderError.__name__, (
                f"The grader's view raised {GraderError.__name__}; the teardown entry says {entries[-1]['error']!r}. "
                "exc is None once an error handler answered: read the exception from g."
            )

    def test_http_errors_are_not_exceptions_in_the_log(self, app, client):
        expect_status(client.get("/no-such-page", headers=ALICE), 404)
        assert self.log(app)[-1:] == [{"path": "/no-such-page", "error": None}], (
            f"A 404 is an answer, not a crash: expected error None; log: {self.log(app)!r}"
        )

    def test_one_entry_per_request(self, app, client):
        for path in ("/health", "/login", "/register"):
            client.get(path)
        assert [entry.get("path") for entry in self.log(app)] == ["/health", "/login", "/register"], (
            f"Three requests should leave three entries in order; log: {self.log(app)!r}"
        )


@pytest.mark.exercise("cors")
class TestCors:
    @pytest.mark.parametrize(("path", "headers"), [("/health", {}), (GRADER_ROUTE, ALICE), ("/no-such-page", ALICE)])
    def test_allowed_origin_is_echoed(self, client, path, headers):
        response = client.get(path, headers={"Origin": ALLOWED, **headers})
        expect_header(response, "Access-Control-Allow-Origin", ALLOWED)
        assert "origin" in response.vary, f"A response that depends on Origin needs Vary: Origin; Vary was {response.headers.get('Vary')!r}."

    @pytest.mark.parametrize("origin", [FOREIGN, "null", ALLOWED + ".evil.example", ALLOWED.upper(), "http://app.example"])
    def test_foreign_origin_gets_no_allow_header(self, client, origin):
        response = client.get("/health", headers={"Origin": origin})
        expect_status(response, 200)
        assert "Access-Control-Allow-Origin" not in response.headers, (
            f"Origin {origin!r} is not in CORS_ORIGINS, yet the response allows "
            f"{response.headers['Access-Control-Allow-Origin']!r}."
        )

    @pytest.mark.parametrize("origin", [ALLOWED, FOREIGN])
    @pytest.mark.parametrize("path", [GRADER_ROUTE, "/me", "/health"])
    def test_preflight_answers_204_without_a_token(self, client, origin, path):
        response = client.options(path, headers={
            "Origin": origin, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        })
        expect_status(response, 204)
        expect_header(response, "Access-Control-Allow-Methods")
        allowed_headers = expect_header(response, "Access-Control-Allow-Headers")
        assert "authorization" in allowed_headers.lower(), (
            f"The preflight must allow the Authorization header the real request carries; got {allowed_headers!r}."
        )
        if origin == ALLOWED:
            expect_header(response, "Access-Control-Allow-Origin", ALLOWED)
        else:
            assert "Access-Control-Allow-Origin" not in response.headers, f"Preflight from {origin} must not be allowed."

    def test_never_a_wildcard(self, client):
        for headers in ({"Origin": ALLOWED}, {"Origin": FOREIGN}, {}):
            value = client.get("/health", headers=headers).headers.get("Access-Control-Allow-Origin")
            assert value != "*", "Access-Control-Allow-Origin: * allows every site; echo one allowed origin instead."


@pytest.mark.exercise("error_handler")
class TestErrorHandler:
    @pytest.mark.parametrize("path", ["/grader-raise", "/boom"])
    def test_unexpected_exception_is_a_json_500_that_leaks_nothing(self, client, caplog, path):
        with caplog.at_level(logging.ERROR):
            response = client.get(path, headers=ALICE)
        expect_error(response, 500)
        logged = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
        assert logged, f"GET {path} raised: log it with app.logger.exception(...) so the traceback reaches the log."
        detail = str(logged[-1].exc_info[1])
        body = response.get_data(as_text=True)
        assert detail not in body and "Traceback" not in body, (
            f"The 500 body leaks the exception text {detail!r} to the client: {body!r}"
        )

    @pytest.mark.parametrize(("path", "method", "status"), [
        ("/no-such-page", "GET", 404), ("/health", "POST", 405), ("/me", "DELETE", 405),
        ("/grader-abort/400", "GET", 400), ("/grader-abort/403", "GET", 403),
        ("/grader-abort/409", "GET", 409), ("/grader-abort/418", "GET", 418),
    ])
    def test_http_errors_keep_their_status_as_json(self, client, path, method, status):
        expect_error(client.open(path, method=method, headers=ALICE), status)

    def test_405_keeps_its_allow_header(self, client):
        response = client.post("/health")
        expect_error(response, 405)
        expect_header(response, "Allow")


@pytest.mark.exercise("contexts")
class TestContexts:
    def test_app_name_reads_current_app(self, app, client):
        expect_json_equal(client.get("/app-name", headers=ALICE), {"name": app.name})

    def test_counts_every_request(self, app, client):
        requests = [("/health", {}), (GRADER_REFUSED, ALICE), ("/no-such-page", ALICE), (GRADER_ROUTE, ALICE)]
        statuses = [client.get(path, headers=headers).status_code for path, headers in requests]
        count = app.extensions.get("request_count")
        assert count == len(requests), (
            f'After {len(requests)} requests (answered {statuses}, the 401 by a later before_request hook) '
            f'app.extensions["request_count"] is {count!r}.'
        )

    def test_count_requests_outside_pushes_its_own_context(self, chapter_module, app, client):
        count_requests_outside = require(chapter_module, "count_requests_outside")
        for _ in range(3):
            client.get("/health")
        assert not has_app_context(), "The grader calls count_requests_outside with no context active."
        counted = count_requests_outside(app)
        assert counted == 3, f"count_requests_outside(app) answered {counted!r} after 3 requests."
        assert not has_app_context(), "count_requests_outside left an application context pushed: use `with`."

    def test_apps_do_not_share_counts(self, chapter_module, app, app_config):
        other = require(chapter_module, "create_app")(app_config)
        app.test_client().get("/health")
        counted = require(chapter_module, "count_requests_outside")(other)
        assert counted == 0, f"A request to one app changed another app's count to {counted!r}."

    def test_startup_runs_once_in_the_factory(self, app, client):
        for _ in range(5):
            client.get("/health")
        runs = app.extensions.get("init_runs")
        assert runs == 1, f'app.extensions["init_runs"] should be 1 after start-up in create_app and 5 requests, got {runs!r}.'

    def test_app_name_answers_json(self, client):
        data = expect_json(client.get("/app-name", headers=ALICE))
        assert isinstance(data, dict) and isinstance(data.get("name"), str), f"/app-name answered {data!r}."
