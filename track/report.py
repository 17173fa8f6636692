"""What a grading run found, per test and per exercise, in a results.json classroom tools read.

The file follows exercism's test-runner interface (version 3: `status`, `message`, and
`tests` with `name`, `status`, `message`, `task_id`) and adds GitHub Classroom's
`score`/`max_score`, plus `exercises`: one entry per exercise with the points it earned.
An exercise earns its points only when every one of its tests passes.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from track.course import ROOT, Chapter, chapter_for_package


def target_dir(config, chapter: Chapter) -> Path:
    target = config.getoption("--target")
    base = ROOT / target if target in ("chapters", "solutions") else Path(target).resolve()
    return base / chapter.package


def shown(path: Path) -> str:
    """A path as the learner would type it: relative to the course when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def todo_location(package_dir: Path, exercise_id: str) -> str | None:
    pattern = re.compile(rf"TODO\({re.escape(exercise_id)}\)")
    for path in sorted(package_dir.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                return f"{shown(path)}:{number}"
    return None


def raised_at(excinfo, package_dir: Path) -> str | None:
    """The last traceback line inside the graded chapter: where the learner's code failed."""
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        if package_dir in path.parents:
            return f"{shown(path)}:{entry.lineno + 1}"
    return None


def explain_failure(config, chapter: Chapter, exercise_id: str, excinfo) -> tuple[str, bool]:
    """A message for the learner, and whether it should replace pytest's traceback."""
    exercise = chapter.exercise(exercise_id)
    package_dir = target_dir(config, chapter)
    todo = todo_location(package_dir, exercise_id)
    where = f"Where to look: {exercise.where}" + (f" ({todo})" if todo else "")
    where += f". Hint: `python -m track hint {chapter.number}`."
    origin = raised_at(excinfo, package_dir)
    if excinfo.errisinstance(NotImplementedError):
        what = f"Exercise `{exercise_id}` ({exercise.title}) is not written yet: {origin or 'the code'} still raises NotImplementedError."
        return f"{what}\n\n{where}", True
    if excinfo.errisinstance(AssertionError) or excinfo.errisinstance(pytest.fail.Exception):
        what = str(excinfo.value).split("\nassert ")[0].strip() or "An expectation did not hold."
        return f"{what}\n\n{where}", excinfo.errisinstance(pytest.fail.Exception)
    what = f"Your code raised {excinfo.type.__name__}: {excinfo.value}" + (f" at {origin}" if origin else "")
    return f"{what}\n\n{where}", False


@dataclass
class Report:
    """A pytest plugin that records every grader test's outcome."""

    tests: list[dict] = field(default_factory=list)

    def pytest_runtest_logreport(self, report):
        if not hasattr(report, "exercise"):
            return
        if report.when == "call" or report.failed:
            package, exercise = report.exercise
            # exercism's statuses: a failed assertion is "fail", a broken fixture "error".
            status = "pass" if report.passed else ("fail" if report.when == "call" else "error")
            self.tests.append({
                "name": report.nodeid.partition("::")[2],
                "nodeid": report.nodeid,
                "status": status,
                "message": getattr(report, "explanation", None) or (None if report.passed else str(report.longrepr)),
                "chapter": package,
                "exercise": exercise,
                "task_id": exercise_index(package, exercise),
                # The exercise's points, earned when all of its tests pass (see "exercises").
                "points": chapter_for_package(package).exercise(exercise).points,
            })

    def results(self) -> dict:
        exercises = summarise(self.tests)
        failed = [t for t in self.tests if t["status"] != "pass"]
        if not self.tests:
            status, message = "error", "No grader test ran."
        elif all(t["status"] == "error" for t in self.tests):  # nothing could run: say why
            status, message = "error", failed[0]["message"]
        else:
            status, message = ("fail" if failed else "pass"), None
        return {
            "version": 3,
            "status": status,
            "message": message,
            "score": sum(e["score"] for e in exercises),
            "max_score": sum(e["points"] for e in exercises),
            "exercises": exercises,
            "tests": self.tests,
        }

    def pytest_sessionfinish(self, session):
        path = session.config.getoption("--results-json")
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(json.dumps(self.results(), indent=2, ensure_ascii=False), encoding="utf-8")


def exercise_index(package: str, exercise_id: str) -> int:
    ids = [e.id for e in chapter_for_package(package).exercises]
    return ids.index(exercise_id) + 1


def summarise(tests: list[dict]) -> list[dict]:
    """One entry per exercise that ran, in course order, with points earned."""
    by_exercise: dict[tuple[str, str], list[dict]] = {}
    for test in tests:
        by_exercise.setdefault((test["chapter"], test["exercise"]), []).append(test)
    summary = []
    for package in sorted({package for package, _ in by_exercise}):
        for exercise in chapter_for_package(package).exercises:
            ran = by_exercise.get((package, exercise.id))
            if ran is None:
                continue
            passed = all(t["status"] == "pass" for t in ran)
            first_failure = next((t for t in ran if t["status"] != "pass"), None)
            summary.append({
                "chapter": package, "id": exercise.id, "title": exercise.title,
                "status": "pass" if passed else "fail", "points": exercise.points,
                "score": exercise.points if passed else 0, "tests": len(ran),
                "failed": sum(t["status"] != "pass" for t in ran),
                "message": first_failure["message"] if first_failure else None,
            })
    return summary
