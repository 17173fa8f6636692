"""Chapter 5: contexts, `g`, request hooks, an interceptor, CORS and a global error handler.

Run it with `make chapter-5 run` (gevent) or `flask --app chapters.ch05_hooks.app run --debug`.
Every route but /health, /login and /register needs `Authorization: Bearer <token>`. Out of
the box the app knows one development token, `demo-token` (user `demo`); a real deployment
passes its own `API_TOKENS` (and `CORS_ORIGINS`) and the tests pass theirs in `test_config`.
"""
import re
import time
import uuid

from flask import Flask, Response, current_app, g, json, jsonify, request
from werkzeug.exceptions import HTTPException

# Development defaults, documented in the lesson; test_config or a deployment replaces them.
DEMO_TOKENS = {"demo-token": "demo"}
DEMO_ORIGINS = ["http://localhost:3000", "http://127.0.0.1:3000"]

# The source material's whitelist: the pages a visitor without a token must still reach.
OPEN_PATHS = frozenset({"/health", "/login", "/register"})

CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, X-Request-Id"
CORS_EXPOSED = "X-Request-Id, X-Response-Time"
CORS_MAX_AGE_S = 600  # how long a browser may cache a preflight answer

# An incoming X-Request-Id is echoed only when it looks like an id: it ends up in logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
TEARDOWN_LOG_LIMIT = 100  # keep the log bounded: a long-running server must not grow forever


def error_response(status: int, error: str, message: str) -> Response:
    """The course's JSON error body with `status` as the response code."""
    response = jsonify(error=error, message=message)
    response.status_code = status
    return response


def unauthorized(message: str) -> Response:
    response = error_response(401, "unauthorized", message)
    # RFC 6750: a 401 tells the client which scheme to use.
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def http_error_as_json(error: HTTPException) -> Response:
    """An HTTP error (404, 405, ...) with its own status and headers, speaking JSON."""
    response = error.get_response()  # keeps the status and headers such as 405's Allow
    response.set_data(json.dumps({"error": error.name.lower(), "message": error.description}))
    response.mimetype = "application/json"
    return response


def token_problem() -> str | None:
    """Why the request's `Authorization` header is not acceptable, or None (and `g.user` set)."""
    if not request.headers.get("Authorization"):
        return "this route needs an `Authorization: Bearer <token>` header"
    auth = request.authorization  # Werkzeug parses the scheme and the token for us
    if auth is None or auth.type != "bearer" or not auth.token:
        return "the Authorization header must read `Bearer <token>`"
    user = current_app.config["API_TOKENS"].get(auth.token)
    if user is None:
        return "unknown token"
    g.user = user
    return None


def startup(app: Flask) -> None:
    """Start-up work: what the source material ran in `before_first_request` (removed in 2.3).

    That hook was removed in Flask 2.3. The factory runs once per app, before any request
    can arrive, so start-up code simply belongs there; `init_runs` shows it ran once.
    """
    app.extensions["init_runs"] = app.extensions.get("init_runs", 0) + 1
    app.logger.info("start-up work done for %s", app.name)


def count_requests_outside(app: Flask) -> int:
    """Exercise `contexts`: the number of requests `app` handled, read through `current_app`.

    Called from plain code (a script, a CLI command, a test) no request is active, and
    `current_app` raises "Working outside of application context". Push an application
    context yourself (`with app.app_context():`) and read
    `current_app.extensions["request_count"]` inside it.

    Rules:
    - [app-name] GET /app-name answers the JSON {"name": current_app.name}.
    - [counts-every-request] `request_count` counts every request, also one a later hook
      refuses (401) and one to an unknown URL (404).
    - [outside-pushes-context] `count_requests_outside(app)`, called with no context active,
      answers the count and leaves no context pushed.
    - [count-per-app] each app counts its own requests.
    - [startup-once] the start-up work runs once per app, in create_app (`init_runs` is 1
      after requests).
    """
    # TODO(contexts): write this part; the docstring above has the contract. Stuck? `python -m track hint 5`
    raise NotImplementedError("TODO(contexts)")


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass their tokens)."""
    app = Flask(__name__)
    app.config.from_mapping(API_TOKENS=dict(DEMO_TOKENS), CORS_ORIGINS=list(DEMO_ORIGINS))
    if test_config:
        app.config.update(test_config)
    # Per-app state lives on the app object (app.extensions), never in module globals:
    # two apps built by two calls must not share it.
    app.extensions.update(request_count=0, teardown_log=[])
    # TODO(contexts): run the start-up work once, here: call startup(app).
    # (before_first_request is gone since Flask 2.3; the factory is the place.)
    register_before_hooks(app)
    register_after_hooks(app)
    register_error_handler(app)
    register_routes(app)
    return app


def register_before_hooks(app: Flask) -> None:
    """`before_request` hooks run in the order they are registered; the first one that
    returns a response stops the others and the view (that is how the interceptor works)."""

    @app.before_request
    def count_request():
        """Exercise `contexts`: add one to `current_app.extensions["request_count"]`.

        Registered first, so it counts every request, also the ones a later hook refuses.
        """
        pass  # TODO(contexts): count this request in current_app.extensions["request_count"]

    @app.before_request
    def start_timer():
        """Exercise `timing`: keep the start time and the request id on `g`.

        `g` lives exactly as long as this request: the after_request hook reads both back.
        The id is the incoming `X-Request-Id` when there is one, else a new uuid4 hex.

        Rules:
        - [both-headers] every response (200, 401, 404, 500) carries `X-Response-Time` (ms as a
          plain decimal, such as `1.234`) and `X-Request-Id`.
        - [times-the-view] X-Response-Time is the time from this hook to the after_request
          hook, in milliseconds: the view's time included.
        - [echoes-request-id] an incoming `X-Request-Id` (1 to 64 letters, digits, `.`, `_`,
          `-`) comes back as is.
        - [new-uuid4-hex] without one, every request gets a new `uuid.uuid4().hex`.
        - [never-500] no X-Request-Id makes it answer 500.
        """
        pass  # TODO(timing): keep time.perf_counter() and the request id on g

    @app.before_request
    def answer_preflight():
        """Exercise `cors`: answer every `OPTIONS` request (a CORS preflight) with 204.

        The answer carries `Access-Control-Allow-Methods` and `-Headers`. It runs before the
        interceptor: a browser never sends the token with a preflight.
        """
        return None  # TODO(cors): answer OPTIONS with 204 and the Access-Control-Allow-* headers

    @app.before_request
    def require_token():
        """Exercise `interceptor`: every route but OPEN_PATHS needs a known bearer token.

        Missing, malformed (`Bearer` alone, another scheme) or unknown token: 401 JSON error
        with `WWW-Authenticate: Bearer`. A known token: its user goes on `g.user`.
        Unknown URLs and wrong methods keep their 404/405 (nothing to protect there).

        Rules:
        - [401-without-known-token] no token, `Bearer` alone or blank, another scheme, no
          scheme, extra text after the token, the token in another header, or an unknown
          token: 401 JSON error with `WWW-Authenticate: Bearer`.
        - [tokens-from-config] the known tokens are the config's `API_TOKENS`: the demo
          token is unknown when test_config passes others.
        - [known-token-sets-g-user] a known token passes and puts its user on `g.user`.
        - [scheme-case-insensitive] the scheme is read in any letter case (`bearer`).
        - [open-paths] /health, /login and /register need no token (/health answers
          {"status": "ok"}).
        - [others-protected] every other route (/me, /app-name, /boom) needs one.
        - [unknown-urls-404] an unknown URL stays a 404.
        - [never-500] no Authorization header makes it answer 500; every error is JSON.
        """
        return None  # TODO(interceptor): refuse requests without a known bearer token (401)


def register_after_hooks(app: Flask) -> None:
    """`after_request` hooks run in reverse order of registration, each handing the response
    on; `teardown_request` runs last of all, also when the view raised."""

    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        """Exercise `cors`: allow the request's `Origin` when it is in `CORS_ORIGINS`.

        Echo that one origin (never `*`) in `Access-Control-Allow-Origin` and add
        `Vary: Origin`, so a cache keeps one copy per origin. Other origins get no
        `Access-Control-Allow-Origin`: the browser then hides the response from the page.

        Rules:
        - [allowed-origin-echoed] an Origin in CORS_ORIGINS is echoed in
          `Access-Control-Allow-Origin` (on a 200, a protected route, a 404), with `Vary:
          Origin` and `Access-Control-Expose-Headers` listing X-Request-Id and X-Response-Time.
        - [foreign-origin-refused] any other origin (`null`, a longer host, upper case, http)
          gets no `Access-Control-Allow-Origin`.
        - [preflight-204] OPTIONS on any route answers 204 without a token, with
          `Access-Control-Allow-Methods`, `-Allow-Headers` naming Authorization and
          `-Max-Age` (whole seconds > 0); `-Allow-Origin` only for an allowed origin.
        - [no-wildcard] `Access-Control-Allow-Origin` is never `*`.
        - [never-500] no Origin makes it answer 500.
        """
        # TODO(cors): echo an allowed Origin in Access-Control-Allow-Origin, add Vary: Origin
        return response

    @app.after_request
    def stamp_response(response: Response) -> Response:
        """Exercise `timing`: add `X-Response-Time` (ms, e.g. `1.234`) and `X-Request-Id`."""
        # TODO(timing): set X-Response-Time (from g's start) and X-Request-Id
        return response

    @app.teardown_request
    def log_teardown(exc: BaseException | None) -> None:
        """Exercise `teardown`: append `{"path", "error"}` to `app.extensions["teardown_log"]`.

        `error` is the exception's class name or None. Flask passes `exc` only for an
        exception nobody handled; once the global error handler answered, `exc` is None and
        the handler's copy on `g.error` tells what happened.

        Rules:
        - [logs-request] after a request, the log's last entry is {"path": <its path>, "error": None}.
        - [logs-exception-class] after a view raised (and the error handler answered 500),
          `error` is the exception's class name.
        - [http-errors-not-exceptions] a 404 is an answer, not a crash: its `error` is None.
        - [one-entry-per-request] one entry per request, in order.
        - [bounded-log] the log keeps only the newest TEARDOWN_LOG_LIMIT entries.
        - [never-500] no path makes it answer 500.
        """
        pass  # TODO(teardown): append {"path": ..., "error": ...} to the teardown log


def register_error_handler(app: Flask) -> None:
    # TODO(error_handler): register handle_exception below for every Exception
    def handle_exception(error: Exception) -> Response:
        """Exercise `error_handler`: unexpected exceptions become a JSON 500.

        A handler for `Exception` also receives every HTTPException (404, 405, 401...): those
        keep their own status, answered as JSON. Anything else is logged with its traceback
        (`app.logger.exception`), kept on `g.error` for the teardown log, and answered with a
        500 whose message does not leak the exception's text.

        Rules:
        - [json-500-leaks-nothing] an unexpected exception answers 500 {"error": "internal
          server error", "message": ...}, is logged with its traceback, and its text is not in
          the body.
        - [http-errors-keep-status] HTTP errors (404, 405, 400, 403, 409, 418) keep their status,
          as the JSON error body.
        - [405-keeps-allow] a 405 keeps its `Allow` header.
        - [never-500] no URL or method gets a non-JSON error.
        """
        # TODO(error_handler): write this part; the docstring above has the contract. Stuck? `python -m track hint 5`
        raise NotImplementedError("TODO(error_handler)")


def register_routes(app: Flask) -> None:
    @app.get("/health")
    def health():
        """Open to everyone (on the allow-list): a load balancer polls it without a token."""
        return {"status": "ok"}

    @app.route("/login", methods=["GET", "POST"])
    def login():
        """On the allow-list: a stand-in for the source material's login page."""
        return {"page": "login", "message": "open to everyone: no token needed"}

    @app.route("/register", methods=["GET", "POST"])
    def register():
        """On the allow-list: a stand-in for the source material's sign-up page."""
        return {"page": "register", "message": "open to everyone: no token needed"}

    @app.get("/me")
    def me():
        """Exercise `g_user`: answer `{"username": <g.user>}`, the user the interceptor found.

        Rules:
        - [me-from-g] GET /me answers {"username": g.user}: the user on `g`, not one looked up
          again from the token.
        """
        # TODO(g_user): write this part; the docstring above has the contract. Stuck? `python -m track hint 5`
        raise NotImplementedError("TODO(g_user)")

    @app.get("/app-name")
    def app_name():
        """Exercise `contexts`: answer `{"name": current_app.name}`."""
        # TODO(contexts): write this part; the docstring above has the contract. Stuck? `python -m track hint 5`
        raise NotImplementedError("TODO(contexts)")

    @app.get("/boom")
    def boom():
        """Always fails: the global error handler must answer 500 without this text."""
        raise RuntimeError("the database password is hunter2")
