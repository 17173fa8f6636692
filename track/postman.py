"""Print every request a `requests.Session` makes and what came back, like Postman would.

Each chapter's `client.py` defines `walkthrough(http, base_url)` in plain `requests`;
`printing_session()` adds a response hook, so the walkthrough itself stays free of prints.
An exchange fits a projector: `→ METHOD path` with the headers the client chose and its
body, `← status` with the content type and body, then the notable headers (and those the
chapter teaches), one a line. Long values are cut in the middle so no line wraps.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import requests
from requests.utils import default_headers
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.text import Text

from track.course import PACKAGE_NAME
from track.i18n import _

NOTABLE_HEADERS = ("Location", "Set-Cookie", "Allow", "WWW-Authenticate", "Content-Disposition")
DEFAULT_REQUEST_HEADERS = default_headers()  # what requests sends unless the client says otherwise
PLAIN_WIDTH = 100  # piped output: the width of a projector's terminal
INDENT = "    "
HEADER_GAP = "   "  # between two headers that share a line
NOTE = INDENT + "» "  # what the walkthrough itself prints
ELLIPSIS = "…"


def shorten(text: str, room: int) -> str:
    """`text` cut in the middle to `room` terminal cells: `eyJhbGciOi…Q5c`."""
    if cell_len(text) <= room:
        return text
    tail_room = max(room // 4, 1)
    tail = ""
    for character in reversed(text):
        if cell_len(character + tail) > tail_room:
            break
        tail = character + tail
    head = set_cell_size(text, max(room - 1 - cell_len(tail), 0)).rstrip()
    return head + ELLIPSIS + tail


def one_line(text: str) -> str:
    return " ".join(text.split())


def describe_body(content: bytes | str | None, content_type: str) -> str:
    """A body on one line: JSON compacted, text with its whitespace folded, else its size."""
    if not content:
        return ""
    if isinstance(content, str):
        content = content.encode("utf-8")
    if "multipart" in content_type:
        return _("<multipart body, {size} bytes>").format(size=len(content))
    if "json" in content_type:
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses (ch11 sends that)
            pass
    if content_type.startswith(("text/", "application/json", "application/x-www-form-urlencoded")) or not content_type:
        return one_line(content.decode("utf-8", "replace"))
    return _("<{size} bytes of {content_type}>").format(size=len(content), content_type=content_type)


def shown_url(url: str) -> str:
    """The path and query: every request of a demo goes to the same server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Printer:
    """Writes exchanges and notes in colour on a terminal, plain when piped."""

    def __init__(self, taught_headers: Iterable[str] = (), pause: bool = False, console: Console | None = None):
        self.console = console or Console(highlight=False, soft_wrap=True)
        self.width = self.console.width if self.console.is_terminal else PLAIN_WIDTH
        self.response_headers = (*NOTABLE_HEADERS, *(h for h in taught_headers if h not in NOTABLE_HEADERS))
        self.pause = pause
        self.last: requests.Response | None = None  # what the server answered last, for failure lines

    def line(self, *parts: tuple[str, str], indent: str = "") -> None:
        """One line of (text, style) parts; the last part is shortened so the line fits."""
        fixed = indent + "".join(text for text, _ in parts[:-1])
        last_text, last_style = parts[-1]
        room = self.width - cell_len(fixed)
        line = Text(indent)
        for text, style in parts[:-1]:
            line.append(text, style)
        line.append(shorten(last_text, room) if room > len(ELLIPSIS) else "", last_style)
        self.console.print(line, crop=False)

    def note(self, *values, sep: str = " ", end: str = "\n", **_) -> None:
        """Stands in for `print` in a walkthrough: its lines, shortened to fit."""
        for text in sep.join(str(value) for value in values).splitlines() or [""]:
            self.line((NOTE, "dim"), (text, "italic"))

    def headers(self, headers, names: Iterable[str], style: str) -> None:
        """`Name: value` pairs, as many to a line as fit; a long one alone, shortened."""
        row: list[tuple[str, str]] = []
        for name in (name for name in names if name in headers):
            pair = (f"{name}: ", headers[name])
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

    def request(self, request: requests.PreparedRequest) -> None:
        content_type = request.headers.get("Content-Type", "")
        body = describe_body(request.body, content_type)
        self.line((f"→ {request.method} ", "bold cyan"), (shown_url(request.url), "cyan"), (f"  {body}" if body else "", "dim"))
        chosen = [name for name in request.headers if name not in ("Content-Length", "Content-Type")
                  and DEFAULT_REQUEST_HEADERS.get(name) != request.headers[name]]
        self.headers(request.headers, chosen, "cyan")

    def response(self, response: requests.Response) -> None:
        content_type = response.headers.get("Content-Type", "")
        status_style = "bold green" if response.status_code < 400 else "bold red"
        body = describe_body(response.content, content_type)
        self.line((f"← {response.status_code} {response.reason}  ", status_style), (f"{content_type}  ", "magenta"),
                  (body, ""))
        self.headers(response.headers, self.response_headers, "yellow")

    def exchange(self, response: requests.Response, *args, **kwargs) -> None:
        """Response hook: requests calls it once per response, redirects included."""
        self.last = response
        self.request(response.request)
        self.response(response)
        if self.pause:
            self.console.input(Text(_("  Enter ▸ "), "dim"))

    def heading(self, text: str) -> None:
        self.line(("", ""), (text, "bold"))

    def problem(self, lead: str, why: str) -> None:
        """`✗ lead why`: only `why` is shortened, so the lead (what to do) stays whole."""
        self.line(("✗ ", "bold red"), (lead, "red"), (why, ""))

    def good(self, text: str) -> None:
        self.line(("✓ ", "bold green"), (text, "green"))


def printing_session(printer: Printer | None = None) -> requests.Session:
    session = requests.Session()
    session.hooks["response"].append((printer or Printer()).exchange)
    return session


Walkthrough = Callable[[requests.Session, str], None]


def run_walkthrough(walkthrough: Walkthrough, base_url: str, chapter: int | None = None, pause: bool = False) -> bool:
    """Run a chapter's walkthrough step by step, printing each exchange; False if a step failed."""
    from track.demo import run_steps  # track.demo prints through this module

    return run_steps(walkthrough, base_url.rstrip("/"), chapter, pause)


def main(walkthrough: Walkthrough) -> None:
    """`python -m chapters.chNN_x.client [BASE_URL]` against a server you started yourself."""
    from track.demo import module_name

    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
    number = PACKAGE_NAME.match(module_name(walkthrough).split(".")[-2])
    raise SystemExit(0 if run_walkthrough(walkthrough, base_url, int(number[1]) if number else None) else 1)
