"""Start a server process, learn its URL, always stop it: the benchmarks leave nothing running."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from track.model.course import ROOT
from track.walkthrough.live import live_server
from track.grading.processes import stop

READY_TIMEOUT_S = 30


def python_server(*args: str):
    """A `python -m ...` server that prints `Serving on URL` (track.walkthrough.live does the rest)."""
    return live_server([sys.executable, "-m", *args])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {READY_TIMEOUT_S}s")


@contextmanager
def gunicorn_server() -> Iterator[str]:
    """`python -m track serve-prod 10 --solution` (gunicorn, gevent workers) on a free port."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "FLASK_SECRET_KEY": "benchmark"}
    process = subprocess.Popen([sys.executable, "-m", "track", "serve-prod", "10", "--solution"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", process)
        yield url
    finally:
        stop(process, grace_s=15)
