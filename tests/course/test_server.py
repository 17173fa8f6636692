"""The course's gevent server (track/learner/server.py) turns Nagle's algorithm off on every connection.

Read back, never timed: TCP_NODELAY on the socket gevent's `WSGIServer.handle` is handed,
so a busy machine cannot change the verdict.
"""
from __future__ import annotations

import socket
import sys

import requests
from gevent.pywsgi import WSGIServer

from track.walkthrough.live import live_server
from track.learner.server import NoDelayWSGIServer

# `python -m track run 1 --solution --port 0`, with gevent's WSGIServer.handle appending
# "on" or "off" (TCP_NODELAY of the socket it is handed) to the file named by argv[1].
RECORDING_RUN = """
import runpy, socket, sys
from gevent.pywsgi import WSGIServer

record, handle = sys.argv[1], WSGIServer.handle

def recording_handle(server, sock, address):
    with open(record, "a") as found:
        found.write("on\\n" if sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) else "off\\n")
    handle(server, sock, address)

WSGIServer.handle = recording_handle
sys.argv = ["track", "run", "1", "--solution", "--port", "0"]
runpy.run_module("track", run_name="__main__")
"""


def nodelay(sock: socket.socket) -> bool:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_no_delay_server_sets_tcp_nodelay_before_gevent_handles(monkeypatch):
    """NoDelayWSGIServer.handle on a real accepted socket, in this process."""
    handed: list[bool] = []
    monkeypatch.setattr(WSGIServer, "handle", lambda server, sock, address: handed.append(nodelay(sock)))
    server = NoDelayWSGIServer(("127.0.0.1", 0), lambda environ, start_response: [])
    with socket.create_server(("127.0.0.1", 0)) as listener, socket.create_connection(listener.getsockname()):
        accepted, address = listener.accept()
        with accepted:
            server.handle(accepted, address)
    assert handed == [True], f"gevent's WSGIServer.handle got TCP_NODELAY {handed} (expected [True]): set it, then super()."


def test_track_run_serves_with_nagle_off(tmp_path):
    """The real path: `track run` picks NoDelayWSGIServer, and the socket it accepts has TCP_NODELAY."""
    record = tmp_path / "nodelay.txt"
    with live_server([sys.executable, "-c", RECORDING_RUN, str(record)]) as url:
        assert requests.get(f"{url}/", timeout=5).text == "Hello, World!"
    # Written before the request was even read, so complete once the answer came back.
    found = record.read_text().split() if record.exists() else []
    assert found and set(found) == {"on"}, f"TCP_NODELAY on the sockets `track run` accepted: {found} (expected on)."
