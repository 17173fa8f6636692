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

BODY_PREVIEW = 300
TYPE_NAMES = {str: "a string", int: "an integer", float: "a number with a fraction", bool: "a boolean",
              list: "a list", dict: "an object", type(None): "null"}


def request_line(response) -> str:
    request = response.request
    query = request.query_string.decode() if request.query_string else ""
    return f"{request.method} {request.path}{'?' + query if query else ''}"


def preview(response) -> str:
    text = response.get_data(as_text=True)
    text = text if len(text) <= BODY_PREVIEW else text[:BODY_PREVIEW] + "..."
    return f"{response.status_code} {response.content_type or '(no Content-Type)'}: {text!r}"


def expect_status(response, expected: int) -> None:
    assert response.status_code == expected, (
        f"{request_line(response)} answered {response.status_code}, expected {expected}.\n"
        f"  What came back: {preview(response)}"
    )


def expect_text(response, expected: str, status: int = 200) -> None:
    expect_status(response, status)
    body = response.get_data(as_text=True)
    assert body == expected, f"{request_line(response)} answered {body!r}, expected exactly {expected!r}."


def expect_json(response, status: int = 200) -> Any:
    """The response's JSON after checking status and Content-Type."""
    expect_status(response, status)
    assert response.is_json, (
        f"{request_line(response)} should answer JSON (Content-Type: application/json), "
        f"got {preview(response)}. Return a dict/list or use jsonify()."
    )
    return response.get_json()


def kind(value: Any) -> str:
    return TYPE_NAMES.get(type(value), type(value).__name__)


def same_kind(got: Any, expected: Any) -> bool:
    """JSON has one kind of number: 70 and 70.0 are the same kind; True and 1 are not."""
    if isinstance(got, bool) or isinstance(expected, bool):
        return type(got) is type(expected)
    if isinstance(got, (int, float)) and isinstance(expected, (int, float)):
        return True
    return type(got) is type(expected)


def difference(got: Any, expected: Any, where: str = "") -> str | None:
    """The first way `got` differs from `expected`, in words; None when they are equal."""
    at = f" at {where}" if where else ""
    if not same_kind(got, expected):
        return f"{got!r}{at} is {kind(got)}, expected {kind(expected)} ({expected!r})"
    if isinstance(expected, dict):
        missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
        if missing or extra:
            return f"the object{at} " + "; ".join(
                part for part in (f"lacks {missing}" if missing else "", f"has unexpected {extra}" if extra else "") if part)
        return next(filter(None, (difference(got[key], expected[key], f"{where}[{key!r}]") for key in expected)), None)
    if isinstance(expected, list):
        if len(got) != len(expected):
            return f"the list{at} has {len(got)} items, expected {len(expected)}: {expected!r}"
        first = next(filter(None, (difference(g, e, f"{where}[{i}]") for i, (g, e) in enumerate(zip(got, expected)))), None)
        if first and sorted(map(repr, got)) == sorted(map(repr, expected)):
            return f"the list{at} has the right items in the wrong order: expected {expected!r}"
        return first
    return None if got == expected else f"{got!r}{at} should be {expected!r}"


def expect_json_equal(response, expected: Any, status: int = 200) -> None:
    data = expect_json(response, status)
    problem = difference(data, expected)
    assert problem is None, f"{request_line(response)} answered JSON {data!r}, expected {expected!r}: {problem}."


@contextmanager
def expect_raises(exception: type[BaseException], rule: str) -> Iterator[pytest.ExceptionInfo]:
    """Like pytest.raises, but when nothing is raised the learner reads the rule, not "DID NOT RAISE"."""
    with pytest.raises(exception) as raised:
        yield raised
        pytest.fail(rule, pytrace=False)  # reached only when the block raised nothing


def expect_error(response, status: int) -> dict:
    """A 4xx/5xx with the course's error body {"error": str, "message": str}."""
    data = expect_json(response, status)
    assert isinstance(data, dict) and isinstance(data.get("error"), str) and isinstance(data.get("message"), str), (
        f"{request_line(response)} answered {status} as it should, but the body should be "
        f'{{"error": "<short name>", "message": "<human text>"}}; got {data!r}.'
    )
    return data


def expect_header(response, name: str, expected: str | None = None) -> str:
    value = response.headers.get(name)
    assert value is not None, (
        f"{request_line(response)} should send the header {name!r}; headers were {dict(response.headers)!r}."
    )
    if expected is not None:
        assert value == expected, f"{request_line(response)} sent {name}: {value!r}, expected {expected!r}."
    return value
