"""A global errorhandler(Exception) also receives 404 and 405: let them keep their status."""
from flask import Flask
from werkzeug.exceptions import HTTPException


def build(keep_http_errors: bool) -> Flask:
    app = Flask("global_handler_demo")

    @app.errorhandler(Exception)
    def everything(error):
        if keep_http_errors and isinstance(error, HTTPException):
            return {"error": error.name.lower(), "message": error.description}, error.code
        return {"error": "internal server error", "message": "logged on the server"}, 500

    @app.get("/")
    def index():
        return "home"

    return app


for keep in (False, True):
    client = build(keep).test_client()
    label = "isinstance check" if keep else "naive handler  "
    print(f"{label}: GET /missing -> {client.get('/missing').status_code}, POST / -> {client.post('/').status_code}")
