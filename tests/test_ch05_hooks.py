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
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound

from tests import fuzz
from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_status
from tests.helpers import bearer, require
from track.model.i18n import _

TOKENS = {"tok-alice": "alice", "tok-bob": "bob"}
ALLOWED = "https://app.example"
FOREIGN = "https://evil.example"
OPEN = ["/health", "/login", "/register"]
DECIMAL = re.compile(r"\d+(\.\d+)?")
GRADER_ROUTE = "/grader-protected"
GRADER_REFUSED = "/grader-refused"
GRADER_USER = "X-Grader-User"
CLOCKS = ("perf_counter", "monotonic", "time")  # and their _ns twins
MISSING = fuzz.path_segments().map("/no-such-page/{}".format)  # URLs no exercise's view serves


ALICE = bearer("tok-alice")


class GraderError(Exception):
    """Raised by a route the grader adds: its name must reach the teardown log."""


class StoppedClock:
    """Every clock of the time module, standing still until the grader's view moves it on:
    a measured duration is then exact, whatever the machine's load."""

    def __init__(self, monkeypatch) -> None:
        self.seconds = 1000.0
        for name in CLOCKS:
            monkeypatch.setattr(time, name, lambda: self.seconds)
            monkeypatch.setattr(time, f"{name}_ns", lambda: round(self.seconds * 1e9))

    def advance(self, milliseconds: float) -> None:
        self.seconds += milliseconds / 1000


# Errors answer 500 instead of reaching the test: the stub (without a handler) then
# fails with a readable status rather than a traceback.
pytestmark = pytest.mark.usefixtures("crash_as_500")


@pytest.fixture
def app_config():
    return {"TESTING": True, "API_TOKENS": dict(TOKENS), "CORS_ORIGINS": [ALLOWED]}


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

    app.add_url_rule("/grader-raise", "grader_raise", grader_raise)
    app.add_url_rule("/grader-abort/<int:code>", "grader_abort", grader_abort)
    return app


@pytest.mark.exercise("timing")
class TestTiming:
    @pytest.mark.parametrize(("path", "headers", "status"), [
        ("/health", {}, 200), (GRADER_ROUTE, ALICE, 200), (GRADER_REFUSED, ALICE, 401),
        ("/no-such-page", ALICE, 404), ("/grader-raise", ALICE, 500),
    ])
    @pytest.mark.rule("both-headers")
    def test_every_response_has_both_headers(self, client, path, headers, status):
        response = client.get(path, headers=headers)
        if status == 200:  # the other statuses are the interceptor's and error_handler's to get right
            expect_status(response, status)
        took = expect_header(response, "X-Response-Time")
        assert DECIMAL.fullmatch(took), _(
            "X-Response-Time should be milliseconds as a plain decimal like 1.234, got {took}.").format(took=repr(took))
        expect_header(response, "X-Request-Id")

    @pytest.mark.rule("times-the-view")
    def test_time_covers_the_view(self, app, client, monkeypatch):
        clock = StoppedClock(monkeypatch)
        app.add_url_rule("/grader-slow", "grader_slow", lambda: clock.advance(30) or "slow")
        took = expect_header(client.get("/grader-slow", headers=ALICE), "X-Response-Time")
        assert DECIMAL.fullmatch(took) and abs(float(took) - 30) < 0.005, _(
            "The grader's view took 30 ms by time.perf_counter() (the grader stopped the clock and moved it on "
            "30 ms inside the view), but X-Response-Time said {took}: measure in milliseconds from a "
            "before_request start kept on g."
        ).format(took=repr(took))

    @pytest.mark.parametrize("incoming", ["abc-123", "0f8e2c9d4b7a4e1f9c3d2b1a0e9f8d7c"])
    @pytest.mark.rule("echoes-request-id")
    def test_echoes_the_incoming_request_id(self, client, incoming):
        expect_header(client.get("/health", headers={"X-Request-Id": incoming}), "X-Request-Id", incoming)

    @pytest.mark.rule("new-uuid4-hex")
    def test_makes_a_new_uuid4_hex_per_request(self, client):
        first = expect_header(client.get("/health"), "X-Request-Id")
        second = expect_header(client.get("/health"), "X-Request-Id")
        for value in (first, second):
            assert re.fullmatch(r"[0-9a-f]{32}", value) and uuid.UUID(value).version == 4, (
                _("Without an incoming X-Request-Id the app should make uuid.uuid4().hex, got {value}.").format(
                    value=repr(value))
            )
        assert first != second, _(
            "Two requests got the same X-Request-Id {value}: make a new one per request.").format(value=repr(first))

    @pytest.mark.rule("never-500")
    def test_any_request_id_gets_no_500(self, client):
        fuzz.probe(lambda request_id: client.get("/health", headers={"X-Request-Id": request_id}), fuzz.header_values())


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
    @pytest.mark.rule("401-without-known-token")
    def test_refuses_without_a_known_token(self, client, case, headers):
        response = client.get(GRADER_ROUTE, headers=headers)
        expect_error(response, 401, _(
            "The view ran: a before_request hook stops a request only when it returns a response "
            "(`return unauthorized(...)`); one that returns None, or builds a response without returning it, "
            "lets the request go on.") if response.status_code < 300 else None)
        scheme = expect_header(response, "WWW-Authenticate")
        assert scheme.startswith("Bearer"), _("({case}) WWW-Authenticate should name the Bearer scheme, got {scheme}.").format(
            case=case, scheme=repr(scheme))

    @pytest.mark.rule("tokens-from-config")
    def test_default_dev_tokens_are_replaced_by_config(self, chapter_module, client):
        defaults = require(chapter_module, "create_app")({"TESTING": True}).config.get("API_TOKENS") or {}
        for token in set(defaults) - set(TOKENS):
            expect_error(client.get(GRADER_ROUTE, headers=bearer(token)), 401)

    @pytest.mark.parametrize(("token", "user"), list(TOKENS.items()))
    @pytest.mark.rule("known-token-sets-g-user")
    def test_known_token_passes_and_sets_g_user(self, client, token, user):
        expect_json_equal(client.get(GRADER_ROUTE, headers=bearer(token)), {"user": user})

    @pytest.mark.rule("scheme-case-insensitive")
    def test_scheme_is_case_insensitive(self, client):
        expect_json_equal(client.get(GRADER_ROUTE, headers={"Authorization": "bearer tok-bob"}), {"user": "bob"})

    @pytest.mark.parametrize("path", OPEN)
    @pytest.mark.rule("open-paths")
    def test_allow_list_needs_no_token(self, client, path):
        expect_status(client.get(path), 200)

    @pytest.mark.rule("open-paths")
    def test_health_answers_ok(self, client):
        expect_json_equal(client.get("/health"), {"status": "ok"})

    @pytest.mark.parametrize("path", ["/me", "/app-name", "/boom"])
    @pytest.mark.rule("others-protected")
    def test_other_routes_are_protected(self, client, path):
        expect_error(client.get(path), 401)

    @pytest.mark.parametrize("path", ["/health/x", "/healthz", "/no-such-page"])
    @pytest.mark.rule("unknown-urls-404")
    def test_unknown_urls_stay_404(self, client, path):
        response = client.get(path)
        # Flask's NotFound reached the error handling untouched: the interceptor let it through
        # (what the error handler then makes of it is graded by error_handler).
        if not isinstance(response.handled, NotFound):
            expect_status(response, 404)

    @pytest.mark.rule("never-500")
    def test_any_authorization_gets_no_500_and_json_errors(self, client):
        values = st.one_of(fuzz.header_values(), fuzz.header_values().map("Bearer {}".format))
        fuzz.probe(lambda value: client.get(GRADER_ROUTE, headers={"Authorization": value}), values, json_errors=True)


@pytest.mark.exercise("g_user")
class TestGUser:
    # The token lets the request through the interceptor; the grader's hook puts the user on
    # g itself, so /me is graded whether or not the interceptor is done. "carol" has no token:
    # /me must answer what is on g, not look the token up again.
    @pytest.mark.parametrize(("token", "user"), [*TOKENS.items(), ("tok-alice", "carol")])
    @pytest.mark.rule("me-from-g")
    def test_me_answers_the_user_on_g(self, client, token, user):
        data = expect_json(client.get("/me", headers={**bearer(token), GRADER_USER: user}))
        assert data == {"username": user}, (
            _("The grader's own before_request hook put {user} on g.user before the view ran; GET /me "
              "answered {got}, expected {expected}: answer the user kept on g.").format(
                user=repr(user), got=repr(data), expected=repr({"username": user}))
        )


@pytest.mark.exercise("teardown")
class TestTeardown:
    def log(self, app) -> list:
        log = app.extensions.get("teardown_log")
        assert isinstance(log, list), _('app.extensions["teardown_log"] should be a list, got {log}.').format(log=repr(log))
        return log

    @pytest.mark.rule("logs-request")
    def test_logs_a_normal_request(self, app, client):
        expect_status(client.get("/health"), 200)
        assert self.log(app)[-1:] == [{"path": "/health", "error": None}], (
            _('After GET /health the last teardown entry should be {{"path": "/health", "error": None}}; log: {log}').format(
                log=repr(self.log(app)))
        )

    @pytest.mark.parametrize("path", ["/grader-raise", "/boom"])
    @pytest.mark.rule("logs-exception-class")
    def test_logs_the_exception_of_a_failed_view(self, app, client, path):
        response = client.get(path, headers=ALICE)
        expect_status(response, 500)
        entries = self.log(app)
        assert entries and entries[-1].get("path") == path and isinstance(entries[-1].get("error"), str), (
            _("After GET {path} raised, the last teardown entry should name the exception's class; log: {log}. "
              "Flask passes `exc` to a teardown function only for an exception no handler took: once the error "
              "handler answered, `exc` is None; read the exception the handler kept on g.error.").format(
                path=path, log=repr(entries))
        )
        if path == "/grader-raise":
            assert entries[-1]["error"] == GraderError.__name__, (
                _("The grader's view raised {raised}; the teardown entry says {logged}. "
                  "exc is None once an error handler answered: read the exception from g.").format(
                    raised=GraderError.__name__, logged=repr(entries[-1]["error"]))
            )

    @pytest.mark.rule("http-errors-not-exceptions")
    def test_http_errors_are_not_exceptions_in_the_log(self, app, client):
        expect_status(client.get("/no-such-page", headers=ALICE), 404)
        assert self.log(app)[-1:] == [{"path": "/no-such-page", "error": None}], (
            _("A 404 is an answer, not a crash: expected error None; log: {log}").format(log=repr(self.log(app)))
        )

    @pytest.mark.rule("one-entry-per-request")
    def test_one_entry_per_request(self, app, client):
        for path in ("/health", "/login", "/register"):
            client.get(path)
        assert [entry.get("path") for entry in self.log(app)] == ["/health", "/login", "/register"], (
            _("Three requests should leave three entries in order; log: {log}").format(log=repr(self.log(app)))
        )

    @pytest.mark.rule("bounded-log")
    def test_keeps_only_the_newest_entries(self, chapter_module, app, client):
        limit = require(chapter_module, "TEARDOWN_LOG_LIMIT")
        last = ["/login", "/register", "/no-such-page"]
        for path in ["/health"] * limit + last:
            client.get(path)
        paths = [entry.get("path") for entry in self.log(app)]
        assert len(paths) == limit and paths[-len(last):] == last, _(
            "After {count} requests the log holds {size} entries ending with {tail}; expected the newest "
            "{limit} (TEARDOWN_LOG_LIMIT), ending with {last}: drop the oldest entries past the limit."
        ).format(count=limit + len(last), size=len(paths), tail=paths[-len(last):], limit=limit, last=last)

    @pytest.mark.rule("never-500")
    def test_any_path_gets_no_500(self, client):
        fuzz.probe(lambda path: client.get(path, headers=ALICE), MISSING)


@pytest.mark.exercise("cors")
class TestCors:
    @pytest.mark.parametrize(("path", "headers"), [("/health", {}), (GRADER_ROUTE, ALICE), ("/no-such-page", ALICE)])
    @pytest.mark.rule("allowed-origin-echoed")
    def test_allowed_origin_is_echoed(self, client, path, headers):
        response = client.get(path, headers={"Origin": ALLOWED, **headers})
        assert response.headers.get("Access-Control-Allow-Origin") in (ALLOWED, None), _(
            "GET {path} sent Access-Control-Allow-Origin: {got}, expected {allowed}: echo the request's Origin when it "
            "is in CORS_ORIGINS (never '*', which lets every site read the answer).").format(
            path=path, got=repr(response.headers["Access-Control-Allow-Origin"]), allowed=repr(ALLOWED))
        expect_header(response, "Access-Control-Allow-Origin", ALLOWED)
        assert "origin" in response.vary, _("A response that depends on Origin needs Vary: Origin; Vary was {vary}.").format(
            vary=repr(response.headers.get("Vary")))
        exposed = {name.strip().lower() for name in expect_header(response, "Access-Control-Expose-Headers").split(",")}
        assert {"x-request-id", "x-response-time"} <= exposed, _(
            "Access-Control-Expose-Headers should list X-Request-Id and X-Response-Time, so the page's "
            "JavaScript may read them; it lists {exposed}."
        ).format(exposed=sorted(exposed))

    @pytest.mark.parametrize("origin", [FOREIGN, "null", ALLOWED + ".evil.example", ALLOWED.upper(), "http://app.example"])
    @pytest.mark.rule("foreign-origin-refused")
    def test_foreign_origin_gets_no_allow_header(self, client, origin):
        response = client.get("/health", headers={"Origin": origin})
        expect_status(response, 200)
        assert "Access-Control-Allow-Origin" not in response.headers, (
            _("Origin {origin} is not in CORS_ORIGINS, yet the response allows {allowed}.").format(
                origin=repr(origin), allowed=repr(response.headers["Access-Control-Allow-Origin"]))
        )

    @pytest.mark.parametrize("origin", [ALLOWED, FOREIGN])
    @pytest.mark.parametrize("path", [GRADER_ROUTE, "/me", "/health"])
    @pytest.mark.rule("preflight-204")
    def test_preflight_answers_204_without_a_token(self, client, origin, path):
        response = client.options(path, headers={
            "Origin": origin, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        })
        expect_status(response, 204)
        expect_header(response, "Access-Control-Allow-Methods")
        allowed_headers = expect_header(response, "Access-Control-Allow-Headers")
        assert "authorization" in allowed_headers.lower(), (
            _("The preflight must allow the Authorization header the real request carries; got {allowed}.").format(
                allowed=repr(allowed_headers))
        )
        max_age = expect_header(response, "Access-Control-Max-Age")
        assert max_age.isdigit() and int(max_age) > 0, _(
            "Access-Control-Max-Age should be a whole number of seconds greater than 0 (how long the browser "
            "may reuse this preflight answer), got {max_age}."
        ).format(max_age=repr(max_age))
        if origin == ALLOWED:
            expect_header(response, "Access-Control-Allow-Origin", ALLOWED)
        else:
            assert "Access-Control-Allow-Origin" not in response.headers, _(
                "A preflight from {origin}, which is not in CORS_ORIGINS, must not be allowed.").format(origin=origin)

    @pytest.mark.rule("no-wildcard")
    def test_never_a_wildcard(self, client):
        for headers in ({"Origin": ALLOWED}, {"Origin": FOREIGN}, {}):
            value = client.get("/health", headers=headers).headers.get("Access-Control-Allow-Origin")
            assert value != "*", _("Access-Control-Allow-Origin: * allows every site; echo one allowed origin instead.")

    @pytest.mark.rule("never-500")
    def test_any_origin_gets_no_500(self, client):
        requests = st.tuples(st.sampled_from(["GET", "OPTIONS"]), fuzz.header_values())
        fuzz.probe(lambda request: client.open("/health", method=request[0], headers={"Origin": request[1]}), requests)


@pytest.mark.exercise("error_handler")
class TestErrorHandler:
    @pytest.mark.parametrize("path", ["/grader-raise", "/boom"])
    @pytest.mark.rule("json-500-leaks-nothing")
    def test_unexpected_exception_is_a_json_500_that_leaks_nothing(self, client, caplog, path):
        with caplog.at_level(logging.ERROR):
            response = client.get(path, headers=ALICE)
        data = expect_error(response, 500)
        assert data["error"] == "internal server error", _(
            'The 500\'s "error" should be "internal server error", the status\'s reason phrase in lower case '
            'like "unauthorized" and "not found"; got {error}.'
        ).format(error=repr(data["error"]))
        logged = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
        assert logged, _("GET {path} raised: log it with app.logger.exception(...) so the traceback reaches the log.").format(
            path=path)
        detail = str(logged[-1].exc_info[1])
        body = response.get_data(as_text=True)
        assert detail not in body and "Traceback" not in body, (
            _("The 500 body leaks the exception text {detail} to the client: {body}").format(
                detail=repr(detail), body=repr(body))
        )

    @pytest.mark.parametrize(("path", "method", "status"), [
        ("/no-such-page", "GET", 404), ("/health", "POST", 405), ("/me", "DELETE", 405),
        ("/grader-abort/400", "GET", 400), ("/grader-abort/403", "GET", 403),
        ("/grader-abort/409", "GET", 409), ("/grader-abort/418", "GET", 418),
    ])
    @pytest.mark.rule("http-errors-keep-status")
    def test_http_errors_keep_their_status_as_json(self, client, path, method, status):
        expect_error(client.open(path, method=method, headers=ALICE), status)

    @pytest.mark.rule("405-keeps-allow")
    def test_405_keeps_its_allow_header(self, client):
        response = client.post("/health")
        expect_error(response, 405)
        expect_header(response, "Allow")

    @pytest.mark.rule("never-500")
    def test_any_url_or_method_gets_no_500_and_json_errors(self, client):
        requests = st.one_of(st.tuples(st.just("GET"), MISSING),
                             st.tuples(st.sampled_from(["POST", "PUT", "DELETE", "PATCH"]), st.just("/health")))
        fuzz.probe(lambda request: client.open(request[1], method=request[0], headers=ALICE), requests, json_errors=True)


@pytest.mark.exercise("contexts")
class TestContexts:
    @pytest.mark.rule("app-name")
    def test_app_name_reads_current_app(self, app, client):
        expect_json_equal(client.get("/app-name", headers=ALICE), {"name": app.name})

    @pytest.mark.rule("counts-every-request")
    def test_counts_every_request(self, app, client):
        requests = [("/health", {}), (GRADER_REFUSED, ALICE), ("/no-such-page", ALICE), (GRADER_ROUTE, ALICE)]
        statuses = [client.get(path, headers=headers).status_code for path, headers in requests]
        count = app.extensions.get("request_count")
        assert count == len(requests), (
            _('After {requests} requests (answered {statuses}, the 401 by a later before_request hook) '
              'app.extensions["request_count"] is {count}.').format(requests=len(requests), statuses=statuses,
                                                                    count=repr(count))
        )

    @pytest.mark.rule("outside-pushes-context")
    def test_count_requests_outside_pushes_its_own_context(self, chapter_module, app, client):
        count_requests_outside = require(chapter_module, "count_requests_outside")
        for _request in range(3):  # not `_`: that is the translator
            client.get("/health")
        assert not has_app_context(), _("The grader calls count_requests_outside with no context active.")
        counted = count_requests_outside(app)
        assert counted == 3, _("count_requests_outside(app) answered {counted} after 3 requests.").format(
            counted=repr(counted))
        assert not has_app_context(), _("count_requests_outside left an application context pushed: use `with`.")

    @pytest.mark.rule("count-per-app")
    def test_apps_do_not_share_counts(self, chapter_module, app, app_config):
        other = require(chapter_module, "create_app")(app_config)
        app.test_client().get("/health")
        counted = require(chapter_module, "count_requests_outside")(other)
        assert counted == 0, _("A request to one app changed another app's count to {counted}.").format(
            counted=repr(counted))

    @pytest.mark.rule("startup-once")
    def test_startup_runs_once_in_the_factory(self, app, client):
        for _request in range(5):  # not `_`: that is the translator
            client.get("/health")
        runs = app.extensions.get("init_runs")
        assert runs == 1, _(
            'app.extensions["init_runs"] should be 1 after start-up in create_app and 5 requests, got {runs}.'
        ).format(runs=repr(runs))

    @pytest.mark.rule("app-name")
    def test_app_name_answers_json(self, client):
        data = expect_json(client.get("/app-name", headers=ALICE))
        assert isinstance(data, dict) and isinstance(data.get("name"), str), _(
            '/app-name answered {got}, expected {{"name": <the app\'s name>}}.').format(got=repr(data))
