"""Each figure of `make bench`: a function that measures it and returns rows for the table.

A row is a dict: `group`, `figure`, `value` (a number), `unit`, `ratio` (against its peer,
or None) and `note`. The functions start what they measure and stop it again.
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.processes import gunicorn_server, python_server
from track import warm_client
from track.maintainers.copies import copy_course
from track.grading.processes import stop
from track.model.course import ROOT, chapters
from track.learner.watching import STEP_MS

SLOW_MS = 200


def row(group: str, figure: str, value: float, unit: str, ratio: float | None = None, note: str = "") -> dict:
    return {"group": group, "figure": figure, "value": value, "unit": unit, "ratio": ratio, "note": note}


def timed(command: list[str], cwd: Path = ROOT, **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, timeout=900, **kwargs)
    return time.perf_counter() - start


# --- grading speed ------------------------------------------------------------------------

# What the learner types (`python -m track ...`, also what make runs): the system Python
# starts, finds .venv current and hands over to it. The floor is the cost of merely starting
# Python with Flask and pytest imported. Each timed command is paired with a floor run just
# before it, and its ratio is the median of the pairs' ratios: a machine that speeds up or
# slows down during the bench (a VM's neighbours, the CPU's clock) moves both sides of a pair.
LEARNER_PYTHON = shutil.which("python3") or sys.executable
FLOOR = [sys.executable, "-c", "import flask, pytest"]
CHECK_GOAL = {1: 2.0}  # chapter 1: at most 2x the floor; every other chapter: 4x
LIST_GOAL = 1.5
WITHOUT_WARM_GRADER = {**os.environ, warm_client.DISABLE: "1"}
WITH_WARM_GRADER = {name: value for name, value in os.environ.items() if name != warm_client.DISABLE}


@dataclass
class Paired:
    """A command's runs, each after a run of the floor: the median of its seconds and of the pairs' ratios."""

    seconds: float
    ratio: float


def paired(command: list[str], runs: int, cwd: Path = ROOT, **kwargs) -> Paired:
    pairs = [(timed(FLOOR), timed(command, cwd, **kwargs)) for _ in range(runs)]
    return Paired(statistics.median(c for _, c in pairs), statistics.median(c / f for f, c in pairs))


def median_time(command: list[str], runs: int, cwd: Path = ROOT, **kwargs) -> Paired:
    timed(command, cwd, **kwargs)  # once untimed: the file system cache, the result cache, the warm grader
    return paired(command, runs, cwd, **kwargs)


def check_time(number: int, runs: int, course: Path) -> Paired:
    """`track check N` as the learner runs it again and again: the first check starts the warm
    grader (track/warm_grader.py), the timed ones are answered by it once it is ready."""
    command = [LEARNER_PYTHON, "-m", "track", "check", str(number)]
    timed(command, course, env=WITH_WARM_GRADER)
    warm_client.wait_until_serving(course)
    return paired(command, runs, course, env=WITH_WARM_GRADER)


@contextmanager
def solved_copy():
    """The course in a temporary folder with every chapter's reference solution as the learner's copy."""
    with repo_copy() as copy:
        for chap in chapters():
            shutil.copytree(copy / "solutions" / chap.package, copy / "chapters" / chap.package, dirs_exist_ok=True)
        yield copy


def check_rows(runs: int, selected, course: Path, whose: str) -> list[dict]:
    rows = []
    try:
        for chap in selected:
            timing = check_time(chap.number, runs, course)
            goal = CHECK_GOAL.get(chap.number, 4.0)
            rows.append(row("grading", f"track check {chap.number} ({chap.package}), {whose}", timing.seconds, "s", timing.ratio,
                            f"goal <= {goal:g}x the floor; median of {runs}, warm grader (two forks on two cores)"))
    finally:
        warm_client.stop(course)
    return rows


def grading(quick: bool) -> list[dict]:
    """The floor; `track check N` per chapter on the stubs and on a solved copy; list and progress
    from the cache; chapter 1 without the warm grader; all graders."""
    runs = 1 if quick else 5
    selected = chapters()[:1] if quick else chapters()
    rows = check_rows(runs, selected, ROOT, "your copy in chapters/ (the stubs)")
    with solved_copy() as solved:
        rows += check_rows(runs, selected, solved, "a solved copy")
    plain = median_time([LEARNER_PYTHON, "-m", "track", "check", "1"], runs, env=WITHOUT_WARM_GRADER)
    rows.append(row("grading", "track check 1 (ch01_hello_world), without the warm grader", plain.seconds, "s", plain.ratio,
                    f"{warm_client.DISABLE}=1: the plain path, as on Windows; median of {runs}"))
    for verb in ("list", "progress"):
        timing = median_time([LEARNER_PYTHON, "-m", "track", verb], runs)
        rows.append(row("grading", f"track {verb} (cached verdicts)", timing.seconds, "s", timing.ratio,
                        f"goal <= {LIST_GOAL:g}x the floor; median of {runs}"))
    floor = statistics.median(timed(FLOOR) for _ in range(runs))
    rows.insert(0, row("grading", "floor: python -c 'import flask, pytest'", floor, "s", 1.0,
                       f"median of {runs}; each ratio below pairs its runs with runs of the floor"))
    if not quick:
        modules = [str(chap.test_module.relative_to(ROOT)) for chap in chapters()]
        suite = timed([sys.executable, "-m", "pytest", *modules, "--target", "solutions", "-q"])
        rows.append(row("grading", "every grader on the solutions", suite, "s", None, f"{len(modules)} chapters, one pytest run"))
    return rows


# --- throughput ---------------------------------------------------------------------------

WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_TOTAL = re.compile(r"(\d+) requests in")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
WRK_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(url: str, connections: int, seconds: int) -> dict:
    """Run wrk (one thread: the server gets the other core) and read its summary."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    socket_errors = sum(map(int, WRK_SOCKET.search(output).groups())) if WRK_SOCKET.search(output) else 0
    non2xx = int(WRK_NON2XX.search(output)[1]) if WRK_NON2XX.search(output) else 0
    p99 = WRK_P99.search(output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rate": float(WRK_RATE.search(output)[1]), "requests": int(WRK_TOTAL.search(output)[1]),
        "errors": socket_errors + non2xx, "p99_ms": float(p99[1]) * scale[p99[2]] if p99 else None,
    }


def python_load(url: str, connections: int, seconds: float) -> dict:
    """A small stand-in for wrk (--quick): keep-alive loops in threads. It measures the client too."""
    parts = urlsplit(url)
    counts, errors = [0] * connections, [0] * connections
    stop_at = time.perf_counter() + seconds

    def loop(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        while time.perf_counter() < stop_at:
            try:
                connection.request("GET", parts.path or "/")
                response = connection.getresponse()
                response.read()
                counts[index] += 1
                if response.status != 200 or response.will_close:
                    connection.close()
                    errors[index] += response.status != 200
            except OSError:
                errors[index] += 1
                connection.close()
        connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(loop, range(connections)))
    elapsed = time.perf_counter() - start
    return {"rate": sum(counts) / elapsed, "requests": sum(counts), "errors": sum(errors), "p99_ms": None}


def load(url: str, connections: int, seconds: int, quick: bool) -> dict:
    return python_load(url, min(connections, 8), 1.0) if quick else wrk(url, connections, seconds)


def throughput(quick: bool) -> list[dict]:
    """Hello world, 50 connections: bare WSGI vs Flask on the same gevent server, vs the dev server."""
    tool = "python loop, 8 conns, 1 s (not wrk)" if quick else "wrk -t1 -c50 -d5s"
    rates = {}
    for kind in ("raw-gevent", "flask-gevent", "flask-dev-threaded", "flask-dev"):
        with python_server("benchmarks.serve_one", kind) as url:
            rates[kind] = load(f"{url}/", 50, 5, quick)["rate"]
    return [
        row("throughput", "bare WSGI app on gevent (NoDelayWSGIServer)", rates["raw-gevent"], "req/s", 1.0,
            f"the server's limit; {tool}"),
        row("throughput", "Flask hello world, same gevent server", rates["flask-gevent"], "req/s",
            rates["flask-gevent"] / rates["raw-gevent"], "ratio: share of the bare-WSGI limit"),
        row("throughput", "Flask hello world, dev server threaded (the default)", rates["flask-dev-threaded"],
            "req/s", rates["flask-dev-threaded"] / rates["flask-gevent"], "ratio: against Flask on gevent"),
        row("throughput", "Flask hello world, dev server threaded=False (not the default)", rates["flask-dev"],
            "req/s", rates["flask-dev"] / rates["flask-gevent"], "ratio: against Flask on gevent"),
    ]


# --- concurrency --------------------------------------------------------------------------

def concurrent_slow(url: str, clients: int) -> float:
    """Wall time for `clients` simultaneous GET /slow?ms=200, each on its own connection."""
    parts = urlsplit(url)
    ready = threading.Barrier(clients + 1)

    def one(_):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        ready.wait()
        try:
            connection.request("GET", f"/slow?ms={SLOW_MS}")
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(one, index) for index in range(clients)]
        ready.wait()
        start = time.perf_counter()
        statuses = [future.result() for future in futures]
    elapsed = time.perf_counter() - start
    if statuses != [200] * clients:
        raise RuntimeError(f"/slow answered {sorted(set(statuses))}")
    return elapsed


def concurrency(quick: bool) -> list[dict]:
    clients = 5 if quick else 50
    servers = [
        # What app.run() and `flask run` serve by default since Flask 1.0: a thread per request.
        ("dev server, threaded (the default)", lambda: python_server("benchmarks.serve_one", "flask-dev-threaded")),
        ("dev server, threaded=False (serve(server='dev'))",
         lambda: python_server("solutions.ch10_serving.app", "--server", "dev", "--port", "0")),
        ("gevent WSGIServer (serve(server='gevent'))",
         lambda: python_server("solutions.ch10_serving.app", "--server", "gevent", "--port", "0")),
        ("gunicorn -k gevent, 2 workers (serve-prod)", gunicorn_server),
    ]
    rows = []
    for label, start in servers:
        with start() as url:
            elapsed = concurrent_slow(url, clients)
        rows.append(row("concurrency", f"{clients} x GET /slow?ms={SLOW_MS}: {label}", elapsed, "s",
                        elapsed / (SLOW_MS / 1000), f"ratio: wall time / the {SLOW_MS} ms floor"))
    return rows


# --- load hold ----------------------------------------------------------------------------

def load_hold(quick: bool) -> list[dict]:
    connections, seconds = (8, 1) if quick else (400, 10)
    with python_server("benchmarks.serve_one", "flask-gevent") as url:
        result = load(f"{url}/", connections, seconds, quick)
    tool = "python loop (not wrk)" if quick else f"wrk -t1 -c{connections} -d{seconds}s"
    p99 = f", p99 {result['p99_ms']:.1f} ms" if result["p99_ms"] is not None else ""
    return [
        row("load hold", f"Flask on gevent, {connections} connections: requests", result["requests"], "req", None,
            f"{result['rate']:.0f} req/s{p99}; {tool}"),
        row("load hold", f"Flask on gevent, {connections} connections: errors", result["errors"], "errors", None,
            "socket errors + non-2xx"),
    ]


# --- watch latency ------------------------------------------------------------------------

VERDICT = re.compile(r"^Checked at ")


@contextmanager
def repo_copy():
    """The course in a temporary folder, so saving files there is harmless."""
    with tempfile.TemporaryDirectory(prefix="track-bench-") as scratch:
        yield copy_course(Path(scratch) / "course")


def watch_latency(quick: bool) -> list[dict]:
    """Start `track watch 1` in a copy of the course; save a file; time until the verdict prints."""
    saves = 1 if quick else 3
    with repo_copy() as copy:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen([str(copy / ".venv" / "bin" / "python"), "-m", "track", "watch", "1"], cwd=copy,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        verdicts = []
        reader = threading.Thread(target=lambda: [verdicts.append(time.perf_counter()) for line in process.stdout
                                                  if VERDICT.search(line)])
        reader.start()
        try:
            wait_for(lambda: len(verdicts) >= 1, process)
            target = copy / "chapters" / "ch01_hello_world" / "app.py"
            latencies = []
            for number in range(saves):
                time.sleep(0.5)  # let the watcher settle after the previous verdict
                seen = len(verdicts)
                saved = time.perf_counter()
                target.write_text(target.read_text(encoding="utf-8") + f"# bench save {number}\n", encoding="utf-8")
                wait_for(lambda: len(verdicts) > seen, process)
                latencies.append(verdicts[seen] - saved)
        finally:
            stop(process)
            reader.join()
            process.stdout.close()
    return [row("watch", "save a file -> verdict on screen (track watch 1)", statistics.median(latencies), "s", None,
                f"goal <= 0.35 s; median of {saves}; includes the {STEP_MS} ms wait for a burst of saves to end")]


def wait_for(condition, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("track watch stopped or gave no verdict in time")
        time.sleep(0.01)


MEASURES = (grading, throughput, concurrency, load_hold, watch_latency)
