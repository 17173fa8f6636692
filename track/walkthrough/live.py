"""A chapter served for real in its own process: for `demo`, the tests and the benchmarks.

A demo's server starts from nothing each time: its own empty instance folder (database,
uploads) and no DATABASE_URL, so two runs print the same ids. Its log is kept (the demo
gives each exchange the server's lines for it).
"""
from __future__ import annotations

import importlib
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from track.model.course import ROOT, Chapter
from track.model.i18n import _
from track.grading.processes import new_group, stop

# Our servers print "Serving on URL"; Flask's dev server (`run --dev`) prints "Running on URL".
SERVING = re.compile(r"(?:Serving|Running) on (http://[^\s/]+)")
START_TIMEOUT_S = 30


def drain(process: subprocess.Popen, log: list[str], lines: queue.Queue) -> None:
    """Keep reading the server's output so a full pipe never blocks it."""
    for line in process.stdout:
        log.append(line)
        lines.put(line)
    lines.put(None)


def wait_for_url(process: subprocess.Popen, log: list[str], lines: queue.Queue) -> str:
    """Read the server's output until it announces its URL."""
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            raise RuntimeError(_("the server did not start within {seconds}s:\n{log}").format(
                seconds=START_TIMEOUT_S, log="".join(log))) from None
        if line is None:
            raise RuntimeError(_("the server exited with {code}:\n{log}").format(code=process.wait(), log="".join(log)))
        if match := SERVING.search(line):
            return match[1]


@contextmanager
def live_server(command: list[str], cwd: Path = ROOT, log: list[str] | None = None,
                env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `command` (which prints `Serving on URL`), yield the URL, stop it afterwards.

    Every line the server printed is in `log` (when given) once the block has ended.
    """
    log = [] if log is None else log
    lines: queue.Queue = queue.Queue()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               **new_group())
    reader = threading.Thread(target=drain, args=(process, log, lines), daemon=True)
    reader.start()
    try:
        yield wait_for_url(process, log, lines)
    finally:
        stop(process)
        reader.join(timeout=5)
        process.stdout.close()


def chapter_server(chapter: Chapter, solution: bool, *extra: str, log: list[str] | None = None,
                   env: dict[str, str] | None = None):
    """`python -m track run N --port 0`: the chapter under gevent on a free loopback port."""
    command = [sys.executable, "-m", "track", "run", str(chapter.number), "--port", "0", *extra]
    return live_server(command + (["--solution"] if solution else []), log=log, env=env)


@contextmanager
def fresh_chapter_server(chapter: Chapter, solution: bool, log: list[str]) -> Iterator[str]:
    """The chapter served from an empty temporary instance folder, on its own SQLite database."""
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    with tempfile.TemporaryDirectory(prefix=f"demo-{chapter.package}-") as instance:
        with chapter_server(chapter, solution, "--instance", instance, log=log, env=environment) as url:
            yield url


def fresh_database(folder: Path) -> dict[str, str]:
    """The environment with DATABASE_URL naming a new SQLite file in `folder` (chapter 9 reads it).

    A walkthrough recorded on a fresh database and replayed (newman) on another sees the same
    ids; on instance/'s database they would depend on what earlier runs left there.
    """
    return {**os.environ, "DATABASE_URL": f"sqlite:///{(folder / 'database.sqlite').as_posix()}"}


def load_walkthrough(chapter: Chapter):
    return importlib.import_module(f"chapters.{chapter.package}.client").walkthrough
