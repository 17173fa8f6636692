"""Print every request a `requests.Session` makes and what came back, like Postman would.

Each chapter's `client.py` defines `walkthrough(http, base_url)` in plain `requests`;
`printing_session()` adds a response hook, so the walkthrough itself stays free of prints.
"""
from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import requests

from track.course import PACKAGE_NAME
from track.ui import command

NOTABLE_HEADERS = (
    "Content-Type", "Content-Length", "Location", "Set-Cookie", "Allow", "Content-Disposition",
    "WWW-Authenticate", "Vary", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
)
BODY_LIMIT = 600


def describe_body(content: bytes, content_type: str) -> str:
    if not content:
        return "(empty)"
    if "json" in content_type:
        try:
            return json.dumps(json.loads(content), ensure_ascii=False, indent=2)[:BODY_LIMIT]
        except ValueError:
            pass
    if content_type.startswith(("text/", "application/json")) or not content_type:
        text = content.decode("utf-8", "replace")
        return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + " ..."
    return f"<{len(content)} bytes of {content_type}>"


def describe_request(request: requests.PreparedRequest) -> str:
    lines = [f">>> {request.method} {request.url}"]
    for name in ("Content-Type", "Authorization", "Cookie", "Origin", "X-API-Key"):
        if name in request.headers:
            lines.append(f"    {name}: {request.headers[name]}")
    body = request.body
    if isinstance(body, bytes) and "multipart" in request.headers.get("Content-Type", ""):
        lines.append(f"    <multipart body, {len(body)} bytes>")
    elif body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        lines.append(f"    {text[:BODY_LIMIT]}")
    return "\n".join(lines)


def describe_response(response: requests.Response) -> str:
    lines = [f"<<< {response.status_code} {response.reason}"]
    for name in NOTABLE_HEADERS:
        if name in response.headers:
            lines.append(f"    {name}: {response.headers[name]}")
    body = describe_body(response.content, response.headers.get("Content-Type", ""))
    lines.extend("    " + line for line in body.splitlines())
    return "\n".join(lines)


def print_exchange(response: requests.Response, *args, **kwargs) -> None:
    """Response hook: requests calls it once per response, redirects included."""
    print(describe_request(response.request))
    print(describe_response(response), end="\n\n", flush=True)


def printing_session() -> requests.Session:
    session = requests.Session()
    session.hooks["response"].append(print_exchange)
    return session


Walkthrough = Callable[[requests.Session, str], None]


def where_it_stopped(failed: AssertionError) -> str:
    """The failed expectation: its message, else the walkthrough's line that did not hold."""
    if str(failed):
        return str(failed)
    frames = traceback.extract_tb(failed.__traceback__)
    line = frames[-1] if frames else None
    return f"{Path(line.filename).name}:{line.lineno}: {line.line}" if line else "an expectation did not hold"


def run_walkthrough(walkthrough: Walkthrough, base_url: str, chapter: int | None = None) -> bool:
    """Run a chapter's walkthrough, printing each exchange; False if an expectation failed."""
    try:
        with printing_session() as http:
            walkthrough(http, base_url.rstrip("/"))
    except AssertionError as failed:
        print(f"The walkthrough stopped: {where_it_stopped(failed)}", file=sys.stderr)
        print(f"`{command('check', chapter)}` says which exercise is not done yet; then run it again.", file=sys.stderr)
        return False
    except requests.ConnectionError:
        print(f"No server answers at {base_url}: start it first (`{command('run', chapter)}`).", file=sys.stderr)
        return False
    return True


def main(walkthrough: Walkthrough) -> None:
    """`python -m chapters.chNN_x.client [BASE_URL]` against a server you started yourself."""
    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
    number = PACKAGE_NAME.match(walkthrough.__module__.split(".")[-2])
    raise SystemExit(0 if run_walkthrough(walkthrough, base_url, int(number[1]) if number else None) else 1)
