"""The results model's single places: the status vocabulary and its exercism mapping, "solved",
"the next chapter", the hint for a graded chapter, one chapter look-up, one serialisation,
and the class rows. In-process, on results built by hand (the golden files grade for real)."""
from __future__ import annotations

import json
import re
from dataclasses import asdict

import pytest

from track.grading import cache
from track.learner import hints
from track.model import i18n, results
from track.classroom.class_report import ClassData, ClassRow, LostExercise
from track.model.course import chapter, chapters, next_chapter
from track.model.results import ChapterError, ChapterResult, ExerciseResult, RunResult, Status, TestResult
from track.web.status import not_graded, payload

CH01 = chapter(1)
EXERCISM = {"pass", "fail", "error"}  # exercism's test-runner interface, version 3: top level and per test


def chapter_result(*statuses: Status, error: ChapterError | None = None) -> ChapterResult:
    """Chapter 1 with the first exercises given these statuses (one test each), the rest not graded."""
    exercises = [ExerciseResult(CH01.package, e.id, e.title, e.points, status, 1, int(status != Status.PASS))
                 for e, status in zip(CH01.exercises, statuses)]
    tests = [TestResult(f"tests/x.py::T::test_{e.id}", CH01.package, e.id, status)
             for e, status in zip(CH01.exercises, statuses)]
    return ChapterResult(CH01.package, exercises, tests, error)


def every_status_key(data) -> list[str]:
    """The value of every `status` key anywhere in a results.json payload."""
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == "status"] + [s for v in data.values() for s in every_status_key(v)]
    if isinstance(data, list):
        return [s for v in data for s in every_status_key(v)]
    return []


# --- the vocabulary ----------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "theirs"), [
    (Status.PASS, "pass"), (Status.FAIL, "fail"), (Status.ERROR, "error"),
    (Status.BLOCKED, "fail"),  # waits for the learner's code elsewhere: theirs to fix, not the runner's
    (Status.NOT_RUN, "error"),  # nothing graded it: exercism's "tests did not run correctly"
])
def test_each_status_maps_onto_one_of_exercisms(status, theirs):
    assert status.exercism == theirs


def test_results_json_says_only_exercisms_statuses_and_keeps_ours_beside_them():
    run = RunResult([chapter_result(Status.PASS, Status.FAIL, Status.ERROR, Status.BLOCKED)])
    data = json.loads(run.json_text())
    assert set(every_status_key(data)) <= EXERCISM, every_status_key(data)
    assert [t["track_status"] for t in data["tests"]] == ["pass", "fail", "error", "blocked"]
    again = RunResult.from_json(data)
    assert [e.status for e in again.chapters[0].exercises] == [Status.PASS, Status.FAIL, Status.ERROR, Status.BLOCKED]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_status_has_a_label_and_a_mark_in_both_languages(status, language):
    token = i18n.chosen.set(language)
    try:
        label = status.label
    finally:
        i18n.chosen.reset(token)
    assert label and status.mark
    if language == "zh_CN":
        assert re.search(r"[\u4e00-\u9fff]", label), f"{status!r} reads {label!r} in Chinese"
    else:
        assert label == results.LABELS[status]


def test_labels_and_marks_tell_the_statuses_apart():
    assert len({s.label for s in Status}) == len({s.mark for s in Status}) == len(Status)


def test_strings_from_a_test_or_a_file_become_the_same_statuses():
    assert ExerciseResult(CH01.package, "hello", "", 1, "blocked", 1, 1).status is Status.BLOCKED
    with pytest.raises(ValueError):
        TestResult("x::y", CH01.package, "hello", "skipped")  # not a word of the vocabulary


# --- solved, the next chapter, the hint ---------------------------------------------------------

def test_solved_means_it_loads_and_every_exercise_passes():
    everything = [Status.PASS] * len(CH01.exercises)
    assert chapter_result(*everything).solved
    assert not chapter_result(*everything[:-1]).solved, "an exercise nothing graded is not solved"
    assert not chapter_result(*everything[:-1], Status.BLOCKED).solved
    assert not chapter_result(*everything, error=ChapterError("app.py does not parse")).solved


def test_an_exercise_nothing_graded_is_not_run_everywhere():
    result = chapter_result(Status.PASS)
    missing = CH01.exercises[1].id
    assert result.exercise_status(missing) is Status.NOT_RUN
    shown = {e["id"]: e for e in payload(CH01, result)["exercises"]}
    assert (shown[missing]["status"], shown[missing]["label"]) == (Status.NOT_RUN, Status.NOT_RUN.label)
    assert {e["status"] for e in not_graded(CH01)["exercises"]} == {Status.NOT_RUN}


def test_the_next_chapter_follows_in_course_order():
    ordered = chapters()
    assert [next_chapter(c) for c in ordered] == [*ordered[1:], None]


def test_the_hint_of_a_solved_chapter_names_the_next_one():
    text = hints.for_result(CH01, chapter_result(*[Status.PASS] * len(CH01.exercises)))
    assert "no hint needed" in text and f"check {next_chapter(CH01).number}" in text


def test_the_hint_of_a_chapter_that_does_not_load_says_where():
    text = hints.for_result(CH01, chapter_result(error=ChapterError("app.py does not parse: line 3")))
    assert "does not load yet" in text and "app.py does not parse: line 3" in text


# --- one look-up, one serialisation -------------------------------------------------------------

def test_a_chapter_result_looks_its_chapter_up_once(monkeypatch):
    calls = []
    monkeypatch.setattr(results, "chapter_for_package", lambda package: calls.append(package) or CH01)
    run = RunResult([chapter_result(*[Status.FAIL] * len(CH01.exercises))])
    run.to_json()
    run.json_text()
    assert calls == [CH01.package]


def test_storing_a_run_read_from_results_json_writes_its_text_again(tmp_path, monkeypatch):
    written = tmp_path / "results.json"
    RunResult([chapter_result(Status.PASS, Status.BLOCKED)]).write(written)
    run = RunResult.read(written)
    monkeypatch.setattr(RunResult, "to_json", lambda self: pytest.fail("serialised a second time"))
    monkeypatch.setattr(cache, "FOLDER", tmp_path / "store")
    cache.store(run, {CH01.package: "k"})
    stored = json.loads(cache.path_of(CH01).read_text(encoding="utf-8"))
    assert stored == {"key": "k", "results": json.loads(written.read_text(encoding="utf-8"))}


# --- class rows ---------------------------------------------------------------------------------

def class_row(**changes) -> ClassRow:
    row = ClassRow(student="ada", path="/class/ada", score=1, max_score=6, status=Status.FAIL, reason=[],
                   integrity=[], flagged=False, lost=[LostExercise(f"{CH01.package}:greet", 1, "GET /user/x answered 500")],
                   graded=True, seconds=1.25, sandbox="sandboxed", chapters={CH01.package: 1},
                   exercises={f"{CH01.package}:hello": 1})
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def test_a_class_row_round_trips_through_the_class_json(tmp_path):
    path = tmp_path / "class.json"
    ClassData({"ada": class_row()}).write(path)
    assert ClassData.read(path).rows == {"ada": class_row()}


def test_a_row_of_an_older_grading_reads_with_the_defaults_it_was_shown_with():
    older = {k: v for k, v in asdict(class_row(integrity=["app.py:1 imports from solutions"])).items()
             if k not in ("flagged", "sandbox", "seconds")}
    row = ClassRow.from_json(older)
    assert (row.flagged, row.sandbox, row.seconds) == (True, "-", 0.0)


def test_a_class_row_as_the_csv_writes_it():
    fields = class_row(reason=["chapter 2: SyntaxError app.py:3"], integrity=["a", "b"]).csv_fields()
    assert fields["status"] == "fail" and fields["reason"] == "chapter 2: SyntaxError app.py:3"
    assert fields["integrity"] == "a; b" and fields["lost"] == f"{CH01.package}:greet: GET /user/x answered 500"
    assert fields[CH01.package] == 1 and fields[f"{CH01.package}:hello"] == 1
