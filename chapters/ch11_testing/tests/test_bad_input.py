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

BAD_BODIES = [
    # TODO(bad_input): one pytest.param per kind of bad body; the arguments go to client.post.
    pytest.param({"json": {}}, id="no-title"),
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_bodies_get_400_and_store_nothing(client, body):
    """POST /todos with a bad body -> 400 with {"error", "message"}; GET /todos stays empty."""
    # TODO(bad_input): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(bad_input)")


def test_a_good_body_is_still_accepted(client):
    """The other side of the boundary: a 200-character title, with spaces around it, is fine."""
    # TODO(bad_input): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(bad_input)")
