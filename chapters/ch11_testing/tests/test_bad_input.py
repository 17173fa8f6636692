"""Exercise `bad_input`: one parametrized test that sends POST /todos every kind of bad body.

Each bad body must get a 400 with the JSON error body {"error": ..., "message": ...}, and
nothing may be stored. The grader runs this module on the correct app (every case must pass
and run an `assert`) and on fifteen broken apps; at least one case must fail on each:

Rules:
- [catches-non-json-500] a body that is not a JSON object (a form, broken JSON, a JSON list)
  makes POST /todos crash with a 500 instead of answering 400.
- [catches-blank-title] a blank title, only spaces such as "   ", is accepted.
- [catches-no-length-limit] a title longer than 200 characters is accepted.
- [catches-off-by-one] a title of exactly 201 characters is accepted: the limit is off by one.
- [catches-broken-json-500] broken JSON sent as application/json (`{not json`) crashes with a
  500: the body is parsed with json.loads, and only a JSON Content-Type reaches it.
- [catches-deep-json-500] JSON nested thousands of levels deep (`[[[[...`) crashes with a
  RecursionError, which get_json(silent=True) does not catch.
- [catches-empty-title] an empty title "" is accepted: "".isspace() is False.
- [catches-title-type-500] a title that is not a string, such as 42, crashes with a 500: only a
  missing title is checked.
- [catches-lone-surrogate-500] a title with a lone surrogate ("\\ud800", valid JSON but not text)
  crashes with a 500 when it is stored.
- [catches-status-422] a blank or missing title is answered 422 instead of 400.
- [catches-html-400] a 400 comes back as Werkzeug's HTML error page instead of the JSON body
  {"error", "message"}.
- [catches-stored-then-400] a title longer than 200 characters is answered 400, but it was
  stored first.
- [catches-spaces-kept] a title is stored with the spaces around it, not stripped.
- [catches-rstrip-only] a title is stripped of the spaces on its right only, not on its left.
- [catches-lstrip-only] a title is stripped of the spaces on its left only, not on its right.
- [sound-on-correct-app] on the correct app every test passes and runs at least one `assert`.
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
