"""The classroom figures: students graded with `track grade --root ...`, as ratios to the floor.

The floor is the cost of `python -c "import flask, pytest"` measured in the same run (its CPU
seconds for the per-student figures, its wall time for the class), so the ratios travel
between machines. One solved, one half-done (every other exercise left undone) and one stub
student are graded alone with `--no-reuse`; their CPU seconds count every process of the
grading (the sandboxed ones as `track grade` reports them). The sandbox's cost is the solved student's
CPU seconds sandboxed over `--no-sandbox`.

The class is made from the reference solution, the stubs and leave-one-out variants
(track/model/stubs.py writes them), a third each; every student's files carry a comment with
their name, so no two students are the same content, and it is graded with `--no-reuse`: no
stored verdict answers for anyone. Then the same class again as a teacher does after a few
pushes: verdicts of unchanged chapters are reused.
"""
from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measures import FLOOR, row
from track.grading import sandbox
from track.model.course import ROOT, chapters
from track.model.stubs import write_stubs

CLASS_SIZE = 30
QUICK_CLASS_SIZE = 2
CORES = os.cpu_count() or 1
SANDBOX_GOAL = 1.10  # the sandbox adds at most 10 % to a solved student's grading
# What each student leaves undone in a chapter: nothing, every exercise, every other one, one.
KINDS = {
    "solved": lambda chapter, index: (),
    "stub": lambda chapter, index: None,
    "half-done": lambda chapter, index: {e.id for e in chapter.exercises[::2]},
    "leave-one-out": lambda chapter, index: {chapter.exercises[index % len(chapter.exercises)].id},
}
CLASS_KINDS = ("solved", "stub", "leave-one-out")


def make_student(folder: Path, kind: str, index: int = 0) -> Path:
    """A student's clone of `kind`; the comment with their name makes their files their own."""
    for chapter in chapters():
        package = folder / "chapters" / chapter.package
        for path in write_stubs(chapter, package, KINDS[kind](chapter, index)):
            if path.suffix == ".py":
                path.write_text(f"# {folder.name}'s work\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


# `track grade`'s count of the CPU time inside its sandboxes: bubblewrap's init process is
# never waited for, so the system's accounting of children does not return it to us.
SANDBOX_CPU = re.compile(r"^CPU time inside the sandboxes: ([\d.]+) s$", re.M)


def measured(command: list[str]) -> tuple[float, float]:
    """(CPU seconds of `command` and every process it started, wall seconds)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
                          env={**os.environ, "TRACK_LANG": "en"})
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    sandboxed = sum(float(seconds) for seconds in SANDBOX_CPU.findall(done.stdout))
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime + sandboxed, wall


def median_of(command: list[str], runs: int) -> tuple[float, float]:
    times = [measured(command) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def grade_command(folders: list[Path], jobs: int, *options: str) -> list[str]:
    roots = [arg for folder in folders for arg in ("--root", str(folder))]
    return [sys.executable, "-m", "track", "grade", *roots, "--jobs", str(jobs), *options]


def students(scratch: Path, runs: int, floor_cpu: float) -> list[dict]:
    """CPU seconds of one solved, one half-done and one stub student; the sandbox's cost."""
    rows, cpus = [], {}
    for kind in ("solved", "half-done", "stub"):
        folder = make_student(scratch / kind, kind)
        cpu, wall = median_of(grade_command([folder], CORES, "--no-reuse"), runs)
        cpus[kind] = cpu
        rows.append(row("classroom", f"one {kind} student, CPU (grade --root --no-reuse, --jobs {CORES})", cpu, "s CPU",
                        cpu / floor_cpu, f"x the floor's CPU; wall {wall:.1f} s; median of {runs}"))
    bare, bare_wall = median_of(grade_command([scratch / "solved"], CORES, "--no-reuse", "--no-sandbox"), runs)
    rows.append(row("classroom", "sandbox cost: solved student, sandboxed / --no-sandbox (CPU)", bare, "s CPU",
                    cpus["solved"] / bare, f"goal <= {SANDBOX_GOAL:.2f}x; {sandbox.probe()}; --no-sandbox wall {bare_wall:.1f} s; median of {runs}"))
    return rows


def class_grading(quick: bool) -> list[dict]:
    size, runs = (QUICK_CLASS_SIZE, 1) if quick else (CLASS_SIZE, 3)
    floor_cpu, floor_wall = median_of(FLOOR, 1 if quick else 5)
    rows = [row("classroom", "floor: python -c 'import flask, pytest'", floor_cpu, "s CPU", 1.0, f"wall {floor_wall:.2f} s")]
    with tempfile.TemporaryDirectory(prefix="track-class-bench-") as scratch:
        rows += students(Path(scratch), runs, floor_cpu)
        folders = [make_student(Path(scratch) / f"student-{index:02d}", CLASS_KINDS[index % 3], index) for index in range(size)]
        _, everyone = measured(grade_command(folders, 2, "--no-reuse"))
        rows.append(row("classroom", f"a class of {size}, wall (grade --root x{size} --jobs 2 --no-reuse)", everyone, "s",
                        everyone / floor_wall, "x the floor's wall time; solution/stub/leave-one-out, distinct files, no stored verdicts"))
        if not quick:
            rows.append(regrade_after_a_push(folders, floor_wall))
    return rows


def regrade_after_a_push(folders: list[Path], floor_wall: float) -> dict:
    measured(grade_command(folders, 2))  # stores every verdict
    with (folders[0] / "chapters" / "ch05_hooks" / "app.py").open("a", encoding="utf-8") as pushed:
        pushed.write("# one push\n")
    _, again = measured(grade_command(folders, 2))
    return row("classroom", f"the class of {len(folders)} again, one chapter edited (reused verdicts)", again, "s",
               again / floor_wall, "x the floor's wall time; the teacher's re-grade after a push")
