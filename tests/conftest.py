"""Grader plumbing: the target switch, the fixtures, points per exercise and the report.

`pytest` grades the learner's `chapters/`; `pytest --target solutions` grades the reference
solutions; `pytest --target PATH` grades any folder of chapter packages (a student's clone,
or the pristine stubs the course checks build). Every grader test carries
`@pytest.mark.exercise("<id>")` naming an exercise of its chapter's manifest.
"""
from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import pytest

from track.course import PACKAGE_NAME, Chapter, chapter_for_package
from track.report import Report, explain_failure

TARGET_ALIAS = "graded_target"
BUILTIN_TARGETS = ("chapters", "solutions")


TARGET_KEY = pytest.StashKey[str]()


def pytest_configure(config):
    config.stash[TARGET_KEY] = register_target(config.getoption("--target"))
    config.pluginmanager.register(Report(), "course-report")


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
    return TARGET_ALIAS


def chapter_of_module(module) -> Chapter | None:
    package = module.__name__.rpartition(".")[2].removeprefix("test_")
    return chapter_for_package(package) if PACKAGE_NAME.match(package) else None


def exercise_of(item) -> str | None:
    marker = item.get_closest_marker("exercise")
    return marker.args[0] if marker else None


def pytest_collection_modifyitems(config, items):
    """Each grader test belongs to exactly one exercise that its chapter's manifest knows."""
    problems = []
    for item in items:
        chapter = chapter_of_module(item.module)
        if chapter is None:
            continue
        markers = list(item.iter_markers("exercise"))
        known = {exercise.id for exercise in chapter.exercises}
        if len(markers) != 1 or markers[0].args[0] not in known:
            problems.append(f"{item.nodeid}: needs one @pytest.mark.exercise(id) with id in {sorted(known)}")
        else:
            item.user_properties.append(("exercise", markers[0].args[0]))
    if problems:
        raise pytest.UsageError("Grader tests without a valid exercise:\n" + "\n".join(problems))


def target_file(config, chapter: Chapter, module: str = "app") -> str:
    return f"{config.getoption('--target')}/{chapter.package}/{module}.py"


def import_target(config, chapter: Chapter, module: str = "app"):
    """Import the graded chapter's module; a friendly failure instead of a traceback."""
    name = f"{config.stash[TARGET_KEY]}.{chapter.package}.{module}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            pytest.fail(f"{target_file(config, chapter, module)} is missing: restore it with "
                        f"`python -m track reset {chapter.number}`.", pytrace=False)
        raise
    except SyntaxError as error:
        pytest.fail(f"{target_file(config, chapter, module)} does not parse: {error.msg} "
                    f"(line {error.lineno}). Fix that first; nothing can be graded until it imports.",
                    pytrace=False)


def require(module, name: str):
    """`module.name`, or a failure that says which function the exercise asks for."""
    if not hasattr(module, name):
        pytest.fail(f"{Path(module.__file__).name} has no `{name}`: the exercise asks for a "
                    f"module-level `{name}`. Did it get renamed or deleted?", pytrace=False)
    return getattr(module, name)


@pytest.fixture(scope="module")
def chapter(request) -> Chapter:
    return chapter_of_module(request.module)


@pytest.fixture(scope="module")
def chapter_module(request, chapter):
    """The graded chapter's `app.py` module."""
    return import_target(request.config, chapter)


@pytest.fixture
def app_config() -> dict:
    """The `test_config` handed to `create_app`; a grader module overrides it to add keys."""
    return {"TESTING": True}


@pytest.fixture
def app(chapter_module, app_config):
    return require(chapter_module, "create_app")(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    exercise = exercise_of(item)
    chapter = chapter_of_module(item.module)
    if exercise and chapter:
        report.exercise = (chapter.package, exercise)
        if report.failed and call.excinfo is not None:
            explanation, replace = explain_failure(item.config, chapter, exercise, call.excinfo)
            report.explanation = explanation
            if replace:
                report.longrepr = explanation
            else:
                report.sections.append(("Where to look", explanation.rpartition("\n\n")[2]))
    return report
