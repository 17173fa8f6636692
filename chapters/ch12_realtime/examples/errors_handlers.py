"""Three errors met inside Socket.IO handlers, raised for real with Flask-SocketIO's test client.

Run: python chapters/ch12_realtime/examples/errors_handlers.py
"""
from flask import Flask, request
from flask_socketio import SocketIO

app = Flask(__name__)
socketio = SocketIO(app, async_mode="threading")


@socketio.on("connect")
def connect(auth):
    return (auth or {}).get("token") == "right"  # False refuses the connection


@socketio.on("tick")
def tick():
    def ticker():
        try:
            print("the task sees sid", request.sid)  # no request here: the handler has returned
        except RuntimeError as error:
            print(f"RuntimeError: {str(error).splitlines()[0]}")

    socketio.start_background_task(ticker).join()


try:
    SocketIO(Flask(__name__), async_mode="eventlet")  # eventlet is not installed, on purpose
except ValueError as error:
    print(f"ValueError: {error}")

client = socketio.test_client(app, auth={"token": "right"})
client.emit("tick")

refused = socketio.test_client(app, auth={"token": "wrong"})
print("refused.is_connected():", refused.is_connected())
try:
    refused.get_received()
except RuntimeError as error:
    print(f"RuntimeError: {error}")
