"""Chapter 4: redirects, url_for, abort, error handlers and a custom HTTPException.

Run it with `make chapter-4 run` (gevent) or `flask --app chapters.ch04_redirects_abort.app run --debug`.
"""
import json
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask import Flask, abort, redirect, request, session, url_for
from markupsafe import escape
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

USERS = {1: "alice", 2: "bob"}
STARTING_BALANCE = Decimal("100")


# --8<-- [start:errors]
def json_error(status: int, message: str):
    """The course's error body: ({"error": <HTTP reason>, "message": message}, status)."""
    return {"error": HTTP_STATUS_CODES[status], "message": message}, status
# --8<-- [end:errors]


def is_local_path(target: str | None) -> bool:
    """Exercise `login_redirect`: True only for a path on this site, such as `/admin?tab=2`.

    It must start with one `/` (not `//`, which browsers read as another host), carry no
    scheme, no host, no backslash (browsers treat `\\` like `/`) and no control character
    (browsers drop tabs and newlines, so `/\\t/evil.example` would become `//evil.example`).
    """
    # TODO(login_redirect): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
    raise NotImplementedError("TODO(login_redirect)")


class InsufficientFunds(HTTPException):
    """Exercise `custom_exception`: the error POST /withdraw raises when the amount exceeds the balance.

    An HTTPException subclass with `code = 402` (Payment Required) and a `description`.
    """
    # TODO(custom_exception): give this exception its status code (402) and a description.


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    app = Flask(__name__)
    # The session is a cookie signed with SECRET_KEY. "dev" is for this laptop only: a
    # deployed app reads a long random key from the environment (chapter 10).
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config:
        app.config.update(test_config)
    # Each app starts with its own balance; a dict so the views below can change it.
    account = {"balance": STARTING_BALANCE}

    # TODO(error_handlers): register error handlers so that 404, 405 and 500 answer
    # JSON {"error": ..., "message": ...}; a 500 must not show the exception's text.

    @app.get("/old")
    def old_page():
        """Exercise `redirect`: GET /old answers 301 (moved permanently) to /new."""
        # TODO(redirect): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(redirect)")

    @app.get("/new")
    def new_page():
        return "new page"

    @app.get("/go/<name>")
    def go(name: str):
        """Exercise `url_for`: GET /go/<name> answers 302 to the URL of the endpoint `profile` for name."""
        # TODO(url_for): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(url_for)")

    @app.get("/profile/<name>")
    def profile(name: str):
        """Exercise `url_for`: GET /profile/<name> answers `profile of <name>`, the name HTML-escaped."""
        # TODO(url_for): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(url_for)")

    @app.get("/admin")
    def admin():
        """Exercise `login_redirect`: the admin page, for logged-in users only.

        Without a username in the session: 302 to /login?next=/admin. With one:
        `Welcome to admin page, <username>` (escaped).
        """
        # TODO(login_redirect): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(login_redirect)")

    @app.get("/login")
    def login():
        return "Please login first"

    @app.post("/login")
    def do_login():
        """Exercise `login_redirect`: POST /login with form `username` (and `next`) logs the user in.

        Stores the username in the session, then 302s to `next` (from the form, else the
        query string) when `is_local_path(next)`, else to `/`. A missing or blank username
        is a 400 JSON error.
        """
        # TODO(login_redirect): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(login_redirect)")

    @app.get("/")
    def index():
        return {"user": session.get("username")}

    @app.get("/users/<int:user_id>")
    def show_user(user_id: int):
        """Exercise `abort`: GET /users/<id> answers {"id": id, "name": name}; an unknown id → abort(404)."""
        # TODO(abort): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(abort)")

    @app.get("/boom")
    def boom():
        """Raises on purpose: exercise `error_handlers` turns it into a JSON 500 without the text."""
        raise RuntimeError("secret detail: the database password is hunter2")

    @app.post("/withdraw")
    def withdraw():
        """Exercise `custom_exception`: POST /withdraw form `amount` takes money from the balance.

        `amount` is a decimal number > 0 (else 400 JSON error). More than the balance raises
        InsufficientFunds (402 JSON error); otherwise 200 {"balance": <new balance>}.
        """
        # TODO(custom_exception): write this part; the docstring above has the contract. Stuck? `python -m track hint 4`
        raise NotImplementedError("TODO(custom_exception)")

    # TODO(custom_exception): register an error handler for InsufficientFunds that answers
    # the JSON error body with its status.

    return app
