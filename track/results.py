"""What a grading run found: typed results, and the results.json classroom tools read.

The JSON follows exercism's test-runner interface (version 3: `status`, `message`, and
`tests` with `name`, `status`, `message`, `task_id`) and adds `score`/`max_score`, one
entry per exercise (`exercises`) and per chapter (`chapters`). (Classroom 50's result.json
is written by the autograder bundle: track/autograder.py.)
An exercise earns its points only when every one of its tests passes.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from track.course import Chapter, chapter_for_package
from track.i18n import _

# A test: "pass"; "fail" (an expectation did not hold); "error" (it could not run to the
# end: a timeout, a broken fixture); "blocked" (not run: an exercise it needs fails, or
# the chapter itself could not be loaded).
TestStatus = Literal["pass", "fail", "error", "blocked"]
ExerciseStatus = Literal["pass", "fail", "error", "blocked"]


def budget_spent(seconds: float) -> str:
    """The message of a test not run because its chapter's time budget (class grading) was spent."""
    return _("not run: the chapter's time budget ({seconds} s) was spent").format(seconds=f"{seconds:g}")


def overall(statuses: set[str]) -> str:
    """All pass: pass; anything that could not be graded: error; else (a failure, a block): fail."""
    return "pass" if statuses == {"pass"} else "error" if "error" in statuses else "fail"


@dataclass
class TestResult:
    __test__ = False  # a result, not a test class for pytest to collect

    nodeid: str
    chapter: str
    exercise: str
    status: TestStatus
    message: str | None = None
    duration: float = 0.0
    test_code: str = ""  # the grader test's source (exercism v3)
    output: str | None = None  # what the test printed (exercism v3)
    rules: list[str] = field(default_factory=list)  # the contract rules it checks (@pytest.mark.rule)

    @property
    def name(self) -> str:
        return self.nodeid.partition("::")[2]


@dataclass
class ChapterError:
    """The chapter as a whole could not be graded: it does not import, or the app does not build."""

    message: str
    where: str | None = None


@dataclass
class ExerciseResult:
    chapter: str
    id: str
    title: str
    points: int
    status: ExerciseStatus
    tests: int
    failed: int
    message: str | None = None
    blocked_by: str | None = None

    @property
    def score(self) -> int:
        return self.points if self.status == "pass" else 0


@dataclass
class ChapterResult:
    package: str
    exercises: list[ExerciseResult]
    tests: list[TestResult]
    error: ChapterError | None = None

    @property
    def chapter(self) -> Chapter:
        return chapter_for_package(self.package)

    @property
    def status(self) -> str:
        return "error" if self.error is not None else overall({e.status for e in self.exercises})

    @property
    def score(self) -> int:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> int:
        return self.chapter.points

    def exercise(self, exercise_id: str) -> ExerciseResult:
        return next(e for e in self.exercises if e.id == exercise_id)

    def solved(self) -> list[str]:
        return [e.id for e in self.exercises if e.status == "pass"]

    def first_unsolved(self) -> ExerciseResult | None:
        return next((e for e in self.exercises if e.status != "pass"), None)


@dataclass
class RunResult:
    chapters: list[ChapterResult] = field(default_factory=list)
    # Set when the run as a whole failed (pytest could not start, the child was killed).
    message: str | None = None

    def chapter(self, package: str) -> ChapterResult | None:
        return next((c for c in self.chapters if c.package == package), None)

    @property
    def status(self) -> str:
        if self.message is not None or not self.chapters:
            return "error"
        return overall({c.status for c in self.chapters})

    @property
    def score(self) -> int:
        return sum(c.score for c in self.chapters)

    @property
    def max_score(self) -> int:
        return sum(c.max_score for c in self.chapters)

    def exit_code(self) -> int:
        """0 every exercise passes, 1 some fail, 2 something could not be graded."""
        return {"pass": 0, "fail": 1}.get(self.status, 2)

    def to_json(self) -> dict:
        chapters = self.chapters
        return {
            "version": 3,
            "status": self.status,
            "message": self.message or next((c.error.message for c in chapters if c.error), None),
            "score": self.score,
            "max_score": self.max_score,
            "chapters": [{"package": c.package, "status": c.status, "score": c.score, "max_score": c.max_score,
                          "error": asdict(c.error) if c.error else None} for c in chapters],
            "exercises": [{**asdict(e), "score": e.score} for c in chapters for e in c.exercises],
            "tests": [{**asdict(t), "name": t.name, "task_id": task_id(c.chapter, t.exercise),
                       "points": c.chapter.exercise(t.exercise).points} for c in chapters for t in c.tests],
        }

    @classmethod
    def from_json(cls, data: dict) -> RunResult:
        chapters = []
        for entry in data.get("chapters", []):
            package = entry["package"]
            exercises = [ExerciseResult(**{k: v for k, v in e.items() if k != "score"})
                         for e in data["exercises"] if e["chapter"] == package]
            tests = [TestResult(**{k: v for k, v in t.items() if k not in ("name", "task_id", "points")})
                     for t in data["tests"] if t["chapter"] == package]
            error = ChapterError(**entry["error"]) if entry.get("error") else None
            chapters.append(ChapterResult(package, exercises, tests, error))
        run_error = data.get("message") if data.get("status") == "error" and not chapters else None
        return cls(chapters, run_error)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> RunResult:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def task_id(chapter: Chapter, exercise_id: str) -> int:
    """exercism's task id: the exercise's position in its chapter, from 1."""
    return [e.id for e in chapter.exercises].index(exercise_id) + 1
