"""The classroom figure: a synthetic class graded with `track grade --root ...`.

Students are made from the reference solution, the stubs and leave-one-out variants
(track/stubs.py writes them), a third each; every student's files carry a comment with
their name, so no two students are the same content, and the first two figures grade with
`--no-reuse`: no stored verdict answers for anyone. The third grades the same class again as
a teacher does after a few pushes: verdicts of unchanged chapters are reused.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measures import row
from track.course import ROOT, chapters
from track.stubs import write_stubs

CLASS_SIZE = 30
QUICK_CLASS_SIZE = 2
CLASS_GOAL_S = 60
STUDENT_GOAL_S = 2
CORES = os.cpu_count() or 1


def make_student(folder: Path, index: int) -> Path:
    """Student `index`: solved, untouched stubs, or one exercise left undone per chapter."""
    for chapter in chapters():
        kind = index % 3
        undone = chapter.exercises[index % len(chapter.exercises)].id
        stubbed = () if kind == 0 else None if kind == 1 else {undone}
        package = folder / "chapters" / chapter.package
        for path in write_stubs(chapter, package, stubbed):
            if path.suffix == ".py":
                path.write_text(f"# {folder.name}'s work\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def grade_class(folders: list[Path], jobs: int, *options: str) -> float:
    roots = [arg for folder in folders for arg in ("--root", str(folder))]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "track", "grade", *roots, "--jobs", str(jobs), *options], cwd=ROOT,
                   capture_output=True, timeout=1800, check=False)
    return time.perf_counter() - start


def class_grading(quick: bool) -> list[dict]:
    size = QUICK_CLASS_SIZE if quick else CLASS_SIZE
    with tempfile.TemporaryDirectory(prefix="track-class-bench-") as scratch:
        folders = [make_student(Path(scratch) / f"student-{index:02d}", index) for index in range(size)]
        one = grade_class(folders[:1], CORES, "--no-reuse")
        everyone = grade_class(folders, 2, "--no-reuse")
        grade_class(folders, 2)  # stores every verdict
        with (folders[0] / "chapters" / "ch05_hooks" / "app.py").open("a", encoding="utf-8") as pushed:
            pushed.write("# one push\n")
        again = grade_class(folders, 2)
    return [
        row("classroom", f"one solved student, all {len(chapters())} chapters (grade --root, --jobs {CORES})", one, "s",
            one / STUDENT_GOAL_S, f"goal <= {STUDENT_GOAL_S} s; start-up included, the default jobs (the cores)"),
        row("classroom", f"a class of {size} (grade --root x{size} --jobs 2)", everyone, "s",
            everyone / (CLASS_GOAL_S * size / CLASS_SIZE),
            f"goal <= {CLASS_GOAL_S} s for {CLASS_SIZE}; solution/stub/leave-one-out, distinct files, no cache"),
        row("classroom", f"the class of {size} again, one chapter edited (reused verdicts)", again, "s",
            again / (CLASS_GOAL_S * size / CLASS_SIZE), "the teacher's re-grade after a push"),
    ]
