"""The request console: the learner's chapter server, started from the page, and requests sent to it.

Requests go only to the server this dashboard started for that chapter: the form names a
method and a path, never a host, so the page cannot make the dashboard fetch another URL.
"""
from __future__ import annotations

import mimetypes
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import requests
from gevent.lock import Semaphore

from track.walkthrough import live
from track.model.course import ROOT, Chapter
from track.model.i18n import _
from track.web.status import in_thread

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
SEND_TIMEOUT_S = 15  # a hang guard: a learner's endless loop should not hold the console forever
BODY_LIMIT = 200_000  # characters of a response body shown


class ConsoleError(Exception):
    """A request the console will not send; the text says why."""


@dataclass
class Request:
    """One request as the console sends it; `files` are (field, filename, path under the course)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    files: list[tuple[str, str, Path | bytes]] = field(default_factory=list)


def parse_headers(text: str) -> dict[str, str]:
    """`Name: value` lines, as Postman's bulk editor takes them."""
    headers = {}
    for line in filter(None, (line.strip() for line in text.splitlines())):
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ConsoleError(_("A header line reads {line}; write it as `Name: value`.").format(line=repr(line)))
        headers[name.strip()] = value.strip()
    return headers


def url_for_path(base: str, path: str) -> str:
    """`base` + `path`, refusing any path that would point the request at another host."""
    url = base + path
    if not path.startswith("/") or path.startswith("//") or "\\" in path or urlsplit(url).netloc != urlsplit(base).netloc:
        raise ConsoleError(_("The path must start with a single `/` (like `/hello?name=Ada`); got {path}.").format(
            path=repr(path)))
    return url


def repository_file(relative: str) -> Path:
    """A walkthrough's upload, which must lie inside the course."""
    path = (ROOT / relative).resolve()
    if not path.is_relative_to(ROOT.resolve()) or not path.is_file():
        raise ConsoleError(_("The walkthrough's file {file} is not a file in the course.").format(file=repr(relative)))
    return path


def shown_body(response: requests.Response) -> str:
    try:
        text = response.content.decode(response.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return f"<{len(response.content)} bytes of binary data ({response.headers.get('Content-Type', 'no type')})>"
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + f"\n… ({len(text) - BODY_LIMIT} more characters)"


def send(base: str, request: Request) -> dict:
    """Send `request` to the server at `base`; status, headers and body as the page shows them."""
    if request.method not in METHODS:
        raise ConsoleError(_("Unknown method {method}; one of {methods}.").format(
            method=repr(request.method), methods=", ".join(METHODS)))
    url = url_for_path(base, request.path)
    with ExitStack() as files:
        # Each part's type guessed from its name, as Postman does.
        upload = [(name, (filename, source if isinstance(source, bytes) else files.enter_context(source.open("rb")),
                          mimetypes.guess_type(filename)[0] or "application/octet-stream"))
                  for name, filename, source in request.files]
        # With a file the body is multipart: its text then holds the other form fields, `a=1&b=2`.
        data = parse_qsl(request.body or "") if upload else (request.body or "").encode()
        response = requests.request(request.method, url, headers=request.headers, data=data, files=upload or None,
                                    allow_redirects=False, timeout=SEND_TIMEOUT_S)
    return {"status": response.status_code, "reason": response.reason, "headers": list(response.headers.items()),
            "body": shown_body(response), "elapsed_ms": round(response.elapsed.total_seconds() * 1000)}


class Servers:
    """The chapter servers started from the page: at most one per chapter, stopped with the dashboard."""

    def __init__(self):
        self.running: dict[str, tuple[str, ExitStack]] = {}
        self.changing = Semaphore()  # two clicks on Start must not start two servers, one of them lost


    def url(self, chapter: Chapter) -> str | None:
        found = self.running.get(chapter.package)
        return found[0] if found else None

    def start(self, chapter: Chapter) -> str:
        """`python -m track run N --port 0` on the learner's copy; its URL.

        Each start serves from a new temporary instance folder and database, as the classroom
        demo does, so the walkthrough's requests answer as the lesson shows (a `POST /register`
        is not "taken" by an earlier run); the folder goes when the server stops.
        """
        with self.changing:
            if (url := self.url(chapter)) is not None:
                return url
            stack = ExitStack()
            url = in_thread(stack.enter_context, live.fresh_chapter_server(chapter, False, log=[]))
            self.running[chapter.package] = (url, stack)
            return url

    def stop(self, chapter: Chapter) -> None:
        with self.changing:
            if (found := self.running.pop(chapter.package, None)) is not None:
                in_thread(found[1].close)

    def stop_all(self) -> None:
        for _, stack in self.running.values():
            stack.close()
        self.running.clear()
