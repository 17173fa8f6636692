"""Assertions that explain themselves: what was expected, what came back.

Grader tests use these instead of bare asserts, so a learner reads
`GET /user/x answered 404, expected 200` rather than `assert 404 == 200`.
The conftest adds where to look and the hint command.

PYTEST_DONT_REWRITE: every assert here carries its own message, which is all the learner
reads, so pytest need not rewrite (and re-parse) this module on every run.
"""
from __future__ import annotations

import sysconfig
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.exceptions import HTTPException

from track.model.course import ROOT
from track.grading.explain import known_cause
from track.model.i18n import _
from track.model.ui import shown

BODY_PREVIEW = 300


def request_line(response) -> str:
    request = response.request
    query = request.query_string.decode() if request.query_string else ""
    return f"{request.method} {request.path}{'?' + query if query else ''}"


def preview(response) -> str:
    text = response.get_data(as_text=True)
    text = text if len(text) <= BODY_PREVIEW else text[:BODY_PREVIEW] + "..."
    return f"{response.status_code} {response.content_type or _('(no Content-Type)')}: {text!r}"


def expect_status(response, expected: int, cause: str | None = None) -> None:
    """`cause`: the likely cause of a wrong status, in words, when the grader knows it better than
    the general guesses of `likely_cause`."""
    if response.status_code == expected:
        return
    text = _("{request} answered {got}, expected {expected}.").format(
        request=request_line(response), got=response.status_code, expected=expected)
    why = cause or likely_cause(response, expected)
    raise AssertionError(text + (f"\n  {why}" if why else "") + "\n  " + _("What came back: {preview}").format(
        preview=preview(response)))


def learner_frame(error: BaseException) -> traceback.FrameSummary | None:
    """The innermost line of `error`'s traceback outside Python, its libraries and the course's engine."""
    outside = (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], str(ROOT / "track"), str(ROOT / "tests"))
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.startswith(outside)]
    return frames[-1] if frames else None


def raised(error: BaseException) -> str:
    """`ValueError: ... at app.py:12: `int(x)``: an exception and the learner's line that raised it."""
    text = f"{type(error).__name__}: {error}".rstrip(": ")
    frame = learner_frame(error)
    if frame is None:
        return text
    return text + _(" at {where}: `{line}`").format(where=f"{shown(Path(frame.filename))}:{frame.lineno}", line=frame.line)


def route_cause(response, expected: int) -> str | None:
    """Why a path matched no rule, or a method was refused: the usual slips in writing a route."""
    url_map = getattr(response, "url_map", None)
    if url_map is None:
        return None
    request = response.request
    adapter = url_map.bind("localhost")
    if response.status_code == 405:
        return _("A rule matches {path}, but it does not accept {method}: is {method} in the route's `methods=`?").format(
            path=request.path, method=request.method)
    if response.status_code == 308 and response.headers.get("Location", "").endswith(request.path + "/"):
        return _("Flask redirected {path} to {path}/ because the rule is written with a trailing slash.").format(
            path=request.path)
    if response.status_code != 404 or expected == 404:
        return None
    try:
        rule, arguments = adapter.match(request.path, method=request.method, return_rule=True)
    except Exception:  # NotFound (and its kin): no rule matched; see below why
        pass
    else:
        shown = ", ".join(f"{name}={value!r} ({type(value).__name__})" for name, value in arguments.items())
        return _("The rule {rule} matched (endpoint {endpoint}{arguments}): the 404 came from the view itself. "
                 "Check what it looks up; a segment without a converter reaches the view as a str.").format(
            rule=rule.rule, endpoint=rule.endpoint, arguments=f"; {shown}" if shown else "")
    rules = [rule.rule for rule in url_map.iter_rules()]
    if any(part.lstrip("-").isdigit() and part.startswith("-") for part in request.path.split("/")) and any(
            "<int:" in rule or "<float:" in rule for rule in rules):
        return _("No rule matched {path}: `<int:...>` and `<float:...>` match no negative number; "
                 "write `<int(signed=True):...>`.").format(path=request.path)
    other = request.path.rstrip("/") if request.path.endswith("/") else request.path + "/"
    try:
        adapter.match(other, method=request.method)
    except Exception:  # NotFound, MethodNotAllowed, RequestRedirect: the other spelling is no better
        return _("No rule matched {path}: check the rule's spelling, its converters and its methods. "
                 "The rules are: {rules}.").format(path=request.path, rules=", ".join(sorted(set(rules))))
    return _("No rule matched {path}, but {other} does: the rule's trailing slash differs from the URL's.").format(
        path=request.path, other=other)


def likely_cause(response, expected: int) -> str | None:
    """The likely cause of a wrong status, guessed from what the app did while answering."""
    error = getattr(response, "handled", None)
    if isinstance(error, KeyError) and response.request.is_json:
        return _("The app raised {error}: a JSON body is not in request.form; read it with request.get_json().").format(
            error=raised(error))
    if error is not None and not isinstance(error, HTTPException):
        text = _("The app's error handling turned an exception into this {status}: {error}.").format(
            status=response.status_code, error=raised(error))
        return text + (f" {cause}" if (cause := known_cause(error)) else "")
    if isinstance(error, HTTPException) and error.code and error.code != response.status_code:
        return _("The app's error handler received {error} ({code}) and answered {status}: an HTTPException carries "
                 "its own status; hand it on (`if isinstance(error, HTTPException): ...`) instead of making it a 500.").format(
            error=type(error).__name__, code=error.code, status=response.status_code)
    if response.status_code == 200 and expected == 201:
        return _("A view answers 200 unless it says otherwise: a created resource returns (body, 201), "
                 "or (body, 201, headers).")
    if response.status_code == 302 and expected in (301, 303, 307, 308):
        return _("redirect() answers 302 unless told otherwise: pass code={expected}.").format(expected=expected)
    return route_cause(response, expected)


def expect_text(response, expected: str, status: int = 200) -> None:
    expect_status(response, status)
    body = response.get_data(as_text=True)
    assert body == expected, _("{request} answered {got}, expected exactly {expected}.").format(
        request=request_line(response), got=repr(body), expected=repr(expected))


def expect_json(response, status: int = 200, cause: str | None = None) -> Any:
    """The response's JSON after checking status (`cause`: see expect_status) and Content-Type."""
    expect_status(response, status, cause)
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
                at=at, count=len(got), expected_count=len(expected), expected=repr(expected)) + list_changes(got, expected)
        first = next(filter(None, (difference(g, e, f"{where}[{i}]") for i, (g, e) in enumerate(zip(got, expected)))), None)
        if first and sorted(map(repr, got)) == sorted(map(repr, expected)):
            return _("the list{at} has the right items in the wrong order: expected {expected}").format(
                at=at, expected=repr(expected))
        return first
    return None if got == expected else _("{got}{at} should be {expected}").format(
        got=repr(got), at=at, expected=repr(expected))


def list_changes(got: list, expected: list) -> str:
    """"; missing [...]; unexpected [...]": the items one list has and the other lacks."""
    missing = [item for item in expected if item not in got]
    extra = [item for item in got if item not in expected]
    return (_("; missing {items}").format(items=repr(missing)) if missing else "") + (
        _("; unexpected {items}").format(items=repr(extra)) if extra else "")


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


def expect_json_equal(response, expected: Any, status: int = 200, cause: str | None = None) -> None:
    """`cause`: the likely cause in words, shown when the JSON differs."""
    data = expect_json(response, status)
    problem = difference(data, expected)
    assert problem is None, _("{request} answered JSON {got}, expected {expected}: {problem}.").format(
        request=request_line(response), got=repr(data), expected=repr(expected), problem=problem) + (
        f"\n  {cause}" if cause else "")


@contextmanager
def expected_answer(answer: str) -> Iterator[None]:
    """Around a request whose answer the test expects: if the app raises instead, the learner
    reads what answer was expected (`answer`, in words) beside the exception."""
    try:
        yield
    except Exception as error:
        error.add_note(f"expected: {answer}")
        raise


@contextmanager
def expect_raises(exception: type[BaseException], rule: str) -> Iterator[pytest.ExceptionInfo]:
    """Like pytest.raises, but when nothing is raised the learner reads the rule, not "DID NOT RAISE"."""
    with pytest.raises(exception) as raised:
        yield raised
        pytest.fail(rule, pytrace=False)  # reached only when the block raised nothing


def expect_error(response, status: int, cause: str | None = None) -> dict:
    """A 4xx/5xx with the course's error body {"error": str, "message": str} (`cause`: see expect_status)."""
    data = expect_json(response, status, cause)
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
