"""The chapters of the course and their manifests (`chapters/chNN_slug/chapter.toml`)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from track.model.bootstrap import ROOT
from track.model.i18n import _
from track.model.ui import command

CHAPTERS = ROOT / "chapters"
SOLUTIONS = ROOT / "solutions"
STATE = ROOT / ".track"  # git-ignored: hints shown, last results, benchmark figures
GRADER_TIMEOUT_S = 20  # per grader test (track/grading/plugin.py): a hang guard, 10x what the slowest test needs on an idle machine
PACKAGE_NAME = re.compile(r"^ch(\d\d)_[a-z0-9_]+$")
CHAPTER_ARGUMENT = re.compile(r"^(?:ch|chapter-?)?0*(\d+)$")


class UsageError(Exception):
    """A command the course cannot carry out as typed; the text says what would work."""


@dataclass(frozen=True)
class Hint:
    text: str
    # Names (or parts of names) of the grader tests this hint is about: when one of them is
    # the first to fail, this hint comes before the others.
    tests: tuple[str, ...] = ()
    # Ids of the contract rules this hint is about (`@pytest.mark.rule` on the grader tests):
    # when the first failing test checks one of them, this hint comes first.
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    points: int
    where: str
    hints: tuple[Hint, ...]
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
    # (exception class name, advice): what to do when a helper the course provides raises it.
    errors: tuple[tuple[str, str], ...] = field(default=())
    # The `[demo]` table: (step, exercises it needs) for each step of client.py's walkthrough,
    # and the response headers the chapter teaches (the demo shows them).
    demo_steps: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    demo_headers: tuple[str, ...] = field(default=())

    @property
    def error_advice(self) -> dict[str, str]:
        return dict(self.errors)

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


def load_hint(entry: str | dict) -> Hint:
    """A hint is a string, or a table `{text = "...", rules = ["escapes-html"]}` (or `tests = [...]`)."""
    if isinstance(entry, str):
        return Hint(entry)
    return Hint(entry["text"], tuple(entry.get("tests", ())), tuple(entry.get("rules", ())))


def load_exercise(entry: dict) -> Exercise:
    return Exercise(entry["id"], entry["title"], int(entry["points"]), entry["where"],
                    tuple(load_hint(h) for h in entry["hints"]), tuple(entry.get("requires", ())))


def load_manifest(path: Path) -> Chapter:
    """Read one `chapter.toml`; a missing key fails loudly with the file's name."""
    package = path.parent.name
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        exercises = tuple(load_exercise(entry) for entry in data["exercises"])
        serves = tuple((s["path"], int(s["status"])) for s in data.get("stub_serves", ()))
        errors = tuple((name, entry["advice"]) for name, entry in data.get("errors", {}).items())
        demo = data.get("demo", {})
        steps = tuple((name, tuple(needs)) for name, needs in demo.get("steps", {}).items())
        return Chapter(int(PACKAGE_NAME.match(package)[1]), package, data["title"], data["title_zh"], exercises, serves,
                       errors, steps, tuple(demo.get("headers", ())))
    except (KeyError, TypeError) as error:
        raise SystemExit(f"{path}: manifest entry missing or malformed: {error}") from error


@cache
def chapters() -> tuple[Chapter, ...]:
    """Every chapter, in course order."""
    manifests = sorted(CHAPTERS.glob("ch[0-9][0-9]_*/chapter.toml"))
    return tuple(load_manifest(path) for path in manifests)


def chapter(name: int | str) -> Chapter:
    """The chapter a learner names: 1, "01", "ch01", "chapter-1" and "ch01_hello_world" all work."""
    text = str(name).strip().lower()
    number = CHAPTER_ARGUMENT.match(text)
    for found in chapters():
        if text == found.package or (number and int(number[1]) == found.number):
            return found
    known = ", ".join(str(c.number) for c in chapters())
    example = command("check", 1)
    raise UsageError(_("There is no chapter {name}. Chapters: {known} (e.g. `{example}`; "
                       "1, 01, ch01, chapter-1 and {package} all name chapter 1).").format(
        name=repr(str(name)), known=known, example=example, package=chapters()[0].package))


def next_chapter(chap: Chapter) -> Chapter | None:
    """The chapter after `chap` in course order; None after the last."""
    return next((c for c in chapters() if c.number > chap.number), None)


def chapter_for_package(package: str) -> Chapter:
    return chapter(PACKAGE_NAME.match(package)[1])
