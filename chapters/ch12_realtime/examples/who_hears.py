"""Who receives an emit? Three clients, two of them in the room "lobby", and four ways to send."""
from flask import Flask
from flask_socketio import SocketIO, emit, join_room

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")


@socketio.on("join")
def join(room):
    join_room(room)


@socketio.on("send")
def send(how):
    if how == "emit()":
        emit("note", how)                   # inside a handler: answers the caller only
    elif how == "emit(to=room)":
        emit("note", how, to="lobby")       # everyone in the room, the caller included
    elif how == "emit(to=room, include_self=False)":
        emit("note", how, to="lobby", include_self=False)
    else:
        socketio.emit("note", how)          # the SocketIO object, no `to`: every client


@socketio.on("echo")
def echo(value):
    return value                            # the return value is the acknowledgement


clients = {name: socketio.test_client(app) for name in ("ada", "bob", "carol")}
clients["ada"].emit("join", "lobby")
clients["bob"].emit("join", "lobby")

for how in ("emit()", "emit(to=room)", "emit(to=room, include_self=False)", "socketio.emit()"):
    clients["ada"].emit("send", how)
    heard = [name for name, client in clients.items() if client.get_received()]
    print(f"ada sends with {how:<36} heard by: {', '.join(heard) or 'nobody'}")

# What comes back from `return value`: the test client hands back a lone argument as is
# and no arguments as []. A returned None is *no* argument: `return (value,)` keeps it.
for value in ("hi", [1, 2], None):
    print(f"echo {value!r:<8} acknowledged with {clients['ada'].emit('echo', value, callback=True)!r}")
