"""abort() raises into Flask, not into the web server: the server only ever receives a response."""
from flask import Flask, abort
from werkzeug.test import create_environ, run_wsgi_app

app = Flask(__name__)


@app.get("/users/<int:user_id>")
def user(user_id):
    abort(404, f"There is no user {user_id}.")


@app.errorhandler(404)
def not_found(error):
    # Flask's full_dispatch_request caught the NotFound and called this handler.
    return {"error": "Not Found", "message": error.description}, 404


# Call the app the way a WSGI server does: environ in, status, headers and body out.
body, status, headers = run_wsgi_app(app, create_environ("/users/42"))
print("the server received:", status, headers["Content-Type"], b"".join(body).decode().strip())
assert status == "404 NOT FOUND"  # a status line and a body; no exception left the app
