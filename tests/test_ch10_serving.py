"""Grader for chapter 10: serving (see chapters/ch10_serving/README.md).

Most checks use the test client. The live ones start real servers on free loopback ports,
each in a child process: the learner's `serve()` (exercise `serve`), and a plain gevent
WSGIServer the grader builds itself around the learner's apps (exercises `wsgi` and
`concurrency`), so each exercise is graded on its own.

Nothing is timed: the servers tell the test what they did, one `grader: ...` line at a time
on their output (TCP_NODELAY on each accepted socket, each request entering and leaving the
app), and a grader route answers which server runs the app. Time limits only guard against
hangs. Where the OS has fork, a server child is a fork of this process (Flask, gevent and the
learner's module are imported already: milliseconds); without fork (Windows), or while
another thread runs, a fresh `python` runs the same code.
"""
from __future__ import annotations

import gc
import http.client
import importlib
import itertools
import json
import logging
import os
import queue
import re
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from wsgiref.validate import validator

import gevent
import gevent.baseserver
import gevent.monkey
# What gevent imports when a server first binds its address: imported once here, not again
# in each forked server (~10 ms each).
import gevent.resolver.thread  # noqa: F401
import gevent.threadpool  # noqa: F401
import pytest
from flask import Flask, request
from gevent.pywsgi import WSGIServer
from hypothesis import strategies as st
import werkzeug.serving
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client, create_environ

from tests import fuzz
from tests.expect import expect_error, expect_json, expect_json_equal, expect_raises
from tests.helpers import require
from track.model.course import ROOT
from track.model.i18n import _

CAN_FORK = hasattr(os, "fork")
# Hang guards, never verdicts: a server that answers at all answers in milliseconds. Each is
# below the plugin's 10 s per test, so a hang is reported by the message that explains it.
START_LIMIT_S = 8.0  # a fork starts in milliseconds; a fresh interpreter (no fork) in a second or two
ANSWER_LIMIT_S = 5.0
STOP_LIMIT_S = 5.0
# The first request's wait in the overlap test: the margin load would have to eat before a
# cooperative server lets the second request in (it takes milliseconds, also with two CPU-bound
# processes beside it: tests/course/test_under_load.py). A blocking wait makes the learner wait
# this long for the verdict (unless it is time.sleep, which the server child reports as it starts),
# so it is 0.3 s, not the contract's 5 s maximum.
SLOW_MS = 300
ENVIRON_ROUTE = "/_grader/environ"
SERVING = re.compile(r"Serving on (http://\S+)")
REPORTED = "grader:"  # starts each line the grader's code in a server child prints
RETURNED, SURVIVED = "serve() returned", "a SIGTERM after serve() returned was caught"
NODELAY = re.compile(rf"^{REPORTED} TCP_NODELAY (on|off)$")
EVENT = re.compile(rf"^{REPORTED} (enter|exit) (\d+)$")
# What decides the overlap check: an event, or a time.sleep for the whole wait (see report_blocking_sleeps).
DECIDED = re.compile(rf"^{REPORTED} (?:(enter|exit) (\d+)|time\.sleep \S+)$")
# A server child started without fork: import this module, then run the same code.
SPAWNED = "import sys; from tests.test_ch10_serving import run_spawned; run_spawned(*sys.argv[1:])"


# --- what runs in a server child ---------------------------------------------------------------

def report(*words: object) -> None:
    """Tell the test something from the server child: one line on its output."""
    print(REPORTED, *words, flush=True)


def nodelay(sock) -> bool:
    """Whether Nagle's algorithm is off on `sock` (Linux reads back 1, macOS may read 4)."""
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def record_nodelay() -> None:
    """Make gevent's own WSGIServer.handle report TCP_NODELAY of each socket it is handed."""
    handle = WSGIServer.handle

    def recording_handle(server, sock, address):
        report("TCP_NODELAY", "on" if nodelay(sock) else "off")
        handle(server, sock, address)

    WSGIServer.handle = recording_handle


def learner_serve(module, server: str) -> None:
    """The learner's serve(create_app(), port=0, server=...), plus a route that says who serves it."""
    record_nodelay()
    app = module.create_app()
    app.add_url_rule(ENVIRON_ROUTE, "grader_environ", lambda: {
        "software": request.environ.get("SERVER_SOFTWARE"), "multithread": request.environ.get("wsgi.multithread"),
    })
    module.serve(app, port=0, server=server)
    # serve() returned: a SIGTERM must now do what it did before serve() ran (end the process),
    # not reach a handler serve() left behind.
    report(RETURNED)
    os.kill(os.getpid(), signal.SIGTERM)
    report(SURVIVED)


def reporting(wsgi_app):
    """WSGI middleware: report each request entering the app and the app returning."""
    numbers = itertools.count(1)

    def report_calls(environ, start_response):
        number = next(numbers)
        report("enter", number)
        try:
            return wsgi_app(environ, start_response)
        finally:
            report("exit", number)

    return report_calls


def report_blocking_sleeps() -> None:
    """Make time.sleep report a call for SLOW_MS or more, before it sleeps: a real time.sleep blocks
    the server's only thread, so the overlap check has its verdict without waiting for the end."""
    if gevent.monkey.is_module_patched("time"):  # the learner's module patched it: time.sleep yields
        return
    sleep = time.sleep

    def reporting_sleep(seconds):
        if isinstance(seconds, (int, float)) and seconds >= SLOW_MS / 1000:
            report("time.sleep", seconds)
        sleep(seconds)

    time.sleep = reporting_sleep


def grader_gevent(module) -> None:
    """The grader's own plain gevent server: create_app() at /, raw_app under /raw."""
    app = DispatcherMiddleware(module.create_app(), {"/raw": module.raw_app})
    report_blocking_sleeps()
    server = WSGIServer(("127.0.0.1", 0), reporting(app), log=None)
    server.init_socket()
    print(f"Serving on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


ROLES = {"learner": learner_serve, "grader": grader_gevent}


def run_forked(output: int, role: str, module, args: tuple[str, ...]) -> None:
    """The forked child's whole life: play `role` with its output on the pipe; never returns."""
    code = 1
    try:
        gevent.reinit()  # first thing after fork, as gevent's docs ask
        gc.freeze()  # the parent's garbage is not ours to finalise (temp files, sockets)
        for fd in (1, 2):
            os.dup2(output, fd)
        os.close(output)
        # pytest's capture objects write elsewhere; a fresh process would have these.
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        ROLES[role](module, *args)
        code = 0
    except SystemExit as exit_request:  # sys.exit() in the learner's code
        code = exit_status(exit_request)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # not SystemExit: pytest's exit handlers belong to the parent


def exit_status(exit_request: SystemExit) -> int:
    """The status Python exits with on an uncaught SystemExit, printing a message as it does."""
    if exit_request.code is None or isinstance(exit_request.code, int):
        return exit_request.code or 0
    print(exit_request.code, file=sys.stderr)
    return 1


def run_spawned(role: str, folder: str, package: str, *args: str) -> None:
    """The same in a fresh interpreter (no fork): import the graded chapter from `folder`."""
    sys.path.insert(0, folder)
    ROLES[role](importlib.import_module(f"{package}.app"), *args)


# --- the test's side of a server child ---------------------------------------------------------

class Forked:
    """A forked child, with the part of subprocess.Popen's interface the tests use."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def reap(self, options: int) -> int | None:
        if self.returncode is None:
            done, status = os.waitpid(self.pid, options)
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> int | None:
        return self.reap(os.WNOHANG)

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            return self.reap(0)
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.005)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def fork_server(role: str, module, args: tuple[str, ...]) -> tuple[Forked, BinaryIO]:
    read_end, write_end = os.pipe()
    sys.stdout.flush()  # or the child inherits, and later writes, what is still buffered
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        run_forked(write_end, role, module, args)
    os.close(write_end)
    return Forked(pid), os.fdopen(read_end, "rb")


def spawn_server(role: str, module, args: tuple[str, ...]) -> tuple[subprocess.Popen, BinaryIO]:
    package_dir = Path(module.__file__).parent
    process = subprocess.Popen(
        [sys.executable, "-c", SPAWNED, role, str(package_dir.parent), package_dir.name, *args], cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    return process, process.stdout


class LiveServer:
    """A server child: its process, its URL, and its output read line by line."""

    url = ""  # known once the server has announced it

    def __init__(self, process: Forked | subprocess.Popen, output: BinaryIO):
        self.process = process
        self.log: list[str] = []
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self.drain, args=(output,))
        self.reader.start()

    def drain(self, output: BinaryIO) -> None:
        """Keep reading, so a full pipe never blocks the server; None marks the end."""
        with output:
            for raw in output:
                line = raw.decode(errors="replace").rstrip("\r\n")
                self.log.append(line)
                self.lines.put(line)
        self.lines.put(None)

    def next_match(self, pattern: re.Pattern, timeout: float, missing: str) -> re.Match:
        """The next output line that matches; fails with `missing` if none comes within `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                pytest.fail(_("{missing} (waited {timeout:.0f} s)\n{output}").format(missing=missing, timeout=timeout, output=self.output()), pytrace=False)
            if line is None:
                self.lines.put(None)  # the end stays the end for the next caller
                pytest.fail(_("{missing} The server process ended.\n{output}").format(missing=missing, output=self.output()), pytrace=False)
            if match := pattern.search(line):
                return match

    def output(self) -> str:
        """What the server printed, without the grader's own reports."""
        printed = [line for line in self.log if not line.startswith(REPORTED)]
        return "Its output:\n" + "\n".join(printed) if printed else "It printed nothing."

    def stop(self) -> None:
        """Kill it now (a test that got its verdict does not wait), reap it, finish reading."""
        self.process.kill()
        self.process.wait()
        self.reader.join(timeout=ANSWER_LIMIT_S)


@contextmanager
def live_server(module, role: str, *args: str) -> Iterator[LiveServer]:
    """A server child playing `role` (see ROLES), stopped afterwards whatever happened.

    Fork only a process with no other thread: a lock another thread held at the fork would
    stay locked for ever in the child.
    """
    start = fork_server if CAN_FORK and threading.active_count() == 1 else spawn_server
    server = LiveServer(*start(role, module, args))
    try:
        server.url = server.next_match(SERVING, START_LIMIT_S, _("The server never printed `Serving on http://HOST:PORT`."))[1]
        yield server
    finally:
        server.stop()


@pytest.fixture
def grader_gevent(chapter_module) -> Iterator[LiveServer]:
    with live_server(chapter_module, "grader") as server:
        yield server


@pytest.fixture
def served(chapter_module) -> Iterator[LiveServer]:
    """The learner's serve(create_app(), port=0, server="gevent")."""
    with live_server(chapter_module, "learner", "gevent") as server:
        yield server


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def get(url: str, path: str) -> tuple[int, bytes]:
    """One GET on a fresh connection (http.client: no pooling, no retries)."""
    connection = http.client.HTTPConnection(*host_port(url), timeout=ANSWER_LIMIT_S)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    except TimeoutError:
        pytest.fail(_("GET {path} on {url} did not answer within {answer_limit_s:.0f} s: an endless loop or a blocking "
                      "call?").format(path=path, url=url, answer_limit_s=ANSWER_LIMIT_S),
                    pytrace=False)
    finally:
        connection.close()


@contextmanager
def sent(url: str, path: str) -> Iterator[None]:
    """A GET sent on its own connection, its answer left unread; the connection closed afterwards."""
    connection = http.client.HTTPConnection(*host_port(url), timeout=ANSWER_LIMIT_S)
    try:
        connection.request("GET", path)
        yield
    finally:
        connection.close()


@contextmanager
def accepted_socket() -> Iterator[tuple[socket.socket, tuple]]:
    """The server's side of a real loopback connection, as accept() hands it over, a request waiting on it."""
    with socket.create_server(("127.0.0.1", 0)) as listener, socket.create_connection(listener.getsockname()) as client:
        # A whole request, so that code which serves the connection itself finishes instead of waiting.
        client.sendall(b"GET / HTTP/1.0\r\nHost: grader\r\n\r\n")
        accepted, address = listener.accept()
        with accepted:
            accepted.settimeout(ANSWER_LIMIT_S)  # a hang guard all the same
            yield accepted, address


def call_wsgi(wsgi_app, path: str = "/", method: str = "GET") -> tuple[str, list, bytes]:
    """Call a WSGI app by hand, exactly as a server does: (status, headers, body)."""
    started = []
    result = wsgi_app(create_environ(path, method=method), lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    assert started, _("The app returned without calling start_response(status, headers).")
    return started[0][0], started[0][1], body


@pytest.mark.exercise("wsgi")
class TestWsgi:
    @pytest.mark.parametrize(("method", "path"), [("GET", "/"), ("POST", "/any/path"), ("GET", "/?q=1")])
    @pytest.mark.rule("hello-wsgi")
    def test_answers_hello_wsgi(self, chapter_module, method, path):
        status, headers, body = call_wsgi(chapter_module.raw_app, path, method)
        assert (status, body) == ("200 OK", b"Hello, WSGI!"), (
            _("raw_app answered {method} {path} with status {status!r} and body {body!r}; expected '200 OK' and "
              "b'Hello, WSGI!'.").format(method=method, path=path, status=status, body=body)
        )
        names = {name.lower(): value for name, value in headers}
        assert names.get("content-type", "").split(";")[0] == "text/plain", (
            _("raw_app should send Content-Type: text/plain; headers were {headers!r}.").format(headers=headers)
        )

    @pytest.mark.rule("content-length")
    def test_content_length_matches_the_body(self, chapter_module):
        headers, body = call_wsgi(chapter_module.raw_app)[1:]  # not `_, ...`: _ is the translator
        lengths = [value for name, value in headers if name.lower() == "content-length"]
        assert lengths == [str(len(body))], _("Content-Length should be {count}; headers were {headers!r}.").format(count=len(body), headers=headers)

    @pytest.mark.rule("wsgi-spec")
    def test_follows_the_wsgi_spec(self, chapter_module):
        """wsgiref's validator checks status, header and body types the way PEP 3333 says."""
        try:
            body = call_wsgi(validator(chapter_module.raw_app))[2]
        except AssertionError as error:
            pytest.fail(_("wsgiref.validate rejected raw_app: {error}").format(error=error), pytrace=False)
        assert body == b"Hello, WSGI!", _("Under wsgiref's validator raw_app answered {body!r}.").format(body=body)

    @pytest.mark.rule("not-flask")
    def test_is_not_a_flask_app(self, chapter_module):
        assert not isinstance(chapter_module.raw_app, Flask), _("raw_app must be a plain WSGI callable, not a Flask app.")

    @pytest.mark.rule("runs-under-gevent")
    def test_runs_under_gevent_wsgiserver(self, grader_gevent):
        status, body = get(grader_gevent.url, "/raw/")
        assert (status, body) == (200, b"Hello, WSGI!"), (
            _("Served by gevent.pywsgi.WSGIServer, raw_app answered {status} {body!r}; expected 200 b'Hello, WSGI!'. "
              "{output}").format(status=status, body=body, output=grader_gevent.output())
        )


def inner_app(environ, start_response):
    """A WSGI app for the middleware to wrap: 201, a header of its own, a two-part body."""
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Inner", "yes")])
    return [b"inner ", b"body"]



@pytest.mark.exercise("middleware")
class TestMiddleware:
    @pytest.mark.rule("counts-and-adds-header")
    def test_counts_and_adds_the_header(self, chapter_module):
        counter = chapter_module.RequestCounter(inner_app)
        client = Client(counter)
        for expected in ("1", "2", "3"):
            response = client.get(f"/call-{expected}")
            assert response.headers.get("X-Request-Count") == expected, (
                _("Request number {expected} through RequestCounter should carry X-Request-Count: {expected}; headers "
                  "were {headers!r}. The wrapped app sends its headers through the start_response it is handed: "
                  "hand it your own start_response, which adds the header and calls the server's.").format(
                    expected=expected, headers=dict(response.headers))
            )
        assert counter.count == 3, _("RequestCounter.count should be 3 after three requests, got {count!r}.").format(count=counter.count)

    @pytest.mark.rule("passes-answer-through")
    def test_passes_the_wrapped_answer_through(self, chapter_module):
        response = Client(chapter_module.RequestCounter(inner_app)).post("/anything")
        assert (response.status_code, response.data, response.headers.get("X-Inner")) == (201, b"inner body", "yes"), (
            _("The middleware must not change what the wrapped app answers: expected 201, b'inner body' and "
              "X-Inner: yes; got {status_code}, {data!r}, X-Inner: {x_inner!r}.").format(status_code=response.status_code, data=response.data, x_inner=response.headers.get('X-Inner'))
        )

    @pytest.mark.rule("installed-by-create-app")
    def test_create_app_installs_it(self, client):
        expected = ["1", "2", "3"]
        found = [client.get(path).headers.get("X-Request-Count") for path in ("/", "/whoami", "/no-such-page")]
        assert found == expected, (
            _("Three requests to the app (a 404 included) should carry X-Request-Count {expected}; got {found} "
              "(None: no header — did create_app wrap app.wsgi_app?).").format(expected=expected, found=found)
        )

    @pytest.mark.rule("count-per-app")
    def test_each_app_counts_on_its_own(self, chapter_module, client):
        client.get("/")
        other = chapter_module.create_app({"TESTING": True}).test_client()
        assert other.get("/").headers.get("X-Request-Count") == "1", _("A second app must start counting at 1: one counter per app.")

    @pytest.mark.rule("never-500")
    def test_any_header_or_path_gets_no_500_and_the_count_header(self, crash_as_500, client):
        requests = st.tuples(fuzz.path_segments(), fuzz.header_values())

        def send(request):
            path, value = request
            response = client.get("/" + path, headers={"X-Anything": value, "Cookie": value})
            assert response.status_code >= 500 or response.headers.get("X-Request-Count"), (
                _("GET /{path} answered {status_code} without X-Request-Count: the middleware adds it to every answer.").format(path=path, status_code=response.status_code)
            )
            return response

        fuzz.probe(send, requests)

    @pytest.mark.rule("still-flask")
    def test_app_is_still_flask(self, app):
        assert isinstance(app, Flask), _("Wrap app.wsgi_app, not app: create_app must still return the Flask object.")


@pytest.mark.exercise("serve")
class TestServe:
    @pytest.mark.rule("prints-real-port")
    def test_prints_the_real_port_and_answers(self, served):
        port = host_port(served.url)[1]
        assert port and port != 0, _("serve(port=0) printed {url}: print the port the OS chose (server_port).").format(url=served.url)
        status, body = get(served.url, "/")
        assert (status, body) == (200, b"Hello, World!"), _("GET / on {url} answered {status} {body!r}.").format(url=served.url, status=status, body=body)

    @pytest.mark.rule("tcp-nodelay")
    def test_no_delay_server_sets_tcp_nodelay(self, chapter_module, monkeypatch):
        """NoDelayWSGIServer.handle on a real accepted socket, in this process: what gevent's handle gets."""
        handed: list[bool] = []
        monkeypatch.setattr(WSGIServer, "handle", lambda server, sock, address: handed.append(nodelay(sock)))
        server = require(chapter_module, "NoDelayWSGIServer")(("127.0.0.1", 0), inner_app)
        with accepted_socket() as (sock, address):
            server.handle(sock, address)
        assert handed, (
            _("NoDelayWSGIServer.handle(sock, address) never passed the socket on to gevent's WSGIServer.handle: "
              "end it with super().handle(sock, address).")
        )
        assert handed == [True], (
            _("NoDelayWSGIServer.handle passed the socket on with TCP_NODELAY off (Nagle's algorithm on). Set "
              "sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) first, then call super().handle(sock, "
              "address).")
        )

    @pytest.mark.rule("tcp-nodelay")
    def test_gevent_server_turns_nagle_off(self, served):
        """What gevent's WSGIServer.handle found on the socket serve() accepted for a real request."""
        get(served.url, "/")
        found = served.next_match(NODELAY, ANSWER_LIMIT_S, (
            _("GET / answered, but no connection reached gevent's WSGIServer.handle: serve(server='gevent') should "
              "serve with NoDelayWSGIServer, whose handle ends with super().handle(sock, address).")
        ))[1]
        assert found == "on", (
            _("serve(server='gevent') handed its accepted socket to gevent with TCP_NODELAY off, so each answer on "
              "a keep-alive connection waits ~40 ms for the client's delayed ACK. Serve with NoDelayWSGIServer, "
              "whose handle sets TCP_NODELAY before super().handle(sock, address).")
        )

    @pytest.mark.parametrize(("server", "software"), [("gevent", "gevent/"), ("dev", "Werkzeug/")])
    @pytest.mark.rule("chosen-server")
    def test_runs_the_chosen_server(self, chapter_module, server, software):
        """Which server runs the app, as the app itself sees it in environ."""
        with live_server(chapter_module, "learner", server) as live:
            status, body = get(live.url, ENVIRON_ROUTE)
        assert status == 200, _("serve(server={server!r}): GET {environ_route} (a route the grader adds) answered {status} {body!r}.").format(server=server, environ_route=ENVIRON_ROUTE, status=status, body=body)
        found = json.loads(body)
        assert str(found["software"]).startswith(software) and found["multithread"] is False, (
            _("Under serve(server={server!r}) the app saw SERVER_SOFTWARE {seen!r} and wsgi.multithread "
              "{multithread!r}; expected '{software}...' and False: 'gevent' serves with NoDelayWSGIServer, 'dev' "
              "with werkzeug.serving.make_server(host, port, app, threaded=False).").format(server=server, seen=found['software'], multithread=found['multithread'], software=software)
        )

    @pytest.mark.parametrize(("server", "signum"), [
        pytest.param("gevent", signal.SIGTERM, id="gevent-SIGTERM"), pytest.param("dev", signal.SIGINT, id="dev-SIGINT"),
    ])
    @pytest.mark.rule("stops-cleanly")
    def test_serves_and_stops_cleanly(self, chapter_module, server, signum):
        """Stopped by the signal, serve() returns; then the process's own SIGTERM ends it, as before serve()."""
        name = signal.Signals(signum).name
        with live_server(chapter_module, "learner", server) as live:
            status, body = get(live.url, "/")
            assert (status, body) == (200, b"Hello, World!"), _("serve(server={server!r}): GET / answered {status} {body!r}.").format(
                server=server, status=status, body=body)
            live.process.send_signal(signum)
            try:
                code = live.process.wait(timeout=STOP_LIMIT_S)
            except subprocess.TimeoutExpired:
                pytest.fail(_("serve(server={server!r}) was still running {seconds} s after {signal}.").format(
                    server=server, seconds=f"{STOP_LIMIT_S:.0f}", signal=name), pytrace=False)
        reports = " ".join(line for line in live.log if line.startswith(REPORTED))
        assert RETURNED in reports and not any("Traceback" in line for line in live.log), _(
            "After {signal}, serve(server={server!r}) should stop the server and return; the process exited {code} "
            "before serve() returned. {output}").format(signal=name, server=server, code=code, output=live.output())
        assert SURVIVED not in reports and code == -signal.SIGTERM, _(
            "serve(server={server!r}) returned, but a SIGTERM sent afterwards did not end the process (exit {code}): "
            "serve() left its own signal handling behind. Undo it in a `finally:` block: cancel the handlers "
            "gevent.signal_handler() returned, or put back the handler signal.signal() returned.").format(
                server=server, code=code)

    @pytest.mark.rule("unknown-server-value-error")
    def test_unknown_server_is_a_value_error(self, app, chapter_module, monkeypatch):
        # A serve() that starts a server anyway must fail here, never serve forever inside the grader.
        def refuse_to_block(server, *args, **kwargs):
            raise AssertionError('serve(app, server="tornado") started a server: check the name before starting anything.')

        monkeypatch.setattr(gevent.baseserver.BaseServer, "serve_forever", refuse_to_block)
        monkeypatch.setattr(werkzeug.serving.BaseWSGIServer, "serve_forever", refuse_to_block)
        with expect_raises(ValueError, _('serve(app, server="tornado") must raise ValueError: only "gevent" and "dev" are servers it knows. '
                                         "Check the name before starting anything.")):
            chapter_module.serve(app, port=0, server="tornado")


@pytest.fixture
def waits(monkeypatch, chapter_module) -> list[float]:
    """Replace pause() by a recorder: the test-client checks never really sleep."""
    calls: list[float] = []
    monkeypatch.setattr(chapter_module, "pause", calls.append)
    return calls


@pytest.mark.exercise("concurrency")
class TestConcurrency:
    @pytest.mark.parametrize(("query", "ms"), [("?ms=0", 0), ("?ms=5", 5), ("?ms=5000", 5000), ("", 200)])
    @pytest.mark.rule("waits-ms")
    def test_waits_ms_milliseconds(self, client, waits, query, ms):
        expect_json_equal(client.get(f"/slow{query}"), {"slept_ms": ms})
        assert waits == [ms / 1000], _("GET /slow{query} should call pause({seconds}) once; calls: {waits}.").format(query=query, seconds=ms / 1000, waits=waits)

    @pytest.mark.parametrize("ms", ["abc", "-1", "5001", "1.5", "", " 5", "1e3", "²", "99999999999999999999"])
    @pytest.mark.rule("bad-ms-400")
    def test_bad_ms_is_400(self, client, waits, ms):
        body = expect_error(client.get("/slow", query_string={"ms": ms}), 400)
        assert body["error"] == "bad_request", _(
            'GET /slow?ms={ms!r} answered 400 with "error": {got!r}; the shared error body names a 400 '
            '"bad_request" (Werkzeug\'s name for the status, as in every chapter).').format(ms=ms, got=body["error"])
        assert waits == [], _("GET /slow?ms={ms!r} is refused, so it must not wait; pause() was called with {waits}.").format(ms=ms, waits=waits)

    @pytest.mark.parametrize("digits", [4301, 5000])
    @pytest.mark.rule("bad-ms-400")
    def test_ms_of_thousands_of_digits_is_400_not_a_crash(self, crash_as_500, client, waits, digits):
        response = client.get("/slow", query_string={"ms": "9" * digits})
        assert response.status_code != 500, (
            _("GET /slow?ms=<an integer of {digits:,} digits> crashed: it must be a 400, not a crash. int() raises "
              "ValueError past 4,300 digits: check the length of ms before converting it.").format(digits=digits)
        )
        expect_error(response, 400)
        assert waits == [], _("A refused ms must not wait; pause() was called with {waits}.").format(waits=waits)

    @pytest.mark.rule("never-500")
    def test_any_ms_gets_no_500_and_json_errors(self, crash_as_500, client, waits):
        values = st.one_of(fuzz.TEXT, st.integers().map(str), st.sampled_from(["0" * 5, "+5", "5 ", "0x10", "٣"]))
        fuzz.probe(lambda ms: client.get("/slow?" + fuzz.query_string(ms=ms)), values, json_errors=True)

    @pytest.mark.rule("time-sleep-outside-gevent")
    def test_outside_gevent_pause_waits_with_time_sleep(self, chapter_module, monkeypatch):
        slept: list[float] = []
        monkeypatch.setattr(time, "sleep", slept.append)
        chapter_module.pause(0.25)
        assert slept == [0.25], (
            _("pause(0.25) outside a gevent greenlet (the dev server, the test client) should call "
              "time.sleep(0.25) once; it called time.sleep with {slept}.").format(slept=slept)
        )

    @pytest.mark.rule("overlap-under-gevent")
    def test_concurrent_waits_overlap_under_gevent(self, grader_gevent):
        """A second request enters the app while the first one waits: the order of events, not a stopwatch."""
        url = grader_gevent.url
        with sent(url, f"/slow?ms={SLOW_MS}"):
            first = grader_gevent.next_match(EVENT, ANSWER_LIMIT_S, _("GET /slow?ms={slow_ms} never reached the app.").format(slow_ms=SLOW_MS))
            assert first.groups() == ("enter", "1"), _("Expected the first request to enter the app; got {first!r}.").format(first=first[0])
            with sent(url, "/slow?ms=0"):
                # A blocking wait can never let the second in first: the verdict is exact either way.
                decided = grader_gevent.next_match(DECIDED, SLOW_MS / 1000 + 2, (
                    _("While GET /slow?ms={slow_ms} waited, GET /slow?ms=0 did not reach the app, and the first request "
                      "did not end either: an endless loop or a blocking call?").format(slow_ms=SLOW_MS)
                ))
        # A time.sleep for the whole wait decides it as surely as the first request's end: nothing runs meanwhile.
        assert decided.groups() == ("enter", "2"), (
            _("On a plain gevent WSGIServer, GET /slow?ms={slow_ms} ran to its end before GET /slow?ms=0 could "
              "even start: its wait blocked the server's only thread. Under gevent, pause() must yield "
              "(gevent.sleep), not time.sleep.").format(slow_ms=SLOW_MS)
        )


@pytest.fixture
def gunicorn_settings(chapter_module, monkeypatch):
    """gunicorn.conf.py read the way gunicorn reads it: run as Python, PORT from the environment."""
    path = Path(chapter_module.__file__).parent / "gunicorn.conf.py"
    if not path.is_file():
        pytest.fail(_("{name} is missing next to app.py: restore it with `python -m track reset 10`.").format(name=path.name), pytrace=False)

    def load(port: str | None = None) -> dict:
        if port is None:
            monkeypatch.delenv("PORT", raising=False)
        else:
            monkeypatch.setenv("PORT", port)
        return runpy.run_path(str(path))
    return load


@pytest.mark.exercise("production")
class TestProduction:
    @pytest.mark.rule("healthz")
    def test_healthz(self, client):
        expect_json_equal(client.get("/healthz"), {"status": "ok"})

    @pytest.mark.rule("secret-key-from-env")
    def test_secret_key_comes_from_the_environment(self, chapter_module, monkeypatch):
        value = "from-the-environment-" + os.urandom(8).hex()
        monkeypatch.setenv("FLASK_SECRET_KEY", value)
        found = chapter_module.create_app({"TESTING": True}).config.get("SECRET_KEY")
        assert found == value, (
            _("With FLASK_SECRET_KEY={value!r} in the environment, SECRET_KEY should be that value; got {found!r}. "
              "app.config.from_prefixed_env() reads it.").format(value=value, found=found)
        )

    @pytest.mark.rule("random-key-warning")
    def test_without_the_variable_the_key_is_random(self, chapter_module, monkeypatch):
        monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
        keys = [chapter_module.create_app({"TESTING": True}).config.get("SECRET_KEY") for _ in range(2)]
        assert all(isinstance(k, str) and len(k) >= 32 for k in keys) and keys[0] != keys[1], (
            _("Without FLASK_SECRET_KEY each app should get a random SECRET_KEY of at least 32 characters "
              "(secrets.token_hex(32)), never one written in the code; two apps got {keys!r}.").format(keys=keys)
        )

    @pytest.mark.rule("random-key-warning")
    def test_a_random_key_is_logged_as_a_warning(self, chapter_module, monkeypatch, caplog):
        monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
        with caplog.at_level(logging.WARNING):
            app = chapter_module.create_app({"TESTING": True})
        assert any(r.name == app.logger.name and r.levelno == logging.WARNING for r in caplog.records), _(
            "Without FLASK_SECRET_KEY, create_app() should log a warning with app.logger.warning(...): a random key "
            "breaks sessions on every restart and across gunicorn workers. It logged {records}.").format(
                records=[(r.name, r.levelname, r.getMessage()) for r in caplog.records])
        caplog.clear()
        monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
        with caplog.at_level(logging.WARNING):
            chapter_module.create_app({"TESTING": True})
        assert not caplog.records, _("With FLASK_SECRET_KEY set there is nothing to warn about; create_app() logged {records}.").format(
            records=[r.getMessage() for r in caplog.records])

    @pytest.mark.rule("secret-key-from-env")
    def test_test_config_still_wins(self, chapter_module, monkeypatch):
        monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
        app = chapter_module.create_app({"TESTING": True, "SECRET_KEY": "from-test-config"})
        assert app.config["SECRET_KEY"] == "from-test-config", _("test_config is applied after the environment.")

    @pytest.mark.rule("debug-off")
    def test_debug_is_off(self, chapter_module, monkeypatch):
        monkeypatch.delenv("FLASK_DEBUG", raising=False)
        assert chapter_module.create_app().debug is False, _("create_app() must not turn debug mode on.")

    @pytest.mark.parametrize(("forwarded_for", "ip"), [
        (None, "127.0.0.1"), ("203.0.113.7", "203.0.113.7"), ("1.1.1.1, 203.0.113.7", "203.0.113.7"),
    ])
    @pytest.mark.rule("one-proxy-hop")
    def test_trusts_one_proxy_hop(self, client, forwarded_for, ip):
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        data = expect_json(client.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}))
        assert data.get("ip") == ip, (
            _("Behind one proxy, X-Forwarded-For: {forwarded_for!r} means the client is {ip}; /whoami said "
              "{said!r}. Wrap app.wsgi_app in ProxyFix(x_for=1): only the address our proxy appended is trusted.").format(forwarded_for=forwarded_for, ip=ip, said=data.get('ip'))
        )

    @pytest.mark.rule("never-500")
    def test_any_forwarded_header_gets_no_500(self, crash_as_500, client):
        headers = st.fixed_dictionaries({}, optional={name: fuzz.header_values() for name in (
            "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port")})
        fuzz.probe(lambda sent_headers: client.get("/whoami", headers=sent_headers), headers)

    @pytest.mark.rule("one-proxy-hop")
    def test_forwarded_proto_sets_the_scheme(self, client):
        data = expect_json(client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}))
        assert data.get("scheme") == "https", _("X-Forwarded-Proto: https from our proxy should make request.scheme https; got {data!r}.").format(data=data)

    @pytest.mark.rule("gunicorn-conf")
    def test_gunicorn_uses_gevent_on_loopback(self, gunicorn_settings):
        settings = gunicorn_settings()
        found = {name: settings.get(name) for name in ("bind", "worker_class")}
        assert found == {"bind": "127.0.0.1:8000", "worker_class": "gevent"}, (
            _("gunicorn.conf.py should bind 127.0.0.1:8000 (PORT unset) with worker_class 'gevent'; it sets "
              "{found}.").format(found=found)
        )
        workers = settings.get("workers")
        assert isinstance(workers, int) and 1 <= workers <= 8, _("workers should be a small int (1-8); got {workers!r}.").format(workers=workers)

    @pytest.mark.rule("gunicorn-conf")
    def test_gunicorn_port_from_the_environment(self, gunicorn_settings):
        bind = gunicorn_settings("9123").get("bind")
        assert bind == "127.0.0.1:9123", _("With PORT=9123, gunicorn.conf.py should bind 127.0.0.1:9123; got {bind!r}.").format(bind=bind)

    @pytest.mark.rule("gunicorn-conf")
    def test_gunicorn_settings_are_real_settings(self, gunicorn_settings):
        from gunicorn.config import KNOWN_SETTINGS

        known = {setting.name for setting in KNOWN_SETTINGS}
        names = {name for name, value in gunicorn_settings().items() if not name.startswith("_") and not isinstance(value, type(os))}
        unknown = sorted(names - known)
        assert not unknown, _("gunicorn silently ignores names it does not know: {unknown} (a typo?).").format(unknown=unknown)
