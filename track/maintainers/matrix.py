"""One exercise, one verdict: the leave-one-out matrix of a chapter.

For every exercise E, two variants of the chapter are graded:

- the solution with only E replaced by its stub: E fails, every exercise that does not
  need E passes every test, and the exercises whose manifest `requires` E are blocked;
- the stub with only E (and what E requires) solved: E passes.

A verdict that breaks this depends on code the learner did not write for that exercise.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from track.model.course import Chapter
from track.grading.engine import Job, grade_all, warm
from track.model.i18n import _
from track.model.results import RunResult, Status
from track.model.stubs import write_stubs


def requirements(chapter: Chapter, exercise_id: str) -> set[str]:
    """Every exercise `exercise_id` needs, directly or through another."""
    needed: set[str] = set()
    pending = [exercise_id]
    while pending:
        for required in chapter.exercise(pending.pop()).requires:
            if required not in needed:
                needed.add(required)
                pending.append(required)
    return needed


def dependents(chapter: Chapter, exercise_id: str) -> set[str]:
    """Every exercise that needs `exercise_id`, directly or through another."""
    return {e.id for e in chapter.exercises if exercise_id in requirements(chapter, e.id)}


@dataclass(frozen=True)
class Variant:
    """A chapter with some exercises stubbed, and the verdicts it must get."""

    chapter: Chapter
    exercise: str
    kind: str  # "stubbed": the solution without E; "alone": the stub with only E solved
    stubbed: frozenset[str]

    @property
    def label(self) -> str:
        which = _("only {exercise} stubbed") if self.kind == "stubbed" else _("only {exercise} solved")
        return f"{self.chapter.package}: " + which.format(exercise=self.exercise)

    def expected(self) -> dict[str, Status]:
        """exercise id -> the status it must get (pass, fail or blocked)."""
        if self.kind == "alone":
            return {self.exercise: Status.PASS}
        blocked = dependents(self.chapter, self.exercise)
        return {e.id: Status.FAIL if e.id == self.exercise else Status.BLOCKED if e.id in blocked else Status.PASS
                for e in self.chapter.exercises}


def variants(chapter: Chapter) -> Iterator[Variant]:
    everything = {e.id for e in chapter.exercises}
    for exercise in chapter.exercises:
        yield Variant(chapter, exercise.id, "stubbed", frozenset({exercise.id}))
        solved = {exercise.id} | requirements(chapter, exercise.id)
        yield Variant(chapter, exercise.id, "alone", frozenset(everything - solved))


def problems(variant: Variant, statuses: dict[str, str]) -> list[str]:
    """How the graded statuses differ from what the variant must get."""
    return [_("{variant}: `{exercise}` is {got}, expected {status}").format(
                variant=variant.label, exercise=exercise, got=statuses.get(exercise, statuses.get("*", Status.NOT_RUN.label)),
                status=status)
            for exercise, status in variant.expected().items() if statuses.get(exercise) != status]


def job(variant: Variant, folder: Path) -> Job:
    """The variant written as a folder of chapter packages, and the run that grades it."""
    write_stubs(variant.chapter, folder / variant.chapter.package, variant.stubbed)
    # The stub with only E solved: only E's tests decide, so only they run.
    exercises = [variant.exercise] if variant.kind == "alone" else []
    return Job([variant.chapter], str(folder), exercises)


def statuses(run: RunResult, chapter: Chapter) -> dict[str, str]:
    found = run.chapter(chapter.package)
    if found is None:
        return {"*": _("not graded: {message}").format(message=run.message)}
    return {e.id: e.status for e in found.exercises}


def longest_first(variant: Variant) -> tuple[bool, int]:
    """A stubbed variant runs its whole chapter, an alone one a single exercise, and later chapters
    grade more (servers, subprocesses): the long runs go first, so the short ones fill the cores at the end."""
    return variant.kind != "stubbed", -variant.chapter.number


def graded(chapters: list[Chapter], jobs: int = 2) -> list[tuple[Variant, dict[str, str]]]:
    """Every variant of `chapters` with the statuses it got, in the chapters' order."""
    warm(chapters)
    every = [variant for chapter in chapters for variant in variants(chapter)]
    order = sorted(range(len(every)), key=lambda n: longest_first(every[n]))
    with tempfile.TemporaryDirectory(prefix="track-variants-") as scratch:
        runs = grade_all([job(every[n], Path(scratch) / str(n)) for n in order], parallel=jobs)
    run_of = dict(zip(order, runs))
    return [(variant, statuses(run_of[n], variant.chapter)) for n, variant in enumerate(every)]


def check(chapters: list[Chapter], jobs: int = 2) -> tuple[list[str], list[str]]:
    """(problems, table): the verdicts that are not the exercise's own, and one line per exercise."""
    results = graded(chapters, jobs)
    found = [problem for variant, got in results for problem in problems(variant, got)]
    table = []
    for (stubbed, without), (_alone, alone) in zip(results[::2], results[1::2]):
        others = [status for exercise, status in without.items() if exercise != stubbed.exercise]
        blocked = _(", {count} blocked").format(count=others.count(Status.BLOCKED)) if Status.BLOCKED in others else ""
        table.append(f"{stubbed.chapter.package:<22} {stubbed.exercise:<17} " + _(
            "only it stubbed: it {without}, {passed}/{others} others pass{blocked}; only it solved: it {alone}").format(
            without=without.get(stubbed.exercise), passed=others.count(Status.PASS), others=len(others), blocked=blocked,
            alone=alone.get(stubbed.exercise)))
    return found, table
