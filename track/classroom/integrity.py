"""Integrity of a class: a static scan of each student's chapter code, and similarity hints.

The scan reads each `.py` file of a student's `chapters/` (ast, nothing is run) and flags
what no chapter's solution needs: importing the course's reference, machinery or graders
(`solutions`, `track`, `tests`; `pytest`/`_pytest` outside the chapter's own test files),
writing to `sys.modules`, `builtins`/`__builtins__` or attributes of those imports, and
naming the reference folder in a string (a path or module name to reach it another way).
A flagged chapter earns nothing in the class report (track/classroom/grade.py); the flag says
file:line so the teacher can look.

Similarity compares the same file across students after dropping comments, docstrings and
layout; files still equal to the stub say nothing and are skipped. A file equal to the
reference solution's once the stub markers, comments and layout are dropped is "same as the
reference" (the reference is read here, in the teacher's process). A hint, not a verdict.
"""
from __future__ import annotations

import ast
import difflib
import io
import itertools
import math
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from track.model.course import ROOT, Chapter
from track.model.i18n import _
from track.model.stubs import stub_files

GRADER_MODULES = frozenset({"solutions", "track", "tests"})
TEST_RUNNER_MODULES = frozenset({"pytest", "_pytest"})
IMPORT_CALLS = frozenset({"__import__", "import_module"})
SIMILAR_RATIO = 0.9
REFERENCE_PATH = re.compile(r"(^|[/\\.])solutions([/\\.]|$)")  # "solutions/ch01...", "../solutions", "solutions.ch01"
SKIPPED_PARTS = {"__pycache__", "instance"}


@dataclass(frozen=True)
class Flag:
    file: str  # relative to the student's chapters/
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.what}"


def is_test_file(path: Path) -> bool:
    """The chapter's own tests (chapter 11) may import pytest."""
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def root_name(node: ast.AST) -> str | None:
    """`a` for `a.b.c`, `a[1].b` or `a`."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


class Scanner(ast.NodeVisitor):
    def __init__(self, forbidden: frozenset[str]):
        self.forbidden = forbidden
        self.imported: set[str] = set()  # local names bound to forbidden modules or their objects
        self.found: list[tuple[int, str]] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.partition(".")[0] in self.forbidden:
                self.found.append((node.lineno, _("imports {module}").format(module=alias.name)))
                self.imported.add(alias.asname or alias.name.partition(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module and node.module.partition(".")[0] in self.forbidden:
            self.found.append((node.lineno, _("imports from {module}").format(module=node.module)))
            self.imported.update(alias.asname or alias.name for alias in node.names)

    def visit_Call(self, node: ast.Call) -> None:
        name = dotted(node.func).rpartition(".")[2]
        if name in IMPORT_CALLS and node.args:
            first = node.args[0]
            if not isinstance(first, ast.Constant):
                self.found.append((node.lineno, _("imports a computed module name ({call})").format(call=name)))
            elif str(first.value).partition(".")[0] in self.forbidden:
                self.found.append((node.lineno, _("imports {module} ({call})").format(module=first.value, call=name)))
        if name in ("setattr", "delattr") and node.args and self.is_protected(node.args[0]):
            target = dotted(node.args[0]) or _("a grader object")
            self.found.append((node.lineno, _("{call} on {target}").format(call=name, target=target)))
        if isinstance(node.func, ast.Attribute) and dotted(node.func.value) == "sys.modules":
            if node.func.attr in ("update", "setdefault", "pop", "__setitem__", "__delitem__", "clear"):
                self.found.append((node.lineno, _("writes sys.modules ({method})").format(method=node.func.attr)))
        self.generic_visit(node)

    def is_protected(self, target: ast.AST) -> bool:
        text = dotted(target)
        return (text.startswith("sys.modules") or root_name(target) in {"builtins", "__builtins__"}
                or root_name(target) in self.imported)

    def flag_targets(self, node: ast.AST, targets: list[ast.AST]) -> None:
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and self.is_protected(target):
                where = "sys.modules" if dotted(target).startswith("sys.modules") or (
                    isinstance(target, ast.Subscript) and dotted(target.value) == "sys.modules") else root_name(target)
                self.found.append((node.lineno, _("writes {target}").format(target=where)))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.flag_targets(node, node.targets)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.flag_targets(node, [node.target])
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        self.flag_targets(node, node.targets)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and REFERENCE_PATH.search(node.value):
            self.found.append((node.lineno, _("names the reference solutions ({text})").format(text=repr(node.value)[:60])))


def scan_file(path: Path, relative: str) -> list[Flag]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError):
        return []  # grading reports it as the chapter's error
    forbidden = GRADER_MODULES if is_test_file(Path(relative)) else GRADER_MODULES | TEST_RUNNER_MODULES
    scanner = Scanner(forbidden)
    scanner.visit(tree)
    return [Flag(relative, line, what) for line, what in scanner.found]


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if not SKIPPED_PARTS.intersection(p.relative_to(folder).parts))


def walkthrough(relative: Path) -> bool:
    """The course's client.py and examples/ use its machinery and are never graded; graded code
    importing them meets track.grading.guard at run time."""
    return relative.as_posix() == "client.py" or relative.parts[0] == "examples"


MACHINERY_DIRS = ("tests", "track")


def edited_machinery(clone: Path) -> list[Flag]:
    """The clone's copies of the course's graders or engine that differ from the course's. The
    edits change nothing (the course's own copies grade); the flag tells the teacher someone
    tried, or that the clone is of an older course. It costs no points for that reason."""
    flags = []
    for part in MACHINERY_DIRS:
        for path in python_files(clone / part) if (clone / part).is_dir() else []:
            relative = path.relative_to(clone)
            course = ROOT / relative
            if not course.is_file() or course.read_bytes() != path.read_bytes():
                flags.append(Flag(relative.as_posix(), 1, _("differs from the course's copy (ignored: the course's own copy grades)")))
    return flags


def scan(chapters_dir: Path, chapters: list[Chapter]) -> dict[str, list[Flag]]:
    """Chapter package -> its flags, for the chapters that have any."""
    flags = {}
    for chapter in chapters:
        folder = chapters_dir / chapter.package
        found = [flag for path in python_files(folder) if folder.is_dir() and not walkthrough(path.relative_to(folder))
                 for flag in scan_file(path, path.relative_to(chapters_dir).as_posix())]
        if found:
            flags[chapter.package] = found
    return flags


# --- similarity across students ----------------------------------------------------------

def normalized(source: str) -> tuple[str, ...]:
    """The file's tokens without comments, docstrings or layout."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return tuple(source.split())
    kept, previous = [], tokenize.NEWLINE
    for token in tokens:
        layout = token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT)
        docstring = token.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        if not layout and not docstring:
            kept.append(token.string)
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token.type
    return tuple(kept)


def percent(ratio: float) -> str:
    """One decimal, rounded down: 99.96 % alike is "99.9%", never "100.0%" (that is the same)."""
    return f"{math.floor(round(ratio * 1000, 6)) / 10:.1f}%"


def alike(students: list[str] | tuple[str, ...], ratio: float) -> str:
    """How alike a hint's files are: a percentage for two students, or the reference for one."""
    return _("same as the reference") if len(students) == 1 else percent(ratio)


@dataclass(frozen=True)
class Similar:
    file: str  # relative to chapters/
    students: tuple[str, ...]  # two students whose files are alike, or one whose file is the reference's
    ratio: float

    def __str__(self) -> str:
        if len(self.students) == 1:
            return f"{self.students[0]}: {self.file} ({alike(self.students, self.ratio)})"
        return _("{one} and {other}: {file} ({ratio} alike)").format(
            one=self.students[0], other=self.students[1], file=self.file, ratio=percent(self.ratio))


def similarity(students: dict[str, Path], chapters: list[Chapter]) -> list[Similar]:
    """Pairs of students whose edited chapter files are (nearly) the same, and students whose
    file is the reference's, most alike first."""
    hints = []
    for chapter in chapters:
        stubs, references = (python_tokens(stub_files(chapter, stubbed)) for stubbed in (None, ()))
        by_file: dict[str, dict[str, tuple[str, ...]]] = {}
        for student, chapters_dir in students.items():
            folder = chapters_dir / chapter.package
            for path in python_files(folder) if folder.is_dir() else []:
                if walkthrough(path.relative_to(folder)):
                    continue  # the course's own files: alike in every clone, whoever wrote the chapter
                relative = path.relative_to(folder).as_posix()
                tokens = normalized(path.read_text(encoding="utf-8", errors="replace"))
                if not tokens or tokens == stubs.get(relative):
                    continue  # nothing of theirs in it
                by_file.setdefault(relative, {})[student] = tokens
                if tokens == references.get(relative):
                    hints.append(Similar(f"{chapter.package}/{relative}", (student,), 1.0))
        for relative, versions in by_file.items():
            hints += similar_pairs(f"{chapter.package}/{relative}", versions)
    return sorted(hints, key=lambda hint: (-hint.ratio, hint.file, hint.students))


def python_tokens(files: dict[Path, bytes]) -> dict[str, tuple[str, ...]]:
    return {name.as_posix(): normalized(content.decode("utf-8", "replace")) for name, content in files.items()
            if name.suffix == ".py"}


def similar_pairs(file: str, versions: dict[str, tuple[str, ...]]) -> list[Similar]:
    """The pairs of students whose `file` is alike: students with the very same tokens are
    compared once as a group (a class of copies costs one comparison, not one per pair)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for student, tokens in sorted(versions.items()):
        groups.setdefault(tokens, []).append(student)
    pairs = [(one, other, 1.0) for same in groups.values() for one, other in itertools.combinations(same, 2)]
    for (first, ones), (second, others) in itertools.combinations(groups.items(), 2):
        matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
        if matcher.real_quick_ratio() >= SIMILAR_RATIO and matcher.quick_ratio() >= SIMILAR_RATIO \
                and (ratio := matcher.ratio()) >= SIMILAR_RATIO:
            pairs += [(*sorted((one, other)), ratio) for one in ones for other in others]
    return [Similar(file, (one, other), round(ratio, 4)) for one, other, ratio in pairs]
