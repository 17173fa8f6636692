"""Chapter 12: a chat room on Flask-SocketIO, served by gevent with WebSocket.

Run it with `make chapter-12 run` (gevent's WSGIServer: HTTP, long-polling and WebSocket on
one port). Configuration comes from the environment through `app.config.from_prefixed_env()`:
FLASK_CHAT_TOKEN (the token clients connect with) and FLASK_SOCKETIO_CORS_ORIGINS (a JSON
list of the web origins whose pages may open a connection).
"""
import os

from flask import Flask, current_app, request
from flask_socketio import SocketIO
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.serving import is_running_from_reloader

from .chat import ChatNamespace, report_error
from .payloads import ChatError, clean_room, clean_text, field, room_key, same_secret

# Only for a laptop: anyone who reads this file knows it.
DEV_CHAT_TOKEN = "dev-chat-token"
# The pages that `make chapter-12 run` itself would serve; never "*" (any website).
DEFAULT_CORS_ORIGINS = ("http://127.0.0.1:5000", "http://localhost:5000")


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app with its own SocketIO object (`app.extensions["socketio"]`)."""
    app = Flask(__name__)
    app.json.ensure_ascii = False
    # --8<-- [start:config]
    app.config.from_mapping(
        CHAT_TOKEN=None,
        SOCKETIO_CORS_ORIGINS=list(DEFAULT_CORS_ORIGINS),
        TICK_SECONDS=0.1,  # the ticker's pace
        # gevent needs a gevent server (`make chapter-12 run`); Werkzeug's development
        # server runs each request in a thread of its own, so there it is threading.
        SOCKETIO_ASYNC_MODE="threading" if development_server() else "gevent",
    )
    # FLASK_CHAT_TOKEN becomes CHAT_TOKEN; values are parsed as JSON when they can be, so
    # FLASK_SOCKETIO_CORS_ORIGINS='["https://chat.example"]' arrives as a list.
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    check_config(app)
    # --8<-- [end:config]
    register_error_handlers(app)

    # One SocketIO object per app: init_app wraps app.wsgi_app, so that /socket.io/ requests
    # reach the Socket.IO server and every other path reaches Flask.
    socketio = SocketIO()
    # SOLUTION connect
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=app.config["SOCKETIO_CORS_ORIGINS"],
    )
    # STUB
    # # TODO(connect): only pages from the origins in SOCKETIO_CORS_ORIGINS may connect.
    # socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"])
    # END SOLUTION
    socketio.on_namespace(ChatNamespace())
    socketio.on_error_default(report_error)

    @app.get("/health")
    def health():
        """Not an exercise: the app is up."""
        return {"status": "ok"}

    @app.post("/rooms/<room>/announce")
    def announce(room: str):
        """Exercise `http_bridge`: POST JSON {"text"} with X-API-Key → the room gets `message`.

        The header `X-API-Key` must equal CHAT_TOKEN (`same_secret`), else 401; a bad room or
        a body that is not {"text": 1..500 characters} → 400 (a ChatError raised here is
        answered with 400 by the error handler). Everyone in the room receives `message`
        {"room", "text", "from": "server"} through the app's SocketIO object; answer 202
        with that message.

        Rules:
        - [room-receives] answers 202, and everyone in the room (no one else) receives
          `message` {"room", "text", "from": "server"}.
        - [any-room-name] any room name a URL can carry (Chinese too) works.
        - [key-required] without the exact X-API-Key: 401 {"error": "unauthorized", ...}, and
          nobody receives anything.
        - [key-checked-first] the key is checked before the body: a wrong key with a bad body is 401.
        - [bad-body-400] a body that is not {"text": 1..500 characters} (blank, too long, not a
          string, not JSON, not an object, nested too deep) is a 400 and nothing is sent.
        - [bad-room-400] a room of 65 characters, blank, with a line break or NUL is a 400.
        - [never-500] no request makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION http_bridge
        # The key first: a caller without it learns nothing, not even what a good body is.
        if not same_secret(request.headers.get("X-API-Key"), current_app.config["CHAT_TOKEN"]):
            return {"error": "unauthorized", "message": "Send the chat token in the X-API-Key header."}, 401
        message = {"room": clean_room(room), "text": clean_text(field(json_body(), "text")), "from": "server"}
        current_app.extensions["socketio"].emit("message", message, to=room_key(message["room"]))
        return message, 202
        # END SOLUTION

    return app


def development_server() -> bool:
    """Whether Werkzeug's development server, not gevent, will serve this app.

    `flask run` sets FLASK_RUN_FROM_CLI (Flask-SocketIO checks it too); the reloader that
    `make chapter-12 run DEV=1` starts sets WERKZEUG_RUN_MAIN in the serving process.
    """
    return bool(os.environ.get("FLASK_RUN_FROM_CLI")) or is_running_from_reloader()


def check_config(app: Flask) -> None:
    """The dev token when none is set; refuse to start on a setting that cannot be right."""
    if not app.config["CHAT_TOKEN"]:
        app.config["CHAT_TOKEN"] = DEV_CHAT_TOKEN
        app.logger.warning("FLASK_CHAT_TOKEN is not set: using the development token. Set it in the environment.")
    if not isinstance(app.config["CHAT_TOKEN"], str):
        # from_prefixed_env parses JSON: FLASK_CHAT_TOKEN=12345 arrives as the int 12345.
        raise ValueError("CHAT_TOKEN must be text: quote a numeric token, FLASK_CHAT_TOKEN='\"12345\"'.")
    origins = app.config["SOCKETIO_CORS_ORIGINS"]
    if not isinstance(origins, list | tuple) or not all(isinstance(o, str) for o in origins) or "*" in origins:
        raise ValueError('SOCKETIO_CORS_ORIGINS must be a list of origins such as ["https://chat.example"], never "*".')


def json_body():
    """The request's JSON, or None for a body that is not JSON (or nested too deep to parse)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:  # "[[[[...]]]]": silent=True does not cover it
        return None


def register_error_handlers(app: Flask) -> None:
    """Every HTTP error as the course's JSON body; a ChatError from a view is a 400."""

    @app.errorhandler(ChatError)
    def bad_request(error: ChatError):
        return error.body, 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return {"error": (error.name or "error").lower().replace(" ", "_"), "message": error.description or ""}, error.code

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        # Flask has logged the traceback; the client learns nothing about it.
        return {"error": "internal_server_error", "message": "Something went wrong on our side."}, 500
