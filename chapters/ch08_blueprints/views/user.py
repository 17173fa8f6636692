"""The `user` blueprint, mounted at /user, with its own `views/templates/` folder."""
from flask import Blueprint, Response, g, render_template, request, url_for

USERS = ("alice", "bob", "小明")

# TODO(template_priority): give the blueprint its own template folder (views/templates/).
bp = Blueprint("user", __name__)


@bp.get("/user_list")
def user_list():
    """Exercise `render`: GET /user/user_list renders `user_list.html` with `users`.

    Two files carry that name (templates/ and views/templates/); which one wins is exercise
    `template_priority`'s lesson. Pass the tuple `USERS` as `users`.
    """
    # TODO(render): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(render)")


@bp.get("/profile")
def profile():
    """Exercise `template_priority`: GET /user/profile renders `profile.html` with `name`
    (query string `name`, default `alice`).

    profile.html exists only in views/templates/: Flask finds it only when the blueprint
    was given that folder.

    Rules:
    - [blueprint-template-folder] the `user` blueprint has its own template folder.
    - [global-template-wins] for user_list.html, which both folders have, the app's
      templates/ wins.
    - [profile-from-blueprint] GET /user/profile renders views/templates/profile.html, which
      shows `Profile of <name>` (escaped; `alice` without `?name=`).
    - [never-500] no name makes it answer 500.
    """
    # TODO(template_priority): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(template_priority)")


@bp.get("/links")
def links():
    """Exercise `url_for`: GET /user/links answers
    `{"list": url_for(".user_list"), "login": url_for("auth.login")}`.

    `.user_list` is relative: "the endpoint `user_list` of the blueprint handling this
    request", so it follows the blueprint wherever (and under whatever name) it is mounted.
    Another blueprint's endpoint needs its full name, `auth.login`.

    Rules:
    - [links] GET /user/links answers the URLs url_for builds for `user.user_list` and `auth.login`.
    - [relative-endpoint] mounted again as `people` at /people, /people/links answers
      /people/user_list for `list`: build it with the relative name `.user_list`.
    """
    # TODO(url_for): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(url_for)")


# TODO(scoped_hooks): register this as the blueprint's before_request hook.
def remember_blueprint() -> None:
    """Exercise `scoped_hooks`: before every request of this blueprint (and only those),
    keep the name of the blueprint handling it on `g.blueprint`."""
    # TODO(scoped_hooks): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(scoped_hooks)")


# TODO(scoped_hooks): register this as the blueprint's after_request hook.
def mark_response(response: Response) -> Response:
    """Exercise `scoped_hooks`: add `X-Blueprint: <g.blueprint>` to this blueprint's responses.

    A before_request hook cannot touch the response (there is none yet): it leaves the
    name on `g`, and this hook, which receives the response, writes the header.

    Rules:
    - [marks-user-responses] the user blueprint's pages answer `X-Blueprint: user`.
    - [only-user-responses] no other page carries X-Blueprint (not /, /login, /api/v1/ping,
      nor a 404): the hooks are the blueprint's, not the app's.
    - [name-on-g] after a user page, `g.blueprint` is `user`.
    - [auth-404-handler] /missing-user aborts with 404 and the auth blueprint's handler
      answers {"error": "user_not_found", "message": <the abort's description>}.
    - [other-404s-app-handler] every other 404 (an unknown URL, a view of another
      blueprint or of the app) gets the app's handler.
    - [never-500] no unknown URL makes it answer 500; every error is the JSON error body.
    """
    # TODO(scoped_hooks): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(scoped_hooks)")
