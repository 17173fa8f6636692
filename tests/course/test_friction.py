"""Friction a new learner met on the way (issue 20): each fixed, each checked here."""
import re

from track import hints, verdict
from track.course import chapter
from track.results import ExerciseResult
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


def test_chapter_11_titles_count_the_broken_apps_there_are():
    for exercise in chapter(11).exercises:
        said = re.search(r"catch (\w+) broken apps", exercise.title)
        if said:
            assert NUMBER_WORDS[said[1]] == len(variants_of(exercise.id)), exercise.title
