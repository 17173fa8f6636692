"""Grading the learner's copy: the engine's verdicts, kept in the cache for list and progress."""
from __future__ import annotations

from collections.abc import Sequence

from track.grading import cache, engine
from track.model.course import Chapter
from track.model.i18n import _
from track.model.results import ChapterError, ChapterResult, RunResult


def grade_learner(selected: Sequence[Chapter], primed: engine.Primed | None = None) -> RunResult:
    """Grade the learner's copy of `selected` (with a run primed for it, if any) and keep the verdicts."""
    keys = {chap.package: cache.key(chap) for chap in selected}  # before: a save while grading re-grades
    run = primed.run() if primed is not None else engine.grade(selected)
    cache.store(run, keys)
    return run


def chapter_result(run: RunResult, chap: Chapter) -> ChapterResult:
    """The chapter's result; a run that failed as a whole becomes the chapter's error."""
    found = run.chapter(chap.package)
    return found or ChapterResult(chap.package, [], [], ChapterError(run.message or _("No grader test ran.")))


def check(chap: Chapter, primed: engine.Primed | None = None) -> ChapterResult:
    return chapter_result(grade_learner([chap], primed), chap)


def current(selected: Sequence[Chapter]) -> dict[str, ChapterResult]:
    """Every chapter's verdict: from the cache where nothing changed, else graded now."""
    found = {chap.package: cache.load(chap) for chap in selected}
    stale = [chap for chap in selected if found[chap.package] is None]
    if stale:
        run = grade_learner(stale)
        found.update({chap.package: chapter_result(run, chap) for chap in stale})
    return found
