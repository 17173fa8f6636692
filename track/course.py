"""The chapters of the course and their manifests (`chapters/chNN_slug/chapter.toml`)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from track.bootstrap import ROOT

CHAPTERS = ROOT / "chapters"
SOLUTIONS = ROOT / "solutions"
STATE = ROOT / ".track"  # git-ignored: hints shown, last results, benchmark figures
PACKAGE_NAME = re.compile(r"^ch(\d\d)_[a-z0-9_]+$")


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    points: int
    where: str
    hints: tuple[str, ...]
    # Exercises whose code this one's grader cannot do without: while one of them fails,
    # this one is reported as blocked, not failed.
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    number: int
    package: str
    title: str
    title_zh: str
    exercises: tuple[Exercise, ...]
    stub_serves: tuple[tuple[str, int], ...] = field(default=())

    @property
    def learner_dir(self) -> Path:
        return CHAPTERS / self.package

    @property
    def solution_dir(self) -> Path:
        return SOLUTIONS / self.package

    @property
    def test_module(self) -> Path:
        return ROOT / "tests" / f"test_{self.package}.py"

    @property
    def points(self) -> int:
        return sum(exercise.points for exercise in self.exercises)

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(f"chapter {self.number} has no exercise {exercise_id!r}")


def load_manifest(path: Path) -> Chapter:
    """Read one `chapter.toml`; a missing key fails loudly with the file's name."""
    package = path.parent.name
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        exercises = tuple(
            Exercise(e["id"], e["title"], int(e["points"]), e["where"], tuple(e["hints"]), tuple(e.get("requires", ())))
            for e in data["exercises"]
        )
        serves = tuple((s["path"], int(s["status"])) for s in data.get("stub_serves", ()))
        return Chapter(int(PACKAGE_NAME.match(package)[1]), package, data["title"], data["title_zh"], exercises, serves)
    except (KeyError, TypeError) as error:
        raise SystemExit(f"{path}: manifest entry missing or malformed: {error}") from error


@cache
def chapters() -> tuple[Chapter, ...]:
    """Every chapter, in course order."""
    manifests = sorted(CHAPTERS.glob("ch[0-9][0-9]_*/chapter.toml"))
    return tuple(load_manifest(path) for path in manifests)


def chapter(number: int | str) -> Chapter:
    """Chapter by number: 1, "1", "01" and "ch01" all name chapter 1."""
    wanted = int(str(number).lower().removeprefix("ch").removeprefix("chapter-"))
    for found in chapters():
        if found.number == wanted:
            return found
    known = ", ".join(str(c.number) for c in chapters())
    raise SystemExit(f"There is no chapter {number}. Chapters: {known}.")


def chapter_for_package(package: str) -> Chapter:
    return chapter(PACKAGE_NAME.match(package)[1])
