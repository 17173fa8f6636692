"""One chapter's grading run shared between two forks, and their results joined into one.

A `check` spends most of its time in the grader's tests, one after another on one core.
Each exercise is graded on its own code only, so the run can be shared: each fork grades
some exercises (its share) and everything they `require`, and an exercise's verdict is
taken from the fork whose share it is. A required exercise runs in both forks, so "blocked
by" reads as in one run. The joined result is the one a single run gives: the same
exercises and tests, in the manifest's order.

The shares balance each exercise's number of grader tests, or what a grader module declares
in `SHARE_WEIGHTS` when its time goes elsewhere (chapter 11: the learner's tests it runs).
Only a process that imported the graders (`engine.warm`) knows those, and only where it can
fork on two cores does `engine.grade` share: the warm grader's checks. `watch`'s run readied
ahead of a save (engine.prime), class grading and the plain path are one process each.
"""
from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Sequence

from track.model.course import Chapter
from track.model.results import ChapterResult, RunResult

FORKS = 2


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def needs(chapter: Chapter, exercise_id: str) -> set[str]:
    """The exercise and every exercise it requires, directly or not."""
    found, todo = set(), [exercise_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(chapter.exercise(current).requires)
    return found


def shares(chapter: Chapter, weights: Counter) -> list[list[str]]:
    """The chapter's exercises in at most FORKS shares: of all ways to share them, the one whose
    heaviest fork has the least weight (grader tests, counting what each fork must also grade
    for `requires`), then the least in all. A chapter has a handful of exercises: trying every
    way costs well under a millisecond. One share with one core."""
    ids = [exercise.id for exercise in chapter.exercises]
    if cores() < FORKS:
        return [ids]

    def load(share: list[str]) -> int:
        return sum(weights[chapter.package, e] for e in graded_in(chapter, share)) if share else 0

    def cost(assignment: tuple[int, ...]) -> tuple[int, int]:
        loads = [load([e for e, fork in zip(ids, assignment) if fork == n]) for n in range(FORKS)]
        return max(loads), sum(loads)

    best = min(itertools.product(range(FORKS), repeat=len(ids)), key=cost)
    found = [[e for e, fork in zip(ids, best) if fork == n] for n in range(FORKS)]
    return [share for share in found if share]


def graded_in(chapter: Chapter, share: Sequence[str]) -> list[str]:
    """What the fork of `share` grades: its exercises and what they require."""
    return sorted(set().union(*(needs(chapter, exercise_id) for exercise_id in share)))


def joined(chapter: Chapter, runs: Sequence[RunResult], owned: Sequence[Sequence[str]]) -> RunResult:
    """The runs of the shares as one run: each exercise's verdict and tests from its own share. A share
    that failed as a whole (pytest could not start, its deadline passed) is the whole run's failure."""
    found = [run.chapter(chapter.package) for run in runs]
    failed = next((run for run, result in zip(runs, found) if run.message is not None or result is None), None)
    if failed is not None:
        return failed
    order = [exercise.id for exercise in chapter.exercises]
    mine = [(result, set(share)) for result, share in zip(found, owned)]
    exercises = [e for result, share in mine for e in result.exercises if e.id in share]
    tests = [t for result, share in mine for t in result.tests if t.exercise in share]
    error = next((result.error for result in found if result.error is not None), None)
    return RunResult([ChapterResult(chapter.package, sorted(exercises, key=lambda e: order.index(e.id)),
                                    sorted(tests, key=lambda t: order.index(t.exercise)), error)])
