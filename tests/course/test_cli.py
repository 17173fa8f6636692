"""The course CLI, run as a learner or a teacher would: a subprocess in a temporary copy."""
import csv
import json
import os
import pty
import queue
import re
import select
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from track.model.course import ROOT, chapter
from track.grading.engine import GRADER_TIMEOUT_S
from track.walkthrough.live import drain, live_server
from track.grading.processes import stop
from track.maintainers.copies import copy_course
from track.model.stubs import stub_files, write_stubs

CH01 = chapter(1)
TIMEOUT_S = 900  # hang guards only: a busy machine may be slow, never wrong


def make_copy(destination: Path) -> Path:
    """Chapters 1 and 2 are enough to show every verb (watch moves on from 1 to 2) and grade quickly."""
    return copy_course(destination, keep=(1, 2), pristine=True)


@pytest.fixture
def course(tmp_path):
    return make_copy(tmp_path / "course")


def track(course: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "track", *args], cwd=course, input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT_S)


def solve_chapter_1(course: Path) -> None:
    """Write the reference solution as a learner would: without the SOLUTION markers."""
    write_stubs(CH01, course / "chapters" / CH01.package, stubbed=())


def test_list_shows_every_chapter_with_its_count(course):
    done = track(course, "list")
    assert done.returncode == 0, done.stderr
    assert re.search(rf"^1\s+{re.escape(CH01.title)}\s+0/{len(CH01.exercises)}$", done.stdout, re.M), done.stdout
    assert re.search(r"^2\s+\S.*\s0/\d+$", done.stdout, re.M), done.stdout


def test_check_names_each_exercise_and_the_first_to_fix(course):
    done = track(course, "check", "1")
    assert done.returncode == 1
    assert done.stdout.count("✘") == len(CH01.exercises)
    assert f"First to fix: {CH01.exercises[0].id}" in done.stdout
    assert "not written yet" in done.stdout and "python -m track hint 1" in done.stdout
    solve_chapter_1(course)
    done = track(course, "check", "01")
    assert done.returncode == 0, done.stdout
    assert "All exercises pass" in done.stdout


def test_hints_come_one_at_a_time_and_state_is_ignored_by_git(course):
    hints = CH01.exercises[0].hints
    for number in range(1, len(hints) + 1):
        shown = track(course, "hint", "1").stdout
        assert f"Hint {number}/{len(hints)}" in shown and hints[number - 1].text in shown
    assert f"All {len(hints)} hints" in track(course, "hint", "1").stdout
    assert (course / ".track" / "hints.json").is_file()
    ignored = subprocess.run(["git", "check-ignore", "-q", ".track/hints.json"], cwd=ROOT)
    assert ignored.returncode == 0, ".track/ must be git-ignored"


def test_reset_asks_first_keeps_a_backup_and_restores_the_stub(course):
    app_py = course / "chapters" / CH01.package / "app.py"
    app_py.write_text("# my work\n")
    refused = track(course, "reset", "1", stdin="n\n")
    assert refused.returncode == 1 and app_py.read_text() == "# my work\n"
    done = track(course, "reset", "1", "--yes")
    assert done.returncode == 0, done.stderr
    assert app_py.read_bytes() == stub_files(CH01)[Path("app.py")]
    backups = list((course / ".track" / "backups").glob("ch01_hello_world-*/app.py"))
    assert [b.read_text() for b in backups] == ["# my work\n"]


def test_solution_diff_waits_until_the_chapter_passes(course):
    early = track(course, "solution", "1")
    assert early.returncode == 1 and "does not pass yet" in early.stdout
    forced = track(course, "solution", "1", "--force")
    assert "+++ reference: solutions/ch01_hello_world/app.py" in forced.stdout
    solve_chapter_1(course)
    assert "match the reference solution exactly" in track(course, "solution", "1").stdout


def test_progress_shows_points_and_the_next_step(course):
    solve_chapter_1(course)
    done = track(course, "progress")
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if CH01.title in line)
    assert f"{len(CH01.exercises)}/{len(CH01.exercises)}" in row and f"{CH01.points}/{CH01.points}" in row and "done" in row


def test_grade_writes_results_json_and_junit_xml(course, tmp_path):
    solve_chapter_1(course)
    done = track(course, "grade", "--json", str(tmp_path / "results.json"), "--junitxml", str(tmp_path / "junit.xml"))
    assert done.returncode == 1, "chapter 2 fails, so grade exits 1\n" + done.stdout + done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["version"] == 3 and results["status"] in ("pass", "fail")
    ch01 = [e for e in results["exercises"] if e["chapter"] == CH01.package]
    assert [e["id"] for e in ch01] == [e.id for e in CH01.exercises] and all(e["status"] == "pass" for e in ch01)
    test = results["tests"][0]
    assert {"name", "status", "message", "task_id", "exercise", "points"} <= test.keys()
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    assert any(p.get("name") == "exercise" for case in cases for p in case.iter("property"))


def test_teacher_grades_clones_with_this_repositorys_graders(course, tmp_path):
    solved = make_copy(tmp_path / "alice")
    solve_chapter_1(solved)
    cheater = make_copy(tmp_path / "bob")
    # An edited grader in a student's clone must change nothing.
    (cheater / "tests" / f"test_{CH01.package}.py").write_text("def test_everything():\n    pass\n")
    done = track(course, "grade", "--root", str(solved), "--root", str(cheater), "--csv", str(tmp_path / "class.csv"))
    assert done.returncode == 1, "students fail exercises, so grade exits 1\n" + done.stdout + done.stderr
    with (tmp_path / "class.csv").open(newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert rows["alice"][CH01.package] == str(CH01.points)
    assert rows["bob"][CH01.package] == "0"


def test_run_serves_the_learners_copy_and_the_solution(course):
    command = [sys.executable, "-m", "track", "run", "1", "--port", "0"]
    with live_server(command, cwd=course) as url:
        todo = requests.get(f"{url}/", timeout=5)  # the stub raises NotImplementedError("TODO(hello)")
        assert todo.status_code == 501 and "TODO(hello)" in todo.text and "python -m track hint 1" in todo.text
        assert requests.get(f"{url}/nowhere", timeout=5).status_code == 404
    with live_server([*command, "--solution"], cwd=course) as url:
        assert requests.get(f"{url}/", timeout=5).text == "Hello, World!"


def test_dev_server_runs_on_loopback_only(course):
    refused = track(course, "run", "1", "--dev", "--host", "0.0.0.0")
    assert refused.returncode != 0 and "Refusing --dev on 0.0.0.0" in refused.stderr
    with live_server([sys.executable, "-m", "track", "run", "1", "--solution", "--dev", "--port", "0"], cwd=course) as url:
        response = requests.get(f"{url}/", timeout=5)
        assert response.text == "Hello, World!" and response.headers["Server"].startswith("Werkzeug")


def test_demo_prints_each_exchange(course):
    done = track(course, "demo", "1", "--solution")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "→ PUT /method" in done.stdout and "← 405 METHOD NOT ALLOWED" in done.stdout
    allow = re.search(r"Allow: ([A-Z, ]+)", done.stdout)
    assert allow and set(allow[1].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}, done.stdout
    mine = track(course, "demo", "1", "--mine")
    assert mine.returncode == 1 and "needs exercise" in mine.stdout and "Traceback" not in mine.stdout + mine.stderr


WATCH_WAIT_S = 400  # under pytest's 600 s hang guard, so a watch that never answers shows its output
RESAVE_S = 5


def saving_until(save, lines: queue.Queue, marker: str, deadline: float, seen: list[str]) -> str:
    """Save, and save again every few seconds until `marker` appears: watch starts watching just
    after it prints, and a save before that (a busy machine, a quick test) is not seen."""
    while True:
        save()
        try:
            return read_until(lines, marker, min(deadline, time.monotonic() + RESAVE_S), seen)
        except AssertionError:
            if time.monotonic() >= deadline:
                raise


def read_until(lines: queue.Queue, marker: str, deadline: float, seen: list[str]) -> str:
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        if marker in line:
            return line
    raise AssertionError(f"never saw {marker!r}; output was:\n{''.join(seen)}")


def test_watch_rechecks_on_save_and_moves_on_when_asked(course):
    """The solved verdict stays: a save in the solved chapter checks it again; Enter goes on."""
    process = subprocess.Popen([sys.executable, "-u", "-m", "track", "watch", "1"], cwd=course, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen, lines = [], queue.Queue()
    reader = threading.Thread(target=drain, args=(process, seen, lines), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + WATCH_WAIT_S
        read_until(lines, "Stuck?", deadline, seen)
        saving_until(lambda: solve_chapter_1(course), lines, "Chapter 1 solved! Press Enter", deadline, seen)
        # saved again: chapter 1 is checked again, not left
        assert "chapter 1 " in saving_until(lambda: solve_chapter_1(course), lines, "=== Watching chapter", deadline, seen)
        read_until(lines, "Chapter 1 solved! Press Enter", deadline, seen)
        process.stdin.write("\n")
        process.stdin.flush()
        read_until(lines, "Watching chapter 2", deadline, seen)
    finally:
        stop(process)
        reader.join(timeout=5)
        process.stdout.close()


@pytest.mark.parametrize(
    ("make_args", "expected"),
    [(["chapter-1", "run"], "-m track run 1 "), (["chapter-01", "run"], "-m track run 01 "),
     (["run", "CHAPTER=1"], "-m track run 1 "), (["chapter-1", "run", "DEV=1", "PORT=8080"], "--port 8080 --dev"),
     (["chapter-2", "check"], "-m track check 2"), (["chapter-1", "reset", "YES=1"], "reset 1 --yes")],
)
def test_make_forms_call_the_same_verbs(make_args, expected):
    done = subprocess.run(["make", "-n", *make_args], cwd=ROOT, capture_output=True, text=True)
    assert expected in done.stdout, done.stdout + done.stderr


def test_ctrl_c_ends_make_watch_without_make_s_interrupt_line(course):
    """In a terminal, Ctrl-C under `make watch` stops watch, and make says nothing of it."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make, in a new session whose terminal is the pty
        os.chdir(course)
        os.execvp("make", ["make", "watch", "CHAPTER=1", f"PYTHON={sys.executable}"])
    output = b""
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while b"Watching chapter 1" not in output and time.monotonic() < deadline:
            output += read_some(terminal)
        os.write(terminal, b"\x03")  # what Ctrl-C sends
        while chunk := read_some(terminal):
            output += chunk
    finally:
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        os.close(terminal)
    text = output.decode(errors="replace")
    assert "Watching chapter 1" in text and "Interrupt" not in text and code == 0, text


def read_some(terminal: int) -> bytes:
    """What the pty has to say within a while; b"" once the other side is gone."""
    if not select.select([terminal], [], [], TIMEOUT_S)[0]:
        return b""
    try:
        return os.read(terminal, 4096)
    except OSError:  # EIO: every process on the terminal has exited
        return b""


@pytest.mark.parametrize(("goals", "meant"), [(["chapter-1", "chek"], "check"), (["chapter-2", "wach"], "watch"),
                                             (["hepl"], "help")])
def test_a_make_typo_names_the_closest_target(goals, meant):
    done = subprocess.run(["make", *goals], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and f"Did you mean {meant}?" in done.stderr, done.stdout + done.stderr
    assert "No rule to make target" not in done.stderr


def test_make_without_a_chapter_says_which_is_missing():
    done = subprocess.run(["make", "run"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and "Which chapter?" in done.stderr


def test_make_chapter_run_serves_chapter_1(course):
    with live_server(["make", "chapter-1", "run", "PORT=0", "SOLUTION=1"], cwd=course) as url:
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(f"{url}/", timeout=5).text == "Hello, World!"
    with live_server(["make", "chapter-1", "run", "PORT=0"], cwd=course) as url:
        todo = requests.get(f"{url}/", timeout=5)
        assert todo.status_code == 501 and "make chapter-1 hint" in todo.text, "messages use the form the learner typed"


def test_the_hint_addresses_the_test_that_fails_first(course):
    solve_chapter_1(course)
    app_py = course / "chapters" / CH01.package / "app.py"
    app_py.write_text(app_py.read_text().replace("escape(name)", "name"))  # greet now echoes tags
    shown = track(course, "hint", "1").stdout
    escaping = next(h for h in CH01.exercise("greet").hints if h.rules)
    assert "exercise `greet`" in shown and escaping.text in shown, shown


def test_an_endless_loop_is_that_exercises_verdict_not_a_hang(course):
    solve_chapter_1(course)
    app_py = course / "chapters" / CH01.package / "app.py"
    app_py.write_text(app_py.read_text().replace('return "Hello, World!"', "while True:\n            pass", 1))
    done = track(course, "check", "1")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"did not finish in {GRADER_TIMEOUT_S} s" in done.stdout and "Traceback" not in done.stdout + done.stderr, done.stdout
    assert done.stdout.count("✔") == len(CH01.exercises) - 1, "the other exercises keep their verdict"


def test_a_chapter_that_does_not_parse_is_one_chapter_error(course):
    app_py = course / "chapters" / CH01.package / "app.py"
    app_py.write_text(app_py.read_text() + "\ndef broken(:\n")
    done = track(course, "check", "1")
    assert done.returncode == 2 and "could not be graded" in done.stdout and "does not parse" in done.stdout, done.stdout
    assert "First to fix" not in done.stdout and "Where to look: the view" not in done.stdout
    hint = track(course, "hint", "1")
    assert hint.returncode == 2 and "does not load yet" in hint.stdout and "Hint 1/" not in hint.stdout, hint.stdout


def test_make_does_not_add_its_own_error_line(course):
    checked = subprocess.run(["make", "chapter-1", "check"], cwd=course, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert "make chapter-1 hint" in checked.stdout, "messages name the command the learner typed"
    declined = subprocess.run(["make", "chapter-1", "reset"], cwd=course, input="n\n", capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    for done in (checked, declined):
        assert "*** " not in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_busy_port_is_one_line_with_the_fix(course):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = track(course, "run", "1", "--port", str(port))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr and "--port 5001" in done.stderr, done.stderr


# The course's checks that enumerate chapters, run on a copy with new chapters in it. A copy
# with few chapters cannot show that every glossary term is used: `make test` checks that on the course.
COURSE_CHECKS = ("tests/course/test_lessons.py", "tests/course/test_course.py", "tests/course/test_i18n.py",
                 "tests/course/test_rules.py", "tests/course/test_glossary.py")
NEEDS_EVERY_CHAPTER = "tests/course/test_glossary.py::test_every_glossary_term_is_used"


def test_new_chapters_pass_the_course_checks_before_any_content_is_written(tmp_path):
    """Chapter 13 after the last, then 7 between chapter 1 and 13: `new` links each into the course
    (neighbours' links in both lessons, rows in both READMEs, its catalog) and nothing else is needed."""
    course = copy_course(tmp_path / "course", keep=(1,), pristine=True)
    for number, slug in (("13", "caching"), ("7", "sessions")):
        created = track(course, "new", number, slug)
        assert created.returncode == 0, created.stdout + created.stderr
    assert "README.md and README.zh-CN.md" in created.stdout, "the next steps name the two README tables"
    assert "track messages" in created.stdout, "the next steps say how to translate the chapter's new texts"
    checks = subprocess.run(
        [sys.executable, "-m", "pytest", "--target", "solutions", "-q", *COURSE_CHECKS,
         "tests/test_ch07_sessions.py", "tests/test_ch13_caching.py", "--deselect", NEEDS_EVERY_CHAPTER],
        cwd=course, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert checks.returncode == 0, checks.stdout[-3000:]
    stub = track(course, "check", "7")
    assert stub.returncode == 1 and "not written yet" in stub.stdout, stub.stdout
    assert track(course, "new", "13", "again").returncode == 2
    no_catalog = track(course, "mistakes", "7")
    assert no_catalog.returncode == 2 and "tests/mistakes/ch07_sessions.toml" in no_catalog.stdout + no_catalog.stderr, (
        no_catalog.stdout + no_catalog.stderr)
