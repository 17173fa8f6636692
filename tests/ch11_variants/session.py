"""One nested pytest session for all the learner's tests of chapter 11, and what it found.

The session runs the learner module of every graded exercise (and the probes of `fixtures`)
on the correct app and on each broken variant of its exercise: one session instead of one per variant, because
pytest's start-up costs more than the tests. It runs in a forked child where the platform
has `os.fork` and this process has no other thread (forking a threaded process can deadlock
the child), else in a fresh interpreter. Either way a crash or an endless loop in the
learner's tests cannot take the grader down, and a hang guard stops the session.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ch11_variants.variants import EXERCISES, LEARNER_MODULES, PROBE
from track.model.course import ROOT, STATE
from track.model.i18n import _

NESTED_INI = Path(__file__).with_name("nested.ini")
# A folder in memory, where the system has one: every learner test creates an SQLite database,
# and on a disk each new database costs a few synchronous writes (a third of the session's time).
# A run that was given its own TMPDIR (class grading: the only place it may write) uses that.
MEMORY = Path("/dev/shm")
LIMIT_S = 30  # hang guard for the whole session; it normally takes well under a second
POLL_S = 0.01
LOG_TAIL = 2000


@dataclass
class Report:
    """What the session wrote: a problem that stopped it, collection errors, one record per test."""

    problem: str | None = None
    missing: list[str] = field(default_factory=list)  # learner modules that are not there
    collect_errors: dict[str, str] = field(default_factory=dict)
    done: list[dict] = field(default_factory=list)
    unfinished: dict | None = None  # the test that was running when the session ended early
    killed: bool = False  # by the hang guard

    @classmethod
    def read(cls, path: Path, finished: bool, log: Path) -> Report:
        report = cls(killed=not finished)
        started = {}
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        for record in map(json.loads, lines):
            if "problem" in record:
                report.problem = record["problem"]
            elif "collect_error" in record:
                report.collect_errors[record["module"]] = record["collect_error"]
            elif record["event"] == "start":
                started = record
            else:
                report.done.append(record)
                started = {}
        report.unfinished = started or None
        if finished and not lines:
            tail = log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:] if log.exists() else ""
            report.problem = _("The grader's pytest session for your tests could not run:\n{log}").format(log=tail)
        elif not finished and started == {}:
            report.problem = _("Your tests did not finish within {limit} s and were stopped.").format(limit=LIMIT_S)
        return report

    def runs(self, module: str, app: str) -> list[dict]:
        return [record for record in self.done if record["module"] == module and record["app"] == app]


def pytest_args(tests_dir: Path, scratch: Path, exercises: Collection[str]) -> list[str]:
    modules = [tests_dir / name for exercise, name in LEARNER_MODULES.items()
               if exercise in exercises and (tests_dir / name).is_file()]
    probes = [str(PROBE)] if "fixtures" in exercises else []
    return [
        "-c", str(NESTED_INI), f"--rootdir={tests_dir}", "--noconftest",
        "--disable-plugin-autoload", "-p", "pytest_timeout", "-p", "tests.ch11_variants.harness",
        f"--learner-tests={tests_dir}", f"--learner-report={scratch / 'report.jsonl'}",
        f"--basetemp={scratch / 'tmp'}", "--continue-on-collection-errors",
        # Only the report counts: no tracebacks, no output capture, no log capture to pay for.
        "-q", "--tb=no", "--capture=no", "-p", "no:logging",
        *probes, *map(str, modules),  # the probes first: every other exercise needs the fixtures
    ]


def run(tests_dir: Path, exercises: Collection[str] = EXERCISES) -> Report:
    """Run the learner's tests of `exercises` in `tests_dir` and read back what happened."""
    memory = MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) and "TMPDIR" not in os.environ else None
    with tempfile.TemporaryDirectory(prefix="ch11-session-", dir=memory) as folder:
        return run_in(tests_dir, Path(folder), exercises)


def run_in(tests_dir: Path, scratch: Path, exercises: Collection[str]) -> Report:
    args, log = pytest_args(tests_dir, scratch, exercises), scratch / "pytest.log"
    # pytest caches a rewritten test module in a pyc that does not record whether the
    # assert-pass hook was on: the cache of the learner's own `pytest` run would count no
    # asserts. The session keeps its compiled files apart, in the course's state folder.
    pycache = STATE / "pycache"
    if hasattr(os, "fork") and threading.active_count() == 1:
        finished = run_forked(args, log, pycache)
    else:
        finished = run_subprocess(args, log, pycache)
    report = Report.read(scratch / "report.jsonl", finished, log)
    report.missing = [name for name in LEARNER_MODULES.values() if not (tests_dir / name).is_file()]
    return report


def run_forked(args: list[str], log: Path, pycache: Path) -> bool:
    """pytest.main in a child process; False if the hang guard had to kill it."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        child(args, log, pycache)
    deadline = time.monotonic() + LIMIT_S
    try:
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                pid = None
                return True
            time.sleep(POLL_S)
        return False
    finally:
        if pid is not None:  # the guard, or an interruption of this process: never leave it running
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def child(args: list[str], log: Path, pycache: Path) -> None:
    """The forked child's whole life: it ends in os._exit, never back in the grader's session."""
    status = 70  # pytest did not even start
    try:
        with open(log, "w", encoding="utf-8") as output:
            os.dup2(output.fileno(), 1)
            os.dup2(output.fileno(), 2)
            sys.stdout = sys.stderr = output
            sys.pycache_prefix = str(pycache)
            status = int(pytest.main(args))
    finally:
        os._exit(status)


def run_subprocess(args: list[str], log: Path, pycache: Path) -> bool:
    """The same in a fresh interpreter (no fork on Windows, or other threads here)."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache)}
    with log.open("w", encoding="utf-8") as output:
        try:
            subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env, stdout=output,
                           stderr=subprocess.STDOUT, timeout=LIMIT_S, check=False)
        except subprocess.TimeoutExpired:
            return False
    return True
