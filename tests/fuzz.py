"""Property-based probes: whatever a client sends, the answer is never a 500.

Each chapter's grader draws requests from these strategies and checks every answer with
`probe`. Hypothesis runs derandomized (the same examples on every run, on every machine),
with no deadline and no health checks that time anything: a busy machine must never change
a verdict. When a request gets a 5xx, Hypothesis shrinks it to the smallest one that still
does, and the learner reads that request.

Replays: Hypothesis spends more time choosing each example than the app spends answering it.
Derandomized, and with every answer fine, it draws the same examples whatever the app does, so
`probe_examples.json.gz` keeps those examples (recorded on the reference solution by
`python -m track probes`; a course test checks the file is in step) and a probe sends them
again without Hypothesis. The key is the strategy's text, so a strategy built from what the app
answered (an id it assigned) has its own key and goes to Hypothesis. On the first answer that
is not fine, Hypothesis runs the probe as before: it finds and shrinks the failure, and the
learner reads the same message. `TRACK_PROBES=hypothesis` turns replays off;
`TRACK_PROBES=record:FILE` appends what each passing probe drew to FILE.

Hypothesis is imported here, not in the graders, so a grader that uses no probe pays nothing.
"""
from __future__ import annotations

import hashlib
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis.errors import HypothesisWarning
from hypothesis import strategies as st

from tests.expect import expect_error, likely_cause, request_line
from track.model.i18n import _
# The store of replays is the engine's (track/grading/probes.py); STORE and pack are named here for the store's tests.
from track.grading.probes import MODE, STORE, Digits, decoded, encoded, pack, stored

EXAMPLES = 25  # enough to meet each drawn class a few times; every probe costs every `check`


# The hostile values the course's contracts name, drawn more often than chance would.
HUGE_NUMBERS = st.sampled_from([Digits("9" * 4301), Digits("-" + "9" * 5000), Digits("1" + "0" * 400 + ".5"),
                                Digits(str(2**63)), Digits(str(-(2**63) - 1)), Digits("1e999")])
ODD_TEXT = st.sampled_from(["\ud800", "\udfff", "a\x00b", "\u202e", "🙂" * 300, "名字", "\r\nX-Injected: 1",
                            "../../etc/passwd", "%00", "A" * 5000, " ", ""])
TEXT = st.one_of(ODD_TEXT, HUGE_NUMBERS.map(str), st.text(max_size=40))
NUMBERS = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), HUGE_NUMBERS)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(TEXT, inner, max_size=4)),
                           max_leaves=12)
DEEP_NESTING = st.sampled_from(["[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000])
BROKEN_JSON = st.sampled_from(['{"a": 1', "", "\ufeff{}", '{"a": NaN}', '{"a": Infinity}',
                               "null", "[]", '"text"', '{"a": "\\ud800"}'])


def json_text(value: Any) -> str:
    """JSON text for any drawn value, as a careless client writes it: NaN, Infinity, 5,000-digit
    numbers and lone surrogates (escaped) included."""
    if isinstance(value, Digits):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)}: {json_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json_text(item) for item in value) + "]"
    return json.dumps(value)


def shaped_objects(fields: dict[str, st.SearchStrategy] | None = None) -> st.SearchStrategy[dict]:
    """Objects with some of the contract's `fields`, each drawn from its strategy or any hostile value."""
    return st.fixed_dictionaries({}, optional={name: st.one_of(strategy, JSON_VALUES)
                                               for name, strategy in (fields or {}).items()})


def json_bodies(fields: dict[str, st.SearchStrategy] | None = None) -> st.SearchStrategy[str]:
    """JSON request bodies: hostile values, objects shaped like the contract, and broken or deep text."""
    return st.one_of(JSON_VALUES.map(json_text), shaped_objects(fields).map(json_text), DEEP_NESTING, BROKEN_JSON)


def json_values(fields: dict[str, st.SearchStrategy] | None = None) -> st.SearchStrategy[Any]:
    """Decoded JSON payloads, for what arrives already parsed (a Socket.IO event's argument):
    hostile values and objects shaped like the contract."""
    return st.one_of(JSON_VALUES, shaped_objects(fields))


def percent_encoded(text: str) -> str:
    """`text` as a client puts it in a URL; a lone surrogate goes out as the bytes a careless encoder writes."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def query_string(**params: str) -> str:
    """A query string for the test client, which refuses to encode lone surrogates itself."""
    return "&".join(f"{name}={percent_encoded(value)}" for name, value in params.items())


def path_segments() -> st.SearchStrategy[str]:
    """One URL path segment, percent-encoded as a client would send it."""
    return TEXT.filter(lambda text: text.strip("/")).map(percent_encoded)


def as_received_header(text: str) -> str:
    """`text` as a header value reaches a WSGI app: its UTF-8 bytes read as Latin-1, and no
    CR or LF (they would end the header line, so no client can send them inside a value)."""
    raw = text.encode("utf-8", "surrogatepass").decode("latin-1")
    return raw.replace("\r", "").replace("\n", "")


def as_multipart_text(text: str) -> str:
    """`text` as a multipart field or file name reaches the app: Werkzeug decodes the part's UTF-8
    with errors replaced, so a lone surrogate a careless client wrote arrives as U+FFFD (the
    test client refuses to encode one itself)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def multipart_text() -> st.SearchStrategy[str]:
    """One multipart form value or file name, as the app receives it."""
    return TEXT.map(as_multipart_text)


def header_values() -> st.SearchStrategy[str]:
    """One request header's value, as the app receives it."""
    return TEXT.map(as_received_header)


class Unwritten(BaseException):
    """An unwritten stub, carried out of Hypothesis at once: as a BaseException it is neither
    shrunk nor replayed (a NotImplementedError would be tried ~90 times before it got out)."""


def probe(send: Callable[[Any], Any], strategy: st.SearchStrategy, examples: int = EXAMPLES,
          json_errors: bool = False, check: Callable[[Any, Any], None] | None = None, always: Sequence = ()) -> None:
    """Send `examples` drawn inputs with `send(value) -> response`; fail on the first 5xx and,
    with `json_errors`, on the first 4xx whose body is not the course's {"error", "message"}.
    An answer that is not an HTTP response (Socket.IO's events) is judged by `check(value, answer)` instead.

    `always`: values sent first on every run, judged the same way. For values too deep for the
    store of replays (its JSON nests two levels for each of theirs): drawn, they would leave the
    probe to Hypothesis on every run."""
    key = replay_key(strategy, examples)
    drawn: list = []
    send = recording(send, drawn)  # the test below keeps its source, so Hypothesis keeps its seed

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=False, verbosity=Verbosity.quiet,
              suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate, Phase.shrink))
    @given(strategy)
    def never_a_server_error(value):
        try:
            response = send(value)
        except NotImplementedError as unwritten:
            raise Unwritten(unwritten) from None
        except Exception as crash:  # TESTING propagates a view's exception instead of a 500
            raise AssertionError(_(
                "the input {value} crashed the view with {error}: {detail}; bad input must get a 4xx "
                "with the JSON error body. Turn that case into a 400."
            ).format(value=shorten(value), error=type(crash).__name__, detail=shorten(str(crash)))) from crash
        if check is not None:
            check(value, response)
            return
        assert response.status_code < 500, _(
            "{request} answered {status} for the input {value}: "
            "bad input must get a 4xx with the JSON error body, never a crash. "
            "Find the line that raised in the server's traceback above, and turn that case into a 400."
        ).format(request=request_line(response), status=response.status_code, value=shorten(value)) + (
            f" {cause}" if (cause := likely_cause(response, 400)) else "")
        if json_errors and response.status_code >= 400:
            expect_error(response, response.status_code)

    with stack_room():
        try:
            for value in always:
                never_a_server_error.hypothesis.inner_test(value)
        except Unwritten as stopped:
            raise stopped.args[0] from None
        replayed = replay(never_a_server_error.hypothesis.inner_test, key)
    if replayed is True:
        return
    try:
        never_a_server_error()
    except Unwritten as stopped:
        raise stopped.args[0] from None  # the stub's own exception: the course explains that one itself
    if replayed is not None:  # only the replay failed: the app's state had moved on; its failure stands
        raise replayed
    record(key, drawn[len(always):])  # what Hypothesis drew, after the `always` values


@contextmanager
def stack_room(frames: int = 2000):
    """The room on the stack Hypothesis gives each example it draws (2,000 frames above the caller):
    a value sent without it (a replay, `always`) meets the same limit, and gets the same verdict."""
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, depth + frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


# --- replays: the examples Hypothesis draws, sent again without it ------------------------------

stored()  # read now, before any graded code runs: a grading fork inherits it


def replay_key(strategy: st.SearchStrategy, examples: int) -> str:
    with warnings.catch_warnings():  # a long strategy's text is costly to build; once per probe is fine
        warnings.simplefilter("ignore", HypothesisWarning)
        text = repr(strategy)
    return hashlib.sha256(f"{hypothesis.__version__}\0{examples}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def replay(check_one: Callable[[Any], None], key: str) -> bool | BaseException | None:
    """True if every recorded example is answered fine; None if none are recorded; else the failure."""
    recorded = stored().get(key)
    if recorded is None:
        return None
    try:
        for value in recorded:
            check_one(decoded(value))
    except (Exception, Unwritten) as failure:
        return failure
    return True


def recording(send: Callable[[Any], Any], drawn: list) -> Callable[[Any], Any]:
    def send_and_keep(value):
        drawn.append(value)
        return send(value)
    return send_and_keep


def record(key: str, drawn: list) -> None:
    """In record mode, append what a passing probe drew (`python -m track probes` packs the lines)."""
    if not MODE.startswith("record:"):
        return
    try:
        line = json.dumps({"key": key, "values": [encoded(value) for value in drawn]})
    except (TypeError, RecursionError):  # a value JSON cannot carry exactly, or too deep: Hypothesis it is
        return
    with open(MODE.removeprefix("record:"), "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def shorten(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit // 2]} ... {text[-limit // 2:]} ({len(text)} characters)"
