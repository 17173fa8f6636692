"""The warm grader (track/warm_grader.py) answers `check` exactly as the plain path does, never
from stale imports, and a grader that hangs or dies costs time only. Every grader these tests
start is stopped at the end; the other course tests run with it turned off (conftest.py)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from track import warm_client
from track.maintainers.copies import copy_course
from track.model.course import ROOT, chapter
from track.model.inputs import course_modules
from track.model.stubs import write_stubs

needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or os.environ.get("TRACK_NO_FORK") == "1",
                                reason="without fork there is no warm grader: the plain path is all there is")
TIMEOUT_S = 900  # hang guards only
WARM = {name: value for name, value in os.environ.items() if name != warm_client.DISABLE}
PLAIN = {**os.environ, warm_client.DISABLE: "1"}
NO_FORK = {**PLAIN, "TRACK_NO_FORK": "1"}


@pytest.fixture
def course(tmp_path):
    root = copy_course(tmp_path / "course", keep=(1, 2), pristine=True)
    yield root
    warm_client.stop(root)
    assert not warm_client.starting_or_running(root), "a warm grader outlived its test"


def check(course: Path, env: dict, number: str = "1") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "track", "check", number], cwd=course, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT_S)


def jobs(course: Path) -> list[str]:
    """The jobs the running grader ran, from its log."""
    log = warm_client.folder(course) / "log"
    return [line for line in log.read_text().splitlines() if line.startswith("job ")]


def started(course: Path) -> None:
    """A first check starts the grader; wait until it answers."""
    check(course, WARM)
    assert warm_client.wait_until_serving(course), (warm_client.folder(course) / "log").read_text()


def answered_warm(course: Path, number: str = "1") -> subprocess.CompletedProcess:
    before = len(jobs(course))
    done = check(course, WARM, number)
    assert len(jobs(course)) == before + 1, "the warm grader did not answer this check"
    return done


@needs_fork
def test_a_warm_check_says_exactly_what_the_plain_paths_say(course):
    started(course)
    assert warm_client.socket_path(course).stat().st_mode & 0o077 == 0, "only its owner may reach the grader"
    for solve in (False, True):
        if solve:
            write_stubs(chapter(1), course / "chapters" / chapter(1).package, stubbed=())  # an edit the grader must see
        warm, plain, no_fork = answered_warm(course), check(course, PLAIN), check(course, NO_FORK)
        assert (warm.returncode, warm.stdout, warm.stderr) == (plain.returncode, plain.stdout, plain.stderr)
        assert (warm.returncode, warm.stdout, warm.stderr) == (no_fork.returncode, no_fork.stdout, no_fork.stderr)
        assert warm.returncode == (0 if solve else 1), warm.stdout
    unknown, unknown_plain = answered_warm(course, "99"), check(course, PLAIN, "99")
    assert (unknown.returncode, unknown.stderr) == (unknown_plain.returncode, unknown_plain.stderr) == (2, unknown_plain.stderr)


@needs_fork
def test_an_edited_grader_is_never_served_from_memory(course):
    write_stubs(chapter(1), course / "chapters" / chapter(1).package, stubbed=())
    started(course)
    assert answered_warm(course).returncode == 0
    grader = course / "tests" / f"test_{chapter(1).package}.py"
    grader.write_text(grader.read_text().replace('"/"), "Hello, World!")', '"/"), "Hello, Warm!")'))
    done = check(course, WARM)
    assert "declined and leaving: the machinery changed" in (warm_client.folder(course) / "log").read_text()
    assert done.returncode == 1 and "Hello, Warm!" in done.stdout, done.stdout
    assert done.stdout == check(course, PLAIN).stdout


@needs_fork
def test_another_environment_is_served_by_another_grader(course):
    started(course)
    done = check(course, {**WARM, "TRACK_LANG": "zh"})
    assert "declined and leaving: other environment" in (warm_client.folder(course) / "log").read_text()
    assert done.stdout == check(course, {**PLAIN, "TRACK_LANG": "zh"}).stdout


@needs_fork
@pytest.mark.parametrize("fault", [signal.SIGSTOP, signal.SIGKILL], ids=["hangs", "died"])
def test_a_grader_that_hangs_or_died_costs_time_only(course, fault):
    started(course)
    pid = int((warm_client.folder(course) / "pid").read_text())
    os.kill(pid, fault)
    done = check(course, WARM)
    assert (done.returncode, done.stdout) == (1, check(course, PLAIN).stdout)
    give_up = time.monotonic() + 10
    while alive(pid) and time.monotonic() < give_up:  # a hung grader is killed by the check that met it
        time.sleep(0.05)
    assert not alive(pid)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@needs_fork
def test_stop_leaves_nothing_running(course):
    started(course)
    done = subprocess.run([sys.executable, "-m", "track", "stop"], cwd=course, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    assert done.returncode == 0 and "stopped" in done.stdout, done.stdout
    assert not warm_client.starting_or_running(course) and not warm_client.socket_path(course).exists()


def test_class_grading_never_reaches_the_warm_grader():
    """A student's code runs in the sandboxed zygote only: nothing class grading imports can hand it to the grader."""
    class_grading = course_modules(ROOT / "track" / name for name in ("classroom.py", "student_run.py", "zygote.py", "autograder.py"))
    assert class_grading.isdisjoint({ROOT / "track" / "warm_client.py", ROOT / "track" / "warm_grader.py"})
