"""Assertions that explain themselves: what was expected, what came back.

Grader tests use these instead of bare asserts, so a learner reads
`GET /user/x answered 404, expected 200` rather than `assert 404 == 200`.
The conftest adds where to look and the hint command.

PYTEST_DONT_REWRITE: every assert here carries its own message, which is all the learner
reads, so pytest need not rewrite (and re-parse) this module on every run.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from track.i18n import _

BODY_PREVIEW = 300


def request_line(response) -> str:
    request = response.request
    query = request.query_string.decode() if request.query_string else ""
    return f"{request.method} {request.path}{'?' + query if query else ''}"


def preview(response) -> str:
    text = response.get_data(as_text=True)
    text = text if len(text) <= BODY_PREVIEW else text[:BODY_PREVIEW] + "..."
    return f"{response.status_code} {response.content_type or _('(no Content-Type)')}: {text!r}"


def expect_status(response, expected: int) -> None:
    assert response.status_code == expected, _(
        "{request} answered {got}, expected {expected}.\n  What came back: {preview}"
    ).format(request=request_line(response), got=response.status_code, expected=expected, preview=preview(response))


def expect_text(response, expected: str, status: int = 200) -> None:
    expect_status(response, status)
    body = response.get_data(as_text=True)
    assert body == expected, _("{request} answered {got}, expected exactly {expected}.").format(
        request=request_line(response), got=repr(body), expected=repr(expected))


def expect_json(response, status: int = 200) -> Any:
    """The response's JSON after checking status and Content-Type."""
    expect_status(response, status)
    assert response.is_json, _(
        "{request} should answer JSON (Content-Type: application/json), "
        "got {preview}. Return a dict/list or use jsonify()."
    ).format(request=request_line(response), preview=preview(response))
    return response.get_json()


def kind(value: Any) -> str:
    # Looked up on each call, not at import, so the names follow the language the learner asked for.
    names = {str: _("a string"), int: _("an integer"), float: _("a number with a fraction"), bool: _("a boolean"),
             list: _("a list"), dict: _("an object"), type(None): _("null")}
    return names.get(type(value), type(value).__name__)


def same_kind(got: Any, expected: Any) -> bool:
    """JSON has one kind of number: 70 and 70.0 are the same kind; True and 1 are not."""
    if isinstance(got, bool) or isinstance(expected, bool):
        return type(got) is type(expected)
    if isinstance(got, (int, float)) and isinstance(expected, (int, float)):
        return True
    return type(got) is type(expected)


def difference(got: Any, expected: Any, where: str = "") -> str | None:
    """The first way `got` differs from `expected`, in words; None when they are equal."""
    at = _(" at {where}").format(where=where) if where else ""
    if not same_kind(got, expected):
        return _("{got}{at} is {kind}, expected {expected_kind} ({expected})").format(
            got=repr(got), at=at, kind=kind(got), expected_kind=kind(expected), expected=repr(expected))
    if isinstance(expected, dict):
        return object_difference(got, expected, where, at)
    if isinstance(expected, list):
        if len(got) != len(expected):
            return _("the list{at} has {count} items, expected {expected_count}: {expected}").format(
                at=at, count=len(got), expected_count=len(expected), expected=repr(expected))
        first = next(filter(None, (difference(g, e, f"{where}[{i}]") for i, (g, e) in enumerate(zip(got, expected)))), None)
        if first and sorted(map(repr, got)) == sorted(map(repr, expected)):
            return _("the list{at} has the right items in the wrong order: expected {expected}").format(
                at=at, expected=repr(expected))
        return first
    return None if got == expected else _("{got}{at} should be {expected}").format(
        got=repr(got), at=at, expected=repr(expected))


def object_difference(got: dict, expected: dict, where: str, at: str) -> str | None:
    """How a JSON object differs: its keys first, then the first value that differs."""
    missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    if missing and extra:
        return _("the object{at} lacks {missing}; has unexpected {extra}").format(at=at, missing=missing, extra=extra)
    if missing:
        return _("the object{at} lacks {missing}").format(at=at, missing=missing)
    if extra:
        return _("the object{at} has unexpected {extra}").format(at=at, extra=extra)
    return next(filter(None, (difference(got[key], expected[key], f"{where}[{key!r}]") for key in expected)), None)


def expect_json_equal(response, expected: Any, status: int = 200) -> None:
    data = expect_json(response, status)
    problem = difference(data, expected)
    assert problem is None, _("{request} answered JSON {got}, expected {expected}: {problem}.").format(
        request=request_line(response), got=repr(data), expected=repr(expected), problem=problem)


@contextmanager
def expect_raises(exception: type[BaseException], rule: str) -> Iterator[pytest.ExceptionInfo]:
    """Like pytest.raises, but when nothing is raised the learner reads the rule, not "DID NOT RAISE"."""
    with pytest.raises(exception) as raised:
        yield raised
        pytest.fail(rule, pytrace=False)  # reached only when the block raised nothing


def expect_error(response, status: int) -> dict:
    """A 4xx/5xx with the course's error body {"error": str, "message": str}."""
    data = expect_json(response, status)
    assert isinstance(data, dict) and isinstance(data.get("error"), str) and isinstance(data.get("message"), str), _(
        "{request} answered {status} as it should, but the body should be "
        '{{"error": "<short name>", "message": "<human text>"}}; got {got}.'
    ).format(request=request_line(response), status=status, got=repr(data))
    return data


def expect_header(response, name: str, expected: str | None = None) -> str:
    value = response.headers.get(name)
    assert value is not None, _("{request} should send the header {name}; headers were {headers}.").format(
        request=request_line(response), name=repr(name), headers=repr(dict(response.headers)))
    if expected is not None:
        assert value == expected, _("{request} sent {name}: {got}, expected {expected}.").format(
            request=request_line(response), name=name, got=repr(value), expected=repr(expected))
    return value
