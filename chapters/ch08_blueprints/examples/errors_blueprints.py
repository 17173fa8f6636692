"""The errors blueprints produce, each reproduced with a small app (not the chapter's)."""
from pathlib import Path

from flask import Blueprint, Flask, render_template, url_for
from jinja2 import TemplateNotFound
from werkzeug.routing import BuildError

# The chapter's blueprint templates: views/templates/ next to this examples/ folder.
BLUEPRINT_TEMPLATES = Path(__file__).resolve().parent.parent / "views" / "templates"


def user_blueprint(**options) -> Blueprint:
    bp = Blueprint("user", __name__, **options)

    @bp.get("/profile")
    def profile():
        return render_template("profile.html", name="ada")

    @bp.get("/user_list")
    def user_list():        # profile.html links here with url_for(".user_list")
        return "the list"

    return bp


def fresh_app(*blueprints: Blueprint) -> Flask:
    app = Flask("errors_blueprints_demo")
    app.testing = True      # let exceptions reach this script instead of becoming a 500 page
    for bp in blueprints:
        app.register_blueprint(bp, url_prefix="/user")
    return app


print("1. A blueprint's template, without template_folder:")
try:
    fresh_app(user_blueprint()).test_client().get("/user/profile")
except TemplateNotFound as error:
    print(f"  {type(error).__module__}.{type(error).__name__}: {error}")
fixed = fresh_app(user_blueprint(template_folder=BLUEPRINT_TEMPLATES)).test_client().get("/user/profile")
print(f"  with template_folder: {fixed.status}")

print("2. url_for with the function's name instead of the endpoint's:")
app = fresh_app(user_blueprint())
with app.test_request_context():
    try:
        url_for("profile")
    except BuildError as error:
        print(f"  {type(error).__module__}.{type(error).__name__}: {error}")
    print("  url_for('user.profile') ->", url_for("user.profile"))

print("3. url_for outside any request (a script, a CLI command) without SERVER_NAME:")
with app.app_context():
    try:
        url_for("user.profile")
    except RuntimeError as error:
        print(f"  RuntimeError: {error}")

print("4. Two blueprints with the same name on one app:")
try:
    fresh_app(user_blueprint(), user_blueprint())
except ValueError as error:
    print(f"  ValueError: {error}")

print("5. Nesting a blueprint inside create_app(), after the parent was registered once:")
api = Blueprint("api", __name__)
Flask("first_app").register_blueprint(api)
try:
    api.register_blueprint(Blueprint("v1", __name__))
except AssertionError as error:
    print(f"  AssertionError: {error.args[0].splitlines()[0]}")
