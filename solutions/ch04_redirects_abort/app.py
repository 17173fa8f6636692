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

    Rules:
    - [is-local-path-bool] `is_local_path` answers True or False (a bool, None included), True
      only for such a path.
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

    Rules:
    - [http-exception-402] InsufficientFunds subclasses HTTPException with `code = 402`.
    - [default-description] raised without a text, it still answers a non-blank message
      (its `description`).
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
    # # The rules, one by one, are in the docstring of `boom()` below.
    # END SOLUTION

    @app.get("/old")
    def old_page():
        """Exercise `redirect`: GET /old answers 301 (moved permanently) to /new.

        Rules:
        - [moved-301] GET /old answers 301 with `Location: /new`.
        - [reaches-new] following the redirect reaches `new page`.
        """
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
        """Exercise `url_for`: GET /profile/<name> answers `profile of <name>`, the name HTML-escaped.

        Rules:
        - [go-302-url-for] GET /go/<name> answers 302 to exactly what `url_for("profile",
          name=name)` builds (quoted: spaces, `<`, `%`, Chinese).
        - [profile-escaped] following it answers `profile of <name>` with the name HTML-escaped.
        - [never-500] no name makes it answer 500.
        """
        # SOLUTION url_for
        return f"profile of {escape(name)}"
        # END SOLUTION

    @app.get("/admin")
    def admin():
        """Exercise `login_redirect`: the admin page, for logged-in users only.

        Without a username in the session: 302 to /login?next=/admin. With one:
        `Welcome to admin page, <username>` (escaped).

        Rules:
        - [admin-needs-login] without a login, GET /admin answers 302 to /login?next=/admin,
          whose page says `Please login first`.
        - [username-escaped] the admin page shows the username HTML-escaped.
        - [browser-flow] following /admin's redirect and posting a username to that URL
          lands on the admin page.
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

        Rules:
        - [login-sets-session] POST /login answers 302 to `next` and the session holds the
          user: GET /admin then welcomes them.
        - [next-form-or-query] `next` comes from the form, else from the query string; the
          form's wins.
        - [local-next-followed] a local `next` (`/admin?tab=2`, `/users/1#top`) is followed as is.
        - [unsafe-next-home] any other `next` (`//evil.example`, `https://...`, `/\\evil`,
          `javascript:`, a tab or newline, empty) redirects to `/`.
        - [blank-username-400] a missing or blank username is a 400 JSON error, and nobody
          is logged in.
        - [never-500] no form makes it (or the admin page after it) answer 500.
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
        """Exercise `abort`: GET /users/<id> answers {"id": id, "name": name}; an unknown id → abort(404).

        Rules:
        - [known-users] every user of USERS answers {"id", "name"}.
        - [unknown-404] an unknown id (0, 3, -1, huge, not a number) is a 404.
        - [never-500] no id makes it answer 500.
        """
        # SOLUTION abort
        if user_id not in USERS:
            abort(404, f"There is no user {user_id}.")  # raises: nothing after it runs
        return {"id": user_id, "name": USERS[user_id]}
        # END SOLUTION

    @app.get("/boom")
    def boom():
        """Raises on purpose: Exercise `error_handlers` turns it into a JSON 500 without the text.

        The exercise's handlers (in create_app) answer every error with the JSON error body.

        Rules:
        - [404-json] an unknown URL is a 404 with the JSON error body, which never repeats the URL.
        - [405-json-allow] a refused method is a 405 JSON error that keeps its `Allow` header.
        - [keeps-status] every other HTTP error (400, 403, 409, 418, 501, 503) keeps its status
          and answers the JSON error body.
        - [500-hides-exception] this view answers a 500 JSON error that shows nothing of the
          exception (no text, no traceback, no class name).
        - [never-500] no URL or method makes the app answer a non-JSON error.
        """
        raise RuntimeError("secret detail: the database password is hunter2")

    @app.post("/withdraw")
    def withdraw():
        """Exercise `custom_exception`: POST /withdraw form `amount` takes money from the balance.

        `amount` is a decimal number > 0 (else 400 JSON error). More than the balance raises
        InsufficientFunds (402 JSON error); otherwise 200 {"balance": <new balance>}.

        Rules:
        - [lowers-balance] each withdrawal answers the balance left, starting from 100.
        - [exact-decimals] amounts are exact decimals: 100 - 0.1 - 0.2 is 99.7, not 99.69999.
        - [whole-balance] the whole balance can be withdrawn (balance 0).
        - [too-much-402] more than the balance is a 402 JSON error and changes nothing.
        - [bad-amount-400] a missing amount, or one that is not a finite decimal above 0
          (`abc`, `0`, `-5`, `NaN`, `Infinity`, `1,5`, `0x10`), is a 400 and changes nothing.
        - [balance-per-app] each app built by create_app has its own balance.
        - [never-500] no amount makes it answer 500; every error is the JSON error body.
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
