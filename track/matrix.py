"""One exercise, one verdict: the leave-one-out matrix of a chapter.

For every exercise E, two variants of the chapter are graded:

- the solution with only E replaced by its stub: E fails, every exercise that does not
  need E passes every test, and the exercises whose manifest `requires` E are blocked;
- the stub with only E (and what E requires) solved: E passes.

A verdict that breaks this depends on code the learner did not write for that exercise.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from track.course import Chapter
from track.stubs import write_stubs


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
        return f"{self.chapter.package}: {'only ' + self.exercise + ' stubbed' if self.kind == 'stubbed' else 'only ' + self.exercise + ' solved'}"

    def expected(self) -> dict[str, str]:
        """exercise id -> the status it must get ("pass", "fail" or "blocked")."""
        if self.kind == "alone":
            return {self.exercise: "pass"}
        blocked = dependents(self.chapter, self.exercise)
        return {e.id: "fail" if e.id == self.exercise else "blocked" if e.id in blocked else "pass"
                for e in self.chapter.exercises}


def variants(chapter: Chapter) -> Iterator[Variant]:
    everything = {e.id for e in chapter.exercises}
    for exercise in chapter.exercises:
        yield Variant(chapter, exercise.id, "stubbed", frozenset({exercise.id}))
        solved = {exercise.id} | requirements(chapter, exercise.id)
        yield Variant(chapter, exercise.id, "alone", frozenset(everything - solved))


def problems(variant: Variant, statuses: dict[str, str]) -> list[str]:
    """How the graded statuses differ from what the variant must get."""
    return [f"{variant.label}: `{exercise}` is {statuses.get(exercise, 'not graded')}, expected {status}"
            for exercise, status in variant.expected().items() if statuses.get(exercise) != status]


def write_variant(variant: Variant, folder: Path) -> Path:
    """The variant as a folder of chapter packages, ready for `--target`."""
    write_stubs(variant.chapter, folder / variant.chapter.package, variant.stubbed)
    return folder


def check_chapter(chapter: Chapter, grade_statuses: Callable[[Chapter, Path], dict[str, str]]) -> list[str]:
    """Grade every variant of `chapter`; the problems found (empty: every verdict is its own)."""
    found = []
    for variant in variants(chapter):
        with tempfile.TemporaryDirectory(prefix="track-variant-") as scratch:
            found += problems(variant, grade_statuses(chapter, write_variant(variant, Path(scratch))))
    return found
