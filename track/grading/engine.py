"""Grading runs: the graders in child processes, each with a deadline, read back as typed results.

Where the OS has `fork` (Linux, macOS), a child is a fork of this process: nothing is
imported twice, and a long-lived process (`watch`, the leave-one-out matrix) that has
pre-imported the graders once (`warm`) re-grades in the time the tests themselves take.
The learner's code is imported only in the child, so each run sees the saved files, and a
crash or an endless loop there cannot take the CLI down. Without fork (Windows) a child is
a plain `python -m pytest` subprocess: slower, the same verdicts.
"""
from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from track.grading import processes, shares
from track.model.course import GRADER_TIMEOUT_S, ROOT, Chapter
from track.model.i18n import _
from track.model.results import RunResult

SLACK_S = 30  # start-up, collection, and a machine busy with other work
CAN_FORK = hasattr(os, "fork")
# A run in a process that imported pytest's plugins before (`warm`, or watchfiles importing
# anyio) makes pytest warn that it cannot rewrite their asserts: true, and harmless here.
QUIET_REWRITE = ("-W", "ignore::pytest.PytestAssertRewriteWarning")
# Grading runs load the one third-party plugin they use by name, instead of scanning every
# installed package's entry points for plugins on each run.
NO_AUTOLOAD = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
PLUGINS = ("-p", "pytest_timeout")
# Each exercise's number of grader tests, (chapter package, exercise id) -> count, in a process
# that imported the graders (`warm`): what `grade` weighs to share one chapter's run between forks.
WEIGHTS: Counter[tuple[str, str]] = Counter()


@dataclass
class Job:
    """One grading run: which chapters of which copy, optionally only some exercises."""

    chapters: Sequence[Chapter]
    target: str = "chapters"
    exercises: Sequence[str] = ()
    extra: Sequence[str] = ()
    deadline_s: float | None = None
    on_start: Callable[[], None] | None = None  # told when the run leaves the queue

    def deadline(self) -> float:
        """One time-out per exercise and some slack: after one test of an exercise times out,
        the plugin skips its other tests, so even a chapter that loops everywhere ends in time."""
        if self.deadline_s is not None:
            return self.deadline_s
        return SLACK_S + GRADER_TIMEOUT_S * sum(len(chapter.exercises) for chapter in self.chapters)

    def pytest_args(self, results: Path) -> list[str]:
        modules = [str(chapter.test_module.relative_to(ROOT)) for chapter in self.chapters]
        only = [f"--exercise={exercise}" for exercise in self.exercises]
        # Little terminal output (it goes to a log): the CLI prints the verdict from the results.
        # The run's own basetemp, in its scratch folder: pytest then never scans or prunes the
        # user's shared pytest-of-<user> folder, which other runs may have filled with thousands of files.
        return [*modules, f"--rootdir={ROOT}", f"--target={self.target}", f"--results-json={results}",
                f"--basetemp={results.parent / 'tmp'}",
                "-qq", "--no-header", "--tb=no", *PLUGINS, *QUIET_REWRITE, *only, *self.extra]


@dataclass
class Child:
    """A running grading job: a forked process or a subprocess, with its scratch folder."""

    job: Job
    scratch: tempfile.TemporaryDirectory
    pid: int
    process: subprocess.Popen | None = None
    handle: int | None = None  # a pidfd: readable once the child exits (Linux)
    started: float = field(default_factory=time.monotonic)

    @property
    def folder(self) -> Path:
        return Path(self.scratch.name)

    def poll(self) -> int | None:
        if self.process is not None:
            return self.process.poll()
        done, status = os.waitpid(self.pid, os.WNOHANG)
        return os.waitstatus_to_exitcode(status) if done else None

    def overdue(self) -> bool:
        return time.monotonic() - self.started > self.job.deadline()

    def kill(self) -> None:
        """The child and its group: servers it started go too."""
        if self.process is not None:
            processes.kill(self.process)
            return
        processes.signal_group(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)

    def result(self, code: int | None) -> RunResult:
        if self.handle is not None:
            os.close(self.handle)
        try:
            results = self.folder / "results.json"
            if results.exists():
                return RunResult.read(results)
            output = self.folder / "output.txt"
            log = output.read_text(encoding="utf-8", errors="replace")[-3000:] if output.exists() else ""
        finally:
            self.scratch.cleanup()
        if code is None:
            return RunResult(message=_("Grading did not finish in {seconds:.0f} s and was stopped.").format(seconds=self.job.deadline()))
        return RunResult(message=_("The graders could not run (pytest exited {code}):\n{log}").format(code=code, log=log))


def can_fork_now() -> bool:
    # A fork copies only the calling thread: a lock another thread held (a print in progress)
    # would stay locked forever in the child. With other threads about, start afresh.
    return CAN_FORK and threading.active_count() == 1


def start(job: Job, fork: bool, gate: tuple[int, int] | None = None) -> Child:
    """Start grading `job`; with `gate` (a pipe's read and write ends) the run waits after collection."""
    scratch = tempfile.TemporaryDirectory(prefix="track-grade-")
    folder = Path(scratch.name)
    args = job.pytest_args(folder / "results.json")
    output = folder / "output.txt"
    if not (fork and can_fork_now()):
        with open(output, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "pytest", *args], cwd=ROOT, stdout=log,
                                       stderr=subprocess.STDOUT, env={**os.environ, **NO_AUTOLOAD},
                                       **processes.new_group())
        return Child(job, scratch, process.pid, process)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        run_child(args, output, gate)
    return Child(job, scratch, pid, handle=pid_handle(pid))


class Gate:
    """A pytest plugin that holds a primed run after collection, until the parent releases it.

    Collection imports only the graders (the learner's code comes in through fixtures), so a
    run can be readied before the learner saves, and start the tests the moment they do.
    """

    def __init__(self, fd: int):
        self.fd = fd

    def pytest_collection_finish(self, session):
        if not os.read(self.fd, 1):  # the parent is gone: nothing will ever read our results
            os._exit(0)


def run_child(args: list[str], output: Path, gate: tuple[int, int] | None = None) -> None:
    """In the forked child: pytest.main(args), output to a log; never returns."""
    code = 3
    try:
        if gate is not None:
            os.close(gate[1])  # only the parent writes: its exit must read as end-of-file here
        os.setpgid(0, 0)  # its own process group, so servers it starts are stopped with it
        os.chdir(ROOT)
        os.environ.update(NO_AUTOLOAD)
        # pytest rewrites each grader module's asserts; let it keep the result in __pycache__
        # (git-ignored) even where PYTHONDONTWRITEBYTECODE is set, instead of redoing it per run.
        sys.dont_write_bytecode = False
        with open(output, "wb") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
        import pytest

        code = int(pytest.main(args, plugins=[Gate(gate[0])] if gate is not None else None))
    finally:
        os._exit(code)


def pid_handle(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def wait_a_little(children: list[Child]) -> None:
    """Sleep until a child may have finished or a deadline passed."""
    remaining = min(child.job.deadline() - (time.monotonic() - child.started) for child in children)
    handles = [child.handle for child in children if child.handle is not None]
    if len(handles) == len(children):
        select.select(handles, [], [], max(remaining, 0))
    else:
        time.sleep(min(0.005, max(remaining, 0)))


def reap(running: dict[int, Child]) -> dict[int, RunResult]:
    """Wait a little; the results of the children that finished (or ran out of time) meanwhile."""
    wait_a_little(list(running.values()))
    done = {}
    for index, child in list(running.items()):
        code = child.poll()
        if code is None and child.overdue():
            child.kill()
        elif code is None:
            continue
        done[index] = child.result(code)
        del running[index]
    return done


def grade_each(jobs: Iterable[Job], parallel: int = 1, fork: bool = CAN_FORK) -> Iterator[tuple[int, RunResult]]:
    """Run `jobs`, at most `parallel` at a time; (position, result) of each as it finishes."""
    pending = list(enumerate(jobs))
    running: dict[int, Child] = {}
    try:
        while pending or running:
            while pending and len(running) < parallel:
                index, job = pending.pop(0)
                running[index] = start(job, fork)
                if job.on_start is not None:
                    job.on_start()
            yield from reap(running).items()
    finally:  # Ctrl-C in watch, or an error here: take every child down
        for child in running.values():
            child.kill()
            child.scratch.cleanup()


def grade_all(jobs: Iterable[Job], parallel: int = 1, fork: bool = CAN_FORK) -> list[RunResult]:
    """Run `jobs`, at most `parallel` at a time; their results in the same order."""
    results = dict(grade_each(jobs, parallel, fork))
    return [results[index] for index in sorted(results)]


def grade(chapters: Iterable[Chapter], target: str = "chapters", *, exercises: Iterable[str] = (),
          extra: Iterable[str] = (), deadline_s: float | None = None, fork: bool = CAN_FORK) -> RunResult:
    """Grade `chapters` of `target` (chapters, solutions or a folder); `exercises` narrows it down.
    One chapter, graded whole by a process that forks and warmed, is shared between forks (track/grading/shares.py)."""
    job = Job(list(chapters), target, list(exercises), list(extra), deadline_s)
    whole = len(job.chapters) == 1 and not job.exercises and not job.extra
    owned = shares.shares(job.chapters[0], WEIGHTS) if whole and fork and can_fork_now() and WEIGHTS else []
    if len(owned) < 2:
        return grade_all([job], fork=fork)[0]
    parts = [Job(job.chapters, target, shares.graded_in(job.chapters[0], share), deadline_s=deadline_s) for share in owned]
    return shares.joined(job.chapters[0], grade_all(parts, parallel=len(parts), fork=fork), owned)


@dataclass
class Primed:
    """A grading run forked and collected ahead of time, waiting at the gate (see Gate)."""

    child: Child
    gate: int

    def run(self) -> RunResult:
        """Release it now: the tests run on the files as they are at this moment."""
        os.write(self.gate, b"go")
        os.close(self.gate)
        self.child.started = time.monotonic()  # the deadline counts from here
        running = {0: self.child}
        try:
            while running:
                if done := reap(running):
                    return done[0]
        finally:
            for child in running.values():
                child.kill()
                child.scratch.cleanup()

    def discard(self) -> None:
        os.close(self.gate)  # the child reads end-of-file at the gate and exits
        self.child.kill()
        self.child.result(None)


def prime(chapters: Iterable[Chapter]) -> Primed | None:
    """A run of `chapters` (the learner's copy) readied for the next save; None without fork."""
    if not can_fork_now():
        return None
    read_end, write_end = os.pipe()
    child = start(Job(list(chapters)), fork=True, gate=(read_end, write_end))
    os.close(read_end)
    return Primed(child, write_end)


class Collected:
    """A pytest plugin that keeps the node ids a collection found, by chapter package."""

    def __init__(self):
        self.ids: dict[str, list[str]] = {}
        self.weights: Counter[tuple[str, str]] = Counter()

    def pytest_collection_finish(self, session):
        for item in session.items:
            self.ids.setdefault(package_of(item.module), []).append(item.nodeid)
            if exercise := dict(item.user_properties).get("exercise"):
                self.weights[package_of(item.module), exercise] += 1
        # A grader whose time goes elsewhere than into its own tests says where (tests/test_ch11_testing.py).
        for module in {item.module for item in session.items}:
            for exercise, weight in getattr(module, "SHARE_WEIGHTS", {}).items():
                self.weights[package_of(module), exercise] = weight


def package_of(grader_module) -> str:
    """The chapter package a grader module grades: tests.test_ch01_hello_world -> ch01_hello_world."""
    return grader_module.__name__.rpartition(".")[2].removeprefix("test_")


def collect(chapters: Iterable[Chapter]) -> Collected:
    """Import pytest, Flask and the graders (as pytest rewrites them); each chapter's grader tests.

    The learner's code is not imported: graders reach it only through fixtures. In a
    long-lived process, later forks find the graders in `sys.modules`.
    """
    import pytest

    collected = Collected()
    modules = [str(chapter.test_module) for chapter in chapters]
    os.environ.update(NO_AUTOLOAD)  # as in every grading run (and its forks)
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        code = pytest.main([*modules, f"--rootdir={ROOT}", "--collect-only", "-qq", *PLUGINS, *QUIET_REWRITE], plugins=[collected])
    if code != 0:
        raise RuntimeError(f"collecting the graders failed (pytest exited {code}): run `python -m pytest --collect-only` to see why")
    return collected


def warm(chapters: Iterable[Chapter]) -> None:
    """Import the graders once, for a long-lived process that forks grading runs (see `collect`)."""
    if CAN_FORK:
        WEIGHTS.update(collect(chapters).weights)
        gc.collect()
        gc.freeze()  # the forks neither scan nor copy the imported objects: a run starts ~0.1 s sooner
