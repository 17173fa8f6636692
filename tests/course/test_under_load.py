"""No verdict depends on how busy the machine is.

Chapter 10's grader (live servers, concurrency) and the CLI's own tests run again while two
CPU-bound processes spin on this 2-core machine: every test still passes on the solutions,
and the stub of chapter 10 gets exactly the verdicts it gets on a quiet machine.
"""
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from track.grading import engine
from track.model.course import ROOT, chapter
from track.grading.processes import kill
from track.model.stubs import write_stubs

CH10 = chapter(10)
SPINNERS = 2
UNDER_LOAD_TIMEOUT_S = 900


@contextmanager
def spinning(count: int = SPINNERS) -> Iterator[None]:
    """`count` processes that keep a core busy each, for the duration of the block."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            kill(spinner)


def verdicts(target) -> dict[str, str]:
    run = engine.grade([CH10], target=str(target))
    assert run.chapter(CH10.package) is not None, run.message
    return {test.nodeid: test.status for test in run.chapter(CH10.package).tests}


@pytest.mark.timeout(UNDER_LOAD_TIMEOUT_S)
def test_verdicts_hold_while_two_processes_spin(tmp_path):
    write_stubs(CH10, tmp_path / CH10.package)
    quiet = verdicts(tmp_path)
    with spinning():
        loaded = verdicts(tmp_path)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", str(CH10.test_module.relative_to(ROOT)), "tests/course/test_cli.py",
             "--target", "solutions", "-q", "--no-header"],
            cwd=ROOT, capture_output=True, text=True, timeout=UNDER_LOAD_TIMEOUT_S,
        )
    changed = {nodeid: (quiet[nodeid], loaded.get(nodeid)) for nodeid in quiet if loaded.get(nodeid) != quiet[nodeid]}
    assert not changed, f"verdicts on chapter 10's stub changed under load (quiet, loaded): {changed}"
    assert done.returncode == 0, f"under load, chapter 10's grader or the CLI tests failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
