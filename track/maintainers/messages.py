"""Message catalogs: every text a learner reads, found in the code and kept with Babel.

The English text is the key (gettext's msgid). `python -m track messages` extracts the texts
wrapped in `_()` from the course's code and graders, plus the titles, hints and advice in the
chapter manifests, and merges them into one Chinese catalog per part of the course:

    track/locale/zh_CN/LC_MESSAGES/track.po          the CLI and the shared grading code
    track/locale/zh_CN/LC_MESSAGES/ch01_hello_world.po   chapter 1's grader and manifest
    ...

A translator fills the empty `msgstr` entries; `--check` (and the tests) fail while one is empty.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from track.model.course import ROOT, Chapter, chapters
from track.model.i18n import CATALOGS
from track.model.inputs import grader_files

LANGUAGE = "zh_CN"
HEADER = "# Chinese texts of the Flask Learning Track. Merge with `python -m track messages`; fill each msgstr.\n"
SHARED_SOURCES = ("track/**/*.py", "tests/*.py")
TEMPLATES = "track/web/templates/*.html"  # the dashboard's pages: `{{ _("...") }}`


@dataclass(frozen=True)
class Message:
    text: str
    path: str  # where it is, for the translator
    line: int | None = None


def python_messages(path: Path, method: str = "python") -> Iterator[Message]:
    """Texts passed to `_()` or `N_()` in a Python file (or, with Jinja's extractor, a template)."""
    for line, text, _comments, _context in extract_from_file(method, str(path), keywords={"_": None, "N_": None}):
        if isinstance(text, str):
            yield Message(text, str(path.relative_to(ROOT)), line)


def manifest_messages(chapter: Chapter) -> Iterator[Message]:
    """The manifest's titles, hints, "where to look" texts and advice: shown through `_()` by the CLI."""
    where = str((chapter.learner_dir / "chapter.toml").relative_to(ROOT))
    yield Message(chapter.title, where)
    for exercise in chapter.exercises:
        yield Message(exercise.title, where)
        yield Message(exercise.where, where)
        yield from (Message(hint.text, where) for hint in exercise.hints)
    yield from (Message(advice, where) for _name, advice in chapter.errors)


def shared_sources() -> list[Path]:
    """The engine's modules and the graders' shared ones: every tests/*.py but a chapter's grader
    (its texts go to its chapter's catalog), so a text in a new shared helper is never left out."""
    found = (path for pattern in SHARED_SOURCES for path in sorted(ROOT.glob(pattern)))
    return [path for path in found if not path.name.startswith("test_")]


def sources(only: list[Chapter] | None = None) -> dict[str, list[Message]]:
    """Every catalog's messages (or only those of some chapters), in the order they appear."""
    found = {}
    if only is None:
        found["track"] = [message for path in shared_sources() for message in python_messages(path)]
        found["track"] += [message for path in sorted(ROOT.glob(TEMPLATES))
                           for message in python_messages(path, "jinja2.ext:babel_extract")]
    for chapter in only or chapters():
        graders = [path for path in grader_files(chapter) if path.suffix == ".py" and path.is_file()]
        found[chapter.package] = [*manifest_messages(chapter),
                                  *(message for path in graders for message in python_messages(path))]
    return found


def catalog_path(domain: str) -> Path:
    return CATALOGS / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def load(domain: str) -> Catalog:
    path = catalog_path(domain)
    if not path.is_file():
        return Catalog(locale=LANGUAGE, domain=domain)
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE, domain=domain)


def translation_memory() -> dict[str, str]:
    """Every translated text of every catalog on disk: a text that moved to another catalog (an
    exercise moved to another chapter, a helper shared by the graders) keeps its Chinese."""
    return {message.id: message.string for path in sorted(catalog_path("track").parent.glob("*.po"))
            for message in load(path.stem) if message.id and message.string}


def merged(domain: str, messages: list[Message], memory: dict[str, str] | None = None) -> Catalog:
    """The catalog with exactly `messages`: translations kept (from `memory` for a text new to this
    catalog), new texts empty, gone texts dropped."""
    old, memory = load(domain), memory or {}
    # Dates carried over, so a merge that changes no text changes no line of the file.
    catalog = Catalog(locale=LANGUAGE, domain=domain, project="Flask Learning Track", version="1",
                      header_comment=HEADER, creation_date=old.creation_date, revision_date=old.revision_date,
                      language_team="Flask Learning Track", last_translator="Flask Learning Track",
                      msgid_bugs_address="the course's issue tracker", fuzzy=False)
    for message in messages:
        if message.text in catalog:
            catalog[message.text].locations.append((message.path, message.line))
            continue
        previous = old.get(message.text)
        catalog.add(message.text, previous.string if previous else memory.get(message.text, ""),
                    locations=[(message.path, message.line)],
                    flags=("python-brace-format",) if "{" in message.text else ())
    return catalog


def write(domain: str, catalog: Catalog) -> None:
    path = catalog_path(domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)


def untranslated(catalog: Catalog) -> list[str]:
    return [message.id for message in catalog if message.id and not message.string]


def update(check_only: bool, only: list[Chapter] | None = None) -> int:
    """Merge the catalogs with the code; print each one's count. Exit 1 while a text lacks Chinese."""
    missing_total, memory = 0, translation_memory()  # read before any catalog is rewritten
    for domain, messages in sources(only).items():
        catalog = merged(domain, messages, memory)
        missing = untranslated(catalog)
        missing_total += len(missing)
        total = len([message for message in catalog if message.id])
        if not check_only:
            write(domain, catalog)
        print(f"{domain:<24} {total - len(missing):>4}/{total:<4} translated"
              + (f"   missing: {missing[0][:60]!r}{' ...' if len(missing) > 1 else ''}" if missing else ""))
    if missing_total:
        print(f"\n{missing_total} text(s) have no Chinese yet: fill their msgstr in {CATALOGS.relative_to(ROOT)}/"
              f"{LANGUAGE}/LC_MESSAGES/*.po" + ("" if not check_only else ", after `python -m track messages`."))
    return 1 if missing_total else 0

