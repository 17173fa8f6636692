"""A chapter served for real in its own process: for `demo`, the tests and the benchmarks.

A demo's server starts from nothing each time: its own empty instance folder (database,
uploads) and no DATABASE_URL, so two runs print the same ids. Its log is kept, and each
exchange gets the server's lines for it.
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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from track import grading
from track.course import ROOT, Chapter
from track.i18n import _
from track.processes import new_group, stop
from track.postman import Printer, Step, run_walkthrough
from track.ui import command

# Our servers print "Serving on URL"; Flask's dev server (`run --dev`) prints "Running on URL".
SERVING = re.compile(r"(?:Serving|Running) on (http://[^\s/]+)")
START_TIMEOUT_S = 30
ACCESS_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" \d{3}')  # gevent's log line for one request


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


def attach_log(steps: Iterable[Step], log: list[str]) -> None:
    """Give each exchange the server's lines for it: its access line and what the app logged before."""
    exchanges = iter([exchange for step in steps for exchange in step.exchanges])
    current, pending = next(exchanges, None), []
    for line in (line.rstrip() for line in log if not SERVING.search(line)):
        if current is None:
            return
        if ACCESS_LINE.search(line) and f'"{current.method} {current.path} ' not in line:
            continue  # a request the walkthrough did not make itself (a Socket.IO transport's)
        pending.append(line)
        if ACCESS_LINE.search(line):
            current.log, pending, current = pending, [], next(exchanges, None)


def fresh_database(folder: Path) -> dict[str, str]:
    """The environment with DATABASE_URL naming a new SQLite file in `folder` (chapter 9 reads it).

    A walkthrough recorded on a fresh database and replayed (newman) on another sees the same
    ids; on instance/'s database they would depend on what earlier runs left there.
    """
    return {**os.environ, "DATABASE_URL": f"sqlite:///{(folder / 'database.sqlite').as_posix()}"}


def load_walkthrough(chapter: Chapter):
    return importlib.import_module(f"chapters.{chapter.package}.client").walkthrough


def unsolved(chapter: Chapter) -> tuple[int, int] | None:
    """(solved, total) exercises while the learner's chapter does not pass; None once it does."""
    result = grading.current([chapter])[chapter.package]
    return None if result.solved else (len(result.solved_exercises()), len(chapter.exercises))


def demos_reference(chapter: Chapter, solution: bool, mine: bool) -> bool:
    """True to demo the reference: asked for, or the learner's chapter does not pass yet."""
    if solution or mine:
        return solution
    if (progress := unsolved(chapter)) is None:
        return False
    print(_("Your chapter {n} is not solved yet ({solved}/{total}): demoing the reference solution. "
            "`{demo}` again once it passes shows yours.").format(
        n=chapter.number, solved=progress[0], total=progress[1], demo=command("demo", chapter.number)))
    return True


@dataclass
class Demo:
    """One run of a chapter's walkthrough: whose code served it, each step as shown, the verdict."""
    chapter: Chapter
    reference: bool
    steps: list[Step]
    passed: bool
    unsolved: tuple[int, int] | None = None  # (solved, total) when the reference stands in for the learner's copy


def demo_run(chapter: Chapter, reference: bool, printer: Printer, announce: bool = False,
             progress: tuple[int, int] | None = None) -> Demo:
    """Serve the chapter fresh, run its client.py through `printer`, stop it, attach the server's log."""
    log: list[str] = []
    with fresh_chapter_server(chapter, reference, log) as url:
        if announce:
            which = _("the reference") if reference else _("your copy")
            print(_("Chapter {n} ({which}) is serving on {url}. Its client.py, step by step:\n").format(
                n=chapter.number, which=which, url=url), flush=True)
        passed = run_walkthrough(load_walkthrough(chapter), url, chapter.number, printer=printer)
    attach_log(printer.steps, log)
    return Demo(chapter, reference, [step for step in printer.steps if step.shown], passed, progress)


def run_demo(chapter: Chapter, solution: bool = False, mine: bool = False, pause: bool = False,
             handout: Path | None = None) -> int:
    """Start the chapter, run its client.py against it step by step, printing every exchange, stop it."""
    from track.demo import plan_of  # track.demo reads client.py through track.walkthrough, which serves through here

    reference = demos_reference(chapter, solution, mine)
    demo = demo_run(chapter, reference, Printer(plan_of(chapter).headers, pause), announce=True)
    if handout is not None:
        from track.web.presenter import write_handout

        write_handout(demo, handout)
        print(_("The handout is in {file}.").format(file=handout))
    return 0 if demo.passed else 1
