"""The client's side of two refusals: a connect handler that says no, an origin not on the list.

A real server (Werkzeug's, in a thread: Flask-SocketIO's threading mode) and python-socketio's
client over long-polling. Run: python chapters/ch12_realtime/examples/errors_connect.py
"""
import logging
import threading

import socketio
from flask import Flask
from flask_socketio import ConnectionRefusedError, SocketIO
from werkzeug.serving import make_server

app = Flask(__name__)
sio = SocketIO(app, async_mode="threading", cors_allowed_origins=["http://chat.example"])


@sio.on("connect")
def connect(auth):
    if (auth or {}).get("token") != "right":
        body = {"error": "unauthorized", "message": "a wrong token"}
        raise ConnectionRefusedError(body["message"], body)  # as the chapter's report_error does


logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log: the answers are printed
server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}"
try:
    for what, origin, token in [("wrong token", "http://chat.example", "wrong"),
                                ("origin not allowed", "http://evil.example", "right"),
                                ("both right", "http://chat.example", "right")]:
        client = socketio.Client()
        client.on("connect_error", lambda data: print("  connect_error handler got:", data))
        try:
            client.connect(url, headers={"Origin": origin}, auth={"token": token}, transports=["polling"], wait_timeout=5)
            print(f"{what}: connected")
            client.disconnect()
        except socketio.exceptions.ConnectionError as error:
            print(f"{what}: {type(error).__module__}.{type(error).__name__}: {error}")
finally:
    server.shutdown()
