"""What a grading run found: typed results, and the results.json classroom tools read.

The JSON follows exercism's test-runner interface (version 3: `status`, `message`, and
`tests` with `name`, `status`, `message`, `task_id`): every `status` in it is one of
exercism's three (`Status.exercism`). It adds keys the interface does not define (it lists
the fields it reads and forbids no others):
`score`/`max_score`, one entry per exercise (`exercises`) and per chapter (`chapters`), and
`track_status` beside a test's or an exercise's `status`: our own word (`blocked`, `not_run`),
which exercism's three cannot say. (Classroom 50's result.json is written by the autograder
bundle: track/classroom/autograder.py.)
An exercise earns its points only when every one of its tests passes.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from track.model.course import Chapter, chapter_for_package
from track.model.i18n import N_, _


class Status(StrEnum):
    """The one status vocabulary of a test, an exercise, a chapter and a run: the CLI, the
    dashboard, the class reports and results.json say these words (and their labels)."""

    PASS = "pass"
    FAIL = "fail"  # an expectation did not hold
    ERROR = "error"  # it could not run to the end: a timeout, a broken fixture, a chapter that does not load
    BLOCKED = "blocked"  # not run: an exercise it needs fails, or the chapter could not be loaded
    NOT_RUN = "not_run"  # no test of it ran: the run failed as a whole, or nothing graded it yet

    @property
    def label(self) -> str:
        """The word a learner or a teacher reads, in their language."""
        return _(LABELS[self])

    @property
    def mark(self) -> str:
        return MARKS[self]

    @property
    def exercism(self) -> str:
        """exercism's own status (results.json): only "pass", "fail" and "error" exist there."""
        return EXERCISM[self]


LABELS = {Status.PASS: N_("passes"), Status.FAIL: N_("fails"), Status.ERROR: N_("could not grade"),
          Status.BLOCKED: N_("blocked"), Status.NOT_RUN: N_("not graded")}
MARKS = {Status.PASS: "✔", Status.FAIL: "✘", Status.ERROR: "!", Status.BLOCKED: "·", Status.NOT_RUN: "?"}
# A blocked test waits for the learner's code elsewhere (another exercise, a chapter that
# loads): a failure to fix, not the runner's; exercism keeps "error" for tests that could not
# run correctly, which is what an exercise nothing graded is.
EXERCISM = {Status.PASS: "pass", Status.FAIL: "fail", Status.ERROR: "error", Status.BLOCKED: "fail",
            Status.NOT_RUN: "error"}


def budget_spent(seconds: float) -> str:
    """The message of a test not run because its chapter's time budget (class grading) was spent."""
    return _("not run: the chapter's time budget ({seconds} s) was spent").format(seconds=f"{seconds:g}")


def overall(statuses: set[Status]) -> Status:
    """All pass: pass; anything that could not be graded: error; else (a failure, a block): fail."""
    return Status.PASS if statuses == {Status.PASS} else Status.ERROR if Status.ERROR in statuses else Status.FAIL


@dataclass
class TestResult:
    __test__ = False  # a result, not a test class for pytest to collect

    nodeid: str
    chapter: str
    exercise: str
    status: Status
    message: str | None = None
    duration: float = 0.0
    test_code: str = ""  # the grader test's source (exercism v3)
    output: str | None = None  # what the test printed (exercism v3)
    rules: list[str] = field(default_factory=list)  # the contract rules it checks (@pytest.mark.rule)

    def __post_init__(self):
        self.status = Status(self.status)  # "fail" as written in a test of the engine: the same word

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
    status: Status
    tests: int
    failed: int
    message: str | None = None
    blocked_by: str | None = None

    def __post_init__(self):
        self.status = Status(self.status)

    @property
    def score(self) -> int:
        return self.points if self.status == Status.PASS else 0


@dataclass
class ChapterResult:
    package: str
    exercises: list[ExerciseResult]
    tests: list[TestResult]
    error: ChapterError | None = None

    @cached_property
    def chapter(self) -> Chapter:
        return chapter_for_package(self.package)

    @property
    def status(self) -> Status:
        return Status.ERROR if self.error is not None else overall({e.status for e in self.exercises})

    @property
    def score(self) -> int:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> int:
        return self.chapter.points

    def exercise(self, exercise_id: str) -> ExerciseResult:
        return next(e for e in self.exercises if e.id == exercise_id)

    def solved_exercises(self) -> list[str]:
        return [e.id for e in self.exercises if e.status == Status.PASS]

    def first_unsolved(self) -> ExerciseResult | None:
        return next((e for e in self.exercises if e.status != Status.PASS), None)

    @property
    def solved(self) -> bool:
        """The chapter loads and every one of its exercises passes: what `hint`, `solution`, `watch`,
        the demo and the dashboard mean by a solved chapter."""
        return self.error is None and len(self.solved_exercises()) == len(self.chapter.exercises)

    def exercise_status(self, exercise_id: str) -> Status:
        """An exercise's status; one no test graded (its chapter not yet graded, a failed run) is not run."""
        found = next((e for e in self.exercises if e.id == exercise_id), None)
        return found.status if found is not None else Status.NOT_RUN


@dataclass
class RunResult:
    chapters: list[ChapterResult] = field(default_factory=list)
    # Set when the run as a whole failed (pytest could not start, the child was killed).
    message: str | None = None
    # The results.json text this run was read from: keeping the run again (track/grading/cache.py)
    # writes that text, not a second serialisation. Not copied by `dataclasses.replace`.
    text: str | None = field(default=None, init=False, repr=False, compare=False)

    def chapter(self, package: str) -> ChapterResult | None:
        return next((c for c in self.chapters if c.package == package), None)

    def first_unsolved(self) -> ExerciseResult | None:
        """The first exercise of the run that does not pass (what `probes` names when the reference fails)."""
        return next((e for c in self.chapters if (e := c.first_unsolved()) is not None), None)

    @property
    def status(self) -> Status:
        if self.message is not None or not self.chapters:
            return Status.ERROR
        return overall({c.status for c in self.chapters})

    @property
    def score(self) -> int:
        return sum(c.score for c in self.chapters)

    @property
    def max_score(self) -> int:
        return sum(c.max_score for c in self.chapters)

    def exit_code(self) -> int:
        """0 every exercise passes, 1 some fail, 2 something could not be graded."""
        return {Status.PASS: 0, Status.FAIL: 1}.get(self.status, 2)

    def to_json(self) -> dict:
        chapters = self.chapters
        return {
            "version": 3,
            "status": self.status.exercism,
            "message": self.message or next((c.error.message for c in chapters if c.error), None),
            "score": self.score,
            "max_score": self.max_score,
            "chapters": [{"package": c.package, "status": c.status.exercism, "score": c.score, "max_score": c.max_score,
                          "error": asdict(c.error) if c.error else None} for c in chapters],
            "exercises": [{**asdict(e), **statuses(e.status), "score": e.score} for c in chapters for e in c.exercises],
            "tests": [{**asdict(t), **statuses(t.status), "name": t.name, "task_id": task_id(c.chapter, t.exercise),
                       "points": c.chapter.exercise(t.exercise).points} for c in chapters for t in c.tests],
        }

    @classmethod
    def from_json(cls, data: dict) -> RunResult:
        chapters = []
        for entry in data.get("chapters", []):
            package = entry["package"]
            exercises = [ExerciseResult(**fields(e, ("score",))) for e in data["exercises"] if e["chapter"] == package]
            tests = [TestResult(**fields(t, ("name", "task_id", "points"))) for t in data["tests"] if t["chapter"] == package]
            error = ChapterError(**entry["error"]) if entry.get("error") else None
            chapters.append(ChapterResult(package, exercises, tests, error))
        run_error = data.get("message") if data.get("status") == Status.ERROR and not chapters else None
        return cls(chapters, run_error)

    def json_text(self) -> str:
        """The run as results.json holds it: the text it was read from, else serialised now."""
        return self.text if self.text is not None else json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.json_text(), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> RunResult:
        text = path.read_text(encoding="utf-8")
        run = cls.from_json(json.loads(text))
        run.text = text
        return run


def statuses(status: Status) -> dict[str, str]:
    """A test's or an exercise's status in results.json: exercism's word, and ours beside it."""
    return {"status": status.exercism, "track_status": status.value}


def fields(entry: dict, derived: tuple[str, ...]) -> dict:
    """A results.json entry as the dataclass takes it: our status back in `status`, derived keys left out."""
    kept = {k: v for k, v in entry.items() if k not in derived and k != "track_status"}
    return {**kept, "status": Status(entry.get("track_status", entry["status"]))}


def task_id(chapter: Chapter, exercise_id: str) -> int:
    """exercism's task id: the exercise's position in its chapter, from 1."""
    return [e.id for e in chapter.exercises].index(exercise_id) + 1
