"""Failure messages that teach: what was expected, what came back, where to look, what to do."""
from __future__ import annotations

import ast
import json
import os
import re
import traceback
from functools import cache
from pathlib import Path

import pytest

from track.model.course import Chapter
from track.model.i18n import N_, _
from track.model.stubs import BEGIN, has_markers
from track.model.ui import command, shown

TODO = re.compile(r"TODO\((?P<id>[a-z0-9_]+)\)")
TIMEOUT = re.compile(r"^Timeout \(>(?P<seconds>[\d.]+)s\) from pytest-timeout")


@cache  # one grading run sees one version of the files
def todo_location(package_dir: Path, exercise_id: str) -> str | None:
    """Where the learner's copy still says TODO(exercise_id), as file:line."""
    pattern = re.compile(rf"TODO\({re.escape(exercise_id)}\)")
    for path in sorted(p for p in package_dir.rglob("*") if has_markers(p)):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                return f"{shown(path)}:{number}"
    return None


PROVIDED = "provided.json"  # beside a Classroom 50 bundle's manifest: the pairs below, as the course computed them


@cache
def provided_functions(chapter: Chapter) -> frozenset[tuple[str, str]]:
    """(file, function) pairs the course wrote for the learner: solution functions with no exercise inside.

    A Classroom 50 bundle has no solutions/: it carries the pairs in `chapters/<package>/provided.json`."""
    recorded = chapter.learner_dir / PROVIDED
    if not chapter.solution_dir.is_dir() and recorded.is_file():
        return frozenset((file, name) for file, name in json.loads(recorded.read_text(encoding="utf-8")))
    provided = set()
    for path in chapter.solution_dir.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = lines[node.lineno - 1:node.end_lineno]
                if not any(BEGIN.match(line) for line in body):
                    provided.add((path.relative_to(chapter.solution_dir).as_posix(), node.name))
    return frozenset(provided)


def frames_in(excinfo, package_dir: Path) -> list:
    """The traceback entries inside the graded chapter, innermost last."""
    inside = str(package_dir) + os.sep
    # The frame's file name as Python recorded it: cheaper than pytest's entry.path, per entry.
    return [entry for entry in excinfo.traceback if entry.frame.code.raw.co_filename.startswith(inside)]


def location(entry) -> str:
    return f"{shown(Path(str(entry.path)))}:{entry.lineno + 1}"


def source_line(entry) -> str:
    """The first line of the statement a traceback entry was running, as written."""
    try:
        return str(entry.statement).strip().splitlines()[0]
    except (IndexError, OSError):
        return "?"


def where_to_look(chapter: Chapter, exercise_id: str, package_dir: Path) -> str:
    exercise = chapter.exercise(exercise_id)
    todo = todo_location(package_dir, exercise_id)
    return _("Where to look: {where}{todo}. Stuck? `{hint}` shows the next hint.").format(
        where=_(exercise.where), todo=f" ({todo})" if todo else "", hint=command("hint", chapter.number))


def note_of(error: BaseException, kind: str) -> str | None:
    """A note the graders' helpers added to `error`: `request: GET /x` (track/grading/plugin.py), `expected: ...` (tests/expect.py)."""
    notes = getattr(error, "__notes__", ())
    return next((note.removeprefix(f"{kind}: ") for note in notes if note.startswith(f"{kind}: ")), None)


def request_of(error: BaseException) -> str | None:
    """The request the test client was answering when `error` escaped."""
    return note_of(error, "request")


def known_cause(error: BaseException) -> str | None:
    """The usual cause of `error`, in words, when its message or where it was raised tells it."""
    functions = [frame.name for frame in traceback.extract_tb(error.__traceback__)]
    if "process_response" in functions and "NoneType" in str(error):
        return _("An after_request function handed on None: each one must end with `return response`, "
                 "or the next one (and Flask) gets nothing to send.")
    return next((_(cause) for pattern, cause in KNOWN_CAUSES if pattern in str(error)), None)


# Exceptions whose message has one usual cause, and that cause in words.
KNOWN_CAUSES = (
    ("The return type must be a string, dict, list, tuple", N_(
        "A view may return a str, a dict, a list, a tuple (body, status, headers) or a Response: turn another "
        "collection (dict.values(), a generator) into a list with `list(...)`.")),
    ("expected a bytes-like object, int found", N_(
        "A WSGI body is an iterable of bytes: return [body], a list; iterating a bare bytes object yields ints.")),
    ("is not JSON serializable", N_("A view's return value is sent as JSON: JSON has lists, not sets or tuples of "
                                    "objects; turn a set into a sorted list with `sorted(...)`.")),
)


def explain_exception(chapter: Chapter, excinfo, package_dir: Path) -> str:
    """An exception from the learner's code: which request, which line, and what to do."""
    error = excinfo.value
    request = request_of(error)
    what = f"{type(error).__name__}: {error}".rstrip(": ")
    text = (_("{request} raised {what}").format(request=request, what=what) if request
            else _("Your code raised {what}").format(what=what))
    if expected := note_of(error, "expected"):
        text += _(", where {expected} was expected").format(expected=expected)
    frames = frames_in(excinfo, package_dir)
    known = known_cause(error)
    if known:
        text = f"{text}{_(' at {where}').format(where=location(frames[-1])) if frames else ''}.\n{known}"
        return text
    advice = _(chapter.error_advice[type(error).__name__]) if type(error).__name__ in chapter.error_advice else None
    if not frames:
        return f"{text}.\n{advice}" if advice else text + "."
    provided = provided_functions(chapter)
    relative = [(Path(str(f.path)).relative_to(package_dir).as_posix(), f.name) for f in frames]
    if relative[-1] in provided:
        yours = next((f for f, key in zip(reversed(frames), reversed(relative)) if key not in provided), None)
        text += _(" in {function}() at {where}, a helper the course provides").format(function=frames[-1].name, where=location(frames[-1]))
        if yours is not None:
            text += _(", called by your code at {where}").format(where=location(yours))
        text += "."
    else:
        text += _(" at {where}: `{line}`").format(where=location(frames[-1]), line=source_line(frames[-1])) + "."
    return f"{text}\n{advice}" if advice else text


def explain_timeout(seconds: str, excinfo, package_dir: Path) -> str:
    frames = frames_in(excinfo, package_dir)
    seconds = seconds.rstrip("0").rstrip(".")
    request = request_of(excinfo.value)
    text = (_("{request} did not finish in {seconds} s — an endless loop or a blocking call?").format(request=request, seconds=seconds)
            if request else _("The test did not finish in {seconds} s — an endless loop or a blocking call?").format(seconds=seconds))
    if frames:
        text += " " + _("When it was stopped, your code was running {where}.").format(where=location(frames[-1]))
    return text


def explain_not_written(chapter: Chapter, exercise_id: str, excinfo, package_dir: Path) -> str:
    if excinfo.traceback[-1].name == "dispatch_request" and "flask" in str(excinfo.traceback[-1].path):
        return _("Flask's View.dispatch_request() raised NotImplementedError: a class built on View must override "
                 "dispatch_request(); methods named get() or post() are called only by a MethodView.")
    written_for = TODO.search(str(excinfo.value))
    frames = frames_in(excinfo, package_dir)
    where = location(frames[-1]) if frames else _("the code")
    if written_for and written_for["id"] != exercise_id:
        return _("This test needs exercise `{other}`, which is not written yet ({where}).").format(other=written_for["id"], where=where)
    exercise = chapter.exercise(exercise_id)
    return _("Exercise `{id}` ({title}) is not written yet: {where} still raises NotImplementedError.").format(
        id=exercise_id, title=_(exercise.title), where=where)


def explain_failure(chapter: Chapter, exercise_id: str, excinfo, package_dir: Path) -> tuple[str, bool]:
    """A message for the learner, and whether it should replace pytest's traceback."""
    where = where_to_look(chapter, exercise_id, package_dir)
    if excinfo.errisinstance(pytest.fail.Exception) and (timeout := TIMEOUT.match(str(excinfo.value))):
        return f"{explain_timeout(timeout['seconds'], excinfo, package_dir)}\n\n{where}", True
    if excinfo.errisinstance(NotImplementedError):
        return f"{explain_not_written(chapter, exercise_id, excinfo, package_dir)}\n\n{where}", True
    if excinfo.errisinstance(AssertionError) or excinfo.errisinstance(pytest.fail.Exception):
        what = str(excinfo.value).split("\nassert ")[0].strip() or _("An expectation did not hold.")
        return f"{what}\n\n{where}", excinfo.errisinstance(pytest.fail.Exception)
    return f"{explain_exception(chapter, excinfo, package_dir)}\n\n{where}", False
