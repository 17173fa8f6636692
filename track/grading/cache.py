"""Results kept between commands, keyed by the content of everything a verdict depends on.

A chapter's key hashes its files in the learner's copy, everything else its grading reads
(track/model/inputs.py: the grader and its helper folders, the manifest, the message catalogs, the
machinery), the language and the database. `list` and `progress` answer from here and
re-grade only the chapters whose key changed; `check` always grades, and stores what it found. A class shares the same keys (`class_lookup`): a
student's chapter identical to one graded before is not graded again.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from track.model.course import CHAPTERS, ROOT, STATE, Chapter
from track.model.i18n import language
from track.model.inputs import files_of, grading_inputs
from track.model.results import ChapterResult, RunResult, Status

FOLDER = STATE / "results"


def key(chapter: Chapter, package_dir: Path | None = None) -> str:
    """A digest of every file the chapter's verdict depends on, and of the settings it is graded under.

    Paths enter it relative (to the package's parent, or to the course), so the same files
    give the same key in any copy: a class shares verdicts between students' identical chapters.
    """
    package_dir = package_dir or CHAPTERS / chapter.package
    # The language of the messages, and the database chapter 9's grader runs on (SQLite unless DATABASE_URL).
    digest = hashlib.sha256(f"{language()}\0{os.environ.get('DATABASE_URL', '')}\0".encode())
    named = [(path.relative_to(package_dir.parent), path) for path in files_of(package_dir)]
    named += [(path.relative_to(ROOT), path) for path in grading_inputs(chapter)]
    for name, path in named:
        digest.update(name.as_posix().encode() + b"\0")
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
            # A one-chapter run (`check`) keeps the text the grading run wrote, not a second serialisation.
            results = run if len(run.chapters) == 1 else RunResult([result])
            payload = f'{{"key": {json.dumps(keys[result.package])}, "results": {results.json_text()}}}'
            path_of(result.chapter).write_text(payload, encoding="utf-8")


# --- a class's verdicts, shared by content between students (track/classroom/grade.py) ------------

CLASS_FOLDER = STATE / "class-results"
TREE = "{student-tree}"  # a student's temporary copy, in the messages of a stored verdict


def class_lookup(chapter: Chapter, tree: Path) -> ChapterResult | None:
    """The verdict of a chapter with exactly these files, graded for any student before."""
    path = CLASS_FOLDER / f"{key(chapter, tree / chapter.package)}.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return RunResult.from_json(json.loads(text.replace(TREE, json.dumps(str(tree))[1:-1]))).chapter(chapter.package)


def class_store(result: ChapterResult, tree: Path) -> None:
    """Keep a chapter's verdict for every student whose chapter is the same, unless a test ran
    out of time or the chapter did not load (those depend on the machine and say why for one student)."""
    if any(test.status == Status.ERROR for test in result.tests) or result.error is not None:
        return
    CLASS_FOLDER.mkdir(parents=True, exist_ok=True)
    text = RunResult([result]).json_text().replace(json.dumps(str(tree))[1:-1], TREE)
    path = CLASS_FOLDER / f"{key(result.chapter, tree / result.package)}.json"
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)  # students graded in parallel may store the same verdict at once


# --- what grading a solved chapter costs, to share a student's chapters fairly over the cores ---

COSTS = STATE / "chapter-costs.json"
UNKNOWN_COST_S = 1.0


def chapter_costs() -> dict[str, float]:
    try:
        return json.loads(COSTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def note_cost(result: ChapterResult) -> None:
    """Keep the seconds a solved chapter's tests took (an unsolved one stops early: not its cost)."""
    if result.status != Status.PASS:
        return
    costs = chapter_costs()
    costs[result.package] = round(sum(test.duration for test in result.tests), 3)
    COSTS.parent.mkdir(parents=True, exist_ok=True)
    COSTS.write_text(json.dumps(costs, indent=1, sort_keys=True), encoding="utf-8")
