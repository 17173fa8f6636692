"""Two tickers started at once: socketio.sleep lets their ticks interleave, time.sleep does not.

Both background tasks send their ticks to one client, so its inbox shows the order in which
the server really sent them. Everything runs in this process, through the test client.
"""
import time

from flask import Flask, request
from flask_socketio import SocketIO


def ticks_in_order(pause_name: str) -> list[str]:
    app = Flask(__name__)
    socketio = SocketIO(app, async_mode="gevent")
    pause = {"socketio.sleep": socketio.sleep, "time.sleep": time.sleep}[pause_name]

    def tick(sid: str, label: str) -> None:
        for n in range(1, 4):
            pause(0.01)
            socketio.emit("tick", f"{label}{n}", to=sid)

    @socketio.on("ticker")
    def ticker(label: str) -> None:
        socketio.start_background_task(tick, request.sid, label)   # returns at once

    client = socketio.test_client(app)
    client.emit("ticker", "a")
    client.emit("ticker", "b")
    received: list[str] = []
    while len(received) < 6:
        socketio.sleep(0.001)   # this test gives gevent's hub a turn; the tasks run then
        received += [item["args"][0] for item in client.get_received()]
    return received


for name in ("socketio.sleep", "time.sleep"):
    print(f"{name:<15} {' '.join(ticks_in_order(name))}")
