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
    # SOLUTION login_redirect
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or not target.isprintable():
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
    # END SOLUTION


class InsufficientFunds(HTTPException):
    """Exercise `custom_exception`: the error POST /withdraw raises when the amount exceeds the balance.

    An HTTPException subclass with `code = 402` (Payment Required) and a `description`.
    """
    # SOLUTION custom_exception
    code = 402
    description = "The amount exceeds the balance."
    # STUB
    # # TODO(custom_exception): give this exception its status code (402) and a description.
    # END SOLUTION


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

    # SOLUTION error_handlers
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """404, 405, 400, ... and the 500 Flask makes of an unhandled exception, as JSON."""
        response = error.get_response()  # keeps the headers an error needs, such as Allow on a 405
        response.set_data(json.dumps({"error": error.name, "message": error.description}))
        response.content_type = "application/json"
        return response

    @app.errorhandler(500)
    def server_error(error):
        """The exception text stays in the log (Flask logged it already), never in the response."""
        return json_error(500, "Something went wrong on our side. It has been logged.")
    # STUB
    # # TODO(error_handlers): register error handlers so that 404, 405 and 500 answer
    # # JSON {"error": ..., "message": ...}; a 500 must not show the exception's text.
    # END SOLUTION

    @app.get("/old")
    def old_page():
        """Exercise `redirect`: GET /old answers 301 (moved permanently) to /new."""
        # SOLUTION redirect
        return redirect(url_for("new_page"), code=301)
        # END SOLUTION

    @app.get("/new")
    def new_page():
        return "new page"

    @app.get("/go/<name>")
    def go(name: str):
        """Exercise `url_for`: GET /go/<name> answers 302 to the URL of the endpoint `profile` for name."""
        # SOLUTION url_for
        return redirect(url_for("profile", name=name))  # 302 by default; url_for quotes the name
        # END SOLUTION

    @app.get("/profile/<name>")
    def profile(name: str):
        """Exercise `url_for`: GET /profile/<name> answers `profile of <name>`, the name HTML-escaped."""
        # SOLUTION url_for
        return f"profile of {escape(name)}"
        # END SOLUTION

    @app.get("/admin")
    def admin():
        """Exercise `login_redirect`: the admin page, for logged-in users only.

        Without a username in the session: 302 to /login?next=/admin. With one:
        `Welcome to admin page, <username>` (escaped).
        """
        # SOLUTION login_redirect
        username = session.get("username")
        if username is None:
            return redirect(url_for("login", next=request.path))
        return f"Welcome to admin page, {escape(username)}"
        # END SOLUTION

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
        # SOLUTION login_redirect
        username = request.form.get("username", "")
        if not username.strip():
            return json_error(400, "The form field 'username' is required.")
        session["username"] = username
        target = request.form.get("next") or request.args.get("next")
        # 302 after a POST: the browser follows with a GET, so a reload does not re-send the form.
        return redirect(target if is_local_path(target) else url_for("index"))
        # END SOLUTION

    @app.get("/")
    def index():
        return {"user": session.get("username")}

    @app.get("/users/<int:user_id>")
    def show_user(user_id: int):
        """Exercise `abort`: GET /users/<id> answers {"id": id, "name": name}; an unknown id → abort(404)."""
        # SOLUTION abort
        if user_id not in USERS:
            abort(404, f"There is no user {user_id}.")  # raises: nothing after it runs
        return {"id": user_id, "name": USERS[user_id]}
        # END SOLUTION

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
        # SOLUTION custom_exception
        try:
            amount = Decimal(request.form.get("amount", ""))
        except InvalidOperation:
            amount = None
        # is_finite() first: NaN and Infinity parse, and comparing a signalling NaN raises.
        if amount is None or not amount.is_finite() or amount <= 0:
            return json_error(400, "amount must be a number greater than 0, such as 12.50.")
        if amount > account["balance"]:
            raise InsufficientFunds(f"You asked for {amount} but the balance is {account['balance']}.")
        account["balance"] -= amount
        # Decimal keeps 100 - 0.1 - 0.2 exact; JSON gets a plain number.
        return {"balance": float(account["balance"])}
        # END SOLUTION

    # SOLUTION custom_exception
    @app.errorhandler(InsufficientFunds)
    def insufficient_funds(error: InsufficientFunds):
        """The most specific handler wins: this one, not a generic HTTPException handler."""
        return json_error(error.code, error.description)
    # STUB
    # # TODO(custom_exception): register an error handler for InsufficientFunds that answers
    # # the JSON error body with its status.
    # END SOLUTION

    return app
