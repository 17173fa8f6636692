"""Serving a chapter: gevent's WSGIServer by default, Flask's dev server with `--dev`."""
from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import sys

from flask import Flask
from gevent.pywsgi import WSGIHandler, WSGIServer

from track.model.i18n import _

LOOPBACK_NAMES = {"localhost"}


class PortUnavailable(Exception):
    """The address cannot be bound: in use, or not ours to take."""

    def __init__(self, host: str, port: int, error: OSError):
        super().__init__(f"{host}:{port}: {error.strerror}")
        self.host, self.port = host, port
        self.in_use = error.errno == errno.EADDRINUSE


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class CourseHandler(WSGIHandler):
    """pywsgi's handler, closing the connection once a WebSocket on it has ended.

    After a WebSocket session (chapter 12) the app returns, but pywsgi would go on reading
    the socket as HTTP: the client's close frame is logged as a garbage request and the
    client waits ~3 s for a connection that never closes (RFC 6455 7.1.1: the server
    closes it first).
    """

    def handle_one_response(self):
        super().handle_one_response()
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            self.close_connection = True


class NoDelayWSGIServer(WSGIServer):
    """`WSGIServer` with Nagle's algorithm off on every accepted socket.

    Plain pywsgi leaves Nagle on (gevent issue 1233): on a keep-alive connection each
    response then waits ~40 ms for the client's delayed ACK, ~23 requests/s instead of
    thousands. gunicorn sets TCP_NODELAY itself; here we do it by hand.
    """

    handler_class = CourseHandler

    def handle(self, sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(sock, address)


def announce(host: str, port: int) -> None:
    """The line `track demo` and the tests wait for; flushed so a pipe sees it at once."""
    shown = f"[{host}]" if ":" in host else host
    # "Serving on URL" stays English whatever the language: track.walkthrough.live reads it to find the server.
    print(f"Serving on http://{shown}:{port}  " + _("(Ctrl-C to stop)"), flush=True)


def check_bindable(host: str, port: int) -> None:
    """Bind and release the address once, so a busy port is one clear message, not a traceback."""
    if port == 0:
        return
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError as error:
        raise PortUnavailable(host, port, error) from None


def serve_gevent(app: Flask, host: str, port: int) -> None:
    server = NoDelayWSGIServer((host, port), app)
    try:
        server.init_socket()
    except OSError as error:
        raise PortUnavailable(host, port, error) from None
    announce(host, server.server_port)
    # SIGTERM (from `kill`, a test or a process manager) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: server.stop(timeout=1))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop(timeout=1)
    print(_("Server stopped."), flush=True)


def serve_dev(app: Flask, host: str, port: int) -> None:
    """Flask's development server: reloader and debugger, for this laptop only."""
    if not is_loopback(host):
        sys.exit(_("Refusing --dev on {host}: the Werkzeug debugger runs any Python code typed into the "
                   "browser. Use 127.0.0.1 for --dev, or drop --dev to serve with gevent.").format(host=host))
    from werkzeug.serving import is_running_from_reloader

    if not is_running_from_reloader():  # the reloader's child finds the port held by its parent
        check_bindable(host, port)
    app.run(host=host, port=port, debug=True, use_reloader=True)


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, dev: bool = False) -> None:
    if not is_loopback(host):
        print(_("Warning: serving on {host} makes the app reachable from other machines.").format(host=host), file=sys.stderr)
    (serve_dev if dev else serve_gevent)(app, host, port)
