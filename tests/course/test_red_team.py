"""Cheats against class grading, each alone in a clone, graded the way a teacher grades.

Every cheat here worked against an earlier version of the course or is the next thing an
attacker tries: reaching the reference by path or by undoing the import guard, forging the
results the grading process writes, patching pytest's reports, editing the course's graders
in the clone, writing outside the scratch folder (the teacher's course, the home folder, a
sibling chapter's results), the network, a fork bomb and a memory hog. Each must earn
nothing for the chapter it lives in, carry a flag in its row that names file:line or the
behaviour, and change no other student's verdict. They need bubblewrap, an optional part of
`make test` (tests/course/optional.py) that CI installs.
"""
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.course.test_classroom import CH01, CH02, CH03, MAX, clone, grade, rows_of
from track.grading import sandbox
from track.maintainers.copies import copy_course
from track.model.course import STATE, chapters
from track.model.stubs import write_stubs

REFERENCE_BY_PATH = """\
from pathlib import Path

exec((Path.cwd() / "solutions/ch01_hello_world/app.py").read_text())
"""
# The same without a string the static scan could see: only the grading's tripwires can.
REFERENCE_BY_HIDDEN_PATH = """\
import sys
from pathlib import Path

for folder in map(Path, sys.path):
    try:
        exec((folder / ("sol" + "utions") / "ch01_hello_world" / "app.py").read_text())
        break
    except OSError:
        pass
"""
GUARD_UNDONE = """\
import importlib
import sys

builtins = __import__("built" + "ins")
setattr(builtins, "__import__", sys.modules["track.grading.guard"].PLAIN_IMPORT)
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "NoSolutions"]
reference = getattr(importlib, "import_" + "module")("sol" + "utions.ch01_hello_world.app")
"""
RESULTS_FORGED = """\
import sys

results = sys.modules["track.model.results"]
write = results.RunResult.write


def forged(self, path):
    for chapter in self.chapters:  # "pass" in the model's own status type, as a careful forger writes it
        for test in chapter.tests:
            test.status, test.message = type(test.status)("pass"), None
        for exercise in chapter.exercises:
            exercise.status, exercise.message = type(exercise.status)("pass"), None
    write(self, path)


results.RunResult.write = forged
"""
REPORTS_PATCHED = """\
import sys

reports = sys.modules["_pytest.reports"]
make = reports.TestReport.from_item_and_call.__func__


def passing(cls, item, call):
    report = make(cls, item, call)
    report.outcome, report.longrepr = "passed", None
    return report


reports.TestReport.from_item_and_call = classmethod(passing)
"""
WRITES_OUTSIDE = """\
from pathlib import Path

for target in (Path.home() / "red-team-was-here.txt", Path(COURSE) / "red-team-was-here.txt"):
    try:
        target.write_text("x")
    except OSError:
        pass
"""
FORGES_A_SIBLING = """\
from pathlib import Path

try:
    (Path.cwd().parent / "ch02_request_parsing" / "results.json").write_text("{}")
except OSError:
    pass
"""
NETWORK = """\
import socket

try:
    socket.create_connection(("192.0.2.1", 9), timeout=1)  # TEST-NET-1: refused before any packet
except OSError:
    pass
"""
FORK_BOMB = """\
import os

try:
    while True:
        os.fork()
except OSError:
    pass
"""
SHELL_BOMB = """\
import os

try:
    os.system(":(){ :|:& };:")
except OSError:
    pass
"""
SHELL_WRITE = """\
import os

os.system("echo finn > finn_was_in_cwd.txt")
"""
# More than the sandbox's address space at once (a hog that grows slowly is stopped at the same
# limit, but touching gigabytes first makes it a time-out on a busy machine).
MEMORY_HOG = """\
hog = bytearray(16 << 30)
"""
# cheat name -> (file of chapter 1 it lives in, its code, solved underneath?, what the flag must say)
CHEATS = {
    "by_path": ("app.py", REFERENCE_BY_PATH, False, "app.py:3"),
    "by_hidden_path": ("app.py", REFERENCE_BY_HIDDEN_PATH, False, "the reference solutions"),
    "guard_undone": ("__init__.py", GUARD_UNDONE, False, "reference solutions"),
    "results_forged": ("__init__.py", RESULTS_FORGED, False, "tampered"),
    "reports_patched": ("__init__.py", REPORTS_PATCHED, False, "tampered"),
    "writes_outside": ("__init__.py", WRITES_OUTSIDE, True, "outside its scratch folder"),
    "forges_a_sibling": ("__init__.py", FORGES_A_SIBLING, True, "outside its scratch folder"),
    "network": ("__init__.py", NETWORK, True, "192.0.2.1 (the network)"),
    "fork_bomb": ("__init__.py", FORK_BOMB, True, "started a process (os.fork)"),
    "shell_bomb": ("__init__.py", SHELL_BOMB, True, "started a process (os.system)"),
    "shell_write": ("__init__.py", SHELL_WRITE, True, "__init__.py:3 started a process"),
    "memory_hog": ("__init__.py", MEMORY_HOG, True, "more memory than the sandbox allows"),
}
HONEST = ("alice", "bob")

pytestmark = pytest.mark.needs("bubblewrap")  # not run without it (tests/course/optional.py); CI installs it


def cheater(path: Path, course: Path, name: str) -> Path:
    """A clone whose chapter 1 carries the cheat `name`; chapters 2 and 3 solved."""
    file, code, solved, _ = CHEATS[name]
    clone(path, solved=(1, 2, 3) if solved else (2, 3))
    target = path / "chapters" / CH01.package / file
    code = code.replace("COURSE", repr(str(course)))
    target.write_text(code + target.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def red_team(tmp_path_factory):
    """The class (the honest students and every cheater), graded once: (course, folder, rows, output)."""
    base = tmp_path_factory.mktemp("red-team")
    course = copy_course(base / "teacher", keep=(1, 2, 3), pristine=True)
    clone(base / "alice")
    clone(base / "bob", solved=())
    for name in CHEATS:
        cheater(base / name, course, name)
    edited = clone(base / "edited_tests", solved=())
    (edited / "tests" / "conftest.py").write_text("def pytest_runtest_makereport(item, call):\n    pass\n")
    (edited / "tests" / CH01.test_module.name).write_text("def test_everything():\n    pass\n")
    roots = [*HONEST, *CHEATS, "edited_tests"]
    done = grade(course, *(arg for root in roots for arg in ("--root", str(base / root))),
                 "--csv", str(base / "class.csv"), "--jobs", "2", "--no-reuse")
    return course, base, rows_of(base / "class.csv"), done


@pytest.mark.parametrize("name", CHEATS)
def test_a_cheat_earns_nothing_for_its_chapter_and_is_flagged(red_team, name):
    _, _, rows, done = red_team
    row = rows[name]
    assert row[CH01.package] == "0", f"{name} scored chapter 1: {row}\n{done.stdout}"
    assert CHEATS[name][3] in row["integrity"], f"{name}: the flag should say {CHEATS[name][3]!r}: {row['integrity']}"
    assert f"{CH01.package}/" in row["integrity"] or "tampered" in row["integrity"], row["integrity"]


def test_cheats_change_nothing_outside_their_scratch_folder(red_team):
    course, base, _, _ = red_team
    assert not (course / "red-team-was-here.txt").exists() and not (Path.home() / "red-team-was-here.txt").exists()
    assert not list(course.rglob("finn_was_in_cwd.txt")) and not list(base.rglob("finn_was_in_cwd.txt"))


def test_an_edited_tests_folder_changes_nothing_and_is_noted(red_team):
    _, _, rows, _ = red_team
    row = rows["edited_tests"]
    assert row["score"] == "0", "the course's own graders grade the stubs"
    assert "tests/conftest.py:1 differs from the course's copy" in row["integrity"], row
    assert f"tests/{CH01.test_module.name}:1 differs" in row["integrity"], row


def test_honest_students_keep_their_verdicts_beside_the_cheaters(red_team):
    _, _, rows, _ = red_team
    assert rows["alice"]["score"] == str(MAX) and rows["alice"]["integrity"] == "", rows["alice"]
    assert rows["bob"]["score"] == "0" and rows["bob"]["integrity"] == "", rows["bob"]
    solved_underneath = [name for name, cheat in CHEATS.items() if cheat[2]]
    for name in solved_underneath:
        assert rows[name][CH02.package] == str(CH02.points), f"{name}'s other chapters keep their points: {rows[name]}"


def test_a_cheater_graded_first_changes_no_classmate_verdict(red_team, tmp_path):
    """The poisoning sequence: the forger is graded (and would store), then an untouched classmate."""
    course, base, _, _ = red_team
    shutil.rmtree(course / ".track" / "class-results", ignore_errors=True)
    forger = cheater(tmp_path / "forger", course, "results_forged")
    for chap in (CH02, CH03):  # the classmate's chapters 2 and 3, exactly: stubs
        write_stubs(chap, forger / "chapters" / chap.package)
    grade(course, "--root", str(forger), "--csv", str(tmp_path / "first.csv"))
    stored = list((course / ".track" / "class-results").glob("*.json"))
    assert stored == [], f"nothing of a flagged run is stored: {stored}"
    grade(course, "--root", str(base / "bob"), "--csv", str(tmp_path / "second.csv"))
    assert rows_of(tmp_path / "second.csv")["bob"]["score"] == "0"


def test_the_row_says_the_sandbox(red_team):
    _, _, rows, _ = red_team
    assert all(row["sandbox"].startswith("sandboxed (bubblewrap") for row in rows.values()), rows["alice"]["sandbox"]


def test_a_forged_report_is_caught_by_the_canary_alone(tmp_path):
    """The canary, not the static scan, catches a forger (no import of the course's modules)."""
    from track.classroom.verdicts import Canary, judge
    from track.model.results import ChapterResult, ExerciseResult, RunResult, TestResult

    ids = ["tests/t.py::TestA::test_one", "tests/t.py::TestA::test_two"]
    canary = Canary(ids[0], "test_one_two", "GET /notes/1234567 answered 404, expected 200")
    honest = [TestResult(i, CH01.package, "hello", "pass") for i in ids]
    for status, message, believed in (("fail", canary.message + "\n\nWhere to look: ...", True), ("pass", None, False),
                                      ("fail", "GET /notes/7654321 answered 404, expected 200", False)):
        tests = [*honest, TestResult(canary.nodeid, CH01.package, "hello", status, message)]
        result = ChapterResult(CH01.package, [ExerciseResult(CH01.package, "hello", "t", 1, "pass", 2, 0)], tests)
        verdict = judge(RunResult([result]), CH01.package, ids, canary, "", "")
        assert verdict.trusted is believed, (status, message, verdict.flags)
    missing = ChapterResult(CH01.package, [], honest[:1] + [TestResult(canary.nodeid, CH01.package, "hello", "fail", canary.message)])
    assert "does not list the tests" in " ".join(judge(RunResult([missing]), CH01.package, ids, canary, "", "").flags)
    assert json.loads(canary.spec())["message"] == canary.message


SANDBOX_VIEW = """\
import json, os, socket, sys
from pathlib import Path
root = Path(sys.argv[1])
seen = {name: (root / name).exists() for name in ("solutions", ".git", "track", "tests", "chapters")}
seen[".track"] = sorted(os.listdir(root / ".track")) if (root / ".track").is_dir() else []
seen["home"] = Path(os.path.expanduser("~")).is_dir() and os.path.expanduser("~") != sys.argv[2]
seen["teacher's /tmp"] = Path(sys.argv[3]).exists()
try:
    (root / "track" / "x").write_text("x")
    seen["writes the course"] = True
except OSError:
    seen["writes the course"] = False
seen["interfaces"] = sorted(name for _, name in socket.if_nameindex())
seen["processes"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
print(json.dumps(seen))
"""


def test_the_sandbox_shows_only_what_grading_needs(tmp_path):
    import subprocess
    import sys

    from track.model.course import ROOT

    chapters, runs, elsewhere = tmp_path / "chapters", tmp_path / "runs", tmp_path.parent / "elsewhere"
    for folder in (chapters, runs, elsewhere):
        folder.mkdir(exist_ok=True)
    argv = [sys.executable, "-c", SANDBOX_VIEW, str(ROOT), str(runs), str(elsewhere)]
    done = subprocess.run(sandbox.command(argv, chapters, runs, {"PATH": "/usr/bin:/bin", "HOME": str(runs)}),
                          capture_output=True, text=True, timeout=60, check=True)
    seen = json.loads(done.stdout)
    assert {k: seen[k] for k in ("solutions", ".git")} == {"solutions": False, ".git": False}
    assert seen[".track"] in ([], ["locale"]), f"of .track/ only the compiled catalogs are there: {seen['.track']}"
    assert seen["track"] and seen["tests"] and seen["chapters"], "the graders and engine are there, read-only"
    assert not seen["writes the course"] and not seen["home"] and not seen["teacher's /tmp"]
    assert seen["interfaces"] == ["lo"], "no network but loopback"
    assert len(seen["processes"]) <= 3, f"no other process of the machine is visible: {seen['processes']}"


def test_every_solved_chapter_earns_every_point_in_the_sandbox(tmp_path):
    """The sandbox refuses only cheats: a clone with every chapter solved, graded inside it, earns
    every point with no integrity flag. (Chapter 11's app creates its instance folder beside the
    `chapters` package; a read-only one cost an honest student the chapter and flagged them.)
    The teacher's course lies outside /tmp, as a real one does: the sandbox's /tmp is writable."""
    STATE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="red-team-course-", dir=STATE) as outside_tmp:
        course = copy_course(Path(outside_tmp) / "teacher", pristine=True)
        student = copy_course(tmp_path / "solved", pristine=True)
        for chap in chapters():
            write_stubs(chap, student / "chapters" / chap.package, stubbed=())
        grade(course, "--root", str(student), "--csv", str(tmp_path / "class.csv"), "--no-reuse")
    row = rows_of(tmp_path / "class.csv")["solved"]
    assert row["integrity"] == "" and row["sandbox"].startswith("sandboxed (bubblewrap"), row
    assert row["score"] == str(sum(chap.points for chap in chapters())), row
