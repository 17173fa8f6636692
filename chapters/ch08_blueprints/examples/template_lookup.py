"""Which file render_template picks: the app's templates/ first, then each blueprint's folder."""
from pathlib import Path

from flask import Blueprint, Flask, render_template, template_rendered

CHAPTER = Path(__file__).resolve().parent.parent        # chapters/ch08_blueprints/

# The chapter's layout: templates/ for the app, views/templates/ for the user blueprint.
app = Flask("template_lookup_demo", template_folder=CHAPTER / "templates")
user = Blueprint("user", __name__, template_folder=CHAPTER / "views" / "templates")


@user.get("/user_list")
def user_list():
    return render_template("user_list.html", users=["ada"])


@user.get("/profile")
def profile():
    return render_template("profile.html", name="ada")


app.register_blueprint(user, url_prefix="/user")


def report(sender, template, context, **extra):
    print(f"  rendered {Path(template.filename).relative_to(CHAPTER)}")


template_rendered.connect(report, app)
print("the blueprint has its own copy of user_list.html:",
      (CHAPTER / "views" / "templates" / "user_list.html").is_file())
for path in ("/user/user_list", "/user/profile"):
    print(f"GET {path}")
    app.test_client().get(path)
