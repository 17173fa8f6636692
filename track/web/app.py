"""The dashboard: a Flask app (factory, two blueprints, JSON errors for the API) over the course's own modules.

Pages: `/` (every chapter, its exercises and points), `/chapters/N` (the lesson, the
live status, hints, the solution diff and the request console) and `/chapters/N/demo` (the
walkthrough for a projector, one step at a time: track/web/presenter.py). The page's scripts talk to
`/api/...`. Every POST and DELETE carries the per-process token of the page that sent it
(`X-Track-Token`), so another site open in the same browser cannot drive the dashboard,
and only loopback Host names are served, so a rebound DNS name cannot either.
"""
from __future__ import annotations

import hmac
import json
import secrets

import requests
from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request, stream_with_context
from pygments.lexers import DiffLexer
from werkzeug.exceptions import HTTPException

from track.learner import hints
from track.model import i18n
from track.model.course import Chapter, chapters
from track.model.i18n import _
from track.web import console, lesson, presenter
from track.web.status import Watcher, cached, current, in_thread

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
TOKEN_HEADER = "X-Track-Token"
pages = Blueprint("pages", __name__)
api = Blueprint("api", __name__, url_prefix="/api")


class Dashboard:
    """What lives as long as the dashboard: the file watcher and the chapter servers it started."""

    def __init__(self):
        self.watcher = Watcher()
        self.servers = console.Servers()

    def close(self) -> None:
        self.watcher.stop()
        self.servers.stop_all()


def dashboard() -> Dashboard:
    return current_app.extensions["track_web"]


def chapter_or_404(number: int) -> Chapter:
    """Chapters come from the manifests only: the URL's number picks one or nothing."""
    found = next((c for c in chapters() if c.number == number), None)
    if found is None:
        abort(404, description=_("There is no chapter {n}; the course has chapters {numbers}.").format(
            n=number, numbers=", ".join(str(c.number) for c in chapters())))
    return found


def language() -> str:
    """`?lang=` when given (and then remembered in a cookie), else the cookie, else English."""
    for lang in (request.args.get("lang"), request.cookies.get("lang")):
        if lang in lesson.LESSONS:
            return lang
    return "en"


def use_page_language():
    """Every `_()` of this request speaks the page's language, not the environment's."""
    i18n.chosen.set("zh_CN" if language() == "zh" else "en")


def forget_page_language(_error=None):
    """Back to the environment's language: a test client runs the next code in this same thread."""
    i18n.chosen.set(None)


def script_texts() -> dict[str, str]:
    """chapter.js's own words, in the page's language: the page embeds them as JSON."""
    return {"identical": _("Your files match the reference exactly."), "starting": _("starting…")}


def title(chapter: Chapter, lang: str) -> str:
    return chapter.title_zh if lang == "zh" else chapter.title


def remembered(page: str, lang: str) -> Response:
    response = Response(page)
    if request.args.get("lang") in lesson.LESSONS:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Strict")
    return response


# --- pages --------------------------------------------------------------------------------

@pages.get("/")
def home():
    lang = language()
    # The cached verdicts only: grading a stale chapter here would hold the page for seconds.
    rows = [(chapter, title(chapter, lang), cached(chapter)) for chapter in chapters()]
    return remembered(render_template("home.html", rows=rows, lang=lang), lang)


@pages.get("/chapters/<int:number>")
def chapter_page(number: int):
    chapter = chapter_or_404(number)
    lang = language()
    return remembered(render_template("chapter.html", chapter=chapter, title=title(chapter, lang), lang=lang,
                                      lesson=lesson.render(chapter, lang), pygments_css=lesson.stylesheet(), texts=script_texts(),
                                      status=cached(chapter), server_url=dashboard().servers.url(chapter)), lang)


@pages.get("/chapters/<int:number>/demo")
def demo_page(number: int):
    chapter = chapter_or_404(number)
    lang = language()
    return remembered(render_template("demo.html", chapter=chapter, title=title(chapter, lang), lang=lang), lang)


# --- the page's API -----------------------------------------------------------------------

@api.before_request
def require_token():
    if request.method not in ("GET", "HEAD"):
        sent = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(sent, current_app.config["TRACK_TOKEN"]):
            abort(403, description=_("This request lacks the dashboard's {header} header: "
                                     "send it from the dashboard's own page.").format(header=TOKEN_HEADER))


@api.get("/chapters/<int:number>/events")
def events(number: int):
    """Server-sent events: the chapter's verdict now, then after every save."""
    chapter = chapter_or_404(number)

    def stream():
        for event in dashboard().watcher.events(chapter):
            yield ": still watching\n\n" if event is None else f"data: {json.dumps(event)}\n\n"

    return Response(stream_with_context(stream()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@api.post("/chapters/<int:number>/hint")
def next_hint(number: int):
    chapter = chapter_or_404(number)
    return jsonify(hint=hints.for_result(chapter, current(chapter)))


@api.get("/chapters/<int:number>/solution")
def solution(number: int):
    """`python -m track solution N`, once the chapter passes."""
    from track.model.stubs import solution_diff

    chapter = chapter_or_404(number)
    if not current(chapter).solved:
        abort(409, description=_("Chapter {n} does not pass yet: the solution diff opens once it does.").format(n=number))
    diff = solution_diff(chapter)
    return jsonify(html=lesson.coloured(diff, DiffLexer()) if diff else None)


def walkthrough(chapter: Chapter) -> list:
    """client.py's requests (track/walkthrough/recording.py), recorded against the reference the first time."""
    from track.walkthrough.recording import exchanges

    return in_thread(exchanges, chapter)


@api.get("/chapters/<int:number>/requests")
def walkthrough_requests(number: int):
    """The walkthrough's requests (client.py), for the console's picker."""
    chapter = chapter_or_404(number)
    return jsonify([{"section": step.section, "method": step.method, "path": step.path, "headers": step.headers,
                     "body": step.body, "form": step.form, "files": [filename for _, filename, _ in step.files]}
                    for step in walkthrough(chapter)])


@api.post("/chapters/<int:number>/demo")
def run_walkthrough(number: int):
    """Serve the chapter fresh (the learner's copy once it passes), run client.py, answer its steps."""
    chapter = chapter_or_404(number)
    try:
        return jsonify(in_thread(presenter.presented, chapter, language()))
    except RuntimeError as error:  # the chapter did not start: its own message says where
        abort(502, description=_("Chapter {n}'s server did not start: {error}").format(n=number, error=error))


@api.get("/chapters/<int:number>/server")
def server_state(number: int):
    return jsonify(url=dashboard().servers.url(chapter_or_404(number)))


@api.post("/chapters/<int:number>/server")
def start_server(number: int):
    chapter = chapter_or_404(number)
    try:
        return jsonify(url=dashboard().servers.start(chapter))
    except RuntimeError as error:  # the chapter did not load: its own message says where
        abort(502, description=_("Your chapter {n} server did not start: {error}").format(n=number, error=error))


@api.delete("/chapters/<int:number>/server")
def stop_server(number: int):
    dashboard().servers.stop(chapter_or_404(number))
    return jsonify(url=None)


def uploads(chapter: Chapter) -> list[tuple]:
    """The files to send: the picked walkthrough step's, and the one chosen in the form."""
    files = []
    if (example := request.form.get("example", "")).strip():
        steps = walkthrough(chapter)
        if not example.isdigit() or int(example) >= len(steps):
            raise console.ConsoleError(_("The walkthrough of chapter {n} has no request {example}.").format(
                n=chapter.number, example=repr(example)))
        files += [(name, filename, console.repository_file(path)) for name, filename, path in steps[int(example)].files]
    if (upload := request.files.get("upload")) and upload.filename:
        files.append((request.form.get("upload_field") or "file", upload.filename, upload.read()))
    return files


@api.post("/chapters/<int:number>/send")
def send(number: int):
    """Send the form's request to this chapter's server, the one the dashboard started."""
    chapter = chapter_or_404(number)
    base = dashboard().servers.url(chapter)
    if base is None:
        abort(409, description=_("Chapter {n}'s server is not running: press Start first.").format(n=number))
    form = request.form
    outgoing = console.Request(form.get("method", "GET").upper(), form.get("path", "/"),
                               console.parse_headers(form.get("headers", "")), form.get("body") or None, uploads(chapter))
    try:
        return jsonify(in_thread(console.send, base, outgoing))
    except requests.RequestException as error:
        abort(502, description=_("The request to {url} failed: {error}. Is the server still running? Restart it.").format(
            url=base, error=error))


# --- errors -------------------------------------------------------------------------------

def refuse_foreign_host():
    """Only loopback Host names: a page on a rebound DNS name must not reach the dashboard."""
    if request.host.rpartition(":")[0] not in LOOPBACK_HOSTS and request.host not in LOOPBACK_HOSTS:
        abort(400, description=_("This dashboard answers on 127.0.0.1 or localhost only, not {host}.").format(
            host=repr(request.host)))


def error_page(error: HTTPException):
    if request.path.startswith(api.url_prefix + "/"):
        return jsonify(error=error.name.lower(), message=error.description), error.code
    return render_template("error.html", error=error, lang=language()), error.code


def bad_console_request(error: console.ConsoleError):
    return jsonify(error="bad request", message=str(error)), 400


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["TRACK_TOKEN"] = secrets.token_urlsafe(32)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024  # an upload for the console, not a disk filler
    app.extensions["track_web"] = Dashboard()
    app.before_request(refuse_foreign_host)
    app.before_request(use_page_language)
    app.teardown_request(forget_page_language)
    app.jinja_env.globals["_"] = _  # templates' labels: `{{ _("Status") }}`, in the page's language
    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_error_handler(HTTPException, error_page)
    app.register_error_handler(console.ConsoleError, bad_console_request)
    return app


def shutdown(app: Flask) -> None:
    """Stop what the dashboard started: the watcher thread and the chapter servers."""
    app.extensions["track_web"].close()
