"""The grader's probes of exercise `fixtures`: ordinary tests that use the learner's fixtures.

The harness runs them with the learner's conftest.py, on the correct app (each must pass)
and on the variant whose apps share one store (one must fail). Named `probe_*`, not
`test_*`, so that the course's own pytest run never collects this file.
"""
import os

import pytest
from flask import Flask


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_with_an_empty_database(client, run):
    before = client.get("/todos").get_json()
    assert before == [], (
        f"The {run} of two tests found {before!r} in its new database: each test needs a database of its own, "
        "empty at the start (a new file in tmp_path for every test)."
    )
    response = client.post("/todos", json={"title": f"added by the {run} test"})
    assert response.status_code == 201, "POST /todos failed with your fixtures: does `app` give the app a working database?"


def test_fixtures_share_one_testing_app(app, client, runner):
    assert isinstance(app, Flask), f"The fixture `app` gave the test {type(app).__name__}, not a Flask app: return create_app(...)."
    assert app.testing, 'The fixture `app` should pass {"TESTING": True} to create_app.'
    database = os.path.abspath(app.config["DATABASE"])
    assert os.path.dirname(database) != os.path.abspath(app.instance_path), (
        f"The fixture `app` uses {database}, the instance folder's database: the tests would write into the "
        'app you run by hand. Pass "DATABASE": a file in tmp_path.'
    )
    assert client.application is app, "The fixture `client` should be the test client of the test's app: app.test_client()."
    assert runner.app is app, "The fixture `runner` should be the CLI runner of the test's app: app.test_cli_runner()."
