"""Grading a class: this repository's graders run against each student's clone."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from track.course import chapters
from track.grading import GradingError, grade


def grade_student(root: Path) -> dict:
    """Results for one clone. Only its `chapters/` is read: its tests, edited or not, are never run."""
    target = root / "chapters"
    try:
        if not target.is_dir():
            raise GradingError(f"{target} does not exist")
        return grade(chapters(), target=str(target))
    except GradingError as error:
        possible = sum(chapter.points for chapter in chapters())
        return {"status": "error", "message": str(error), "score": 0, "max_score": possible, "exercises": []}


def chapter_scores(results: dict) -> dict[str, int]:
    scores = {chapter.package: 0 for chapter in chapters()}
    for exercise in results["exercises"]:
        scores[exercise["chapter"]] += exercise["score"]
    return scores


def grade_students(roots: list[str], csv_path: str | None, json_path: str | None) -> int:
    graded = {}
    for root in roots:
        path = Path(root).resolve()
        graded[path.name] = grade_student(path)
        print(f"{path.name}: {graded[path.name]['score']}/{graded[path.name]['max_score']} ({graded[path.name]['status']})")
    if csv_path:
        packages = [chapter.package for chapter in chapters()]
        with open(csv_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student", "score", "max_score", "status", *packages])
            for student, results in graded.items():
                scores = chapter_scores(results)
                writer.writerow([student, results["score"], results["max_score"], results["status"],
                                 *(scores[p] for p in packages)])
        print(f"Wrote {csv_path}")
    if json_path:
        Path(json_path).write_text(json.dumps(graded, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Wrote {json_path}")
    return 0
