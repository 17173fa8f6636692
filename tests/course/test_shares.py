"""A chapter's run shared between two forks (track/grading/shares.py) gives the verdict one run
gives: the same exercises, tests, messages and blocks, in the same order."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.ch11_variants import session
from tests.ch11_variants.variants import EXERCISES, exercise_of_module
from tests.test_ch11_testing import SHARE_WEIGHTS
from track.grading import engine, shares
from track.model.course import ROOT, chapter, chapters
from track.model.results import ChapterError, ChapterResult, RunResult
from track.model.stubs import write_stubs

needs_fork = pytest.mark.skipif(not engine.CAN_FORK, reason="without fork a run is never shared: one process grades it")
CH09, CH11 = chapter(9), chapter(11)


@pytest.fixture(scope="module")
def weights() -> Counter:
    with pytest.MonkeyPatch.context() as patch:  # collecting sets what every grading run sets; not for later tests
        for name in engine.NO_AUTOLOAD:
            patch.setenv(name, engine.NO_AUTOLOAD[name])
        return engine.collect([CH09, CH11]).weights


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(shares, "cores", lambda: 2)


def test_every_exercise_has_one_share_that_grades_what_it_requires(two_cores):
    for chap in chapters():
        owned = shares.shares(chap, Counter({(chap.package, e.id): 1 for e in chap.exercises}))
        assert sorted(e for share in owned for e in share) == sorted(e.id for e in chap.exercises), chap.package
        for share in owned:
            graded = shares.graded_in(chap, share)
            assert all(required in graded for e in graded for required in chap.exercise(e).requires), (chap.package, share)


def test_the_shares_balance_the_weights(two_cores, weights):
    owned = shares.shares(CH09, weights)
    loads = [sum(weights[CH09.package, e] for e in shares.graded_in(CH09, share)) for share in owned]
    assert len(owned) == 2 and max(loads) - min(loads) <= max(weights[CH09.package, e.id] for e in CH09.exercises)


def test_one_core_grades_in_one_run(monkeypatch, weights):
    monkeypatch.setattr(shares, "cores", lambda: 1)
    assert shares.shares(CH09, weights) == [[e.id for e in CH09.exercises]]


def test_chapter_11_declares_the_weights_its_reference_runs_show(two_cores):
    """SHARE_WEIGHTS of chapter 11's grader split the chapter as the reference's own runs would."""
    report = session.run(ROOT / "solutions" / CH11.package / "tests", EXERCISES)
    ran = Counter(exercise_of_module(run["module"]) for run in report.done if run["outcome"] != "skipped")
    measured = Counter({(CH11.package, exercise): count for exercise, count in ran.items()})
    declared = Counter({(CH11.package, exercise): weight for exercise, weight in SHARE_WEIGHTS.items()})
    assert set(SHARE_WEIGHTS) == set(EXERCISES)
    assert shares.shares(CH11, declared) == shares.shares(CH11, measured), f"the reference now runs {dict(ran)}"


def broken_app(folder: Path) -> None:
    (folder / "app.py").write_text((folder / "app.py").read_text() + "\ndef broken(:\n")


# chapter 9's stubs fail `models`, which blocks every other exercise; solved, everything passes;
# chapter 11 solved runs the nested session in both forks; a syntax error is the chapter's error.
CASES = {"ch09_stubs": (CH09, None, None), "ch09_solved": (CH09, (), None),
         "ch11_solved": (CH11, (), None), "ch09_syntax_error": (CH09, (), broken_app)}


def verdict(run: RunResult, target: Path) -> dict:
    data = json.loads(json.dumps(run.to_json(), ensure_ascii=False).replace(str(target), "<target>"))
    for test in data["tests"]:
        test.pop("duration")
    return data


@needs_fork
@pytest.mark.parametrize("case", list(CASES))
def test_a_shared_run_gives_the_verdict_of_one_run(case, tmp_path, monkeypatch, two_cores, weights):
    chap, stubbed, edit = CASES[case]
    write_stubs(chap, tmp_path / chap.package, stubbed)
    if edit:
        edit(tmp_path / chap.package)
    one = engine.grade_all([engine.Job([chap], str(tmp_path))])[0]
    monkeypatch.setattr(engine, "WEIGHTS", weights)
    assert len(shares.shares(chap, weights)) == 2
    shared = engine.grade([chap], target=str(tmp_path))
    assert verdict(shared, tmp_path) == verdict(one, tmp_path)
    assert one.chapters[0].exercises and one.message is None


def test_a_share_that_failed_as_a_whole_is_the_runs_failure():
    ids = [e.id for e in CH09.exercises]
    passed = RunResult([ChapterResult(CH09.package, [], [])])
    killed = RunResult(message="Grading did not finish in 99 s and was stopped.")
    assert shares.joined(CH09, [passed, killed], [ids[:3], ids[3:]]) is killed
    broken = RunResult([ChapterResult(CH09.package, [], [], ChapterError("does not import"))])
    assert shares.joined(CH09, [passed, broken], [ids[:3], ids[3:]]).chapters[0].error == broken.chapters[0].error
