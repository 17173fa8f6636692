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
    """
    # TODO(scoped_hooks): write this part; the docstring above has the contract. Stuck? `python -m track hint 8`
    raise NotImplementedError("TODO(scoped_hooks)")
