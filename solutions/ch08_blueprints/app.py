"""Chapter 8: the application factory and its blueprints.

The project is laid out as the source material's was: this factory, `views/` with one
blueprint per module, `templates/` for the whole app and `views/templates/` for the `user`
blueprint. Run it with `make chapter-8 run` or `flask --app chapters.ch08_blueprints.app run --debug`.
"""
from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from .views import api, auth, user


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app: config, the app-wide routes and handlers, then the blueprints.

    Exercise `factory`: register the blueprint `auth` without a prefix and `user` under
    `url_prefix="/user"`. Exercise `nested`: register `api` (which carries `v1` inside it).
    Registering is all this function does with them: the blueprints themselves were built
    once, when `views/` was imported, so calling `create_app` twice gives two working apps.
    The rules of `nested` are in the docstring of `ping()` in views/api.py; those of `factory`:

    Rules:
    - [registers-auth-and-user] the app has the blueprints `auth` and `user`.
    - [user-prefix] auth.login is at /login, user.user_list at /user/user_list, user.links at
      /user/links (and url_for builds them).
    - [independent-apps] a second create_app() gives another app with the same blueprints
      and none of the first one's routes.
    """
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index():
        """Not an exercise: which blueprints this app has (the stub serves it too)."""
        return {"blueprints": sorted(current_app.blueprints)}

    @app.errorhandler(404)
    def not_found(error: HTTPException):
        """The app-wide 404, for URLs that match no rule at all (no blueprint is involved)."""
        return {"error": "not_found", "message": f"Nothing lives at {request.path}."}, 404

    # SOLUTION factory
    app.register_blueprint(auth.bp)
    # The prefix is chosen where the blueprint is mounted, so the same blueprint could
    # live under /user in one app and /people in another.
    app.register_blueprint(user.bp, url_prefix="/user")
    # STUB
    # # TODO(factory): register auth.bp (no prefix) and user.bp under url_prefix="/user".
    # END SOLUTION
    # SOLUTION nested
    app.register_blueprint(api.bp)
    # STUB
    # # TODO(nested): register api.bp, which already carries its own url_prefix.
    # END SOLUTION
    return app
