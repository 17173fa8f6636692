"""Print every request a `requests.Session` makes and what came back, like Postman would.

Each chapter's `client.py` defines `walkthrough(http, base_url)` in plain `requests`;
`printing_session()` adds a response hook, so the walkthrough itself stays free of prints.
An exchange fits a projector: `→ METHOD path` with the headers the client chose and its
body, `← status` with the content type and body, then the notable headers (and those the
chapter teaches). A long line wraps to the width (the terminal's, else COLUMNS, else 100),
its continuation indented; nothing is cut but opaque values (tokens, hashes, long
timestamps) and padding (one character 100 times or more), shortened with their length:
`eyJhbGci…(236 chars)`. The printer also keeps
what it showed, step by step, for the presenter view and the handout.
"""
from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from urllib.parse import urlsplit

import requests
from requests.utils import default_headers
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from track.model.i18n import _, language

NOTABLE_HEADERS = ("Location", "Set-Cookie", "Allow", "WWW-Authenticate", "Content-Disposition")
DEFAULT_REQUEST_HEADERS = default_headers()  # what requests sends unless the client says otherwise
PLAIN_WIDTH = 100  # piped output without COLUMNS: the width of a projector's terminal
NARROWEST = 40     # below this a wrapped line is no longer readable
INDENT = "    "
CONTINUATION = "  "  # before the second and later lines of a wrapped line
HEADER_GAP = "   "  # between two headers that share a line
NOTE = INDENT + "» "  # what the walkthrough itself prints
WHY_INDENT = "   "    # under a step's heading: why it matters
ELLIPSIS = "…"
OPAQUE_HEAD = 8  # characters kept of an opaque value
# A token or hash: one long run of URL-safe/base64 characters with letters and digits mixed;
# a timestamp with seconds' fractions or a zone. Words, paths and repeated padding are not opaque.
TOKEN = re.compile(r"(?<![\w$./+=-])[\w$./+=-]{28,}(?![\w$./+=-])")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)")
DISTINCT_IN_TOKEN = 12
RUN = re.compile(r"(.)\1{99,}")  # one character 100 times or more: padding, shown with its count
UNBROKEN = "\u00a0"  # the space inside `(236 chars)`: no break between a length and its unit
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CLOSING = "\u3001\u3002\uff0c\uff1b\uff1a\uff09\uff01\uff1f\u300d\u300f"  # 、。，；：）！？」』 stay with what they close
# What a line may break after: a shortened value with its length, a word and its spaces, or one
# Chinese character (with its closing punctuation).
PIECE = re.compile(rf"[^ {CJK}]*…[(（][^)）]*[)）][^ {CJK}]* *|[{CJK}][{CLOSING}]* *|[^ {CJK}]+ *| +")
TIMESTAMP_KEPT = "2026-12-07T19:33:30"  # a long timestamp is kept to the second


def opaque(value: str) -> bool:
    has_digits, has_letters = any(c.isdigit() for c in value), any(c.isalpha() for c in value)
    path_like = value.startswith(("/", ".")) or ".." in value or "://" in value
    return has_digits and has_letters and len(set(value)) >= DISTINCT_IN_TOKEN and not path_like


def shortened(value: str, head: int = OPAQUE_HEAD) -> str:
    """`eyJhbGci…(236 chars)`: an opaque value's head and its length."""
    return value[:head] + ELLIPSIS + _("({count} chars)").format(count=len(value)).replace(" ", UNBROKEN)


def compact(text: str) -> str:
    """`text` with its opaque values shortened; every other character kept."""
    def token(match: re.Match) -> str:
        return shortened(match[0]) if opaque(match[0]) else match[0]

    def timestamp(match: re.Match) -> str:  # kept to the second: `2026-12-07T19:33:30…(32 chars)`
        return shortened(match[0], len(TIMESTAMP_KEPT)) if len(match[0]) > len(TIMESTAMP_KEPT) + 1 else match[0]

    return RUN.sub(lambda match: shortened(match[0]), TOKEN.sub(token, TIMESTAMP.sub(timestamp, text)))


def shorten(text: str, room: int) -> str:
    """`text` kept to its first `room` cells, saying how long it was: for values in failure lines."""
    if cell_len(text) <= room:
        return text
    return text[:room] + ELLIPSIS + _("({count} chars)").format(count=len(text))


def one_line(text: str) -> str:
    return " ".join(text.split())


def multipart_parts(content: bytes, content_type: str) -> str:
    """`file=../../evil.png (image/png, 124 bytes)`: each part as sent, its filename unchanged."""
    message = BytesParser().parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + content)
    shown = []
    for part in message.get_payload() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition") or ""
        data = part.get_payload(decode=True) or b""
        filename = part.get_param("filename", header="content-disposition")
        if filename is None:
            shown.append(f"{name}={data.decode('utf-8', 'replace')}")
        else:
            size = _("{size} bytes").format(size=len(data))
            shown.append(f"{name}={filename} ({part['Content-Type']}, {size})" if part["Content-Type"] else
                         f"{name}={filename} ({size})")
    return "; ".join(shown)


def describe_body(content: bytes | str | None, content_type: str) -> str:
    """A body on one line: JSON compacted, text with its whitespace folded, else its size."""
    if not content:
        return ""
    if isinstance(content, str):
        content = content.encode("utf-8")
    if "multipart" in content_type:
        return _("<multipart: {parts}>").format(parts=multipart_parts(content, content_type))
    if "json" in content_type:
        try:
            return compact(json.dumps(json.loads(content), ensure_ascii=False))
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses (ch11 sends that)
            pass
    if content_type.startswith(("text/", "application/json", "application/x-www-form-urlencoded")) or not content_type:
        return compact(one_line(content.decode("utf-8", "replace")))
    return _("<{size} bytes of {content_type}>").format(size=len(content), content_type=content_type)


def shown_url(url: str) -> str:
    """The path and query: every request of a demo goes to the same server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def break_points(text: str, room: int) -> list[int]:
    """Where `text` breaks into lines of at most `room` cells: at spaces and between Chinese
    characters; a word wider than a line is folded."""
    breaks, width = [], 0
    for match in PIECE.finditer(text):
        word = match[0].rstrip(" ")
        if width and width + cell_len(word) > room:
            breaks.append(match.start())
            width = 0
        for offset, character in enumerate(word if cell_len(word) > room else ()):
            if width and width + cell_len(character) > room:
                breaks.append(match.start() + offset)
                width = 0
            width += cell_len(character)
        width += cell_len(match[0]) - (cell_len(word) if cell_len(word) > room else 0)
    return breaks


def width_of(console: Console) -> int:
    """COLUMNS when set (piped or not), else the terminal's width, else PLAIN_WIDTH."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = console.width if console.is_terminal else PLAIN_WIDTH
    return max(columns, NARROWEST)


@dataclass
class Shown:
    """One exchange as the demo showed it: the request as sent, the answer as received."""
    method: str
    path: str
    request_headers: list[tuple[str, str]]
    request_body: str
    status: int
    reason: str
    content_type: str
    response_headers: list[tuple[str, str]]
    response_body: str
    log: list[str] = field(default_factory=list)  # the server's lines for it, once its log is read

    def sent(self) -> str:
        """The request as a page shows it: its line, the headers the client chose, its body."""
        return "\n".join([f"→ {self.method} {self.path}", *(f"{n}: {v}" for n, v in self.request_headers),
                          *([""] + [self.request_body] if self.request_body else [])])

    def received(self) -> str:
        return "\n".join([f"← {self.status} {self.reason}  {self.content_type}",
                          *(f"{n}: {v}" for n, v in self.response_headers),
                          *([""] + [self.response_body] if self.response_body else [])])


@dataclass
class Step:
    """One step of the walkthrough: its name, why it matters, what it sent and printed, how it ended."""
    name: str
    why: dict[str, str]  # language ("en", "zh") -> the sentence
    exchanges: list[Shown] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def shown(self) -> bool:
        return bool(self.exchanges or self.notes or self.problem)

    def why_in(self, lang: str) -> str:
        """Why the step matters in `lang` ("en" or "zh"), English when it has no such sentence."""
        return self.why.get(lang) or self.why.get("en", "")


def learner_language() -> str:
    """`en` or `zh`, the key of a step's why, for the language the learner reads now."""
    return "zh" if language() == "zh_CN" else "en"


class Printer:
    """Writes exchanges and notes in colour on a terminal, plain when piped; keeps each step's."""

    def __init__(self, taught_headers: Iterable[str] = (), pause: bool = False, console: Console | None = None):
        self.console = console or Console(highlight=False, soft_wrap=True)
        self.width = width_of(self.console)
        self.response_headers = (*NOTABLE_HEADERS, *(h for h in taught_headers if h not in NOTABLE_HEADERS))
        self.pause = pause
        self.last: requests.Response | None = None  # what the server answered last, for failure lines
        self.steps: list[Step] = []
        self.unheaded: Step | None = None  # a step whose heading waits for its first line
        # A walkthrough's Socket.IO client prints notes from its own thread: a heading, its why and
        # the first line go out together, whoever prints first.
        self.lock = threading.RLock()

    def step(self, name: str, why: dict[str, str]) -> None:
        """A new step; its heading and why it matters are printed with its first line, so a step
        that shows nothing prints nothing."""
        self.steps.append(Step(name, why))
        self.unheaded = self.steps[-1]

    def end_step(self) -> None:
        """A step that showed nothing leaves no heading behind."""
        self.unheaded = None

    def current(self) -> Step:
        if not self.steps:
            self.step("", {})
        return self.steps[-1]

    def line(self, *parts: tuple[str, str], indent: str = "") -> None:
        """One line of (text, style) parts, wrapped to the width with its continuation indented."""
        with self.lock:
            self.print_line(parts, indent)

    def print_line(self, parts: tuple[tuple[str, str], ...], indent: str) -> None:
        if self.unheaded is not None:
            heading, self.unheaded = self.unheaded, None
            if heading.name:
                self.line(("── ", "bold"), (heading.name, "bold"))
            if why := heading.why_in(learner_language()):
                self.line((why, "italic dim"), indent=WHY_INDENT)
        text = Text()
        for part, style in parts:
            text.append(part, style)
        room = max(self.width - cell_len(indent + CONTINUATION), 1)
        for number, piece in enumerate(text.divide(break_points(text.plain, room))):
            piece.rstrip()
            lead = indent if number == 0 else " " * cell_len(indent) + CONTINUATION
            self.console.print(Text(lead) + piece, crop=False)

    def note(self, *values, sep: str = " ", end: str = "\n", **_) -> None:
        """Stands in for `print` in a walkthrough: its lines, wrapped to fit."""
        text = sep.join(str(value) for value in values)
        if self.repeats_a_header(text):
            return
        self.current().notes.append(text)
        for piece in text.splitlines() or [""]:
            self.line((compact(piece), "italic"), indent=NOTE)

    def repeats_a_header(self, text: str) -> bool:
        """True for a `Name: value` the last exchange of this step already showed: each header once."""
        last = self.current().exchanges[-1:]
        return any(compact(text) == f"{name}: {value}" for shown in last
                   for name, value in (*shown.request_headers, *shown.response_headers))

    def headers(self, headers: list[tuple[str, str]], style: str) -> None:
        """`Name: value` pairs, as many to a line as fit; a long one alone, wrapped."""
        row: list[tuple[str, str]] = []
        for name, value in headers:
            pair = (f"{name}: ", value)
            if row and cell_len(INDENT + HEADER_GAP.join(n + v for n, v in [*row, pair])) > self.width:
                self.header_row(row, style)
                row = []
            row.append(pair)
        if row:
            self.header_row(row, style)

    def header_row(self, row: list[tuple[str, str]], style: str) -> None:
        parts = [part for index, (name, value) in enumerate(row)
                 for part in ([(HEADER_GAP, "")] if index else []) + [(name, style), (value, "")]]
        self.line(*parts, indent=INDENT)

    def shown(self, response: requests.Response) -> Shown:
        request = response.request
        chosen = [(name, compact(value)) for name, value in request.headers.items()
                  if name not in ("Content-Length", "Content-Type") and DEFAULT_REQUEST_HEADERS.get(name) != value]
        content_type = response.headers.get("Content-Type", "")
        notable = [(name, compact(response.headers[name])) for name in self.response_headers if name in response.headers]
        return Shown(request.method, shown_url(request.url), chosen,
                     describe_body(request.body, request.headers.get("Content-Type", "")), response.status_code,
                     response.reason, content_type, notable, describe_body(response.content, content_type))

    def exchange(self, response: requests.Response, *args, **kwargs) -> None:
        """Response hook: requests calls it once per response, redirects included."""
        self.last = response
        shown = self.shown(response)
        self.current().exchanges.append(shown)
        self.line((f"→ {shown.method} ", "bold cyan"), (shown.path, "cyan"),
                  (f"  {shown.request_body}" if shown.request_body else "", "dim"))
        self.headers(shown.request_headers, "cyan")
        status_style = "bold green" if shown.status < 400 else "bold red"
        self.line((f"← {shown.status} {shown.reason}  ", status_style), (f"{shown.content_type}  ", "magenta"),
                  (shown.response_body, ""))
        self.headers(shown.response_headers, "yellow")
        if self.pause:
            self.console.input(Text(_("  Enter ▸ "), "dim"))

    def problem(self, lead: str, why: str) -> None:
        """`✗ lead why`, wrapped: the lead says what to do, `why` what happened."""
        self.current().problem = lead + why
        self.line(("✗ ", "bold red"), (lead, "red"), (why, ""))

    def good(self, text: str) -> None:
        self.line(("✓ ", "bold green"), (text, "green"))


def printing_session(printer: Printer | None = None) -> requests.Session:
    session = requests.Session()
    session.hooks["response"].append((printer or Printer()).exchange)
    return session

