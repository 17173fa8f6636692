"""A chapter served for real in its own process: for `demo`, the tests and the benchmarks."""
from __future__ import annotations

import importlib
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from track import grading
from track.course import ROOT, Chapter
from track.i18n import _
from track.processes import new_group, stop
from track.postman import run_walkthrough
from track.ui import command

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
def live_server(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `command` (which prints `Serving on URL`), yield the URL, stop it afterwards."""
    log: list[str] = []
    lines: queue.Queue = queue.Queue()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               **new_group())
    reader = threading.Thread(target=drain, args=(process, log, lines), daemon=True)
    reader.start()
    try:
        yield wait_for_url(process, log, lines)
    finally:
        stop(process)
        reader.join(timeout=5)
        process.stdout.close()


def chapter_server(chapter: Chapter, solution: bool, *extra: str, env: dict[str, str] | None = None):
    """`python -m track run N --port 0`: the chapter under gevent on a free loopback port."""
    command = [sys.executable, "-m", "track", "run", str(chapter.number), "--port", "0", *extra]
    return live_server(command + (["--solution"] if solution else []), env=env)


def fresh_database(folder: Path) -> dict[str, str]:
    """The environment with DATABASE_URL naming a new SQLite file in `folder` (chapter 9 reads it).

    A walkthrough recorded on a fresh database and replayed (newman) on another sees the same
    ids; on instance/'s database they would depend on what earlier runs left there.
    """
    return {**os.environ, "DATABASE_URL": f"sqlite:///{(folder / 'database.sqlite').as_posix()}"}


def load_walkthrough(chapter: Chapter):
    return importlib.import_module(f"chapters.{chapter.package}.client").walkthrough


def demos_reference(chapter: Chapter, solution: bool, mine: bool) -> bool:
    """True to demo the reference: asked for, or the learner's chapter does not pass yet."""
    if solution or mine:
        return solution
    result = grading.current([chapter])[chapter.package]
    if result.status == "pass":
        return False
    print(_("Your chapter {n} is not solved yet ({solved}/{total}): demoing the reference solution. "
            "`{demo}` again once it passes shows yours.").format(
        n=chapter.number, solved=len(result.solved()), total=len(chapter.exercises), demo=command("demo", chapter.number)))
    return True


def run_demo(chapter: Chapter, solution: bool = False, mine: bool = False, pause: bool = False) -> int:
    """Start the chapter, run its client.py against it step by step, printing every exchange, stop it."""
    walkthrough = load_walkthrough(chapter)
    reference = demos_reference(chapter, solution, mine)
    which = _("the reference") if reference else _("your copy")
    with chapter_server(chapter, reference) as url:
        print(_("Chapter {n} ({which}) is serving on {url}. Its client.py, step by step:\n").format(
            n=chapter.number, which=which, url=url), flush=True)
        passed = run_walkthrough(walkthrough, url, chapter.number, pause)
    return 0 if passed else 1
