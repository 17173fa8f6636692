"""The grading engine, in-process where it can be: markers, chapter names, results, cache, hints.

The golden cases grade small copies of chapter 1 for real (pass, fail, syntax error, import
error, time-out) and compare the results.json with `tests/course/golden/*.json`, durations
left out and paths made relative. `UPDATE_GOLDEN=1` rewrites the golden files after a
deliberate change; review their diff like code.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from track.grading import cache, engine
from track.learner import hints, verdict
from track.maintainers import matrix
from track.model import ui
from track.maintainers.copies import copy_course
from track.model.course import ROOT, Hint, UsageError, chapter, chapters
from track.model.results import ChapterError, ChapterResult, ExerciseResult, RunResult, TestResult
from track.model.stubs import JINJA, MarkerError, stub_source, write_stubs

CH01 = chapter(1)
GOLDEN = Path(__file__).with_name("golden")


# --- stub markers ---------------------------------------------------------------------------

SOURCE = """\
def hello():
    # SOLUTION hello
    return "hi"
    # END SOLUTION

# SOLUTION methods
@route("/m", methods=["GET", "POST"])
# STUB
# @route("/m")  # TODO(methods): POST too
# END SOLUTION
def m():
    pass
"""


def test_a_stub_replaces_every_block():
    stub = stub_source(SOURCE, CH01)
    assert 'return "hi"' not in stub and 'raise NotImplementedError("TODO(hello)")' in stub
    assert '@route("/m")  # TODO(methods): POST too' in stub and "# SOLUTION" not in stub and "# STUB" not in stub


def test_a_variant_stubs_only_the_named_exercises():
    variant = stub_source(SOURCE, CH01, stubbed={"methods"})
    assert '    return "hi"\n' in variant and "NotImplementedError" not in variant
    assert '@route("/m")  # TODO' in variant
    assert stub_source(SOURCE, CH01, stubbed=()) == SOURCE.replace("    # SOLUTION hello\n", "").replace(
        "    # END SOLUTION\n", "").replace("# SOLUTION methods\n", "").replace(
        '# STUB\n# @route("/m")  # TODO(methods): POST too\n# END SOLUTION\n', "")


TEMPLATE = """\
<main>
  {# SOLUTION hello #}
  <h1>{{ title }}</h1>
  {# STUB #}
  {# <h1>TODO(hello): the title</h1> #}
  {# END SOLUTION #}
  {# SOLUTION methods #}
  <p>{# a comment of the solution #}</p>
  {# END SOLUTION #}
</main>
"""


def test_a_template_carries_its_markers_as_jinja_comments():
    stub = stub_source(TEMPLATE, CH01, syntax=JINJA)
    assert stub == ("<main>\n  <h1>TODO(hello): the title</h1>\n  {# TODO(methods): write this part; the chapter's README"
                    " has the contract. Stuck? `python -m track hint 1` #}\n</main>\n")
    assert stub_source(TEMPLATE, CH01, stubbed={"hello"}, syntax=JINJA).count("<p>{# a comment of the solution #}</p>") == 1


@pytest.mark.parametrize("broken", ["# SOLUTION hello\n", "# SOLUTION hello\n# SOLUTION hello\n# END SOLUTION\n"])
def test_unpaired_markers_are_refused(broken):
    with pytest.raises(MarkerError):
        stub_source(broken, CH01)


# --- chapter names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["1", "01", "ch01", "chapter-1", "Chapter-01", "ch01_hello_world", 1])
def test_every_spelling_of_a_chapter_names_it(name):
    assert chapter(name) is CH01


@pytest.mark.parametrize("name", ["99", "abc", "ch", "chapter-", "-1", "1.0", "ch01_hello"])
def test_anything_else_is_one_line_naming_the_chapters(name):
    with pytest.raises(UsageError) as refused:
        chapter(name)
    text = str(refused.value)
    assert "\n" not in text and all(str(c.number) in text for c in chapters()), text


# --- results ---------------------------------------------------------------------------------

def run_of(*statuses: str, error: ChapterError | None = None) -> RunResult:
    exercises = [ExerciseResult(CH01.package, e.id, e.title, e.points, status, 1, status != "pass")
                 for e, status in zip(CH01.exercises, statuses)]
    tests = [TestResult(f"tests/x.py::T::test_{e.id}", CH01.package, e.id, status if status != "blocked" else "blocked")
             for e, status in zip(CH01.exercises, statuses)]
    return RunResult([ChapterResult(CH01.package, exercises, tests, error)])


@pytest.mark.parametrize(("statuses", "status", "code"), [
    (["pass"] * 6, "pass", 0), (["pass"] * 5 + ["fail"], "fail", 1), (["pass", "blocked"] + ["pass"] * 4, "fail", 1),
    (["error"] + ["pass"] * 5, "error", 2),
])
def test_statuses_and_exit_codes(statuses, status, code):
    run = run_of(*statuses)
    assert (run.status, run.exit_code()) == (status, code)


def test_a_chapter_error_is_exit_2_and_round_trips():
    run = run_of(*["blocked"] * 6, error=ChapterError("app.py does not parse", "app.py:3"))
    assert run.exit_code() == 2 and run.to_json()["message"] == "app.py does not parse"
    again = RunResult.from_json(json.loads(json.dumps(run.to_json())))
    assert again.to_json() == run.to_json()


def test_one_entry_per_test_with_its_exercise_points():
    data = run_of(*["pass"] * 6).to_json()
    assert len(data["tests"]) == len({t["nodeid"] for t in data["tests"]}) == 6
    assert {(t["exercise"], t["points"], t["task_id"]) for t in data["tests"]} == {
        (e.id, e.points, n) for n, e in enumerate(CH01.exercises, 1)}
    assert data["score"] == data["max_score"] == CH01.points


def test_a_run_that_failed_as_a_whole_says_why():
    run = RunResult(message="pytest exited 4")
    assert run.status == "error" and run.exit_code() == 2
    assert RunResult.from_json(run.to_json()).message == "pytest exited 4"


# --- the cache -------------------------------------------------------------------------------

def test_the_key_follows_the_content(tmp_path):
    folder = tmp_path / CH01.package
    write_stubs(CH01, folder)
    first = cache.key(CH01, folder)
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"x")
    assert cache.key(CH01, folder) == first, "bytecode must not change the key"
    (folder / "app.py").write_text((folder / "app.py").read_text() + "\n# edited\n")
    second = cache.key(CH01, folder)
    (folder / "notes.txt").write_text("a new file")
    assert len({first, second, cache.key(CH01, folder)}) == 3



# Appends a comment to each file named on the command line, in turn, and prints chapter 11's
# key before and after each edit: in one process, as `watch` and the dashboard see edits.
KEY_AFTER_EACH_EDIT = """
import json, sys
from track.grading import cache
from track.model.course import ROOT, chapter
keys = [cache.key(chapter(11))]
for name in sys.argv[1:]:
    with (ROOT / name).open("a", encoding="utf-8") as handle:
        handle.write("\\n# edited\\n")
    keys.append(cache.key(chapter(11)))
print(json.dumps(keys))
"""
# A file of each kind a verdict of chapter 11 depends on (track/model/inputs.py), and two it does not.
KEY_INPUTS = {"learner file": "chapters/ch11_testing/todo.py", "grader": "tests/test_ch11_testing.py",
              "grader helper": "tests/ch11_variants/harness.py", "manifest": "chapters/ch11_testing/chapter.toml",
              "catalog": "track/locale/zh_CN/LC_MESSAGES/ch11_testing.po", "engine": "track/grading/engine.py",
              "module the plugin imports": "track/model/i18n.py"}
NOT_KEY_INPUTS = {"another chapter's grader": "tests/test_ch01_hello_world.py", "the dashboard": "track/web/app.py"}


def test_the_key_covers_every_file_the_grading_reads(tmp_path):
    course = copy_course(tmp_path / "course", keep=(1, 11))
    edited = {**NOT_KEY_INPUTS, **KEY_INPUTS}
    done = subprocess.run([sys.executable, "-c", KEY_AFTER_EACH_EDIT, *edited.values()], cwd=course,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    keys = json.loads(done.stdout)
    for (kind, name), before, after in zip(edited.items(), keys, keys[1:]):
        if kind in KEY_INPUTS:
            assert after != before, f"editing {name} ({kind}) left chapter 11's key unchanged: a stale verdict"
        else:
            assert after == before, f"editing {name} ({kind}) changed chapter 11's key: a needless re-grade"

def test_stored_verdicts_are_used_until_a_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "FOLDER", tmp_path)
    run = run_of(*["pass"] * 6)
    cache.store(run, {CH01.package: cache.key(CH01)})
    assert cache.load(CH01).status == "pass"
    monkeypatch.setattr(cache, "key", lambda chapter, package_dir=None: "changed")
    assert cache.load(CH01) is None


# --- hints, commands, screens ----------------------------------------------------------------

def test_a_hint_about_the_failing_test_comes_first():
    targeted = replace(CH01.exercise("greet"), hints=(Hint("general"), Hint("about escaping", ("escapes",)), Hint("the answer")))
    assert hints.choose(targeted, [], "TestGreet::test_escapes_html[<b>x]") == 1
    assert hints.choose(targeted, [1], "TestGreet::test_escapes_html[<b>x]") == 0
    assert hints.choose(targeted, [], "TestGreet::test_greets_the_name[flask]") == 0
    assert hints.choose(targeted, [0, 1, 2], None) is None


def test_the_hint_about_the_rule_that_failed_comes_first():
    by_rule = replace(CH01.exercise("greet"), hints=(Hint("general"), Hint("the answer", rules=("greets-name",)),
                                                     Hint("about escaping", rules=("escapes-html",))))
    assert hints.choose(by_rule, [], "TestGreet::test_escapes_html[<b>x]", ["escapes-html"]) == 2
    assert hints.choose(by_rule, [2], "TestGreet::test_escapes_html[<b>x]", ["escapes-html"]) == 0
    assert hints.choose(by_rule, [], "TestGreet::test_one_segment", ["one-segment"]) == 0
    assert hints.choose(by_rule, [0], "TestGreet::test_one_segment", ["one-segment"]) == 1


def test_a_bad_login_answered_200_gets_the_hint_about_the_401_first():
    # Issue 20: chapter 9's `login` answered a bad login with 200 and hint 1 was about bcrypt.
    login = chapter(9).exercise("login")
    failed = TestResult("tests/test_ch09_extensions.py::TestLogin::test_wrong_user_or_password_is_401_with_one_message",
                        "ch09_extensions", "login", "fail", rules=["one-401-message"])
    first = login.hints[hints.choose(login, [], failed.name, failed.rules)]
    assert "one-401-message" in first.rules, first.text


@pytest.mark.parametrize(("make", "verb", "number", "options", "expected"), [
    (False, "hint", 1, (), "python -m track hint 1"),
    (True, "hint", 1, (), "make chapter-1 hint"),
    (True, "solution", 3, ("--force",), "make chapter-3 solution FORCE=1"),
    (False, "run", 2, ("--port=5001",), "python -m track run 2 --port 5001"),
    (True, "run", 2, ("--port=5001",), "make chapter-2 run PORT=5001"),
    (True, "watch", 4, (), "make watch CHAPTER=4"),
    (True, "progress", None, (), "make progress"),
])
def test_commands_are_named_the_way_the_learner_types_them(monkeypatch, make, verb, number, options, expected):
    monkeypatch.setenv(ui.VIA_MAKE, "1" if make else "0")
    assert ui.command(verb, number, *options) == expected


def test_the_watch_screen_fits_80_columns_and_the_terminal():
    long_message = "x " * 2000
    run = run_of("fail", *["pass"] * 5)
    run.chapters[0].exercises[0].message = long_message
    text = verdict.screen(CH01, run.chapters[0], 80, 24)
    lines = text.splitlines()
    assert len(lines) <= 24 and max(map(len, lines)) <= 80, text
    assert lines[0].startswith("Chapter 1") and "hello" in lines[2], "the scoreboard comes first"


# --- the matrix's expectations ---------------------------------------------------------------

def test_variants_expect_blocked_for_what_requires_the_stubbed_exercise():
    ch09 = chapter(9)
    stubbed = next(v for v in matrix.variants(ch09) if v.kind == "stubbed" and v.exercise == "models")
    expected = stubbed.expected()
    assert expected["models"] == "fail"
    assert {e for e, s in expected.items() if s == "blocked"} == {e.id for e in ch09.exercises if e.requires}
    alone = next(v for v in matrix.variants(ch09) if v.kind == "alone" and v.exercise == "notes")
    assert "models" not in alone.stubbed and "notes" not in alone.stubbed and alone.expected() == {"notes": "pass"}


# --- class grading's shortcut: the first failure of an exercise ends it --------------------

@pytest.mark.parametrize("stubbed", [None, {CH01.exercises[-1].id}], ids=["stub", "one_exercise_left"])
def test_first_failure_only_keeps_every_verdict_and_runs_less(stubbed, tmp_path):
    write_stubs(CH01, tmp_path / CH01.package, stubbed)
    full, short = (engine.grade([CH01], target=str(tmp_path), extra=extra) for extra in ([], ["--first-failure-only"]))
    verdicts = [[(e.id, e.status, e.score, e.message) for e in run.chapters[0].exercises] for run in (full, short)]
    assert verdicts[0] == verdicts[1]
    assert any(e.status == "fail" for e in full.chapters[0].exercises)
    not_run = [t for t in short.chapters[0].tests if t.status == "blocked" and "earlier test" in (t.message or "")]
    failed_in_full = [t for t in full.chapters[0].tests if t.status == "fail"]
    # Every failure after an exercise's first is skipped (and any later test of it, passing or not).
    assert len(not_run) >= len(failed_in_full) - len({t.exercise for t in failed_in_full}) > 0
    assert {t.exercise for t in not_run} <= {e.id for e in short.chapters[0].exercises if e.status == "fail"}


# --- golden results.json: real grading runs on small copies of chapter 1 --------------------

def looping_hello(folder: Path) -> None:
    app = folder / "app.py"
    app.write_text(re.sub(r'return "Hello, World!"', "while True:\n            pass", app.read_text(), count=1))


CASES = {
    "pass": ((), None),
    "fail": (None, None),
    "syntax_error": (None, lambda folder: (folder / "app.py").write_text((folder / "app.py").read_text() + "\ndef broken(:\n")),
    "import_error": (None, lambda folder: (folder / "app.py").write_text(
        "from flask import no_such_name\n" + (folder / "app.py").read_text())),
    "timeout": ((), looping_hello),
}


def normalised(data: dict, target: Path) -> dict:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace(str(target), "<target>").replace(str(ROOT), "<root>")
    result = json.loads(text)
    for test in result["tests"]:
        test.pop("duration")
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_golden_results(case, tmp_path):
    stubbed, edit = CASES[case]
    write_stubs(CH01, tmp_path / CH01.package, stubbed)
    if edit:
        edit(tmp_path / CH01.package)
    run = engine.grade([CH01], target=str(tmp_path), extra=["--grader-timeout=2"])
    found = normalised(run.to_json(), tmp_path)
    golden = GOLDEN / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(found, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file for {case}: run with UPDATE_GOLDEN=1 and review it"
    assert found == json.loads(golden.read_text(encoding="utf-8")), (
        f"results.json for {case!r} differs from {golden.name}; if the change is deliberate, UPDATE_GOLDEN=1"
    )


# --- failure messages that say how JSON differs ----------------------------------------------

@pytest.mark.parametrize(("got", "expected", "said"), [
    ({"page": "0"}, {"page": 0}, "'0' at ['page'] is a string, expected an integer (0)"),
    ([3, 2, 1], [1, 2, 3], "the list has the right items in the wrong order: expected [1, 2, 3]"),
    ({"a": 1}, {"a": 1, "b": 2}, "the object lacks ['b']"),
    ([{"ok": 1}], [{"ok": True}], "1 at [0]['ok'] is an integer, expected a boolean (True)"),
    ({"balance": 70.0}, {"balance": 70}, None),  # JSON has one kind of number
    ([1, [2]], [1, [2]], None),
])
def test_json_differences_in_words(got, expected, said):
    from tests.expect import difference

    assert difference(got, expected) == said
