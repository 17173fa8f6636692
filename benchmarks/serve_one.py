"""One server for the benchmarks: `python -m benchmarks.serve_one KIND`, prints `Serving on URL`.

KIND is `flask-gevent`, `raw-gevent` (chapter 10's NoDelayWSGIServer around the Flask app or
around raw_app), `flask-dev` (Werkzeug's development server, threading off, as chapter 10's
`serve(server="dev")`) or `flask-dev-threaded` (the same server threaded, as `app.run()` and
`flask run` serve by default since Flask 1.0). Access logs are off in all of them, so the
figures compare the servers, not the cost of printing a line.
"""
import logging
import sys

from werkzeug.serving import make_server

from solutions.ch10_serving.app import NoDelayWSGIServer, announce, create_app, raw_app

KINDS = ("flask-gevent", "raw-gevent", "flask-dev", "flask-dev-threaded")


def main(kind: str) -> None:
    app = raw_app if kind == "raw-gevent" else create_app({"SECRET_KEY": "benchmark"})
    if kind.startswith("flask-dev"):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=kind == "flask-dev-threaded")
        announce("127.0.0.1", server.server_port)
        server.serve_forever()
    else:
        server = NoDelayWSGIServer(("127.0.0.1", 0), app, log=None)
        server.init_socket()
        announce("127.0.0.1", server.server_port)
        server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in KINDS:
        raise SystemExit(f"usage: python -m benchmarks.serve_one {{{','.join(KINDS)}}}")
    main(sys.argv[1])
