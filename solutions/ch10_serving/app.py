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

    Rules:
    - [hello-wsgi] every path and method: `200 OK`, `Content-Type: text/plain`, body `Hello, WSGI!`.
    - [content-length] `Content-Length` is the body's length.
    - [wsgi-spec] wsgiref's validator accepts it.
    - [not-flask] raw_app is a plain WSGI callable, not a Flask app.
    - [runs-under-gevent] gevent's WSGIServer serves it.
    """
    # SOLUTION wsgi
    body = b"Hello, WSGI!"
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response("200 OK", headers)
    # A list, not a bare bytes object: the server iterates the body, and iterating bytes
    # would yield ints, one per byte.
    return [body]
    # END SOLUTION


class RequestCounter:
    """Exercise `middleware`: WSGI middleware that counts the requests it passes on.

    `RequestCounter(wsgi_app)` is itself a WSGI app. Each call adds one to `self.count`,
    calls the wrapped app, and adds the header `X-Request-Count: <count, this request
    included>` to whatever the wrapped app answers (status, other headers and body unchanged).
    `create_app` installs it with `app.wsgi_app = RequestCounter(app.wsgi_app)`.

    Rules:
    - [counts-and-adds-header] request n carries `X-Request-Count: n`, and `self.count` is n.
    - [passes-answer-through] the wrapped app's status, headers and body pass unchanged.
    - [installed-by-create-app] create_app installs it: every answer, a 404 too, carries the header.
    - [count-per-app] each app counts on its own, from 1.
    - [still-flask] create_app still returns the Flask app: wrap `app.wsgi_app`, not `app`.
    - [never-500] no header or path makes it answer 500 or lose the header.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.count = 0
        # The dev server's threaded mode runs requests in parallel threads: `+=` on an
        # attribute is a read then a write, and two threads could read the same value.
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        # SOLUTION middleware
        with self._lock:
            self.count += 1
            number = self.count

        def start_response_with_count(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Request-Count", str(number))], exc_info)

        return self.wsgi_app(environ, start_response_with_count)
        # END SOLUTION


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

    Rules:
    - [time-sleep-outside-gevent] outside a greenlet, `pause(0.25)` calls `time.sleep(0.25)`.
    - [overlap-under-gevent] on a plain gevent WSGIServer (no monkey-patching), a second
      request is served while the first one waits.
    """
    # SOLUTION concurrency
    if isinstance(gevent.getcurrent(), gevent.Greenlet):
        gevent.sleep(seconds)
    else:
        time.sleep(seconds)
    # STUB
    # # TODO(concurrency): this blocks the whole gevent server while it sleeps.
    # time.sleep(seconds)
    # END SOLUTION


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    app = Flask(__name__)
    # SOLUTION production
    # FLASK_SECRET_KEY in the environment becomes SECRET_KEY (any FLASK_* variable does).
    app.config.from_prefixed_env()
    if not app.config.get("SECRET_KEY"):
        # Never a key written in the code: anyone who reads the code could sign sessions.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.logger.warning("FLASK_SECRET_KEY is not set: using a random key that lasts as long "
                           "as this process (sessions break on restart and across workers).")
    # STUB
    # # TODO(production): read SECRET_KEY from the environment (FLASK_SECRET_KEY), else a random one.
    # END SOLUTION
    if test_config:
        app.config.update(test_config)
    # SOLUTION middleware
    app.wsgi_app = RequestCounter(app.wsgi_app)
    # STUB
    # # TODO(middleware): wrap app.wsgi_app in RequestCounter.
    # END SOLUTION
    # SOLUTION production
    # Exactly one reverse proxy sits in front: trust one X-Forwarded-For / -Proto hop, the
    # one our proxy appended. Anything further left was written by the client.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    # STUB
    # # TODO(production): trust one proxy hop with werkzeug's ProxyFix.
    # END SOLUTION

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

        Rules:
        - [waits-ms] GET /slow?ms=N calls `pause(N / 1000)` once and answers {"slept_ms": N};
          without ms, N is 200.
        - [bad-ms-400] anything but a whole number from 0 to 5000 in ASCII digits (`abc`, `-1`,
          `5001`, `1.5`, empty, ` 5`, `1e3`, `²`, thousands of digits) is a 400 with "error":
          "bad_request", and nothing waits.
        - [never-500] no ms makes it answer 500; every error is the JSON error body.
        """
        raw = request.args.get("ms", "200")
        # SOLUTION concurrency
        # isdigit() alone accepts "²" and "٣"; isascii() keeps it to 0-9. The length before
        # int(): it raises ValueError past 4,300 digits, and no valid ms is longer than 5000.
        if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_SLOW_MS)) or int(raw) > MAX_SLOW_MS:
            return error(400, "bad_request", f"ms must be a whole number from 0 to {MAX_SLOW_MS}, got {raw!r}")
        # STUB
        # # TODO(concurrency): answer 400 JSON unless ms is a whole number from 0 to MAX_SLOW_MS.
        # END SOLUTION
        ms = int(raw)
        pause(ms / 1000)
        return {"slept_ms": ms}

    @app.get("/healthz")
    def healthz():
        """Exercise `production`: GET /healthz answers {"status": "ok"} for load balancers.

        The rest of the exercise is configuration: SECRET_KEY from FLASK_SECRET_KEY (via
        `app.config.from_prefixed_env()`, a random key when it is unset), ProxyFix for one
        proxy hop, debug off, and gunicorn.conf.py next to this file.

        Rules:
        - [healthz] GET /healthz answers {"status": "ok"}.
        - [secret-key-from-env] SECRET_KEY comes from FLASK_SECRET_KEY; test_config still wins.
        - [random-key-warning] without FLASK_SECRET_KEY each app gets a random key of at least
          32 characters and the app logs a WARNING (and nothing when the variable is set).
        - [debug-off] create_app() leaves debug off.
        - [one-proxy-hop] behind one proxy: the client's IP is the last X-Forwarded-For hop,
          and `X-Forwarded-Proto: https` makes the scheme https.
        - [gunicorn-conf] gunicorn.conf.py binds 127.0.0.1:$PORT (8000 without PORT) with
          `worker_class = "gevent"`, 1 to 8 workers, and only names gunicorn knows.
        - [never-500] no X-Forwarded-* header makes it answer 500.
        """
        # SOLUTION production
        return {"status": "ok"}
        # END SOLUTION

    return app
class NoDelayWSGIServer(WSGIServer):
    """gevent's WSGIServer with Nagle's algorithm off on every accepted connection."""

    # SOLUTION serve
    def handle(self, sock, address):
        # Without TCP_NODELAY the kernel holds a small second write until the client ACKs
        # the first, and the client delays that ACK by ~40 ms: 40 ms per keep-alive request.
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(sock, address)
    # STUB
    # # TODO(serve): override handle(self, sock, address) to set TCP_NODELAY, then call super().
    # END SOLUTION


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

    Rules:
    - [prints-real-port] `serve(app, port=0)` prints the URL with the port the OS chose, and
      GET / there answers.
    - [tcp-nodelay] NoDelayWSGIServer turns Nagle's algorithm off (TCP_NODELAY) on each
      accepted socket before gevent's `handle` gets it; serve(server="gevent") uses it.
    - [chosen-server] server="gevent" runs gevent, server="dev" Werkzeug's development server,
      both with wsgi.multithread False.
    - [stops-cleanly] SIGTERM (gevent) or Ctrl-C (dev) stops it: serve() returns, no traceback.
    - [unknown-server-value-error] any other server name raises ValueError before anything starts.
    """
    # SOLUTION serve
    if server not in SERVERS:
        raise ValueError(f"server must be one of {SERVERS}, not {server!r}")
    (serve_gevent if server == "gevent" else serve_dev)(app, host, port)
    print("Server stopped.", flush=True)
    # END SOLUTION


# SOLUTION serve
def serve_gevent(app, host: str, port: int) -> None:
    server = NoDelayWSGIServer((host, port), app)
    server.init_socket()  # bind and listen now, so the real port is known before we print it
    announce(host, server.server_port)
    # gevent runs these handlers in a new greenlet, where stopping (which waits) is allowed;
    # a plain signal.signal handler could fire inside gevent's hub, where waiting is not.
    # The server has no pool, so stop() closes the socket and does not wait for requests in
    # flight: under gunicorn, its graceful_timeout lets them finish.
    handlers = [gevent.signal_handler(signum, server.stop) for signum in (signal.SIGINT, signal.SIGTERM)]
    try:
        server.serve_forever()
    finally:
        for handler in handlers:
            handler.cancel()


def serve_dev(app, host: str, port: int) -> None:
    server = make_server(host, port, app, threaded=False)
    announce(host, server.server_port)
    print("Flask's development server: one request at a time, not for production.", flush=True)
    # SIGTERM behaves like Ctrl-C: serve_forever() catches KeyboardInterrupt and closes.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve_forever()
    finally:
        signal.signal(signal.SIGTERM, previous)
# STUB
# # TODO(serve): helpers for serve() may go here (one per server), or write it all in serve().
# END SOLUTION


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
