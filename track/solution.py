"""The reference solution beside the learner's copy: `solution N` and the dashboard's solution diff."""
from __future__ import annotations

import difflib
from pathlib import Path

from track.course import Chapter
from track.stubs import has_markers, stub_source
from track.ui import shown


def reference_without_markers(chap: Chapter, path: Path) -> str:
    """A solution file as a learner would have written it: no SOLUTION/STUB markers."""
    return stub_source(path.read_text(encoding="utf-8"), chap, shown(path), stubbed=())


def solution_diff(chap: Chapter) -> str:
    """A unified diff from the learner's files to the reference's, for each file with markers."""
    chunks = []
    for path in sorted(p for p in chap.solution_dir.rglob("*") if has_markers(p)):
        relative = path.relative_to(chap.solution_dir)
        mine = chap.learner_dir / relative
        ours = mine.read_text(encoding="utf-8").splitlines(keepends=True) if mine.exists() else []
        chunks.extend(difflib.unified_diff(
            ours, reference_without_markers(chap, path).splitlines(keepends=True),
            fromfile=f"yours: chapters/{chap.package}/{relative.as_posix()}",
            tofile=f"reference: solutions/{chap.package}/{relative.as_posix()}",
        ))
    return "".join(chunks)
