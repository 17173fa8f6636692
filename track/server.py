"""Serving a chapter: gevent's WSGIServer by default, Flask's dev server with `--dev`."""
from __future__ import annotations

import ipaddress
import signal
import socket
import sys

from flask import Flask
from gevent.pywsgi import WSGIServer

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class NoDelayWSGIServer(WSGIServer):
    """`WSGIServer` with Nagle's algorithm off on every accepted socket.

    Plain pywsgi leaves Nagle on (gevent issue 1233): on a keep-alive connection each
    response then waits ~40 ms for the client's delayed ACK, ~23 requests/s instead of
    thousands. gunicorn sets TCP_NODELAY itself; here we do it by hand.
    """

    def handle(self, sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(sock, address)


def announce(host: str, port: int) -> None:
    """The line `track demo` and the tests wait for; flushed so a pipe sees it at once."""
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving on http://{shown}:{port}  (Ctrl-C to stop)", flush=True)


def serve_gevent(app: Flask, host: str, port: int) -> None:
    server = NoDelayWSGIServer((host, port), app)
    server.init_socket()
    announce(host, server.server_port)
    # SIGTERM (from `kill`, a test or a process manager) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: server.stop(timeout=1))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop(timeout=1)
    print("Server stopped.", flush=True)


def serve_dev(app: Flask, host: str, port: int) -> None:
    """Flask's development server: reloader and debugger, for this laptop only."""
    if not is_loopback(host):
        sys.exit(
            f"Refusing --dev on {host}: the Werkzeug debugger runs any Python code typed into the "
            "browser. Use 127.0.0.1 for --dev, or drop --dev to serve with gevent."
        )
    app.run(host=host, port=port, debug=True, use_reloader=True)


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, dev: bool = False) -> None:
    if not is_loopback(host):
        print(f"Warning: serving on {host} makes the app reachable from other machines.", file=sys.stderr)
    (serve_dev if dev else serve_gevent)(app, host, port)
