"""A chapter served for real in its own process: for `demo`, the tests and the benchmarks."""
from __future__ import annotations

import importlib
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from track.course import ROOT, Chapter
from track.postman import run_walkthrough

SERVING = re.compile(r"Serving on (http://\S+)")
START_TIMEOUT_S = 30


def wait_for_url(process: subprocess.Popen, log: list[str]) -> str:
    """Read the server's output until it announces its URL; keep draining it afterwards."""
    lines: queue.Queue = queue.Queue()

    def drain():
        for line in process.stdout:
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            raise RuntimeError(f"the server did not start within {START_TIMEOUT_S}s:\n{''.join(log)}") from None
        if line is None:
            raise RuntimeError(f"the server exited with {process.wait()}:\n{''.join(log)}")
        if match := SERVING.search(line):
            return match[1]


@contextmanager
def live_server(command: list[str]) -> Iterator[str]:
    """Start `command` (which prints `Serving on URL`), yield the URL, stop it afterwards."""
    log: list[str] = []
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield wait_for_url(process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def chapter_server(chapter: Chapter, solution: bool, *extra: str):
    """`python -m track run N --port 0`: the chapter under gevent on a free loopback port."""
    command = [sys.executable, "-m", "track", "run", str(chapter.number), "--port", "0", *extra]
    return live_server(command + (["--solution"] if solution else []))


def load_walkthrough(chapter: Chapter):
    return importlib.import_module(f"chapters.{chapter.package}.client").walkthrough


def run_demo(chapter: Chapter, solution: bool) -> int:
    """Start the chapter, run its client.py against it, printing every exchange, stop it."""
    walkthrough = load_walkthrough(chapter)
    which = "the reference solution" if solution else "your copy"
    with chapter_server(chapter, solution) as url:
        print(f"Chapter {chapter.number} ({which}) is serving on {url}; running client.py:\n", flush=True)
        passed = run_walkthrough(walkthrough, url)
    print("Server stopped. " + ("The walkthrough ran clean." if passed else "The walkthrough did not finish."))
    return 0 if passed else 1
