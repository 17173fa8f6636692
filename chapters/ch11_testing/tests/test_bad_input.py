"""Exercise `bad_input`: one parametrized test that sends POST /todos every kind of bad body.

Each bad body must get a 400 with the JSON error body {"error": ..., "message": ...}, and
nothing may be stored. The grader runs this module on the correct app (every case must pass
and run an `assert`) and on three broken apps; at least one case must fail on each:
- a body that is not JSON makes the app crash with a 500 instead of answering 400;
- a blank title (only spaces) is accepted;
- a title longer than 200 characters is accepted.
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
