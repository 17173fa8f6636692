"""Results kept between commands, keyed by the content of everything a verdict depends on.

A chapter's key hashes its files in the learner's copy, its grader, its manifest and the
grading machinery. `list` and `progress` answer from here and re-grade only the chapters
whose key changed; `check` always grades, and stores what it found.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from track.course import CHAPTERS, ROOT, STATE, Chapter
from track.results import ChapterResult, RunResult

FOLDER = STATE / "results"
# What every verdict depends on besides the chapter's own files.
MACHINERY = ("track/plugin.py", "track/explain.py", "track/results.py", "track/engine.py", "track/course.py",
             "tests/conftest.py", "tests/expect.py", "pyproject.toml", "requirements.txt")
SKIPPED = {"__pycache__", "instance"}


def files_of(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not SKIPPED.intersection(p.relative_to(folder).parts))


def key(chapter: Chapter, package_dir: Path | None = None) -> str:
    """A digest of every file the chapter's verdict depends on."""
    package_dir = package_dir or CHAPTERS / chapter.package
    digest = hashlib.sha256()
    inputs = [*files_of(package_dir), chapter.test_module, *(ROOT / name for name in MACHINERY)]
    for path in inputs:
        digest.update(path.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def path_of(chapter: Chapter) -> Path:
    return FOLDER / f"{chapter.package}.json"


def load(chapter: Chapter) -> ChapterResult | None:
    """The stored verdict of the learner's copy, if nothing it depends on changed since."""
    path = path_of(chapter)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stored.get("key") != key(chapter):
        return None
    run = RunResult.from_json(stored["results"])
    return run.chapter(chapter.package)


def store(run: RunResult, keys: dict[str, str]) -> None:
    """Keep each chapter's verdict under the key it was graded with (computed before grading)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    for result in run.chapters:
        if result.package in keys:
            payload = {"key": keys[result.package], "results": RunResult([result]).to_json()}
            path_of(result.chapter).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
