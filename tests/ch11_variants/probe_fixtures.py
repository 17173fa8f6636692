"""The grader's probes of exercise `fixtures`: ordinary tests that use the learner's fixtures.

The harness runs them with the learner's conftest.py, on the correct app (each must pass)
and on the variant whose apps share one store (one must fail). Named `probe_*`, not
`test_*`, so that the course's own pytest run never collects this file.
"""
import os

import pytest
from flask import Flask

from track.model.i18n import _


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_with_an_empty_database(client, run):
    before = client.get("/todos").get_json()
    assert before == [], _(
        "The {run} of two tests found {found} in its new database: each test needs a database of its own, "
        "empty at the start (a new file in tmp_path for every test)."
    ).format(run=_("first") if run == "first" else _("second"), found=repr(before))
    response = client.post("/todos", json={"title": f"added by the {run} test"})
    assert response.status_code == 201, _("POST /todos failed with your fixtures: does `app` give the app a working database?")


def test_fixtures_share_one_testing_app(app, client, runner):
    assert isinstance(app, Flask), _("The fixture `app` gave the test {type}, not a Flask app: return create_app(...).").format(
        type=type(app).__name__)
    assert app.testing, _('The fixture `app` should pass {"TESTING": True} to create_app.')
    database = os.path.abspath(app.config["DATABASE"])
    assert os.path.dirname(database) != os.path.abspath(app.instance_path), _(
        "The fixture `app` uses {database}, the instance folder's database: the tests would write into the "
        'app you run by hand. Pass "DATABASE": a file in tmp_path.'
    ).format(database=database)
    assert client.application is app, _("The fixture `client` should be the test client of the test's app: app.test_client().")
    assert runner.app is app, _("The fixture `runner` should be the CLI runner of the test's app: app.test_cli_runner().")
