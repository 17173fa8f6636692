"""Exercise `fixtures`: the fixtures every test of this folder uses, as Flask's tutorial names them.

- `app`: a fresh app from `create_app(...)` for each test, with TESTING on and its own
  SQLite file in a temporary folder (pytest's `tmp_path`), never the instance folder;
- `client`: that app's test client (`app.test_client()`);
- `runner`: that app's CLI runner (`app.test_cli_runner()`).

Build the app with the `create_app` imported below and nothing else: the grader replaces
that one name with the correct app, then with each broken one, and runs your tests on each.
It also checks that two tests never see each other's to-dos.

Rules:
- [catches-shared-store] every app that create_app builds shares one in-memory store, whatever
  DATABASE says: a test sees the to-dos an earlier test created.
- [sound-on-correct-app] the grader's checks (tests/ch11_variants/probe_fixtures.py in the
  course) pass with these fixtures on the correct app.
"""
import pytest

from ..todo import create_app


@pytest.fixture
def app(tmp_path):
    """A new app for each test, with its own empty database in `tmp_path`."""
    # TODO(fixtures): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(fixtures)")


@pytest.fixture
def client(app):
    """Flask's test client: sends requests to `app` without a server."""
    # TODO(fixtures): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(fixtures)")


@pytest.fixture
def runner(app):
    """Click's runner for the app's CLI commands: `runner.invoke(args=["init-db"])`."""
    # TODO(fixtures): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(fixtures)")
