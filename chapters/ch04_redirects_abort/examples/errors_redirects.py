"""The errors redirects, url_for, abort and the session run into, each triggered for real."""
import traceback

from flask import Flask, abort, redirect, session, url_for
from werkzeug.routing import BuildError

app = Flask(__name__)
app.testing = True  # let exceptions reach this script instead of becoming a 500 page


@app.get("/post/<int:post_id>")
def post(post_id):
    return f"post {post_id}"


@app.get("/old")
def old():
    redirect(url_for("post", post_id=1))   # built the redirect, forgot to return it


@app.get("/login")
def login():
    session["user"] = "ann"   # the session is signed with SECRET_KEY, which is not set
    return "ok"


@app.get("/teapot")
def teapot():
    abort(299)   # abort only knows the error codes Werkzeug has an exception for


def show(error):
    """What the last line of a traceback says: the exception's full name and its message."""
    print("".join(traceback.format_exception_only(error)))


with app.test_request_context():
    try:
        url_for("post")   # the rule needs post_id
    except BuildError as error:
        show(error)

client = app.test_client()
for url in ["/old", "/login", "/teapot"]:
    try:
        client.get(url)
    except (TypeError, RuntimeError, LookupError) as error:
        show(error)
