"""A throwaway copy of the course, for tests and benchmarks that save files or keep state.

The copy's `.venv` is a symlink to this one, so running `python -m track` there installs
nothing; `.git`, `.track`, `instance/` and `node_modules/` are left behind.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from track.model.course import ROOT, chapters
from track.model.stubs import stub_files

LEFT_BEHIND = shutil.ignore_patterns(".venv", ".git", ".track", "__pycache__", "instance", "*.pyc", "node_modules")


def copy_course(destination: Path, keep: Iterable[int] | None = None, pristine: bool = False) -> Path:
    """Copy the course to `destination`: only chapters `keep` (default all), stubs as generated if `pristine`."""
    shutil.copytree(ROOT, destination, ignore=LEFT_BEHIND)
    (destination / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    kept = None if keep is None else set(keep)
    for chapter in chapters():
        parts = [destination / "chapters" / chapter.package, destination / "solutions" / chapter.package,
                 destination / "tests" / chapter.test_module.name]
        if kept is not None and chapter.number not in kept:
            for path in parts:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        elif pristine:
            for relative, content in stub_files(chapter).items():
                (parts[0] / relative).write_bytes(content)
    return destination
