"""Run the graders in a fresh pytest process and read back what they found.

A subprocess, not `pytest.main()`: the learner's module must be imported anew every
time (`watch` re-grades after each save), and a broken app must not take the CLI down.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from track.course import ROOT, Chapter

GRADING_TIMEOUT_S = 600


class GradingError(RuntimeError):
    """pytest could not grade at all (not the same as tests failing)."""


def pytest_command(chapters: Iterable[Chapter], target: str, results: Path, extra: Iterable[str] = ()) -> list[str]:
    modules = [str(chapter.test_module.relative_to(ROOT)) for chapter in chapters]
    return [sys.executable, "-m", "pytest", *modules, f"--target={target}", f"--results-json={results}",
            "-q", "--no-header", "--tb=no", *extra]


def grade(chapters: Iterable[Chapter], target: str = "chapters", extra: Iterable[str] = ()) -> dict:
    """The results.json of one grading run (see track.report for its shape)."""
    with tempfile.TemporaryDirectory(prefix="track-grade-") as scratch:
        results = Path(scratch) / "results.json"
        command = pytest_command(chapters, target, results, extra)
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=GRADING_TIMEOUT_S)
        # pytest exits 0 (all passed) or 1 (some failed) after a real run; anything else
        # means it could not grade (a usage error, an internal error, an interrupted run).
        if done.returncode not in (0, 1) or not results.exists():
            raise GradingError(f"pytest exited {done.returncode}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return json.loads(results.read_text(encoding="utf-8"))


def solved(results: dict, chapter: Chapter) -> list[str]:
    """Ids of the chapter's exercises whose tests all passed."""
    return [e["id"] for e in results["exercises"] if e["chapter"] == chapter.package and e["status"] == "pass"]


def first_unsolved(results: dict, chapter: Chapter) -> dict | None:
    return next((e for e in results["exercises"] if e["chapter"] == chapter.package and e["status"] != "pass"), None)
