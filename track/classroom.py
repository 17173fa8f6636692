"""Grading a class: this repository's graders run against each student's clone."""
from __future__ import annotations

import csv
from pathlib import Path

from track import engine
from track.course import chapters
from track.results import RunResult


def grade_student(root: Path) -> RunResult:
    """Results for one clone. Only its `chapters/` is read: its tests, edited or not, are never run."""
    target = root / "chapters"
    if not target.is_dir():
        return RunResult(message=f"{target} does not exist")
    return engine.grade(chapters(), target=str(target))


def chapter_scores(run: RunResult) -> dict[str, int]:
    return {chapter.package: (found.score if (found := run.chapter(chapter.package)) else 0) for chapter in chapters()}


def grade_students(roots: list[str], csv_path: str | None, json_path: str | None) -> int:
    graded: dict[str, RunResult] = {}
    possible = sum(chapter.points for chapter in chapters())
    for root in roots:
        path = Path(root).resolve()
        graded[path.name] = run = grade_student(path)
        print(f"{path.name}: {run.score}/{possible} ({run.status})")
    if csv_path:
        packages = [chapter.package for chapter in chapters()]
        with open(csv_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student", "score", "max_score", "status", *packages])
            for student, run in graded.items():
                scores = chapter_scores(run)
                writer.writerow([student, run.score, possible, run.status, *(scores[p] for p in packages)])
        print(f"Wrote {csv_path}")
    if json_path:
        import json

        Path(json_path).write_text(json.dumps({s: r.to_json() for s, r in graded.items()}, indent=2, ensure_ascii=False),
                                   encoding="utf-8")
        print(f"Wrote {json_path}")
    return max((run.exit_code() for run in graded.values()), default=0)
