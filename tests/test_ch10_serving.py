"""Grader for chapter 10: serving (see chapters/ch10_serving/README.md).

Most checks use the test client. The live ones start real servers in subprocesses on free
loopback ports: the learner's `serve()` (exercise `serve`), and a plain gevent WSGIServer
the grader builds itself around the learner's apps (exercises `wsgi` and `concurrency`), so
each exercise is graded on its own. Where time is the behaviour itself (keep-alive latency,
concurrent waits) the limits leave a wide margin on both sides.
"""
from __future__ import annotations

import http.client
import os
import queue
import re
import runpy
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from wsgiref.validate import validator

import pytest
from flask import Flask
from werkzeug.test import Client, create_environ

from tests.expect import expect_error, expect_json, expect_json_equal
from track.course import ROOT

# The learner's serve(app, port=0, server=...) in a fresh process.
LEARNER_SERVE = """
import sys
sys.path.insert(0, sys.argv[1])
from {package}.app import create_app, serve
serve(create_app(), port=0, server=sys.argv[2])
"""
# The grader's own plain gevent server: the Flask app at /, raw_app under /raw.
GRADER_GEVENT = """
import sys
sys.path.insert(0, sys.argv[1])
from gevent.pywsgi import WSGIServer
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from {package}.app import create_app, raw_app
server = WSGIServer(("127.0.0.1", 0), DispatcherMiddleware(create_app(), {{"/raw": raw_app}}), log=None)
server.init_socket()
print(f"Serving on http://127.0.0.1:{{server.server_port}}", flush=True)
server.serve_forever()
"""
KEEPALIVE_REQUESTS = 200
KEEPALIVE_LIMIT_S = 3.0      # with TCP_NODELAY ~0.1 s; with Nagle's algorithm on ~9 s
CONCURRENT_CLIENTS = 50
SLOW_MS = 200
CONCURRENT_LIMIT_S = 1.0     # cooperative: ~0.25 s (4x margin); one at a time: 50 x 0.2 s = 10 s
STOP_LIMIT_S = 5.0
START_LIMIT_S = 30.0
SERVING = re.compile(r"Serving on (http://\S+)")


@contextmanager
def server_process(chapter_module, code: str, *args: str) -> Iterator[tuple[str, subprocess.Popen, list[str]]]:
    """Run `code` with the graded package importable; yield (url, process, output lines)."""
    package_dir = Path(chapter_module.__file__).parent
    source = code.format(package=package_dir.name)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-c", source, str(package_dir.parent), *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    announced = queue.Queue()

    def drain():
        for line in process.stdout:
            log.append(line)
            if match := SERVING.search(line):
                announced.put(match[1])
        announced.put(None)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        try:
            url = announced.get(timeout=START_LIMIT_S)
        except queue.Empty:
            url = None
        if url is None:
            pytest.fail("The server never printed `Serving on http://HOST:PORT`. Its output:\n" + "".join(log), pytrace=False)
        yield url, process, log
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        reader.join()
        process.stdout.close()


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


@pytest.fixture(scope="module")
def grader_gevent(chapter_module) -> Iterator[str]:
    with server_process(chapter_module, GRADER_GEVENT) as (url, _, _):
        yield url


@pytest.fixture(scope="module")
def served(chapter_module) -> Iterator[str]:
    """The learner's serve(create_app(), port=0, server="gevent")."""
    with server_process(chapter_module, LEARNER_SERVE, "gevent") as (url, _, _):
        yield url


def get(url: str, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One GET on a fresh connection (http.client: no pooling, no retries)."""
    connection = http.client.HTTPConnection(*host_port(url), timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def call_wsgi(wsgi_app, path: str = "/", method: str = "GET") -> tuple[str, list, bytes]:
    """Call a WSGI app by hand, exactly as a server does: (status, headers, body)."""
    started = []
    result = wsgi_app(create_environ(path, method=method), lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    assert started, "The app returned without calling start_response(status, headers)."
    return started[0][0], started[0][1], body


@pytest.mark.exercise("wsgi")
class TestWsgi:
    @pytest.mark.parametrize(("method", "path"), [("GET", "/"), ("POST", "/any/path"), ("GET", "/?q=1")])
    def test_answers_hello_wsgi(self, chapter_module, method, path):
        status, headers, body = call_wsgi(chapter_module.raw_app, path, method)
        assert (status, body) == ("200 OK", b"Hello, WSGI!"), (
            f"raw_app answered {method} {path} with status {status!r} and body {body!r}; "
            "expected '200 OK' and b'Hello, WSGI!'."
        )
        names = {name.lower(): value for name, value in headers}
        assert names.get("content-type", "").split(";")[0] == "text/plain", (
            f"raw_app should send Content-Type: text/plain; headers were {headers!r}."
        )

    def test_content_length_matches_the_body(self, chapter_module):
        _, headers, body = call_wsgi(chapter_module.raw_app)
        lengths = [value for name, value in headers if name.lower() == "content-length"]
        assert lengths == [str(len(body))], f"Content-Length should be {len(body)}; headers were {headers!r}."

    def test_follows_the_wsgi_spec(self, chapter_module):
        """wsgiref's validator checks status, header and body types the way PEP 3333 says."""
        try:
            _, _, body = call_wsgi(validator(chapter_module.raw_app))
        except AssertionError as error:
            pytest.fail(f"wsgiref.validate rejected raw_app: {error}", pytrace=False)
        assert body == b"Hello, WSGI!", f"Under wsgiref's validator raw_app answered {body!r}."

    def test_is_not_a_flask_app(self, chapter_module):
        assert not isinstance(chapter_module.raw_app, Flask), "raw_app must be a plain WSGI callable, not a Flask app."

    def test_runs_under_gevent_wsgiserver(self, grader_gevent):
        status, body = get(grader_gevent, "/raw/")
        assert (status, body) == (200, b"Hello, WSGI!"), (
            f"Served by gevent.pywsgi.WSGIServer, raw_app answered {status} {body!r}; expected 200 b'Hello, WSGI!'."
        )


def inner_app(environ, start_response):
    """A WSGI app for the middleware to wrap: 201, a header of its own, a two-part body."""
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Inner", "yes")])
    return [b"inner ", b"body"]


@pytest.mark.exercise("middleware")
class TestMiddleware:
    def test_counts_and_adds_the_header(self, chapter_module):
        counter = chapter_module.RequestCounter(inner_app)
        client = Client(counter)
        for expected in ("1", "2", "3"):
            response = client.get(f"/call-{expected}")
            assert response.headers.get("X-Request-Count") == expected, (
                f"Request number {expected} through RequestCounter should carry X-Request-Count: {expected}; "
                f"headers were {dict(response.headers)!r}."
            )
        assert counter.count == 3, f"RequestCounter.count should be 3 after three requests, got {counter.count!r}."

    def test_passes_the_wrapped_answer_through(self, chapter_module):
        response = Client(chapter_module.RequestCounter(inner_app)).post("/anything")
        assert (response.status_code, response.data, response.headers.get("X-Inner")) == (201, b"inner body", "yes"), (
            "The middleware must not change what the wrapped app answers: expected 201, b'inner body' and "
            f"X-Inner: yes; got {response.status_code}, {response.data!r}, X-Inner: {response.headers.get('X-Inner')!r}."
        )

    def test_create_app_installs_it(self, client):
        expected = ["1", "2", "3"]
        found = [client.get(path).headers.get("X-Request-Count") for path in ("/", "/whoami", "/no-such-page")]
        assert found == expected, (
            f"Three requests to the app (a 404 included) should carry X-Request-Count {expected}; got {found} "
            "(None: no header — did create_app wrap app.wsgi_app?)."
        )

    def test_each_app_counts_on_its_own(self, chapter_module, client):
        client.get("/")
        other = chapter_module.create_app({"TESTING": True}).test_client()
        assert other.get("/").headers.get("X-Request-Count") == "1", "A second app must start counting at 1: one counter per app."

    def test_app_is_still_flask(self, app):
        assert isinstance(app, Flask), "Wrap app.wsgi_app, not app: create_app must still return the Flask object."


@pytest.mark.exercise("serve")
class TestServe:
    def test_prints_the_real_port_and_answers(self, served):
        _, port = host_port(served)
        assert port and port != 0, f"serve(port=0) printed {served}: print the port the OS chose (server_port)."
        status, body = get(served, "/")
        assert (status, body) == (200, b"Hello, World!"), f"GET / on {served} answered {status} {body!r}."

    def test_keep_alive_requests_are_fast(self, served):
        """One connection, many requests: each stalls ~40 ms unless TCP_NODELAY is set."""
        connection = http.client.HTTPConnection(*host_port(served), timeout=KEEPALIVE_LIMIT_S)
        start = time.perf_counter()
        done = 0
        try:
            while done < KEEPALIVE_REQUESTS and time.perf_counter() - start < KEEPALIVE_LIMIT_S:
                connection.request("GET", "/")
                connection.getresponse().read()
                done += 1
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        assert done == KEEPALIVE_REQUESTS, (
            f"Only {done} of {KEEPALIVE_REQUESTS} requests on one keep-alive connection finished in "
            f"{elapsed:.1f} s (~{elapsed / max(done, 1) * 1000:.0f} ms each; with TCP_NODELAY they take well under "
            "1 ms). Set TCP_NODELAY on each accepted socket in NoDelayWSGIServer.handle."
        )

    @pytest.mark.parametrize(("server", "signum"), [
        pytest.param("gevent", signal.SIGTERM, id="gevent-SIGTERM"), pytest.param("dev", signal.SIGINT, id="dev-SIGINT"),
    ])
    def test_serves_and_stops_cleanly(self, chapter_module, server, signum):
        with server_process(chapter_module, LEARNER_SERVE, server) as (url, process, log):
            status, body = get(url, "/")
            assert (status, body) == (200, b"Hello, World!"), f"serve(server={server!r}): GET / answered {status} {body!r}."
            process.send_signal(signum)
            try:
                code = process.wait(timeout=STOP_LIMIT_S)
            except subprocess.TimeoutExpired:
                pytest.fail(f"serve(server={server!r}) was still running {STOP_LIMIT_S:.0f} s after "
                            f"{signal.Signals(signum).name}.", pytrace=False)
        output = "".join(log)
        assert code == 0 and "Traceback" not in output, (
            f"After {signal.Signals(signum).name}, serve(server={server!r}) should return and the process exit 0; "
            f"it exited {code} with output:\n{output}"
        )

    def test_unknown_server_is_a_value_error(self, app, chapter_module):
        with pytest.raises(ValueError):
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
    def test_waits_ms_milliseconds(self, client, waits, query, ms):
        expect_json_equal(client.get(f"/slow{query}"), {"slept_ms": ms})
        assert waits == [ms / 1000], f"GET /slow{query} should call pause({ms / 1000}) once; calls: {waits}."

    @pytest.mark.parametrize("ms", ["abc", "-1", "5001", "1.5", "", " 5", "1e3", "²", "99999999999999999999"])
    def test_bad_ms_is_400(self, client, waits, ms):
        expect_error(client.get("/slow", query_string={"ms": ms}), 400)
        assert waits == [], f"GET /slow?ms={ms!r} is refused, so it must not wait; pause() was called with {waits}."

    def test_concurrent_waits_overlap_under_gevent(self, grader_gevent):
        """50 clients at once: cooperative waits overlap, a blocking sleep serialises them."""
        start = time.perf_counter()
        deadline = start + CONCURRENT_LIMIT_S

        def one_client(_):
            try:
                return get(grader_gevent, f"/slow?ms={SLOW_MS}", timeout=max(deadline - time.perf_counter(), 0.01))
            except OSError as error:  # a timeout: this client was still waiting at the deadline
                return None, repr(error)

        with ThreadPoolExecutor(CONCURRENT_CLIENTS) as pool:
            results = list(pool.map(one_client, range(CONCURRENT_CLIENTS)))
        elapsed = time.perf_counter() - start
        answered = sum(status == 200 for status, _ in results)
        assert answered == CONCURRENT_CLIENTS and elapsed < CONCURRENT_LIMIT_S, (
            f"{CONCURRENT_CLIENTS} concurrent GET /slow?ms={SLOW_MS} on a gevent server: {answered} answered 200 "
            f"within {elapsed:.2f} s (limit {CONCURRENT_LIMIT_S} s; one at a time would take "
            f"{CONCURRENT_CLIENTS * SLOW_MS / 1000:.0f} s). Does pause() yield to gevent instead of blocking?"
        )


@pytest.fixture
def gunicorn_settings(chapter_module, monkeypatch):
    """gunicorn.conf.py read the way gunicorn reads it: run as Python, PORT from the environment."""
    path = Path(chapter_module.__file__).parent / "gunicorn.conf.py"
    if not path.is_file():
        pytest.fail(f"{path.name} is missing next to app.py: restore it with `python -m track reset 10`.", pytrace=False)

    def load(port: str | None = None) -> dict:
        if port is None:
            monkeypatch.delenv("PORT", raising=False)
        else:
            monkeypatch.setenv("PORT", port)
        return runpy.run_path(str(path))
    return load


@pytest.mark.exercise("production")
class TestProduction:
    def test_healthz(self, client):
        expect_json_equal(client.get("/healthz"), {"status": "ok"})

    def test_secret_key_comes_from_the_environment(self, chapter_module, monkeypatch):
        value = "from-the-environment-" + os.urandom(8).hex()
        monkeypatch.setenv("FLASK_SECRET_KEY", value)
        found = chapter_module.create_app({"TESTING": True}).config.get("SECRET_KEY")
        assert found == value, (
            f"With FLASK_SECRET_KEY={value!r} in the environment, SECRET_KEY should be that value; got {found!r}. "
            "app.config.from_prefixed_env() reads it."
        )

    def test_without_the_variable_the_key_is_random(self, chapter_module, monkeypatch):
        monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
        keys = [chapter_module.create_app({"TESTING": True}).config.get("SECRET_KEY") for _ in range(2)]
        assert all(isinstance(k, str) and len(k) >= 32 for k in keys) and keys[0] != keys[1], (
            "Without FLASK_SECRET_KEY each app should get a random SECRET_KEY of at least 32 characters "
            f"(secrets.token_hex(32)), never one written in the code; two apps got {keys!r}."
        )

    def test_test_config_still_wins(self, chapter_module, monkeypatch):
        monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
        app = chapter_module.create_app({"TESTING": True, "SECRET_KEY": "from-test-config"})
        assert app.config["SECRET_KEY"] == "from-test-config", "test_config is applied after the environment."

    def test_debug_is_off(self, chapter_module, monkeypatch):
        monkeypatch.delenv("FLASK_DEBUG", raising=False)
        assert chapter_module.create_app().debug is False, "create_app() must not turn debug mode on."

    @pytest.mark.parametrize(("forwarded_for", "ip"), [
        (None, "127.0.0.1"), ("203.0.113.7", "203.0.113.7"), ("1.1.1.1, 203.0.113.7", "203.0.113.7"),
    ])
    def test_trusts_one_proxy_hop(self, client, forwarded_for, ip):
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        data = expect_json(client.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}))
        assert data.get("ip") == ip, (
            f"Behind one proxy, X-Forwarded-For: {forwarded_for!r} means the client is {ip}; /whoami said {data.get('ip')!r}. "
            "Wrap app.wsgi_app in ProxyFix(x_for=1): only the address our proxy appended is trusted."
        )

    def test_forwarded_proto_sets_the_scheme(self, client):
        data = expect_json(client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}))
        assert data.get("scheme") == "https", f"X-Forwarded-Proto: https from our proxy should make request.scheme https; got {data!r}."

    def test_gunicorn_uses_gevent_on_loopback(self, gunicorn_settings):
        settings = gunicorn_settings()
        found = {name: settings.get(name) for name in ("bind", "worker_class")}
        assert found == {"bind": "127.0.0.1:8000", "worker_class": "gevent"}, (
            f"gunicorn.conf.py should bind 127.0.0.1:8000 (PORT unset) with worker_class 'gevent'; it sets {found}."
        )
        workers = settings.get("workers")
        assert isinstance(workers, int) and 1 <= workers <= 8, f"workers should be a small int (1-8); got {workers!r}."

    def test_gunicorn_port_from_the_environment(self, gunicorn_settings):
        bind = gunicorn_settings("9123").get("bind")
        assert bind == "127.0.0.1:9123", f"With PORT=9123, gunicorn.conf.py should bind 127.0.0.1:9123; got {bind!r}."

    def test_gunicorn_settings_are_real_settings(self, gunicorn_settings):
        from gunicorn.config import KNOWN_SETTINGS

        known = {setting.name for setting in KNOWN_SETTINGS}
        names = {name for name, value in gunicorn_settings().items() if not name.startswith("_") and not isinstance(value, type(os))}
        unknown = sorted(names - known)
        assert not unknown, f"gunicorn silently ignores names it does not know: {unknown} (a typo?)."
