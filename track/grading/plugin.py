"""The graders' pytest plugin: what is graded, which exercise each test serves, and the verdict.

PYTEST_DONT_REWRITE: no asserts here, so pytest need not rewrite (and re-parse) this module.

Loaded with `-p track.grading.plugin` (pyproject's addopts), so plain `pytest` and the course's
own engine grade the same way:

- `--target chapters|solutions|PATH` picks the copy under test; `--results-json FILE`
  writes the typed results (track.model.results) as a results.json.
- Every grader test belongs to one exercise of its chapter's manifest
  (`@pytest.mark.exercise(id)`); tests run in the manifest's order.
- A chapter that does not import, or whose app does not build, is one chapter error,
  reported once; its remaining tests are not run.
- An exercise whose manifest `requires` another that fails is blocked, not failed.
- Every grader test has a time limit; after one test of an exercise runs out of time, the
  exercise's other tests are not run (one endless loop costs seconds, not minutes).
- With `--first-failure-only` (class grading), after one test of an exercise fails its other
  tests are not run: the points are the same, the unfinished work costs far less to grade.
- With `--chapter-budget SECONDS` (class grading), a chapter's tests share one time budget:
  each test's limit is what is left of it, and once it is spent the rest are errors, not run.
  A chapter that hangs everywhere costs one budget, not one time-out per exercise.
- With `--canary SPEC` (class grading, track/classroom/verdicts.py), one extra test that must fail is
  placed among the chapter's tests, named, marked and failing like its neighbours; its
  failure message is a secret only the teacher's process knows. A run whose report says it
  passed, or lacks it, was tampered with.
"""
from __future__ import annotations

import importlib
import inspect
import json
import sys
import time
import textwrap
import types
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient

from track.grading import speedups
from track.model.course import GRADER_TIMEOUT_S, PACKAGE_NAME, ROOT, Chapter, chapter_for_package
from track.grading.explain import TIMEOUT, explain_failure, frames_in, location, todo_location
from track.model.i18n import _
from track.model.results import ChapterError, ChapterResult, ExerciseResult, RunResult, Status, TestResult, budget_spent
from track.model.ui import command, shown

TARGET_ALIAS = "graded_target"
BUILTIN_TARGETS = ("chapters", "solutions")

TARGET = pytest.StashKey[str]()
EXERCISE = pytest.StashKey[tuple[Chapter, str]]()


class ChapterLoadError(Exception):
    """The graded chapter does not import, or its app does not build: nothing can be graded."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.where = where


def pytest_addoption(parser):
    group = parser.getgroup("flask learning track")
    group.addoption(
        "--target", default="chapters",
        help="what to grade: chapters (the learner's copy, default), solutions, or a PATH to a folder of chapter packages",
    )
    group.addoption("--results-json", metavar="FILE", help="write the results as an exercism (v3) results.json")
    group.addoption("--exercise", action="append", default=[], metavar="ID",
                    help="grade only this exercise (repeat for more)")
    group.addoption("--grader-timeout", type=float, default=GRADER_TIMEOUT_S, metavar="SECONDS",
                    help=f"time limit of each grader test (default {GRADER_TIMEOUT_S})")
    group.addoption("--first-failure-only", action="store_true",
                    help="after an exercise's first failing test, skip its other tests (same points, less work)")
    group.addoption("--chapter-budget", type=float, default=None, metavar="SECONDS",
                    help="time budget shared by each chapter's tests (class grading)")
    group.addoption("--canary", default=None, help="class grading's tamper check (set by the engine)")


def pytest_configure(config):
    speedups.install()
    config.stash[TARGET] = register_target(config.getoption("--target"))
    config.pluginmanager.register(Grading(config), "track-grading")


def register_target(target: str) -> str:
    """The importable package name whose sub-packages are the chapters being graded."""
    if target in BUILTIN_TARGETS:
        return target
    path = Path(target).resolve()
    if not path.is_dir():
        raise pytest.UsageError(f"--target {target}: no such folder (expected chapters, solutions or a path)")
    # A synthetic parent package: `graded_target.ch01_hello_world.app` is imported from PATH,
    # with relative imports inside the chapter working as usual.
    package = types.ModuleType(TARGET_ALIAS)
    package.__path__ = [str(path)]
    sys.modules[TARGET_ALIAS] = package
    for name in [n for n in sys.modules if n.startswith(TARGET_ALIAS + ".")]:
        del sys.modules[name]  # a previous target's chapters, in a process that grades again
    return TARGET_ALIAS


def target_dir(config, chapter: Chapter) -> Path:
    target = config.getoption("--target")
    base = ROOT / target if target in BUILTIN_TARGETS else Path(target).resolve()
    return base / chapter.package


def rules_of(item) -> list[str]:
    """The contract rules a grader test checks: its `@pytest.mark.rule(id)` markers, its own first."""
    return [rule for marker in item.iter_markers("rule") for rule in marker.args]


def chapter_of_module(module) -> Chapter | None:
    package = module.__name__.rpartition(".")[2].removeprefix("test_")
    return chapter_for_package(package) if PACKAGE_NAME.match(package) else None


# --- loading the graded chapter: errors here are the chapter's, not an exercise's -----------

def import_target(config, chapter: Chapter, module: str = "app"):
    """Import a module of the graded chapter; a chapter error that says why if it cannot."""
    name = f"{config.stash[TARGET]}.{chapter.package}.{module}"
    path = target_dir(config, chapter) / f"{module.replace('.', '/')}.py"
    try:
        return importlib.import_module(name)
    except SyntaxError as error:
        where = f"{shown(Path(error.filename))}:{error.lineno}" if error.filename else None
        raise ChapterLoadError(_("{file} does not parse: {msg} (line {line}). Nothing can be graded until it does.").format(
            file=shown(Path(error.filename or path)), msg=error.msg, line=error.lineno), where) from None
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            raise ChapterLoadError(_("{file} is missing: restore it with `{reset}`.").format(
                file=shown(path), reset=command("reset", chapter.number)), shown(path)) from None
        raise loading_error(error, config, chapter, _("Importing {file}").format(file=shown(path))) from None
    except Exception as error:
        raise loading_error(error, config, chapter, _("Importing {file}").format(file=shown(path))) from None


def loading_error(error: Exception, config, chapter: Chapter, doing: str) -> ChapterLoadError:
    frames = frames_in(pytest.ExceptionInfo.from_exception(error), target_dir(config, chapter))
    where = location(frames[-1]) if frames else None
    text = _("{doing} raised {what}").format(doing=doing, what=f"{type(error).__name__}: {error}")
    return ChapterLoadError(text + (_(" at {where}.").format(where=where) if where else "."), where)


def require(module, name: str):
    """`module.name`, or a failure that names what the exercise asks for."""
    if hasattr(module, name):
        return getattr(module, name)
    text = _("{file} has no `{name}`: the exercise asks for a module-level `{name}`. Did it get renamed or deleted?").format(
        file=shown(Path(module.__file__)), name=name)
    if name == "create_app":  # every chapter is built through it: nothing can be graded
        raise ChapterLoadError(text, shown(Path(module.__file__)))
    pytest.fail(text, pytrace=False)


HANDLED = "track.handled"  # app.extensions key: the exceptions the app's own handlers turned into a response


class ExplainingClient(FlaskClient):
    """The test client, noting on an escaping exception which request raised it, and on each
    response (`response.handled`) the exception the app's own error handling turned into it."""

    def open(self, *args, **kwargs):
        handled = self.application.extensions.setdefault(HANDLED, [])
        handled.clear()
        try:
            response = super().open(*args, **kwargs)
        except BaseException as error:  # a time-out (pytest's Failed) included
            path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
            error.add_note(f"request: {kwargs.get('method', 'GET')} {path}")
            raise
        response.handled = handled[-1] if handled else None
        response.url_map = self.application.url_map
        return response


def record_handled(app: Flask) -> None:
    """Note each exception a request raised, before the app's handlers answer it (a 500 from an
    `@app.errorhandler(Exception)`, or Flask's own 500): the grader can then show it."""
    handle_user_exception = app.handle_user_exception

    def recording(error):
        app.extensions.setdefault(HANDLED, []).append(error)
        return handle_user_exception(error)

    app.handle_user_exception = recording


@got_request_exception.connect
def note_unhandled(sender: Flask, exception: BaseException, **extra) -> None:
    """An exception no handler of the app took (Flask answers it with a 500, or re-raises it in tests)."""
    sender.extensions.setdefault(HANDLED, []).append(exception)


def build_app(config, chapter: Chapter, module, test_config: dict) -> Flask:
    """`create_app(test_config)` of the graded chapter; a chapter error if the app does not build."""
    create_app = require(module, "create_app")
    try:
        app = create_app(test_config)
    except Exception as error:
        raise loading_error(error, config, chapter, "create_app()") from None
    if not isinstance(app, Flask):
        raise ChapterLoadError(_("create_app() returned {kind}, not a Flask app: end it with `return app`.").format(
            kind=type(app).__name__), shown(Path(module.__file__)))
    app.test_client_class = ExplainingClient
    record_handled(app)
    return app


# --- the canary: a test that must fail, among the others -------------------------------------

def canary_function(neighbour: pytest.Function, name: str, message: str):
    """A test function that fails with `message`, compiled as if written beside `neighbour` (same
    module, file, line and markers, no closure), so nothing about it tells it apart from a grader test."""
    original = neighbour.function
    parameters = "self" if neighbour.cls else ""
    code = compile(f"def {name}({parameters}):\n    raise AssertionError({message!r})\n",
                   original.__code__.co_filename, "exec")
    namespace: dict = {}
    exec(code, original.__globals__, namespace)
    test = namespace[name]
    test.__code__ = test.__code__.replace(co_firstlineno=original.__code__.co_firstlineno)
    test.__qualname__ = original.__qualname__.rpartition(".")[0] + "." + name if neighbour.cls else name
    test.pytestmark = list(getattr(original, "pytestmark", []))
    return test


def plant_canary(items: list, spec: dict) -> str | None:
    """Put the canary right after the test `spec["after"]`; its node id."""
    neighbour = next((item for item in items if item.nodeid == spec["after"]), None)
    if neighbour is None:
        return None
    test = canary_function(neighbour, spec["name"], spec["message"])
    setattr(neighbour.cls or neighbour.module, spec["name"], test)
    canary = pytest.Function.from_parent(neighbour.parent, name=spec["name"])
    items.insert(items.index(neighbour) + 1, canary)
    return canary.nodeid


# --- the run: order, blocking, time limits, results ------------------------------------------

@cache
def source_of(function) -> str:
    """The grader test's code, for exercism's `test_code`."""
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return ""


@dataclass(eq=False)  # a pytest plugin: hashed by identity, as pluggy registers it
class Grading:
    config: pytest.Config
    # One entry per test: its phases (setup, call, teardown) folded into one result.
    outcomes: dict[str, TestResult] = field(default_factory=dict)
    chapter_errors: dict[str, ChapterError] = field(default_factory=dict)
    timed_out: set[tuple[str, str]] = field(default_factory=set)
    unsolved: set[tuple[str, str]] = field(default_factory=set)  # (chapter package, exercise) with a test not passing
    collected: list[Chapter] = field(default_factory=list)
    canary: str | None = None  # the canary's node id (class grading)
    began: dict[str, float] = field(default_factory=dict)  # chapter package -> when its first test started
    over_budget: set[str] = field(default_factory=set)  # node ids not run: the chapter's budget was spent

    # Collection: each grader test names one exercise of its chapter's manifest.
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items):
        if spec := self.config.getoption("--canary"):
            self.canary = plant_canary(items, json.loads(spec))
        problems = []
        for item in items:
            chapter = chapter_of_module(item.module) if isinstance(item, pytest.Function) else None
            if chapter is None:
                continue
            markers = list(item.iter_markers("exercise"))
            known = [exercise.id for exercise in chapter.exercises]
            if len(markers) != 1 or markers[0].args[0] not in known:
                problems.append(_("{test}: needs one @pytest.mark.exercise(id) with id in {known}").format(
                    test=item.nodeid, known=known))
                continue
            item.stash[EXERCISE] = (chapter, markers[0].args[0])
            item.user_properties.append(("exercise", markers[0].args[0]))
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(self.config.getoption("--grader-timeout")))
            if self.config.getoption("tbstyle") == "no":
                # Nobody reads pytest's traceback (the engine reads the explanation in the
                # results), and formatting one costs more than many a test.
                item.repr_failure = lambda excinfo: ""
            if chapter not in self.collected:
                self.collected.append(chapter)
        if problems:
            raise pytest.UsageError(_("Grader tests without a valid exercise:\n") + "\n".join(problems))
        wanted = self.config.getoption("--exercise")
        if wanted:
            dropped = [item for item in items if EXERCISE in item.stash and item.stash[EXERCISE][1] not in wanted]
            self.config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if item not in dropped]
        # The manifest's order: what an exercise requires is graded before it.
        items.sort(key=lambda item: self.position(item))

    def position(self, item) -> tuple[int, int]:
        if EXERCISE not in item.stash:
            return (-1, 0)
        chapter, exercise_id = item.stash[EXERCISE]
        return chapter.number, [e.id for e in chapter.exercises].index(exercise_id)

    def failing(self, chapter: Chapter, exercise_id: str) -> bool:
        return (chapter.package, exercise_id) in self.unsolved

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        """Do not run what cannot give a verdict of its own."""
        if EXERCISE not in item.stash:
            return
        chapter, exercise_id = item.stash[EXERCISE]
        self.outcomes[item.nodeid] = TestResult(item.nodeid, chapter.package, exercise_id, Status.PASS,
                                                test_code=source_of(item.function), rules=rules_of(item))
        if item.nodeid == self.canary:
            return  # it always runs, whatever the exercise's state
        if item.nodeid in self.over_budget:
            pytest.fail(budget_spent(self.config.getoption("--chapter-budget")), pytrace=False)
        if chapter.package in self.chapter_errors:
            pytest.skip("chapter error")
        if (chapter.package, exercise_id) in self.timed_out:
            pytest.skip(_("not run: an earlier test of `{id}` did not finish in time").format(id=exercise_id))
        blocking = next((r for r in chapter.exercise(exercise_id).requires if self.failing(chapter, r)), None)
        if blocking is not None:
            pytest.skip(_("blocked by {exercise}").format(exercise=blocking))
        if self.config.getoption("--first-failure-only") and self.failing(chapter, exercise_id):
            pytest.skip(_("not run: an earlier test of `{id}` failed").format(id=exercise_id))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item):
        """With a chapter budget: this test's limit is what is left of it (read by pytest-timeout next)."""
        budget = self.config.getoption("--chapter-budget")
        if budget is not None and EXERCISE in item.stash:
            package = item.stash[EXERCISE][0].package
            left = budget - (time.monotonic() - self.began.setdefault(package, time.monotonic()))
            if left <= 0:
                self.over_budget.add(item.nodeid)
            else:
                limit = item.get_closest_marker("timeout").args[0]
                item.add_marker(pytest.mark.timeout(min(limit, left)), append=False)
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if EXERCISE not in item.stash or not report.failed or call.excinfo is None:
            return report
        chapter, exercise_id = item.stash[EXERCISE]
        if item.nodeid in self.over_budget:
            report.timed_out = True
            report.explanation = str(call.excinfo.value)
            return report
        if call.excinfo.errisinstance(ChapterLoadError):
            error = call.excinfo.value
            self.chapter_errors.setdefault(chapter.package, ChapterError(str(error), error.where))
            report.longrepr = str(error)
            report.explanation = str(error)
            return report
        if call.excinfo.errisinstance(pytest.fail.Exception) and TIMEOUT.match(str(call.excinfo.value)):
            self.timed_out.add((chapter.package, exercise_id))
            report.timed_out = True
        explanation, replace = explain_failure(chapter, exercise_id, call.excinfo, target_dir(self.config, chapter))
        report.explanation = explanation
        if replace:
            report.longrepr = explanation
        else:
            report.sections.append((_("Where to look"), explanation.rpartition("\n\n")[2]))
        return report

    def pytest_runtest_logreport(self, report):
        if report.nodeid not in self.outcomes:
            return
        outcome = self.outcomes[report.nodeid]
        outcome.duration = round(outcome.duration + report.duration, 4)
        if report.capstdout:
            outcome.output = (outcome.output or "") + report.capstdout
        if outcome.status != Status.PASS:
            return  # the first problem is the one to report
        if (report.failed or report.skipped and report.when == "setup") and report.nodeid != self.canary:
            self.unsolved.add((outcome.chapter, outcome.exercise))
        if report.skipped and report.when == "setup":
            outcome.status = Status.BLOCKED
            outcome.message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        elif report.failed:
            timed_out = getattr(report, "timed_out", False)
            outcome.status = Status.ERROR if timed_out or outcome.chapter in self.chapter_errors else Status.FAIL
            outcome.message = getattr(report, "explanation", None) or str(report.longrepr)

    def results(self) -> RunResult:
        by_chapter = {chapter.package: [] for chapter in self.collected}
        for outcome in self.outcomes.values():
            by_chapter[outcome.chapter].append(outcome)
        return RunResult([self.chapter_result(chapter, by_chapter[chapter.package]) for chapter in self.collected])

    def chapter_result(self, chapter: Chapter, tests: list[TestResult]) -> ChapterResult:
        error = self.chapter_errors.get(chapter.package)
        exercises = []
        for exercise in chapter.exercises:
            ran = [t for t in tests if t.exercise == exercise.id and t.nodeid != self.canary]
            if not ran:
                continue
            exercises.append(self.exercise_result(chapter, exercise.id, ran, error))
        return ChapterResult(chapter.package, exercises, tests, error)

    def exercise_result(self, chapter: Chapter, exercise_id: str, ran: list[TestResult], error: ChapterError | None) -> ExerciseResult:
        exercise = chapter.exercise(exercise_id)
        statuses = {t.status for t in ran}
        failures = [t for t in ran if t.status != Status.PASS]
        status, message, blocked_by = Status.PASS, None, None
        if error is not None:
            status, message = Status.BLOCKED, error.message
        elif Status.ERROR in statuses:
            status, message = Status.ERROR, next(t.message for t in failures if t.status == Status.ERROR)
        elif Status.FAIL in statuses:
            status, message = Status.FAIL, next(t.message for t in failures if t.status == Status.FAIL)
        elif Status.BLOCKED in statuses:
            blocked_by = next(r for r in exercise.requires if self.failing(chapter, r))
            todo = todo_location(target_dir(self.config, chapter), blocked_by)
            status = Status.BLOCKED
            message = _("finish `{other}` first{where}: this exercise's grader needs it.").format(
                other=blocked_by, where=f" ({todo})" if todo else "")
        return ExerciseResult(chapter.package, exercise.id, exercise.title, exercise.points, status,
                              len(ran), len(failures), message, blocked_by)

    def pytest_sessionfinish(self, session):
        path = self.config.getoption("--results-json")
        if path:
            self.results().write(Path(path))
