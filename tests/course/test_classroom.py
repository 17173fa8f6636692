"""A teacher grades a small class with `python -m track grade --root ...`, as a subprocess.

The class (chapters 1-3, copies made as a student's clone would be): a solved student, a
syntax error, an endless loop in a view, a folder without chapters/, the two cheats of
issue 11, and two folders both named `repo`. One grading of the class serves most tests.
"""
import csv
import difflib
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.course.test_cli import TIMEOUT_S
from track.classroom import grade as classroom, integrity
from track.grading import sandbox
from track.maintainers.copies import copy_course
from track.model.course import chapter
from track.grading.engine import GRADER_TIMEOUT_S
from track.classroom.student_run import chapter_budget
from track.model.stubs import write_stubs

CHAPTERS = [chapter(n) for n in (1, 2, 3)]
CH01, CH02, CH03 = CHAPTERS
MAX = sum(c.points for c in CHAPTERS)
HANG_TIMEOUT_S = 1  # the hang test's limit per grader test; verdict tests keep the generous default
DEFAULT_TIMEOUT_S = GRADER_TIMEOUT_S
SOLUTIONS_CHEAT = "from solutions.ch01_hello_world.app import create_app  # noqa\n"
TRACK_CHEAT = ("import track.model.results\n"
               "track.model.results.ExerciseResult.score = property(lambda self: self.points)\n")


def clone(path: Path, solved=(1, 2, 3)) -> Path:
    """A student's clone: the stubs, with chapters `solved` solved and a line of their own."""
    copy_course(path, keep=(1, 2, 3), pristine=True)
    for chap in CHAPTERS:
        folder = path / "chapters" / chap.package
        if chap.number in solved:
            write_stubs(chap, folder, stubbed=())
        app = folder / "app.py"
        app.write_text(f"# {path.name}'s copy\n" + app.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update the test's edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def grade(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "track", "grade", *args], cwd=course, capture_output=True,
                          text=True, timeout=TIMEOUT_S * 3)


def rows_of(path: Path) -> dict[str, dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """The class, graded once: (course, students' folder, the finished process)."""
    base = tmp_path_factory.mktemp("class")
    course = copy_course(base / "teacher", keep=(1, 2, 3), pristine=True)
    clone(base / "alice")
    edit(clone(base / "syntax") / "chapters" / CH02.package / "app.py", "def create_app(", "def create_app((")
    edit(clone(base / "loop") / "chapters" / CH03.package / "app.py", "    def text():\n",
         "    def text():\n        while True:\n            pass\n")
    (base / "empty").mkdir()
    (clone(base / "copier", solved=(2, 3)) / "chapters" / CH01.package / "app.py").write_text(SOLUTIONS_CHEAT)
    patched = clone(base / "patcher", solved=(2, 3)) / "chapters" / CH01.package / "app.py"
    patched.write_text(TRACK_CHEAT + patched.read_text(encoding="utf-8"), encoding="utf-8")
    clone(base / "class1" / "repo", solved=(1,))
    clone(base / "class2" / "repo", solved=(1,))
    roots = ["alice", "syntax", "loop", "empty", "copier", "patcher", "class1/repo", "class2/repo"]
    done = grade(course, *(arg for root in roots for arg in ("--root", str(base / root))), "--csv", str(base / "class.csv"),
                 "--report", str(base / "report"), "--json", str(base / "class.json"), "--jobs", "2")
    return course, base, done


def test_every_student_has_a_row_with_the_reason_of_each_error(klass):
    _, base, done = klass
    assert done.returncode == 2, "a folder without chapters/ could not be graded\n" + done.stdout + done.stderr
    rows = rows_of(base / "class.csv")
    assert set(rows) == {"alice", "syntax", "loop", "empty", "copier", "patcher", "class1/repo", "class2/repo"}
    assert rows["alice"]["score"] == str(MAX) and rows["alice"]["status"] == "pass" and rows["alice"]["reason"] == ""
    assert rows["empty"]["status"] == "error" and rows["empty"]["reason"] == "no chapters/ folder"
    broken = (base / "syntax" / "chapters" / CH02.package / "app.py").read_text(encoding="utf-8")
    line = broken[:broken.index("def create_app((")].count("\n") + 1
    assert rows["syntax"]["reason"] == f"chapter 2: SyntaxError app.py:{line}", rows["syntax"]
    assert rows["syntax"][CH02.package] == "0" and rows["syntax"][CH01.package] == str(CH01.points)
    assert rows["loop"]["reason"].startswith(f"chapter 3: timed out after {DEFAULT_TIMEOUT_S} s (text"), rows["loop"]
    assert rows["loop"][CH01.package] == str(CH01.points) and rows["loop"][f"{CH03.package}:text"] == "0"
    assert rows["class1/repo"]["score"] == rows["class2/repo"]["score"] == str(CH01.points)
    for line in (f"] alice  {MAX}/{MAX}  ", "] empty  0/", "[8/8] "):
        assert line in done.stdout, f"expected a progress line with {line!r}:\n{done.stdout}"


def test_a_hang_costs_the_time_limit_given_with_timeout(klass):
    course, base, _ = klass
    done = grade(course, "--root", str(base / "loop"), "--timeout", str(HANG_TIMEOUT_S), "--csv", str(base / "hang.csv"))
    row = rows_of(base / "hang.csv")["loop"]
    assert f"chapter 3: timed out after {HANG_TIMEOUT_S} s (text" in row["reason"], done.stdout + done.stderr
    assert row["status"] == "error" and done.returncode == 1, "graded, with an error, and not every exercise passes"


def test_each_chapter_runs_alone_so_a_crash_costs_its_chapter_only(klass, tmp_path):
    course, base, _ = klass
    crasher = shutil.copytree(base / "alice", tmp_path / "crasher")
    edit(crasher / "chapters" / CH01.package / "app.py", "# alice's copy\n", "# alice's copy\nimport os\nos._exit(3)\n")
    done = grade(course, "--root", str(crasher), "--jobs", "2", "--no-reuse", "--csv", str(tmp_path / "one.csv"))
    row = rows_of(tmp_path / "one.csv")["crasher"]
    assert row["reason"].startswith("chapter 1: "), done.stdout + done.stderr
    assert (row[CH01.package], row[CH02.package], row[CH03.package]) == ("0", str(CH02.points), str(CH03.points))


@pytest.mark.parametrize("without", ["fork", "fork and bubblewrap"])
def test_grading_without_fork_or_a_sandbox_gives_the_same_verdicts(klass, tmp_path, without):
    course, base, _ = klass
    env = {**os.environ, "TRACK_NO_FORK": "1"}
    if "bubblewrap" in without:
        env["PATH"] = str(tmp_path)  # no bwrap to be found (the grading's Python is named in full)
    done = subprocess.run([sys.executable, "-m", "track", "grade", "--root", str(base / "alice"), "--no-reuse",
                           "--csv", str(tmp_path / "one.csv")], cwd=course, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT_S * 3)
    row = rows_of(tmp_path / "one.csv")["alice"]
    assert row["score"] == str(MAX) and row["integrity"] == "", done.stdout + done.stderr
    sandboxed = "bubblewrap" not in without and classroom.sandbox.probe().sandboxed
    assert row["sandbox"].startswith("sandboxed" if sandboxed else "not sandboxed: "), row["sandbox"]


def test_csv_has_a_column_per_chapter_and_per_exercise(klass):
    _, base, _ = klass
    with (base / "class.csv").open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:10] == ["student", "path", "score", "max_score", "status", "reason", "integrity", "sandbox", "seconds",
                           "lost"]
    assert [c.package for c in CHAPTERS] == header[10:13]
    assert header[13:] == [f"{c.package}:{e.id}" for c in CHAPTERS for e in c.exercises]


def test_both_cheats_get_nothing_for_the_chapter_and_are_flagged(klass):
    _, base, _ = klass
    rows = rows_of(base / "class.csv")
    for student, line in (("copier", 1), ("patcher", 1)):
        assert rows[student][CH01.package] == "0", rows[student]
        assert rows[student][CH02.package] == str(CH02.points), "only the flagged chapter loses its points"
        assert f"{CH01.package}/app.py:{line} imports" in rows[student]["integrity"], rows[student]
    assert "writes track" in rows["patcher"]["integrity"], rows["patcher"]
    assert rows["alice"]["integrity"] == rows["syntax"]["integrity"] == "", "a chapter that does not load is no cheat"


def test_reports_are_written_small_and_self_contained(klass):
    _, base, done = klass
    summary = (base / "report" / "class-report.md").read_text(encoding="utf-8")
    page = (base / "report" / "class-report.html").read_text(encoding="utf-8")
    for text in (summary, page):
        assert "hardest first" in text and "chapter 2: SyntaxError" in text and "imports from solutions" in text
        assert "class1/repo and class2/repo" in text, "identical ch01 files are a similarity hint"
    for outside in ("<script", "<link", "src=", "href=", "@import"):
        assert outside not in page, f"the page should need nothing from outside, but has {outside!r}"
    data = json.loads((base / "class.json").read_text(encoding="utf-8"))
    assert set(data["students"]) == set(rows_of(base / "class.csv"))
    assert (base / "class.json").stat().st_size < 100_000, "no per-test output in the class file"
    assert "class1/repo and class2/repo" in done.stdout


def test_regrading_one_student_merges_into_the_reports(klass, tmp_path):
    course, base, _ = klass
    csv_copy, report = tmp_path / "class.csv", tmp_path / "report"
    csv_copy.write_bytes((base / "class.csv").read_bytes())
    report.mkdir()
    (report / "class.json").write_bytes((base / "report" / "class.json").read_bytes())
    write_stubs(CH02, base / "syntax" / "chapters" / CH02.package, stubbed=())  # the student fixed it
    done = grade(course, "--root", str(base / "syntax"), "--csv", str(csv_copy), "--report", str(report),
                 "--fail-under", str(MAX))
    assert done.returncode == 0, done.stdout + done.stderr
    rows = rows_of(csv_copy)
    assert len(rows) == 8 and rows["syntax"]["score"] == str(MAX) and rows["syntax"]["reason"] == ""
    assert rows["alice"] == rows_of(base / "class.csv")["alice"]
    assert list(rows) == sorted(rows), "the finished CSV lists students in order, however they finished"
    merged = json.loads((report / "class.json").read_text(encoding="utf-8"))
    assert len(merged["students"]) == 8 and merged["students"]["syntax"]["score"] == MAX
    # The re-graded student is compared with the whole class again, not only with this run.
    pairs = {(tuple(hint["students"]), hint["file"].split("/")[0]) for hint in merged["similarity"]}
    assert (("alice", "syntax"), CH02.package) in pairs and (("class1/repo", "class2/repo"), CH01.package) in pairs
    assert not any(hint["file"].endswith("client.py") for hint in merged["similarity"]), "the course's own files are no hint"


def test_a_chapter_graded_before_is_not_graded_again_unless_asked(klass, tmp_path):
    course, base, _ = klass
    stored = course / ".track" / "class-results"
    shutil.rmtree(stored)
    twin = shutil.copytree(base / "alice", tmp_path / "twin")  # alice's files exactly: her verdicts serve
    assert rows_of_run(course, twin)["twin"]["score"] == str(MAX)
    verdicts = sorted(stored.iterdir())
    assert len(verdicts) == len(CHAPTERS)
    # Tamper with the stored verdicts: a second grading that reads them shows it.
    for path in verdicts:
        text = path.read_text(encoding="utf-8")
        tampered = text.replace('"status": "pass"', '"status": "fail"').replace('"track_status": "pass"', '"track_status": "fail"')
        assert tampered != text
        path.write_text(tampered, encoding="utf-8")
    assert rows_of_run(course, twin)["twin"]["score"] == "0"
    edit(twin / "chapters" / CH02.package / "app.py", "# alice's copy", "# alice's copy, edited by her twin")
    assert rows_of_run(course, twin)["twin"]["score"] == str(CH02.points)  # only the edited chapter is graded
    assert rows_of_run(course, twin, "--no-reuse")["twin"]["score"] == str(MAX)


def rows_of_run(course: Path, root: Path, *args: str) -> dict[str, dict]:
    out = root.parent / "twin.csv"
    out.unlink(missing_ok=True)
    done = grade(course, "--root", str(root), "--csv", str(out), *args)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return rows_of(out)


def test_exit_codes_follow_the_points(klass):
    course, base, _ = klass
    failing = grade(course, "--root", str(base / "class1" / "repo"))
    assert failing.returncode == 1, failing.stdout + failing.stderr
    enough = grade(course, "--root", str(base / "class1" / "repo"), "--fail-under", str(CH01.points))
    assert enough.returncode == 0, enough.stdout + enough.stderr


@pytest.mark.parametrize("args, refused", [
    (["--root", ".", "--junitxml", "j.xml"], "--junitxml"),
    (["--csv", "class.csv"], "--csv"),
    (["--fail-under", "10"], "--fail-under"),
    (["--no-sandbox"], "--no-sandbox"),
])
def test_options_that_do_nothing_in_a_mode_are_refused(klass, args, refused):
    course, _, _ = klass
    done = grade(course, *args)
    assert done.returncode == 2 and done.stderr.startswith(refused) and done.stdout == "", done.stderr


def test_similar_pairs_are_those_a_pairwise_comparison_finds():
    base = tuple("def create_app ( test_config = None ) : app = Flask ( __name__ ) return app".split())
    near = base[:-1] + ("application",)
    other = tuple("import os print ( os . getcwd ( ) )".split())
    versions = {"ann": base, "bob": base, "cid": near, "dan": other, "eve": base}
    expected = []
    for (one, first), (two, second) in itertools.combinations(sorted(versions.items()), 2):
        ratio = difflib.SequenceMatcher(None, first, second, autojunk=False).ratio()
        if ratio >= integrity.SIMILAR_RATIO:
            expected.append((one, two, round(ratio, 4)))
    found = [(*hint.students, hint.ratio) for hint in integrity.similar_pairs("ch01/app.py", versions)]
    assert sorted(found) == sorted(expected) and len(expected) == 6  # ann, bob, eve alike; cid near them; not dan


def test_similarity_prints_one_decimal_rounded_down():
    assert [integrity.percent(r) for r in (0.996, 0.9996, 0.9, 1.0)] == ["99.6%", "99.9%", "90.0%", "100.0%"]


def report_texts(base: Path) -> tuple[str, str]:
    return ((base / "report" / "class-report.md").read_text(encoding="utf-8"),
            (base / "report" / "class-report.html").read_text(encoding="utf-8"))


def test_each_lost_exercise_is_listed_with_its_first_failure(klass):
    _, base, _ = klass
    rows = rows_of(base / "class.csv")
    for key, row in rows.items():
        zeros = [c for c in row if ":" in c and row[c] == "0"]
        lost = [entry.split(": ", 1)[0] for entry in row["lost"].splitlines()]
        assert lost == zeros, f"{key}: every exercise without points, and only those, is in `lost`"
    assert rows["alice"]["lost"] == "" and rows["empty"]["lost"].startswith(f"{CH01.package}:hello: no chapters/ folder\n")
    stub = f"{CH02.package}:query: Exercise `query`"
    assert f"{stub} " in rows["class1/repo"]["lost"] and "not written yet" in rows["class1/repo"]["lost"]
    assert "/tmp" not in rows["class1/repo"]["lost"] and f"chapters/{CH02.package}/app.py:" in rows["class1/repo"]["lost"]
    assert f"{CH01.package}:hello: integrity: " in rows["copier"]["lost"], "a flagged chapter's exercises say why"
    summary, page = report_texts(base)
    points = f"{CH01.points}/{MAX}"
    assert f"\n### class1/repo ({points})\n" in summary and "\n### alice (" not in summary
    assert f"<h3>class1/repo ({points})</h3>" in page
    for text in (summary, page):
        assert "chapters/ch02_request_parsing/app.py" in text and "SyntaxError" in text


def test_integrity_sandbox_and_seconds_are_in_the_students_own_row(klass):
    _, base, _ = klass
    rows = rows_of(base / "class.csv")
    isolation = str(sandbox.probe())
    assert {row["sandbox"] for row in rows.values()} == {isolation}, "the machine's sandbox state, in every row"
    assert all(float(row["seconds"]) > 0 for key, row in rows.items() if key != "empty"), rows
    summary, page = report_texts(base)
    copier = next(line for line in summary.splitlines() if line.startswith("| copier | "))
    assert f"{CH01.package}/app.py:1 imports from solutions" in copier and f"| {isolation} |" in copier, copier
    row_html = page[page.index("<td>copier</td>"):].split("</tr>", 1)[0]
    assert "imports from solutions" in row_html and isolation in row_html, row_html


def test_flagged_students_are_left_out_of_pass_rates(klass):
    _, base, _ = klass
    rows = rows_of(base / "class.csv")
    counted = [row for key, row in rows.items() if key not in ("copier", "patcher")]
    column = f"{CH02.package}:query"
    share = sum(row[column] == "1" for row in counted) / len(counted)
    assert share != sum(row[column] == "1" for row in rows.values()) / len(rows), "the class tells the two apart"
    summary, _ = report_texts(base)
    assert "(2 flagged students left out)" in summary
    assert f"| {column} | " in summary and summary.split(f"| {column} | ", 1)[1].split("\n")[0].endswith(
        f"| {share:.0%} |"), summary


def test_similarity_has_one_decimal_and_names_copies_of_the_reference(klass):
    _, base, _ = klass
    summary, page = report_texts(base)
    assert f"| class1/repo and class2/repo | {CH01.package}/app.py | 100.0% |" in summary
    assert f"| alice | {CH01.package}/app.py | same as the reference |" in summary
    assert f"| loop | {CH03.package}/app.py | same as the reference |" not in summary, "loop's view is not the reference's"
    assert f"<td>alice</td><td>{CH03.package}/app.py</td><td>same as the reference</td>" in page


def test_a_roster_student_regraded_by_root_keeps_one_row(klass, tmp_path):
    course, base, _ = klass
    roster = base / "roster.csv"
    roster.write_text("name,path\nAlice Smith,alice\n", encoding="utf-8")
    out, report = tmp_path / "class.csv", tmp_path / "report"
    for args in (["--roster", str(roster)], ["--root", str(base / "alice")]):
        done = grade(course, *args, "--csv", str(out), "--report", str(report))
        assert done.returncode in (0, 1), done.stdout + done.stderr  # graded (verdicts another test stored may fail)
    assert list(rows_of(out)) == ["Alice Smith"], "matched on the folder, not on its name"
    assert list(json.loads((report / "class.json").read_text(encoding="utf-8"))["students"]) == ["Alice Smith"]


def test_no_sandbox_is_an_option_the_row_shows(klass, tmp_path):
    course, base, _ = klass
    done = grade(course, "--root", str(base / "class1" / "repo"), "--no-sandbox", "--no-reuse", "--csv", str(tmp_path / "c.csv"))
    row = rows_of(tmp_path / "c.csv")["repo"]
    assert row["sandbox"] == "not sandboxed: --no-sandbox" and row["score"] == str(CH01.points), done.stdout + done.stderr


SPIN = "    @app.before_request\n    def spin():\n        while True:\n            pass\n\n"


def test_a_chapter_that_hangs_everywhere_costs_one_budget(klass, tmp_path):
    """Every exercise of chapter 3 hangs: the tests that fit in the chapter's budget time out,
    the rest are not run, and the reason says so (the budget, not a time-out per exercise)."""
    course, _, _ = klass
    spinner = clone(tmp_path / "spinner", solved=(3,))
    edit(spinner / "chapters" / CH03.package / "app.py", "    app = Flask(__name__)\n", "    app = Flask(__name__)\n" + SPIN)
    timeout = 10
    budget = chapter_budget(timeout)
    done = grade(course, "--root", str(spinner), "--timeout", str(timeout), "--csv", str(tmp_path / "c.csv"))
    row = rows_of(tmp_path / "c.csv")["spinner"]
    prefix = f"chapter 3: its time budget of {budget:g} s was spent (timed out: "
    reason = row["reason"]
    assert reason.startswith(prefix), done.stdout + done.stderr
    hung, _, skipped = reason.removeprefix(prefix).removesuffix(")").partition("; not run: ")
    hung, skipped = hung.split(", "), skipped.split(", ")
    assert sorted(hung + skipped) == sorted(e.id for e in CH03.exercises) and not set(hung) & set(skipped), reason
    assert 1 <= len(hung) <= budget // timeout and skipped != [""], "only what fits in one budget timed out"
    assert all(row[f"{CH03.package}:{e.id}"] == "0" for e in CH03.exercises) and float(row["seconds"]) > 0
