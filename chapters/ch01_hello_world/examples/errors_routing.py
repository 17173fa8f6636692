"""The errors a first Flask app runs into, each triggered for real and printed as a learner sees it."""
import socket
import traceback

from flask import Flask, url_for
from gevent.pywsgi import WSGIServer
from werkzeug.routing import BuildError

app = Flask(__name__)


@app.get("/post/<int:post_id>")
def post(post_id):
    return {"post_id": post_id}


@app.get("/forgot")
def forgot():
    "Hello"   # no `return`: the view hands Flask None


def show(error):
    """What the last line of a traceback says: the exception's full name and its message."""
    print("".join(traceback.format_exception_only(error)))


# Two different functions under one endpoint name: refused while the app is being set up.
try:
    app.add_url_rule("/other", endpoint="post", view_func=lambda: "other")
except AssertionError as error:
    show(error)

app.testing = True  # let exceptions reach this script instead of becoming a 500 page
client = app.test_client()
# A URL no rule matches, and a method the matching rule does not allow: Flask answers itself.
print("GET /post/abc ->", client.get("/post/abc").status)
refused = client.put("/post/1")
print("PUT /post/1   ->", refused.status, "| Allow:", ", ".join(sorted(refused.allow)), "\n")

# A view that returns nothing is a programming error, so the test client re-raises it.
try:
    client.get("/forgot")
except TypeError as error:
    show(error)

# url_for works backwards from the endpoint name, so a typo fails when the URL is built.
with app.test_request_context():
    try:
        url_for("pots", post_id=1)
    except BuildError as error:
        show(error)

# A second server on a port that is already taken (usually: the first `run` still going).
taken = socket.create_server(("127.0.0.1", 0))
try:
    WSGIServer(taken.getsockname(), app, log=None).start()
except OSError as error:
    show(error)
finally:
    taken.close()
