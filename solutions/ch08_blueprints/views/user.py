"""The `user` blueprint, mounted at /user, with its own `views/templates/` folder."""
from flask import Blueprint, Response, g, render_template, request, url_for

USERS = ("alice", "bob", "小明")

# SOLUTION template_priority
# template_folder is relative to this module's folder (views/). Flask searches the app's
# templates/ first and the blueprints' folders after, so a global file of the same name wins.
bp = Blueprint("user", __name__, template_folder="templates")
# STUB
# # TODO(template_priority): give the blueprint its own template folder (views/templates/).
# bp = Blueprint("user", __name__)
# END SOLUTION


@bp.get("/user_list")
def user_list():
    """Exercise `render`: GET /user/user_list renders `user_list.html` with `users`.

    Two files carry that name (templates/ and views/templates/); which one wins is exercise
    `template_priority`'s lesson. Pass the tuple `USERS` as `users`.
    """
    # SOLUTION render
    return render_template("user_list.html", users=USERS)
    # END SOLUTION


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
    # SOLUTION template_priority
    return render_template("profile.html", name=request.args.get("name", "alice"))
    # END SOLUTION


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
    # SOLUTION url_for
    return {"list": url_for(".user_list"), "login": url_for("auth.login")}
    # END SOLUTION


# SOLUTION scoped_hooks
@bp.before_request
# STUB
# # TODO(scoped_hooks): register this as the blueprint's before_request hook.
# END SOLUTION
def remember_blueprint() -> None:
    """Exercise `scoped_hooks`: before every request of this blueprint (and only those),
    keep the name of the blueprint handling it on `g.blueprint`."""
    # SOLUTION scoped_hooks
    g.blueprint = request.blueprint
    # END SOLUTION


# SOLUTION scoped_hooks
@bp.after_request
# STUB
# # TODO(scoped_hooks): register this as the blueprint's after_request hook.
# END SOLUTION
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
    # SOLUTION scoped_hooks
    response.headers["X-Blueprint"] = g.blueprint
    return response
    # END SOLUTION
