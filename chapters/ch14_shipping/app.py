"""Chapter 14: a small books API made ready to ship.

Run it with `make chapter-14 run` or `flask --app chapters.ch14_shipping.app run --debug`.
APP_ENV picks the configuration (development, testing, production); DATABASE_URL picks the
database (else a SQLite file in the instance folder). The tables come from the migrations:
`flask --app chapters.ch14_shipping.app db upgrade` (`make chapter-14 run` applies them first).
In a container: `docker build -f chapters/ch14_shipping/Dockerfile .` (see the Dockerfile).
"""
import json
import logging
import os
import re
import sys
import time
import uuid
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, abort, g, request, url_for
from flask_migrate import Migrate
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import CONFIGS, DEV_SECRET_KEY
from .models import ISBN_LENGTH, TITLE_MAX, Book, db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# The ids are INTEGER columns: PostgreSQL refuses a number past this one instead of finding no row.
MAX_ID = 2**31 - 1
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # A JSON API loads no scripts, styles or frames: allow none, and let no page frame it.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
HSTS = "max-age=31536000; includeSubDomains"

# 12-factor logs: each record is one line on stdout, as it is; the platform collects the stream.
# One handler for every app of this module (logging.getLogger(name) is shared, and
# addHandler ignores a handler it already has).
STDOUT_LINES = logging.StreamHandler(sys.stdout)
STDOUT_LINES.setFormatter(logging.Formatter("%(message)s"))


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app: config, database and migrations, logs, hardening, the routes."""
    app = Flask(__name__)
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)
    db.init_app(app)
    Migrate(app, db, directory=str(MIGRATIONS))
    if app.config["APP_ENV"] == "testing":
        # A test's database is thrown away afterwards: tables straight from the models. Every
        # other database gets its tables from `flask db upgrade`, the migrations' history.
        with app.app_context():
            db.create_all()
    configure_logging(app)
    register_error_handlers(app)
    register_request_log(app)
    harden(app)
    register_books(app)
    register_health(app)

    @app.get("/")
    def index():
        """Not an exercise: which app and which configuration answer."""
        return {"app": "books", "environment": app.config["APP_ENV"]}

    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    """Exercise `config`: the configuration class by APP_ENV, then FLASK_* variables, then test_config.

    APP_ENV is `development` when unset, `testing` or `production`; any other value raises
    RuntimeError naming the allowed values. `app.config.from_prefixed_env()` then reads every
    FLASK_* variable (FLASK_SECRET_KEY sets SECRET_KEY). In production, a SECRET_KEY that is
    missing, empty or still DEV_SECRET_KEY raises RuntimeError saying SECRET_KEY must be set.

    Rules:
    - [app-env-picks-class] APP_ENV picks DevelopmentConfig (unset), TestingConfig or ProductionConfig
    - [unknown-app-env] any other APP_ENV raises RuntimeError naming development, testing and production
    - [prefixed-env] FLASK_* variables override the class (FLASK_SECRET_KEY sets SECRET_KEY); test_config overrides both
    - [production-settings] production: DEBUG off, SESSION_COOKIE_SECURE on
    - [production-secret-key] production with no SECRET_KEY or the development one raises RuntimeError naming SECRET_KEY
    - [database-url] DATABASE_URL sets SQLALCHEMY_DATABASE_URI, else a SQLite file in the instance folder
    """
    database = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(app.instance_path, "ch14_shipping.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = database
    app.config.from_object(CONFIGS["development"])  # TODO(config): the class named by APP_ENV, then FLASK_* variables
    if test_config:
        app.config.update(test_config)
    # TODO(config): refuse to start in production without a real SECRET_KEY.


def configure_logging(app: Flask) -> None:
    """The app's logger at INFO, writing plain lines to stdout (the tests keep pytest's capture)."""
    logger = logging.getLogger(app.name)  # app.logger is this logger; set it up before Flask adds its own handler
    logger.setLevel(logging.INFO)
    if not app.config["TESTING"]:
        logger.addHandler(STDOUT_LINES)


def error(status: int, name: str, message: str):
    """The course's JSON error body with its status."""
    return {"error": name, "message": message}, status


def register_error_handlers(app: Flask) -> None:
    """Every HTTP error as JSON; an unexpected exception as a JSON 500 without its text."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError):
        return error(500, "internal_server_error", "Something went wrong on our side.")


def register_request_log(app: Flask) -> None:
    """Exercise `logging`: one JSON line per request, tied to it by a request id.

    Before the view: the request id is the request's X-Request-ID when it is 1 to 64
    letters, digits or `-`, else a new `uuid.uuid4().hex`. After the view: the response
    carries it in X-Request-ID, and `app.logger.info` writes one line, a JSON object with
    "method", "path", "status" (int), "duration_ms" (number) and "request_id".

    Rules:
    - [one-json-line] each request logs exactly one record on app.logger whose message is a JSON object
    - [log-fields] the object has method, path, status (int), duration_ms (number >= 0) and request_id
    - [request-id-echoed] a valid X-Request-ID (1..64 letters, digits, -) comes back in the response's X-Request-ID and in the log
    - [request-id-replaced] a missing or invalid X-Request-ID is replaced by a new uuid4().hex, different for each request
    """

    @app.before_request
    def start_request_log():
        pass  # TODO(logging): keep the request id (valid X-Request-ID, else uuid4().hex) and the start time in g.

    @app.after_request
    def write_request_log(response):
        # TODO(logging): X-Request-ID on the response, and one JSON line on app.logger.
        return response


def harden(app: Flask) -> None:
    """Exercise `hardening`: what a public deployment adds to every response and request.

    Every response carries SECURITY_HEADERS; in production (APP_ENV "production") also
    `Strict-Transport-Security: max-age=31536000; includeSubDomains`. The app sits behind one
    proxy: `ProxyFix(app.wsgi_app, x_for=1, x_proto=1)`. Config.MAX_CONTENT_LENGTH is 1 MiB, so
    a larger body answers 413 with the JSON error body.

    Rules:
    - [security-headers] every response has X-Content-Type-Options, Referrer-Policy and Content-Security-Policy as listed
    - [hsts-in-production] Strict-Transport-Security only when APP_ENV is production
    - [proxy-one-hop] ProxyFix trusts the last X-Forwarded-For address and X-Forwarded-Proto, one hop only
    - [body-limit] a body over 1 MiB answers 413 with the JSON error body; 1 MiB itself is accepted
    """
    # TODO(hardening): ProxyFix for one proxy hop, and the security headers on every response.


def json_body() -> object:
    """The request's JSON, or None when the body is not JSON."""
    try:
        return request.get_json(silent=True)
    except RecursionError:  # "[" × 5,000 exhausts the parser; silent=True catches only ValueError
        return None


def storable(value: str) -> bool:
    """False for text no database stores: NUL (PostgreSQL refuses it) or a lone surrogate (not UTF-8)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def register_books(app: Flask) -> None:
    """The books API: list, create and read books."""

    @app.get("/books")
    def list_books():
        """Exercise `books`: GET /books → 200, a JSON list of {"id", "title", "isbn"} in id order.

        Rules:
        - [list-in-id-order] GET /books answers 200 with every book as {"id", "title", "isbn"}, by id
        """
        # TODO(books): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
        raise NotImplementedError("TODO(books)")

    @app.post("/books")
    def create_book():
        """Exercise `books`: POST /books with a JSON object {"title", "isbn"} → 201 and the book.

        title: a string of 1 to 200 characters; isbn: left out, null, or a string of exactly 13
        ASCII digits. The answer is the new book with a `Location: /books/<id>` header. A body
        that is not such an object (or text a database cannot store: NUL, lone surrogates) →
        400; an isbn another book has → 409. Both with the JSON error body.

        Rules:
        - [create-201-location] a good body answers 201 with {"id", "title", "isbn"} and Location /books/<id>
        - [bad-body-400] not a JSON object, a bad title or a bad isbn answers 400 with the JSON error body
        - [duplicate-isbn-409] an isbn that another book has answers 409 and stores nothing
        - [read-one] GET /books/<id> answers the book, or 404 with the JSON error body
        """
        # TODO(books): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
        raise NotImplementedError("TODO(books)")

    @app.get("/books/<int:book_id>")
    def get_book(book_id: int):
        """Exercise `books`: GET /books/<id> → 200 with the book, 404 when there is none."""
        # TODO(books): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
        raise NotImplementedError("TODO(books)")


def head_revisions() -> set[str]:
    """The newest revision(s) in migrations/: what an up-to-date database has applied."""
    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


def database_state() -> str:
    """Exercise `health`: "ok", "unreachable" or "migrations not applied", for /readyz."""
    return "ok"  # TODO(health): SELECT 1, then compare the applied revision with head_revisions()


def register_health(app: Flask) -> None:
    """Exercise `health`: liveness and readiness, for the platform that runs the container.

    GET /healthz → 200 {"status": "ok"} and never touches the database (the process is alive).
    GET /readyz → 200 {"status": "ready", "database": "ok"} when `SELECT 1` succeeds and the
    database is at the head revision of migrations/; else 503 {"status": "unavailable",
    "database": "unreachable"} or {"status": "unavailable", "database": "migrations not applied"}.
    Never a 500.

    Rules:
    - [healthz-liveness] GET /healthz answers 200 {"status": "ok"}, even when the database is unreachable
    - [readyz-ready] GET /readyz answers 200 {"status": "ready", "database": "ok"} on a database at the head revision
    - [readyz-unreachable] an unreachable database answers 503 {"status": "unavailable", "database": "unreachable"}
    - [readyz-not-migrated] a database with no revision or an older one answers 503 with "database": "migrations not applied"
    """

    @app.get("/healthz")
    def healthz():
        # TODO(health): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
        raise NotImplementedError("TODO(health)")

    @app.get("/readyz")
    def readyz():
        # TODO(health): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
        raise NotImplementedError("TODO(health)")
