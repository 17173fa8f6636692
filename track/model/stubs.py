"""Learners' stubs are generated from the solutions, so their scaffolding never drifts.

In a solution file, each exercise's code sits between markers::

    # SOLUTION hello
    return "Hello, World!"
    # END SOLUTION

and the stub gets, at the same indentation, a TODO and `raise NotImplementedError`.
Where the stub needs other code (a decorator without `methods=`, a class without a
method), the block carries it as comments after a `# STUB` line::

    # SOLUTION methods
    @app.route("/method", methods=["GET", "POST"])
    # STUB
    # @app.route("/method")  # TODO(methods): accept POST as well
    # END SOLUTION

Everything outside the markers is copied as it is: the docstrings with each exercise's
contract, the imports, the routes that are not exercises.

Jinja templates (`.html`) carry the same markers as Jinja comments, each on its own line:
`{# SOLUTION layout #}`, `{# STUB #}`, `{# END SOLUTION #}`, and the stub's lines as
`{# <h1>TODO</h1> #}`. A template's default stub is the TODO comment alone.
"""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from track.model.bootstrap import ROOT
from track.model.course import Chapter
from track.model.ui import shown

SKIPPED = {"__pycache__", "instance"}


@dataclass(frozen=True)
class CommentSyntax:
    """How a kind of file writes a one-line comment: `# text` in Python, `{# text #}` in Jinja."""
    opening: str
    closing: str = ""

    def pattern(self, body: str) -> re.Pattern:
        return re.compile(rf"^(?P<indent>\s*){re.escape(self.opening)} {body}\s*{re.escape(self.closing)}\s*$")

    def comment(self, indent: str, text: str) -> str:
        return f"{indent}{self.opening} {text}{' ' + self.closing if self.closing else ''}\n"

    def uncomment(self, line: str, indent: str) -> str:
        """`    # code` -> `    code` (and `{# code #}` -> `code`), keeping the block's indentation."""
        body = line[len(indent):] if line.startswith(indent) else line.lstrip()
        text = body.rstrip("\r\n")
        ending = body[len(text):]
        if self.closing:
            text = text.rstrip()
            if not text.endswith(self.closing):
                raise MarkerError(f"stub line is not a comment: {line!r}")
            text = text[:-len(self.closing)].rstrip()
        if not text.startswith(self.opening):
            raise MarkerError(f"stub line is not a comment: {line!r}")
        text = text[len(self.opening):]
        text = text[1:] if text.startswith(" ") else text
        return indent + text + ending if text.strip() else "\n"


PYTHON = CommentSyntax("#")
JINJA = CommentSyntax("{#", "#}")
SYNTAX_BY_SUFFIX = {".py": PYTHON, ".html": JINJA}


def comment_syntax(path: Path) -> CommentSyntax | None:
    """How a solution file writes its markers; None for a file copied as it is (CSS, images).
    A Dockerfile and its ignore file (chapter 14) comment with `#` lines, as Python does."""
    return PYTHON if path.name.startswith("Dockerfile") else SYNTAX_BY_SUFFIX.get(path.suffix)


def has_markers(path: Path) -> bool:
    """Files whose exercises sit between markers: Python, Jinja templates, a Dockerfile."""
    return comment_syntax(path) is not None
BEGIN = PYTHON.pattern(r"SOLUTION (?P<id>[a-z0-9_]+)")
STUB = PYTHON.pattern("STUB")
END = PYTHON.pattern("END SOLUTION")


class MarkerError(ValueError):
    """A solution file whose markers do not pair up."""


def default_stub(indent: str, exercise_id: str, chapter: Chapter, syntax: CommentSyntax = PYTHON) -> list[str]:
    chapter.exercise(exercise_id)  # the id must be in the manifest
    contract = "the docstring above" if syntax is PYTHON else "the chapter's README"
    todo = syntax.comment(indent, f"TODO({exercise_id}): write this part; {contract} has the contract."
                                  f" Stuck? `python -m track hint {chapter.number}`")
    # A template without its part still renders; Python must not run on as if it were written.
    return [todo, f'{indent}raise NotImplementedError("TODO({exercise_id})")\n'] if syntax is PYTHON else [todo]


def stub_source(source: str, chapter: Chapter, name: str = "<solution>", stubbed: Collection[str] | None = None,
                syntax: CommentSyntax = PYTHON) -> str:
    """The learner's version of one solution file.

    `stubbed` names the exercises to replace by their stubs (default: all of them); the
    others keep their solution, without markers. The course checks build such variants to
    prove that each exercise is graded on its own code alone.
    """
    begin, stub, end = (BEGIN, STUB, END) if syntax is PYTHON else (
        syntax.pattern(r"SOLUTION (?P<id>[a-z0-9_]+)"), syntax.pattern("STUB"), syntax.pattern("END SOLUTION"))
    out: list[str] = []
    block: dict | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        if block is None:
            if match := begin.match(line):
                chapter.exercise(match["id"])  # KeyError for an id the manifest lacks
                block = {"indent": match["indent"], "id": match["id"], "stub": None, "solution": [], "line": number}
            else:
                out.append(line)
        elif begin.match(line):
            raise MarkerError(f"{name}:{number}: SOLUTION inside SOLUTION {block['id']} (line {block['line']})")
        elif stub.match(line):
            block["stub"] = []
        elif end.match(line):
            if stubbed is not None and block["id"] not in stubbed:
                out.extend(block["solution"])
            elif block["stub"] is not None:
                out.extend(block["stub"])
            else:
                out.extend(default_stub(block["indent"], block["id"], chapter, syntax))
            block = None
        elif block["stub"] is not None:
            block["stub"].append(syntax.uncomment(line, block["indent"]))
        else:
            block["solution"].append(line)
    if block is not None:
        raise MarkerError(f"{name}:{block['line']}: SOLUTION {block['id']} has no END SOLUTION")
    return "".join(out)


def stub_files(chapter: Chapter, stubbed: Collection[str] | None = None) -> dict[Path, bytes]:
    """Every file of the generated stub package, by path relative to the package.

    With `stubbed`, only those exercises are stubs and the rest keep their solution.
    """
    files = {}
    for path in sorted(chapter.solution_dir.rglob("*")):
        relative = path.relative_to(chapter.solution_dir)
        if path.is_dir() or SKIPPED.intersection(relative.parts):
            continue
        if syntax := comment_syntax(path):
            text = stub_source(path.read_text(encoding="utf-8"), chapter, str(path.relative_to(ROOT)), stubbed, syntax)
            files[relative] = text.encode("utf-8")
        else:
            files[relative] = path.read_bytes()
    return files


def write_stubs(chapter: Chapter, package_dir: Path, stubbed: Collection[str] | None = None) -> list[Path]:
    """Write the generated stub package (or a variant, see `stub_files`) into `package_dir`."""
    written = []
    for relative, content in stub_files(chapter, stubbed).items():
        target = package_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written


def committed(path: Path) -> bytes | None:
    """The file as git HEAD has it, or None outside git or for an untracked file."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    result = subprocess.run(
        ["git", "show", f"HEAD:{relative}"], cwd=ROOT, capture_output=True, check=False
    ) if shutil.which("git") else None
    return result.stdout if result is not None and result.returncode == 0 else None


def stale_stubs(chapter: Chapter) -> list[str]:
    """Stub files that do not match the solution they are generated from.

    A learner edits the working tree, so a file counts as current when either the working
    tree or git HEAD holds the generated text; CI checks a clean clone, where both agree.
    """
    stale = []
    for relative, content in stub_files(chapter).items():
        path = chapter.learner_dir / relative
        on_disk = path.read_bytes() if path.exists() else None
        if content not in (on_disk, committed(path)):
            stale.append(str(path.relative_to(ROOT)))
    return stale


def reference_without_markers(chap: Chapter, path: Path) -> str:
    """A solution file as a learner would have written it: no SOLUTION/STUB markers."""
    return stub_source(path.read_text(encoding="utf-8"), chap, shown(path), stubbed=())


def solution_diff(chap: Chapter) -> str:
    """The learner's copy against the reference, as a unified diff (`solution N` and the dashboard)."""
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
