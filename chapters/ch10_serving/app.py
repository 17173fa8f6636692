"""Chapter 10: what runs underneath Flask, and how to serve it for real.

Run it with your own `serve()`: `python -m chapters.ch10_serving.app [--server dev] [--port 0]`,
with the course's server: `make chapter-10 run`, or the production way:
`make chapter-10 serve-prod` (gunicorn with gevent workers, see gunicorn.conf.py).
"""
from __future__ import annotations

import argparse
import secrets
import signal
import socket
import threading
import time

import gevent
from flask import Flask, request
from gevent.pywsgi import WSGIServer
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import make_server

MAX_SLOW_MS = 5000
SERVERS = ("gevent", "dev")


def raw_app(environ, start_response):
    """Exercise `wsgi`: a WSGI application with no Flask at all.

    A WSGI server calls it once per request with the CGI-style `environ` dict and a
    `start_response(status, headers)` callable. Call `start_response("200 OK", [...])` with a
    `Content-Type: text/plain; charset=utf-8` and a `Content-Length` header, then return an
    iterable of bytes: the body `Hello, WSGI!`. Every path and method gets the same answer.
    """
    # TODO(wsgi): write this part; the docstring above has the contract. Stuck? `python -m track hint 10`
    raise NotImplementedError("TODO(wsgi)")


class RequestCounter:
    """Exercise `middleware`: WSGI middleware that counts the requests it passes on.

    `RequestCounter(wsgi_app)` is itself a WSGI app. Each call adds one to `self.count`,
    calls the wrapped app, and adds the header `X-Request-Count: <count, this request
    included>` to whatever the wrapped app answers (status, other headers and body unchanged).
    `create_app` installs it with `app.wsgi_app = RequestCounter(app.wsgi_app)`.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.count = 0
        # The dev server's threaded mode runs requests in parallel threads: `+=` on an
        # attribute is a read then a write, and two threads could read the same value.
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        # TODO(middleware): write this part; the docstring above has the contract. Stuck? `python -m track hint 10`
        raise NotImplementedError("TODO(middleware)")


def error(status: int, name: str, message: str):
    """The course's JSON error body, with `status` as the response code."""
    return {"error": name, "message": message}, status


def pause(seconds: float) -> None:
    """Exercise `concurrency`: wait `seconds` without blocking other requests.

    Under a gevent server every request runs in its own greenlet, all in one thread. A
    plain `time.sleep` would freeze that thread, and every other request with it — unless
    the process was monkey-patched, which a caller of `serve()` may not have done. Inside a
    gevent greenlet, yield to gevent's hub with `gevent.sleep`; anywhere else (the dev
    server, the test client) `time.sleep` is the right call.
    """
    # TODO(concurrency): this blocks the whole gevent server while it sleeps.
    time.sleep(seconds)


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    app = Flask(__name__)
    # TODO(production): read SECRET_KEY from the environment (FLASK_SECRET_KEY), else a random one.
    if test_config:
        app.config.update(test_config)
    # TODO(middleware): wrap app.wsgi_app in RequestCounter.
    # TODO(production): trust one proxy hop with werkzeug's ProxyFix.

    @app.get("/")
    def hello():
        """The hello world the benchmarks measure."""
        return "Hello, World!"

    @app.get("/whoami")
    def whoami():
        """Who the app thinks is calling: after ProxyFix, the address the proxy saw."""
        return {"ip": request.remote_addr, "scheme": request.scheme}

    @app.get("/slow")
    def slow():
        """Exercise `concurrency`: GET /slow?ms=200 waits 200 ms, then answers {"slept_ms": 200}.

        `ms` defaults to 200; anything but a whole number from 0 to MAX_SLOW_MS (5000) is a
        400 JSON error, and so is an `ms` of more than 4 digits (`05000` too), which must
        never reach int(). The wait goes through `pause()`, so that 50 concurrent requests
        on a gevent server take about 200 ms in total, not 50 × 200 ms.
        """
        raw = request.args.get("ms", "200")
        # TODO(concurrency): answer 400 JSON unless ms is a whole number from 0 to MAX_SLOW_MS.
        ms = int(raw)
        pause(ms / 1000)
        return {"slept_ms": ms}

    @app.get("/healthz")
    def healthz():
        """Exercise `production`: GET /healthz answers {"status": "ok"} for load balancers.

        The rest of the exercise is configuration: SECRET_KEY from FLASK_SECRET_KEY (via
        `app.config.from_prefixed_env()`, a random key when it is unset), ProxyFix for one
        proxy hop, debug off, and gunicorn.conf.py next to this file.
        """
        # TODO(production): write this part; the docstring above has the contract. Stuck? `python -m track hint 10`
        raise NotImplementedError("TODO(production)")

    return app
class NoDelayWSGIServer(WSGIServer):
    """gevent's WSGIServer with Nagle's algorithm off on every accepted connection."""

    # TODO(serve): override handle(self, sock, address) to set TCP_NODELAY, then call super().


def announce(host: str, port: int) -> None:
    """Print the line people (and the grader) wait for; flush, or a pipe sees it late."""
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving on http://{shown}:{port}  (Ctrl-C to stop)", flush=True)


def serve(app, host: str = "127.0.0.1", port: int = 5000, server: str = "gevent") -> None:
    """Exercise `serve`: serve any WSGI `app` until Ctrl-C or SIGTERM, then return.

    `server="gevent"`: a NoDelayWSGIServer (gevent, one greenlet per request).
    `server="dev"`: Werkzeug's development server with threading off (one request at a time,
    no reloader, no debugger) — `werkzeug.serving.make_server(host, port, app)`.
    Anything else: ValueError. Once the socket listens, print
    `Serving on http://HOST:PORT` with the real port (port 0 lets the OS pick a free one).
    """
    # TODO(serve): write this part; the docstring above has the contract. Stuck? `python -m track hint 10`
    raise NotImplementedError("TODO(serve)")


# TODO(serve): helpers for serve() may go here (one per server), or write it all in serve().


def main(argv: list[str] | None = None) -> None:
    """`python -m chapters.ch10_serving.app [--server dev] [--port 0] [--raw]`."""
    parser = argparse.ArgumentParser(description="Serve chapter 10 with your own serve().")
    parser.add_argument("--server", choices=SERVERS, default="gevent")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--raw", action="store_true", help="serve raw_app (no Flask) instead")
    args = parser.parse_args(argv)
    serve(raw_app if args.raw else create_app(), host=args.host, port=args.port, server=args.server)


if __name__ == "__main__":
    main()
