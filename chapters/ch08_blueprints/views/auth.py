"""The `auth` blueprint: mounted without a prefix, so its URLs sit at the root (/login)."""
from flask import Blueprint, abort, render_template, request
from werkzeug.exceptions import NotFound

# No template_folder: login.html is found in the app's global templates/ folder.
bp = Blueprint("auth", __name__)


@bp.get("/login")
def login():
    """Exercise `render`: GET /login renders `login.html` with `msg`.

    `msg` comes from the query string (`/login?msg=Welcome`), default `Please log in.`;
    Jinja escapes it, so `?msg=<b>hi` shows the text `<b>hi`, not bold.

    Rules:
    - [login-template] GET /login renders login.html with msg `Please log in.` and shows it.
    - [msg-from-query] `?msg=` is shown instead, escaped by Jinja (`<b>` comes back as text).
    - [user-list-template] GET /user/user_list renders user_list.html with `users=USERS`, and
      the page names every user.
    - [never-500] no msg makes it answer 500.
    """
    # TODO(render): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(render)")


@bp.get("/missing-user")
def missing_user():
    """Not an exercise: a view of this blueprint that aborts, for `scoped_hooks`."""
    abort(404, description="There is no such user.")


# TODO(scoped_hooks): register this as the blueprint's own 404 handler.
def user_not_found(error: NotFound):
    """Exercise `scoped_hooks`: a 404 raised by an `auth` view answers JSON
    `{"error": "user_not_found", "message": <the abort's description>}`.

    `bp.errorhandler` only sees errors raised in this blueprint's views; an unknown URL
    matched no view at all, so it still gets the app's own 404 (`app.py`). A handler for
    the whole app registered from a blueprint would be `bp.app_errorhandler`.
    """
    # TODO(scoped_hooks): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(scoped_hooks)")
