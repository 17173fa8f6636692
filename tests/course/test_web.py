"""The dashboard (`python -m track web`) through Flask's test client, and its command line.

The app runs on the real course, read-only: verdicts come from the same cache `list`
uses; the hints' state goes to a temporary file, so the learner's own hints stay as they are.
"""
import json
import re
import socket
import subprocess
import sys
import tempfile
from urllib.parse import urlencode

import pytest

from track.grading import cache
from track.learner import hints
from track.model.course import ROOT, chapter, chapters
from track.model.results import ChapterResult, ExerciseResult, RunResult
from track.web import console
from track.web.app import create_app, shutdown

CH01, CH11, CH12 = chapter(1), chapter(11), chapter(12)
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def app():
    dashboard = create_app()
    yield dashboard
    shutdown(dashboard)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(app):
    return {"X-Track-Token": app.config["TRACK_TOKEN"]}


def test_home_lists_every_chapter_with_its_exercises_and_points(client):
    page = client.get("/").get_data(as_text=True)
    for chap in chapters():
        row = page[page.index(f'id="chapter-{chap.number}"'):].split("</tr>")[0]
        assert chap.title in row and f"/{chap.points}</td>" in row
        assert all(exercise.id in row for exercise in chap.exercises)


def test_a_lesson_is_rendered_with_tables_code_details_and_diagrams(client):
    page = client.get(f"/chapters/{CH12.number}?lang=en").get_data(as_text=True)
    assert re.search(r"<h1>Chapter 12\b", page)
    assert '<pre class="highlight"><code>' in page and '<span class="kn">from</span>' in page  # Pygments
    assert '<pre class="mermaid">sequenceDiagram' in page and "<table>" in page and "<details>" in page
    assert "/static/vendor/mermaid.min.js" in page


def test_links_between_lessons_stay_in_the_dashboard(client):
    page = client.get("/chapters/2?lang=zh").get_data(as_text=True)
    assert 'href="/chapters/1?lang=zh"' in page and 'href="/chapters/3?lang=zh"' in page
    assert 'href="/chapters/2?lang=en"' in page  # the lesson's own "English" link
    assert "README.md" not in re.findall(r'href="([^"]*)"', page)


def test_the_language_is_remembered_in_a_cookie(client):
    chosen = client.get("/chapters/1?lang=zh")
    assert "lang=zh" in chosen.headers["Set-Cookie"] and "第 1 章" in chosen.get_data(as_text=True)
    assert "第 2 章" in client.get("/chapters/2").get_data(as_text=True)
    assert "Chapter 2" in client.get("/chapters/2?lang=en").get_data(as_text=True)
    assert "Chapter 2" in client.get("/chapters/2").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/chapters/99", "/chapters/0", "/chapters/abc", "/chapters/1/../../track/cli.py",
                                  "/nowhere"])
def test_an_unknown_page_is_an_html_404_without_a_traceback(client, path):
    answer = client.get(path)
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "Traceback" not in answer.get_data(as_text=True)


def test_an_unknown_chapter_in_the_api_is_a_json_404(client, token):
    answer = client.post("/api/chapters/99/hint", headers=token)
    assert answer.status_code == 404 and answer.json["error"] == "not found"
    assert "chapters 1, 2" in answer.json["message"]


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                  "/static/vendor/../../../course.py", "/static//etc/passwd"])
def test_nothing_outside_the_static_folder_is_served(client, path):
    assert client.get(path, follow_redirects=True).status_code == 404


def test_the_vendored_mermaid_is_served_with_its_licence_noted(client):
    assert client.get("/static/vendor/mermaid.min.js").status_code == 200
    notes = (ROOT / "track" / "web" / "static" / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "mermaid@12.3.0" in notes and "MIT" in notes


def test_a_foreign_host_name_is_refused(client):
    answer = client.get("/", headers={"Host": "attacker.example:8000"})
    assert answer.status_code == 400 and "127.0.0.1 or localhost only" in answer.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, {"X-Track-Token": "guessed"}])
def test_a_change_without_the_pages_token_is_refused(client, headers):
    answer = client.post(f"/api/chapters/{CH01.number}/server", headers=headers)
    assert answer.status_code == 403 and "X-Track-Token" in answer.json["message"]
    assert client.get(f"/api/chapters/{CH01.number}/server").json == {"url": None}


def test_the_event_stream_starts_with_the_cached_verdict(client):
    answer = client.get(f"/api/chapters/{CH01.number}/events")
    first = next(iter(answer.response)).decode()
    answer.close()
    assert answer.mimetype == "text/event-stream" and first.startswith("data: ") and first.endswith("\n\n")
    status = json.loads(first.removeprefix("data: "))
    assert [e["id"] for e in status["exercises"]] == [e.id for e in CH01.exercises]
    assert status["points"] == CH01.points and status["state"] == "graded"


@pytest.fixture
def one_cached_verdict(tmp_path, monkeypatch):
    """A verdict cached for chapter 1 only (its first exercise failing), as `check` stores it."""
    monkeypatch.setattr(cache, "FOLDER", tmp_path / "results")
    first, *rest = CH01.exercises
    exercises = [ExerciseResult(CH01.package, first.id, first.title, first.points, "fail", 2, 1, "GET / answered 501")]
    exercises += [ExerciseResult(CH01.package, e.id, e.title, e.points, "pass", 1, 0) for e in rest]
    cache.store(RunResult([ChapterResult(CH01.package, exercises, [])]), {CH01.package: cache.key(CH01)})
    return exercises


def test_the_home_page_shows_the_cached_verdicts_before_any_stream(client, one_cached_verdict):
    page = client.get("/?lang=en").get_data(as_text=True)
    rows = {chap.number: page[page.index(f'id="chapter-{chap.number}"'):].split("</tr>")[0] for chap in chapters()}
    score = sum(e.score for e in one_cached_verdict)
    assert f"{score}/{CH01.points}</td>" in rows[1] and "not graded yet" not in rows[1]
    assert all(f'class="exercise {e.status}"' in rows[1] for e in one_cached_verdict)
    assert all("not graded yet" in rows[n] for n in rows if n != 1)
    assert "loading" not in page


def test_a_chapter_page_paints_its_cached_status_and_says_when_there_is_none(client, one_cached_verdict):
    graded = client.get(f"/chapters/{CH01.number}?lang=en").get_data(as_text=True)
    status = graded[graded.index('<section id="status"'):].split("</section>")[0]
    assert 'data-state="unsolved"' in status and "GET / answered 501" in status
    assert f'data-id="{one_cached_verdict[0].id}" data-status="fail"' in status and "✘" in status
    never = client.get("/chapters/2?lang=en").get_data(as_text=True)
    status = never[never.index('<section id="status"'):].split("</section>")[0]
    assert 'data-state="not-graded"' in status and "Not graded yet." in status and "loading" not in status


def test_next_hint_uses_the_clis_progressive_hints(client, token, tmp_path, monkeypatch):
    monkeypatch.setattr(hints, "HINTS_FILE", tmp_path / "hints.json")
    first = client.post(f"/api/chapters/{CH01.number}/hint", headers=token).json["hint"]
    second = client.post(f"/api/chapters/{CH01.number}/hint", headers=token).json["hint"]
    exercise = CH01.exercises[0]
    assert f"Hint 1/{len(exercise.hints)}" in first and exercise.hints[0].text in first
    assert f"Hint 2/{len(exercise.hints)}" in second
    assert json.loads((tmp_path / "hints.json").read_text())[CH01.package][exercise.id] == [0, 1]


def test_the_solution_waits_until_the_chapter_passes(client):
    answer = client.get(f"/api/chapters/{CH01.number}/solution")
    assert answer.status_code == 409 and "does not pass yet" in answer.json["message"]


def test_the_picker_lists_the_walkthroughs_requests(client):
    from track.walkthrough.recording import exchanges

    listed = client.get(f"/api/chapters/{CH01.number}/requests").json
    steps = exchanges(CH01)
    assert [(s["method"], s["path"]) for s in listed] == [(s.method, s.path) for s in steps] and steps


def test_the_console_sends_only_to_the_server_it_started(client, token):
    number = CH01.number
    assert client.post(f"/api/chapters/{number}/send", headers=token, data={"path": "/"}).status_code == 409
    url = client.post(f"/api/chapters/{number}/server", headers=token).json["url"]
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        answer = client.post(f"/api/chapters/{number}/send", headers=token,
                             data={"method": "GET", "path": "/", "headers": "Accept: text/plain"}).json
        # The learner's stub answers an unwritten exercise with 501 naming its TODO (track run).
        assert answer["status"] == 501 and "not written yet" in answer["body"]
        assert dict(answer["headers"])["Content-Type"].startswith("text/html")
        for path in ("//attacker.example/", "@attacker.example/", "http://attacker.example/", "relative"):
            refused = client.post(f"/api/chapters/{number}/send", headers=token, data={"path": path})
            assert refused.status_code == 400 and "single `/`" in refused.json["message"], path
        bad_method = client.post(f"/api/chapters/{number}/send", headers=token, data={"method": "TRACE", "path": "/"})
        assert bad_method.status_code == 400 and "Unknown method" in bad_method.json["message"]
        bad_header = client.post(f"/api/chapters/{number}/send", headers=token, data={"path": "/", "headers": "oops"})
        assert bad_header.status_code == 400 and "Name: value" in bad_header.json["message"]
    finally:
        assert client.delete(f"/api/chapters/{number}/server", headers=token).json == {"url": None}
    assert client.get(f"/api/chapters/{number}/server").json == {"url": None}


def test_each_console_start_serves_from_a_new_instance_folder_gone_when_it_stops(client, token, tmp_path,
                                                                                 monkeypatch):
    """A fresh instance folder (and database) per start: the walkthrough answers as the lesson shows."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    server = f"/api/chapters/{CH01.number}/server"
    folders = []
    for _ in range(2):
        client.post(server, headers=token)
        try:
            serving = [folder.name for folder in tmp_path.iterdir() if folder.name.startswith(f"demo-{CH01.package}-")]
            assert len(serving) == 1 and (tmp_path / serving[0]).is_dir()
            folders += serving
        finally:
            client.delete(server, headers=token)
        assert not (tmp_path / serving[0]).exists()
    assert folders[0] != folders[1]


def track_web(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "track", "web", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT_S)


def test_web_refuses_a_host_that_is_not_loopback():
    done = track_web("--host", "0.0.0.0")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Refusing to serve the dashboard on 0.0.0.0" in done.stderr


def test_web_on_a_busy_port_says_so_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = track_web("--port", str(port))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr and f"--port {port + 1}" in done.stderr


def test_the_console_uploads_a_walkthrough_file_as_client_py_does():
    """Chapter 2's upload, sent by the console to the reference, gets the answer client.py got."""
    from track.walkthrough.live import chapter_server
    from track.walkthrough.recording import exchanges

    chapter_2 = chapter(2)
    step = next(step for step in exchanges(chapter_2) if step.files)
    outgoing = console.Request(step.method, step.path, step.headers, urlencode(step.form),
                               [(name, filename, console.repository_file(path)) for name, filename, path in step.files])
    with chapter_server(chapter_2, solution=True) as url:
        answer = console.send(url, outgoing)
    assert answer["status"] == step.status and json.loads(answer["body"]) == step.response_json


def test_the_console_attaches_only_files_inside_the_course():
    with pytest.raises(console.ConsoleError, match="not a file in the course"):
        console.repository_file("../../etc/passwd")


CH03 = chapter(3)


def test_the_presenter_page_waits_for_its_walkthrough_in_either_language(client):
    page = client.get(f"/chapters/{CH03.number}/demo?lang=en").get_data(as_text=True)
    assert f'data-api="/api/chapters/{CH03.number}/demo"' in page and "Large text" in page
    assert "放大文字" in client.get(f"/chapters/{CH03.number}/demo?lang=zh").get_data(as_text=True)
    lesson = client.get(f"/chapters/{CH03.number}?lang=en").get_data(as_text=True)
    assert f'href="/chapters/{CH03.number}/demo"' in lesson
    assert client.get("/chapters/99/demo").status_code == 404


def test_the_walkthrough_runs_the_reference_while_the_chapter_does_not_pass(client, token):
    """This worktree's chapter 3 is the stub: the reference runs, and the page says so."""
    from track.walkthrough.stepper import step_names
    from track.walkthrough.live import load_walkthrough

    assert client.post(f"/api/chapters/{CH03.number}/demo").status_code == 403  # the page's token only
    answer = client.post(f"/api/chapters/{CH03.number}/demo", headers=token).json
    assert answer["passed"] and "not solved yet" in answer["which"] and "reference solution" in answer["which"]
    page = answer["html"]
    assert [name for name in step_names(load_walkthrough(CH03))] == re.findall(r'data-step="([^"]+)"', page)
    slides = page.count('class="slide exchange"')
    assert slides == page.count("<h3>Request, as sent</h3>") == page.count("<h3>The server&#39;s log</h3>") > 0
    assert "→ POST /echo-image" in page and "file=../../evil.png (image/png, 124 bytes)" in page  # the hostile name as sent
    assert re.search(r"&#34;GET /download/..%2F..%2Fapp.py HTTP/1.1&#34; 404", page), "each answer's log line"
    assert page.count('<p class="why">') == len(step_names(load_walkthrough(CH03)))
