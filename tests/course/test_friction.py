"""Friction a new learner met on the way (issue 20): each fixed, each checked here."""
import re

from track.learner import hints, verdict
from track.model.course import chapter
from track.model.results import ChapterResult, ExerciseResult, TestResult
from tests.ch11_variants.variants import variants_of

CH01 = chapter(1)
NUMBER_WORDS = {"one": 1, "three": 3, "four": 4, "eleven": 11, "fifteen": 15}


def test_hint_counts_are_kept_per_language(tmp_path, monkeypatch):
    monkeypatch.setattr(hints, "HINTS_FILE", tmp_path / "hints.json")
    exercise = CH01.exercises[0]
    monkeypatch.setenv("TRACK_LANG", "zh")
    assert "1/" in hints.next_hint(CH01, exercise)
    monkeypatch.setenv("TRACK_LANG", "en")
    assert f"Hint 1/{len(exercise.hints)}" in hints.next_hint(CH01, exercise)
    hints.forget(CH01)
    assert hints.load("en") == {} and hints.load("zh_CN") == {}


def test_the_score_column_speaks_one_language(monkeypatch):
    exercise = CH01.exercises[0]
    result = ExerciseResult(CH01.package, exercise.id, exercise.title, exercise.points, "fail", 3, 1)
    monkeypatch.setenv("TRACK_LANG", "zh")
    line = verdict.exercise_line(1, result, exercise, 200)
    assert f"0/{exercise.points} 分" in line and " pt" not in line, line
    monkeypatch.setenv("TRACK_LANG", "en")
    assert f"0/{exercise.points} pt" in verdict.exercise_line(1, result, exercise, 200)


def test_a_failing_exercise_shows_its_failing_rule_not_a_count_of_passing_tests(monkeypatch):
    """Chapter 11's untouched file passed 15 of 16 grader tests; "15/16 tests" read as nearly done."""
    ch11 = chapter(11)
    failing, passing = ch11.exercises[:2]
    rule = "sound-on-correct-app"
    tests = [TestResult(f"tests/x.py::test_{n}", ch11.package, failing.id, "pass") for n in range(15)]
    tests.append(TestResult("tests/x.py::test_last", ch11.package, failing.id, "fail", "missed", rules=[rule]))
    tests.append(TestResult("tests/x.py::test_ok", ch11.package, passing.id, "pass"))
    result = ChapterResult(ch11.package, [
        ExerciseResult(ch11.package, failing.id, failing.title, failing.points, "fail", 16, 1),
        ExerciseResult(ch11.package, passing.id, passing.title, passing.points, "pass", 1, 0)], tests)
    for lang, fails, counted in (("en", f"fails: {rule}", "1/1 tests"), ("zh", f"未通过：{rule}", "1/1 测试")):
        monkeypatch.setenv("TRACK_LANG", lang)
        board = verdict.scoreboard(ch11, result, 200)
        failing_line, passing_line = (next(line for line in board if f" {e.id} " in line) for e in (failing, passing))
        assert fails in failing_line and "15/16" not in failing_line and "/16" not in failing_line, failing_line
        assert counted in passing_line, passing_line


def test_chapter_11_titles_count_the_broken_apps_there_are():
    for exercise in chapter(11).exercises:
        said = re.search(r"catch (\w+) broken apps", exercise.title)
        if said:
            assert NUMBER_WORDS[said[1]] == len(variants_of(exercise.id)), exercise.title
