"""The graders' fixtures, as Flask's tutorial names them: `app`, `client`, `runner`.

What is graded (`--target`), which exercise each test serves, time limits and the report
live in the course's pytest plugin, `track/plugin.py`. A grader module may override
`app_config` to hand `create_app` more configuration.

PYTEST_DONT_REWRITE: no asserts here, so pytest need not rewrite (and re-parse) this module.
"""
from __future__ import annotations

import pytest

from track.course import Chapter
from track.plugin import build_app, chapter_of_module, import_target, require

__all__ = ["import_target", "require"]  # grader modules import these from here


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
def app(request, chapter, chapter_module, app_config):
    return build_app(request.config, chapter, chapter_module, app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
