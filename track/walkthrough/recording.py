"""Each request a chapter's `client.py` walkthrough makes, recorded as data.

`record()` runs the walkthrough with a session that writes down every call it makes: the
region of client.py it came from, what the walkthrough set (not requests' defaults) and what
came back. `exchanges()` does it once against the live reference solution and keeps the result
under `.track/walkthroughs/`; the Postman collections and the dashboard's console read it.

The session overrides `Session.request` rather than adding a response hook: a hook fires once
per redirect hop and sees only the encoded multipart body, while `request` is the one call the
walkthrough made, with `allow_redirects` and the uploaded file objects in hand.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests
from requests.utils import default_headers

from track.model.inputs import files_of
from track.model.course import ROOT, STATE, Chapter
from track.walkthrough.live import chapter_server, fresh_database, load_walkthrough
from track.model.regions import regions

FOLDER = STATE / "walkthroughs"
REQUESTS_PACKAGE = str(Path(requests.__file__).parent)
# Computed by requests from the body or the jar; the collection's runner computes its own.
DERIVED_HEADERS = {"content-length", "cookie"}
TEXT_LIMIT = 2000


@dataclass
class Exchange:
    section: str                 # the client.py region the call was made from, "" outside regions
    method: str
    path: str                    # path and query, relative to base_url, as sent (percent-encoded)
    headers: dict[str, str]      # what the walkthrough set, plus the Content-Type of a json=/data= body
    body: str | None             # a raw or urlencoded body as text; None for none or multipart
    form: list[tuple[str, str]] = field(default_factory=list)    # text parts of a multipart body
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (field, filename, repo-relative path)
    follow_redirects: bool = True
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_json: object = None
    response_text: str | None = None  # a short text/* body; None for JSON, binary or long bodies



def section_of(line: int, spans: list[tuple[str, int, int]]) -> str:
    return next((name for name, first, last in spans if first < line < last), "")


def calling_line(client: Path, spans: list[tuple[str, int, int]]) -> int | None:
    """The line of client.py that made the call: inside a region if a helper (get_json) sits between.

    None when the nearest caller outside requests is a library (Socket.IO's polling transport).
    """
    frame, lines = sys._getframe(2), []
    while frame and frame.f_code.co_filename.startswith(REQUESTS_PACKAGE):
        frame = frame.f_back
    while frame and Path(frame.f_code.co_filename).resolve() == client:
        lines.append(frame.f_lineno)
        frame = frame.f_back
    return next((line for line in lines if section_of(line, spans)), lines[0] if lines else None)


def set_headers(session: requests.Session, call_headers: dict | None) -> dict[str, str]:
    """Headers the walkthrough set on the session or the call; requests' own defaults left out."""
    defaults = default_headers()
    chosen = {k: v for k, v in session.headers.items() if defaults.get(k) != v}
    chosen.update(call_headers or {})
    return {k: v for k, v in chosen.items() if v is not None and k.lower() not in DERIVED_HEADERS}


def uploaded(files: dict, uploads: Path) -> list[tuple[str, str, str]]:
    """(field, filename, path) per file part; a path whose name is not the filename gets a named copy."""
    parts = []
    for field_name, spec in files.items():
        filename, content = spec[0], spec[1]
        name = Path(filename).name
        source = Path(getattr(content, "name", "")) if hasattr(content, "read") else None
        if source and source.name == name and source.resolve().is_relative_to(ROOT):
            parts.append((field_name, filename, source.resolve().relative_to(ROOT).as_posix()))
            continue
        data = source.read_bytes() if source else content
        uploads.mkdir(parents=True, exist_ok=True)
        (uploads / name).write_bytes(data)
        parts.append((field_name, filename, (uploads / name).relative_to(ROOT).as_posix()))
    return parts


def response_body(response: requests.Response) -> tuple[object, str | None]:
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type:
        try:
            return response.json(), None
        except ValueError:
            pass
    if content_type.startswith("text/") and len(response.content) <= TEXT_LIMIT:
        return None, response.text
    return None, None


class RecordingSession(requests.Session):
    """A session that appends an Exchange for every call client.py makes through it."""

    def __init__(self, client: Path, base_url: str, uploads: Path):
        super().__init__()
        self.client, self.base_url, self.uploads = client.resolve(), base_url.rstrip("/"), uploads
        self.spans = regions(client.read_text(encoding="utf-8"))
        self.recorded: list[Exchange] = []
        self.server_cookies: set[str] = set()

    def request(self, method, url, *args, **kwargs):
        line = calling_line(self.client, self.spans)
        headers = set_headers(self, kwargs.get("headers"))
        own_cookies = "; ".join(f"{c.name}={c.value}" for c in self.cookies if c.name not in self.server_cookies)
        response = super().request(method, url, *args, **kwargs)
        for hop in (*response.history, response):
            self.server_cookies.update(hop.cookies.keys())
        if line is not None:  # a call Socket.IO made through the session is not the walkthrough's
            self.recorded.append(self.exchange(line, response, headers, own_cookies, kwargs))
        return response

    def exchange(self, line: int, response: requests.Response, headers: dict, cookies: str, kwargs: dict) -> Exchange:
        sent = (response.history[0] if response.history else response).request
        files = uploaded(kwargs.get("files") or {}, self.uploads)
        body = None if files or sent.body is None else (
            sent.body.decode("utf-8") if isinstance(sent.body, bytes) else sent.body)
        if body is not None and "Content-Type" in sent.headers:
            headers = {"Content-Type": sent.headers["Content-Type"], **headers}
        if cookies:
            headers["Cookie"] = cookies
        data = kwargs.get("data") or {}
        form = [(k, str(v)) for k, v in (data.items() if isinstance(data, dict) else data)] if files else []
        response_json, response_text = response_body(response)
        return Exchange(
            section_of(line, self.spans), sent.method, sent.url.removeprefix(self.base_url) or "/", headers, body,
            form, files, kwargs.get("allow_redirects", True), response.status_code, dict(response.headers),
            response_json, response_text)


def client_file(chapter: Chapter) -> Path:
    return chapter.learner_dir / "client.py"


def record(chapter: Chapter, base_url: str) -> list[Exchange]:
    """Run the chapter's walkthrough against `base_url` and return every call it made."""
    session = RecordingSession(client_file(chapter), base_url, FOLDER / "uploads" / chapter.package)
    with session:
        load_walkthrough(chapter)(session, base_url.rstrip("/"))
    return session.recorded


def cache_key(chapter: Chapter) -> str:
    """A digest of client.py, the reference solution and this recorder."""
    digest = hashlib.sha256()
    for path in (client_file(chapter), Path(__file__), *files_of(chapter.solution_dir)):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def from_json(entry: dict) -> Exchange:
    entry = {**entry, "form": [tuple(p) for p in entry["form"]], "files": [tuple(f) for f in entry["files"]]}
    return Exchange(**entry)


def cached(path: Path, key: str) -> list[Exchange] | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = [from_json(entry) for entry in stored["exchanges"]] if stored.get("key") == key else None
    uploads_present = found is not None and all((ROOT / f[2]).is_file() for e in found for f in e.files)
    return found if uploads_present else None


def exchanges(chapter: Chapter) -> list[Exchange]:
    """The walkthrough's calls against the live reference solution, recorded once per change."""
    key, path = cache_key(chapter), FOLDER / f"{chapter.package}.json"
    found = cached(path, key)
    if found is None:
        with tempfile.TemporaryDirectory() as scratch, \
                chapter_server(chapter, solution=True, env=fresh_database(Path(scratch))) as url:
            found = record(chapter, url)
        FOLDER.mkdir(parents=True, exist_ok=True)
        stored = {"key": key, "exchanges": [asdict(e) for e in found]}
        path.write_text(json.dumps(stored, ensure_ascii=False, indent=1), encoding="utf-8")
    return found
