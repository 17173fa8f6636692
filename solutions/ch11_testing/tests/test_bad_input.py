"""Exercise `bad_input`: one parametrized test that sends POST /todos every kind of bad body.

Each bad body must get a 400 with the JSON error body {"error": ..., "message": ...}, and
nothing may be stored. The grader runs this module on the correct app (every case must pass
and run an `assert`) and on fifteen broken apps; at least one case must fail on each:
- a body that is not JSON makes the app crash with a 500 instead of answering 400;
- broken JSON sent as application/json crashes; JSON nested 5,000 deep crashes;
- a blank title (only spaces) is accepted; an empty title "" is accepted;
- a title that is not a string (42) crashes; a lone surrogate ("\\ud800") crashes;
- a title longer than 200 characters is accepted; one of 201 characters is (off by one);
- a too-long title is answered 400 but stored anyway;
- a bad body gets 422, or Werkzeug's HTML page, instead of a 400 with the JSON error body;
- a good title is stored with the spaces around it, or stripped on one side only.
"""
import pytest

# SOLUTION bad_input
BAD_BODIES = [
    pytest.param({"json": {}}, id="no-title"),
    pytest.param({"json": {"title": "   "}}, id="blank-title"),
    pytest.param({"json": {"title": "x" * 201}}, id="title-too-long"),
    pytest.param({"data": "title=Buy milk"}, id="a-form-not-json"),
    pytest.param({"data": "{not json", "content_type": "application/json"}, id="broken-json"),
    pytest.param({"json": ["Buy milk"]}, id="a-list-not-an-object"),
    pytest.param({"data": "[" * 5000, "content_type": "application/json"}, id="nested-5000-deep"),
    pytest.param({"json": {"title": ""}}, id="empty-title"),
    pytest.param({"json": {"title": 42}}, id="title-not-a-string"),
    pytest.param({"json": {"title": None}}, id="title-null"),
    # Written as JSON text: the test client cannot even encode a real lone surrogate.
    pytest.param({"data": '{"title": "\\ud800"}', "content_type": "application/json"}, id="lone-surrogate"),
]
# STUB
# BAD_BODIES = [
#     # TODO(bad_input): one pytest.param per kind of bad body; the arguments go to client.post.
#     pytest.param({"json": {}}, id="no-title"),
# ]
# END SOLUTION


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_bodies_get_400_and_store_nothing(client, body):
    """POST /todos with a bad body -> 400 with {"error", "message"}; GET /todos stays empty."""
    # SOLUTION bad_input
    response = client.post("/todos", **body)
    assert response.status_code == 400
    assert set(response.get_json()) == {"error", "message"}
    assert client.get("/todos").get_json() == []
    # END SOLUTION


def test_a_good_body_is_still_accepted(client):
    """The other side of the boundary: a 200-character title, with spaces around it, is fine."""
    # SOLUTION bad_input
    response = client.post("/todos", json={"title": "  " + "x" * 200 + "  "})
    assert response.status_code == 201
    assert response.get_json()["title"] == "x" * 200
    # END SOLUTION
