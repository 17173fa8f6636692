"""Typical beginner mistakes: each one applied to a solved copy, graded, and its message read.

A chapter's catalog is `tests/mistakes/chNN_slug.toml` (one `[[mistakes]]` table per mistake:
`id`, `exercise`, `what`, `file`, `find`, `replace`, `cause_en`, `cause_zh`). For each entry the
solution is written to a scratch folder and `find` (which must occur exactly once in `file`)
is replaced. The chapter is then graded up to the entry's exercise in English, and the entry's
exercise alone with TRACK_LANG=zh. The mistake is *named* when its exercise is the first that
does not pass and the message holds every cause word of that language; otherwise it is *vague*
(or misplaced).

Only the exercises up to the named one are graded (those after it cannot change which fails
first), and an exercise stops at its first failing test: the message is that test's.
"""
from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from track.model.course import ROOT, Chapter, chapters
from track.grading.engine import Job, grade_all, warm
from track.model.results import RunResult
from track.model.stubs import stub_files, write_stubs

CATALOGS = ROOT / "tests" / "mistakes"
LANGUAGES = {"en": "cause_en", "zh": "cause_zh"}


@dataclass(frozen=True)
class Mistake:
    id: str
    exercise: str
    what: str
    file: str
    find: str
    replace: str
    cause_en: tuple[str, ...]
    cause_zh: tuple[str, ...]

    def causes(self, lang: str) -> tuple[str, ...]:
        return getattr(self, LANGUAGES[lang])


@dataclass(frozen=True)
class Outcome:
    """How the grader answered one mistake in one language."""

    mistake: Mistake
    lang: str
    first: str | None  # the first exercise that does not pass
    message: str
    missing: tuple[str, ...]  # cause words the message lacks

    @property
    def named(self) -> bool:
        return self.first == self.mistake.exercise and not self.missing

    def line(self) -> str:
        if self.first != self.mistake.exercise:
            verdict = f"MISPLACED: first failing is {self.first or 'none'}, expected {self.mistake.exercise}"
        elif self.missing:
            verdict = f"VAGUE: lacks {list(self.missing)}"
        else:
            verdict = "named"
        return f"{self.mistake.id:<34} {self.lang}  {verdict}"


def catalog_path(chapter: Chapter) -> Path:
    return CATALOGS / f"{chapter.package}.toml"


def catalogued() -> list[Chapter]:
    """The chapters that have a catalog."""
    return [chapter for chapter in chapters() if catalog_path(chapter).is_file()]


def load(chapter: Chapter) -> list[Mistake]:
    entries = tomllib.loads(catalog_path(chapter).read_text(encoding="utf-8"))["mistakes"]
    return [Mistake(e["id"], e["exercise"], e["what"], e["file"], e["find"], e["replace"],
                    tuple(e["cause_en"]), tuple(e["cause_zh"])) for e in entries]


def problems(chapter: Chapter, mistakes: list[Mistake]) -> list[str]:
    """What is wrong with the catalog itself: unknown exercises, `find` texts not found exactly once."""
    found = []
    known = [exercise.id for exercise in chapter.exercises]
    solved = stub_files(chapter, stubbed=())  # the solution as graded: without its markers and stub comments
    ids = [mistake.id for mistake in mistakes]
    found += [f"{i}: the id is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for mistake in mistakes:
        if mistake.exercise not in known:
            found.append(f"{mistake.id}: no exercise {mistake.exercise!r} (known: {known})")
        count = solved[Path(mistake.file)].decode("utf-8").count(mistake.find) if Path(mistake.file) in solved else 0
        if count != 1:
            found.append(f"{mistake.id}: `find` occurs {count} times in the solved {chapter.package}/{mistake.file}")
        if not mistake.cause_en or not mistake.cause_zh:
            found.append(f"{mistake.id}: cause_en and cause_zh each need at least one word")
    return found


def job(chapter: Chapter, mistake: Mistake, folder: Path, lang: str) -> Job:
    """The solution with the mistake made, graded up to the mistake's exercise.

    Which exercise fails first does not depend on the language: the English run grades every
    exercise up to the mistake's, the other languages only the mistake's own, for its message.
    """
    package = folder / chapter.package
    write_stubs(chapter, package, stubbed=())
    path = package / mistake.file
    path.write_text(path.read_text(encoding="utf-8").replace(mistake.find, mistake.replace), encoding="utf-8")
    known = [exercise.id for exercise in chapter.exercises]
    upto = known[:known.index(mistake.exercise) + 1] if lang == "en" else [mistake.exercise]
    return Job([chapter], str(folder), upto, ["--first-failure-only"])


def outcome(chapter: Chapter, mistake: Mistake, lang: str, run: RunResult) -> Outcome:
    found = run.chapter(chapter.package)
    if found is None:
        return Outcome(mistake, lang, None, run.message or "not graded", mistake.causes(lang))
    if found.error is not None:
        return Outcome(mistake, lang, "(chapter error)", found.error.message, mistake.causes(lang))
    first = next((e for e in found.exercises if e.status != "pass"), None)
    message = (first.message or "") if first else ""
    missing = tuple(word for word in mistake.causes(lang) if word.lower() not in message.lower())
    return Outcome(mistake, lang, first.id if first else None, message, missing)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Grading runs fork from here: they read the learner's language from the environment."""
    before = os.environ.get("TRACK_LANG")
    os.environ["TRACK_LANG"] = lang
    try:
        yield
    finally:
        if before is None:
            del os.environ["TRACK_LANG"]
        else:
            os.environ["TRACK_LANG"] = before


def graded(chapters: list[Chapter], jobs: int = 2, only: str | None = None) -> dict[str, list[Outcome]]:
    """Every mistake of the chapters' catalogs (or only the one with id `only`), in both languages, by
    chapter package. All chapters' runs of a language share one queue, so the cores stay busy from one
    chapter to the next; later chapters, whose runs are the longest (servers, subprocesses), go first."""
    made = [(chapter, m) for chapter in sorted(chapters, key=lambda c: -c.number)
            for m in load(chapter) if only is None or m.id == only]
    outcomes: dict[str, list[Outcome]] = {chapter.package: [] for chapter in chapters}
    if not made:  # nothing to grade: no graders to import either
        return outcomes
    warm(chapters)
    with tempfile.TemporaryDirectory(prefix="track-mistakes-") as scratch:
        for lang in LANGUAGES:
            folders = [Path(scratch) / lang / str(n) for n in range(len(made))]
            with language(lang):
                runs = grade_all([job(chapter, m, f, lang) for (chapter, m), f in zip(made, folders)], parallel=jobs)
            for (chapter, m), run in zip(made, runs):
                outcomes[chapter.package].append(outcome(chapter, m, lang, run))
    return outcomes
