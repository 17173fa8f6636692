"""One echo event, sent twice: over long-polling (plain HTTP requests), then over a WebSocket.

The server is a child process (this file with `serve`): Flask-SocketIO on gevent's WSGIServer.
The client speaks the protocol by hand, so that every packet is printed as it travels:
Engine.IO packet types 0 open, 2 ping, 3 pong, 4 message; inside a message, Socket.IO's
0 connect, 2 event, 3 ack.
"""
import subprocess
import sys

import requests
import websocket
from flask import Flask
from flask_socketio import SocketIO
from gevent.pywsgi import WSGIServer


def serve() -> None:
    app = Flask(__name__)
    # A short ping interval, so that a heartbeat shows up below.
    socketio = SocketIO(app, async_mode="gevent", ping_interval=1)
    socketio.on_event("echo", lambda value: (value,))
    server = WSGIServer(("127.0.0.1", 0), app, log=None)
    server.init_socket()
    print(server.server_port, flush=True)
    server.serve_forever()


def long_polling(base: str) -> int:
    """Every packet is an HTTP request: GET waits for what the server has, POST carries ours."""
    http = requests.Session()
    requests_made = 0

    def send(method: str, body: str | None = None) -> str:
        nonlocal requests_made
        requests_made += 1
        response = http.request(method, url, data=body, timeout=10)
        print(f"  {method:<4} {'-> ' + body if body else '':<24} <- {response.text}")
        return response.text

    url = f"{base}/socket.io/?EIO=4&transport=polling"
    opened = send("GET")                          # 0{"sid": ..., "upgrades": ["websocket"], ...}
    url += "&sid=" + opened.split('"sid":"')[1].split('"')[0]
    send("POST", "40")                            # Socket.IO connect (no auth)
    send("GET")                                   # 40{"sid": ...}: connected
    send("POST", '421["echo","hi"]')              # event "echo", ack id 1
    send("GET")                                   # 431["hi"]: ack 1
    return requests_made


def web_socket(base: str) -> None:
    """One HTTP request upgrades the connection (101); after it, frames in both directions."""
    ws = websocket.create_connection(base.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                     suppress_origin=True, timeout=10)
    print(f"  GET ... Upgrade: websocket  <- {ws.getstatus()} Switching Protocols")
    for outgoing in [None, "40", '421["echo","hi"]']:
        if outgoing:
            ws.send(outgoing)
        print(f"  frame {'-> ' + outgoing if outgoing else '':<24} <- {ws.recv()}")
    ping = ws.recv()                              # "2": the server's heartbeat
    ws.send("3")                                  # "3": our pong
    print(f"  frame {'':<24} <- {ping}   (ping; we answer 3, pong)")
    ws.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    else:
        child = subprocess.Popen([sys.executable, __file__, "serve"], stdout=subprocess.PIPE, text=True)
        try:
            base = f"http://127.0.0.1:{int(child.stdout.readline())}"
            print("Long-polling:")
            count = long_polling(base)
            print(f"  ({count} HTTP requests for one echo)\n\nWebSocket:")
            web_socket(base)
        finally:
            child.terminate()
            child.wait()
            child.stdout.close()
