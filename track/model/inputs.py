"""What grading a chapter reads, besides the graded package: one answer for everyone who asks.

The verdict store keys a chapter by these files (track/grading/cache.py), the mutation run keys its
verdicts by them (benchmarks/mutation.py), and the message catalogs take a chapter's texts
from its grader files (track/maintainers/messages.py). A file missed here is a stale verdict there.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from track.model.course import ROOT, Chapter
from track.model.i18n import CATALOGS

SKIPPED = {"__pycache__", "instance"}
# Where a grading run's code comes from: pytest loads the plugin (pyproject's addopts) and the
# graders' conftest, class grading adds the guard, the engine runs it all.
ENTRY_POINTS = ("track/grading/plugin.py", "track/grading/guard.py", "track/grading/engine.py", "tests/conftest.py")
# Read by every grading run without being imported: pytest's configuration, the pinned
# libraries, the examples the probes replay.
DATA = ("pyproject.toml", "requirements.txt", "tests/probe_examples.json.gz")
COURSE_PACKAGES = ("track", "tests")  # imports of anything else are libraries, pinned in requirements.txt
LOCALE = CATALOGS / "zh_CN" / "LC_MESSAGES"


def files_of(folder: Path) -> list[Path]:
    """Every file under `folder`, sorted, without bytecode caches and instance data."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not SKIPPED.intersection(p.relative_to(folder).parts))


def grader_files(chapter: Chapter) -> list[Path]:
    """The chapter's grader module and everything in its helper folders `tests/chNN_*/`
    (e.g. tests/ch11_variants/, whose harness grades the learner's tests of chapter 11)."""
    helpers = sorted((ROOT / "tests").glob(f"ch{chapter.number:02d}_*/"))
    return [chapter.test_module, *(path for folder in helpers for path in files_of(folder))]


def grading_inputs(chapter: Chapter) -> list[Path]:
    """Every course file a verdict of `chapter` depends on, sorted: its grader files, its manifest,
    its message catalogs, the course's modules the grading imports (directly or not) and DATA."""
    graders = grader_files(chapter)
    catalogs = [LOCALE / f"{domain}.po" for domain in (chapter.package, "track")]
    code = course_modules([*graders, *(ROOT / name for name in ENTRY_POINTS)])
    return sorted({*graders, *code, chapter.learner_dir / "chapter.toml", *catalogs, *(ROOT / name for name in DATA)})


def course_modules(sources: Iterable[Path]) -> set[Path]:
    """The Python files of the course (track/, tests/) that `sources` import, directly or not, with the
    packages' `__init__.py` on the way; `sources` themselves included."""
    found, todo = set(), [path for path in sources if path.suffix == ".py"]
    while todo:
        path = todo.pop()
        if path in found or not path.is_file():
            continue
        found.add(path)
        stat = path.stat()
        todo.extend(imported_by(path, stat.st_mtime_ns, stat.st_size))
    return found


# An import statement's lines. A scan of the text, not a parse: ten times faster, and an
# import-like line in a docstring only adds a file to the key (a stale key cannot come of it).
IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?:\((?P<group>[^)]*)\)|(?P<names>[^\n#;]*))"
                    r"|import[ \t]+(?P<modules>[^\n#;]*))", re.M)


@cache
def imported_by(path: Path, _mtime_ns: int, _size: int) -> tuple[Path, ...]:
    """The course's files one module imports (remembered until the file changes)."""
    text = path.read_text(encoding="utf-8")
    names = {name for match in IMPORT.finditer(text) for name in imported_names(match, path)}
    return tuple({found for name in names for found in module_files(name)})


def imported_names(match: re.Match, path: Path) -> Iterator[str]:
    """The dotted module names an import statement may load: `from a import b` may load `a.b`."""
    names = [part.split()[0] for part in (match["group"] or match["names"] or match["modules"] or "").split(",") if part.strip()]
    if match["modules"] is not None:
        yield from names
        return
    level = len(match["base"]) - len(match["base"].lstrip("."))
    package = path.relative_to(ROOT).parent.parts
    prefix = package[:len(package) - level + 1] if level else ()
    base = ".".join([*prefix, *filter(None, [match["base"].lstrip(".")])])
    yield base
    yield from (f"{base}.{name}" for name in names)


def module_files(name: str) -> Iterator[Path]:
    """The files importing module `name` runs, if it is the course's: each package's `__init__.py`, then the module."""
    parts = name.split(".")
    if parts[0] not in COURSE_PACKAGES:
        return
    folder = ROOT
    for part in parts:
        folder = folder / part
        if (folder / "__init__.py").is_file():
            yield folder / "__init__.py"
        else:
            if folder.with_suffix(".py").is_file():
                yield folder.with_suffix(".py")
            return  # a module's attributes, or no such module: nothing deeper to import
