"""The graders' fixtures, as Flask's tutorial names them: `app`, `client`, `runner`, plus
`make_app` (another app, with other configuration) and `crash_as_500`.

What is graded (`--target`), which exercise each test serves, time limits and the report
live in the course's pytest plugin, `track/grading/plugin.py`. A grader module may override
`app_config` to hand `create_app` more configuration, and `built_apps` to clean up after
the apps a test built. Helpers that are not fixtures live in tests/helpers.py.

PYTEST_DONT_REWRITE: no asserts here, so pytest need not rewrite (and re-parse) this module.
"""
from __future__ import annotations

from collections.abc import Callable, Collection

import pytest
from flask import Flask

from track.model.course import Chapter
from track.grading.plugin import build_app, chapter_of_module, import_target


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
def built_apps() -> list[Flask]:
    """Every app `make_app` built in one test; a grader module overrides it to clean up after them."""
    return []


@pytest.fixture
def make_app(request, chapter, chapter_module, app_config, built_apps) -> Callable[..., Flask]:
    """`make_app(KEY=value, ..., without=("KEY", ...))`: `create_app` with `app_config`, some keys
    changed or left out, as often as a test needs (config keys are upper case: `without` is none)."""
    def make(*, without: Collection[str] = (), **overrides) -> Flask:
        config = {key: value for key, value in app_config.items() if key not in without} | overrides
        app = build_app(request.config, chapter, chapter_module, config)
        built_apps.append(app)
        return app
    return make


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def crash_as_500(app) -> None:
    """A view that raises answers 500, as it would to a real client, instead of raising into the
    test (TESTING propagates exceptions): a test of bad input then reads the status it got."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
