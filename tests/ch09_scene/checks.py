"""Checks several of chapter 9's exercises share: a test that tries several cases names the
one that failed, a bad token or bad input is refused (never a crash), and no secret leaks.

PYTEST_DONT_REWRITE: every assert here carries its own message, which is all the learner reads.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager

from tests.expect import expect_error, preview, request_line
from track.model.i18n import _


@contextmanager
def case(label: str):
    """One case of a test that tries several: a failure says which ("with the body {}: ...")."""
    try:
        yield
    except AssertionError as failure:
        message = failure.args[0] if failure.args else _("an expectation did not hold.")
        failure.args = (_("{case}: {message}").format(case=f"{label[0].upper()}{label[1:]}", message=message),
                        *failure.args[1:])
        raise
    except Exception as error:
        # The test client notes the request that raised ("request: POST /register", track/grading/plugin.py)
        # and the failure message quotes that note: name the case in it.
        notes = getattr(error, "__notes__", [])
        for index, note in enumerate(notes):
            if note.startswith("request: "):
                notes[index] = f"{note} ({label})"
                break
        else:
            error.add_note(_("case: {label}").format(label=label))
        raise


def expect_token_refused(response) -> None:
    """A missing or bad token is refused before the view runs: 401, or the 422 Flask-JWT-Extended
    answers for an invalid token until `me`'s loaders make it 401 (its JSON body is `me`'s to grade)."""
    assert response.status_code in (401, 422), _(
        "{request} answered {got}, expected 401: a missing or bad token must be refused "
        "(@jwt_required() or verify_jwt_in_request() checks it).\n  What came back: {preview}"
    ).format(request=request_line(response), got=response.status_code, preview=preview(response))


def expect_bad_input_refused(response, what: str, statuses: tuple[int, ...] = (400,)) -> dict:
    """`what`, a kind of bad input in words, is refused with one of `statuses` and the JSON error body.

    The test requests the `crash_as_500` fixture, so a crash is the 500 a real client would get.
    """
    expected = _(" or ").join(map(str, statuses))
    assert response.status_code in statuses, _(
        "{request} with {what} answered {got}: it must be a {expected}, not a crash.\n  What came back: {preview}"
    ).format(request=request_line(response), what=what, got=response.status_code, expected=expected, preview=preview(response))
    return expect_error(response, response.status_code)


def expect_no_secrets(responses, records, secrets) -> None:
    """No response body and no log line contains any of `secrets` (a password, its hash)."""
    for secret in secrets:
        leaked = [r.request.path for r in responses if secret in r.get_data(as_text=True)]
        assert not leaked, _("A response to {paths} contains the password or its hash.").format(paths=leaked)
        logged = [r.getMessage() for r in records if secret in r.getMessage()]
        assert not logged, _("A log line contains the password or its hash: {line}").format(line=repr(logged[0][:200]))


def app_log(records, app) -> list[str]:
    """What the chapter's own code logged (app.logger or a logger of its package), as text."""
    package = app.import_name.rpartition(".")[0] or app.import_name
    return [r.getMessage() for r in records if r.name.startswith(package) and r.levelno >= logging.INFO]
