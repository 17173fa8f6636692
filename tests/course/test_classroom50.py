"""Classroom 50's autograder: the bundle `python -m track autograder --out DIR` writes, run as the
runner runs it (`cd CHECKOUT && python DIR/autograder.py`, with the runner's variables), on a
solved clone, a stub clone, a clone whose tests/ and track/ were edited to pass everything, and
one whose chapter 1 never finishes; every payload is checked against the contract the
Classroom 50 wiki documents (Advanced-Autograding, "The result.json contract").
"""
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.course.test_cli import TIMEOUT_S
from track.classroom import autograder, classroom50
from track.model.course import ROOT, chapters
from track.model.stubs import stub_files, write_stubs

RUNNER_ENV = {  # what the runner hands an autograder (wiki: Advanced-Autograding, "Contract")
    "CLASSROOM": "flask-fall", "ASSIGNMENT": "track", "SUBMISSION_TAG": "submit/2026-12-07T20-00-00Z-a1b2c3d",
    "COMMIT_URL": "https://github.com/school/flask-fall-track-ada/commit/a1b2c3d",
    "RELEASE_URL": "https://github.com/school/flask-fall-track-ada/releases/tag/submit%2F2026-12-07T20-00-00Z-a1b2c3d",
}
EXERCISES = [f"ch{c.number:02d}/{e.id}" for c in chapters() for e in c.exercises]
POINTS = sum(c.points for c in chapters())
TIGHT_BUDGET_S = 150  # a short whole run: the shortest time limits, a chapter that never ends stopped at its budget


# --- the documented contract ----------------------------------------------------------------

STRINGS = ("schema", "classroom", "assignment", "submission", "commit", "release", "review", "datetime")
TEST_FIELDS = {"test-name": str, "passed": bool, "score": int, "max-score": int}
UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def contract_errors(payload) -> list[str]:
    """What breaks `classroom50/result/v1`: the wiki's field table (strings, integer scores that
    sum, a tests array of test-name/passed/score/max-score; extra fields allowed), test names unique."""
    if not isinstance(payload, dict):
        return ["the payload is not a JSON object"]
    errors = [] if payload.get("schema") == autograder.SCHEMA else [f"schema is {payload.get('schema')!r}"]
    errors += [f"{key} is not a string" for key in STRINGS if not isinstance(payload.get(key), str)]
    errors += [f"{key} is not UTC ISO 8601" for key in ("datetime", "graded_at")
               if key in payload and not UTC.match(str(payload[key]))]
    errors += [f"{key} is not an integer" for key in ("score", "max-score") if not is_int(payload.get(key))]
    tests = payload.get("tests")
    if not isinstance(tests, list):
        return errors + ["tests is not an array"]
    for index, test in enumerate(tests):
        if not isinstance(test, dict):
            errors.append(f"tests[{index}] is not an object")
            continue
        for key, kind in TEST_FIELDS.items():
            if not (is_int(test.get(key)) if kind is int else isinstance(test.get(key), kind)):
                errors.append(f"tests[{index}].{key} is not {kind.__name__}")
        if is_int(test.get("score")) and is_int(test.get("max-score")) and not 0 <= test["score"] <= test["max-score"]:
            errors.append(f"tests[{index}].score is outside 0..max-score")
    names = [t.get("test-name") for t in tests if isinstance(t, dict)]
    errors += [f"test-name {name!r} repeats" for name in sorted({n for n in names if names.count(n) > 1})]
    if not errors:
        errors += [f"{key} is not the sum of the tests'" for key in ("score", "max-score")
                   if payload[key] != sum(t[key] for t in tests)]
    return errors


GOOD = {"schema": "classroom50/result/v1", "classroom": "c", "assignment": "a", "submission": "s", "commit": "u",
        "release": "u", "review": "u", "datetime": "2026-06-01T14:32:01Z", "score": 4, "max-score": 5,
        "tests": [{"test-name": "compiles", "passed": True, "score": 4, "max-score": 4, "note": "kept"},
                  {"test-name": "outputs_correct", "passed": False, "score": 0, "max-score": 1}]}


@pytest.mark.parametrize("change, error", [
    ({"schema": "classroom50/result/v2"}, "schema"),
    ({"score": 4.0}, "score is not an integer"),
    ({"max-score": 6}, "max-score is not the sum"),
    ({"commit": None}, "commit is not a string"),
    ({"datetime": "yesterday"}, "datetime is not UTC"),
    ({"tests": [{"test-name": "x", "passed": "yes", "score": 0, "max-score": 1}]}, "tests[0].passed"),
    ({"tests": [{"test-name": "x", "passed": True, "score": True, "max-score": 1}]}, "tests[0].score"),
    ({"tests": [{"test-name": "x", "passed": True, "score": 1, "max-score": 1}] * 2}, "repeats"),
])
def test_the_validator_refuses_what_the_contract_refuses(change, error):
    assert contract_errors(GOOD) == [], "the wiki's own example passes"
    assert any(error in found for found in contract_errors({**GOOD, **change})), contract_errors({**GOOD, **change})


# --- clones and runs ----------------------------------------------------------------------------

def clone(path: Path, solved: bool = False) -> Path:
    """A student's checkout: the course's chapters/ (stubs, or `solved`), tests/ and track/."""
    for name in ("tests", "track"):
        shutil.copytree(ROOT / name, path / name, ignore=shutil.ignore_patterns("__pycache__", "course"))
    for chapter in chapters():
        folder = path / "chapters" / chapter.package
        shutil.copytree(chapter.learner_dir, folder, ignore=shutil.ignore_patterns("__pycache__", "instance"))
        for relative, content in stub_files(chapter).items():
            (folder / relative).write_bytes(content)
        if solved:
            write_stubs(chapter, folder, stubbed=())
    return path


def run_autograder(bundle: Path, checkout: Path) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, str(bundle / "autograder.py")], cwd=checkout, capture_output=True, text=True,
                          env={**autograder_env(), **RUNNER_ENV}, timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stdout + done.stderr
    payload = json.loads((checkout / autograder.RESULT).read_text(encoding="utf-8"))
    assert contract_errors(payload) == [], contract_errors(payload)
    return payload, (checkout / autograder.RELEASE_BODY).read_text(encoding="utf-8")


def autograder_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "TRACK_PROBES"))}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("c50") / "bundle"
    classroom50.write_bundle(out)
    return out


@pytest.fixture(scope="module")
def stub_run(bundle, tmp_path_factory) -> tuple[dict, str]:
    return run_autograder(bundle, clone(tmp_path_factory.mktemp("stub")))


def test_the_bundle_carries_no_solution(bundle):
    """The graders, the engine and the manifests; of the reference only what learners get whole."""
    assert (bundle / "autograder.py").read_bytes() == (ROOT / "track" / "classroom" / "autograder.py").read_bytes()
    assert not (bundle / "solutions").exists() and not (bundle / "tests" / "course").exists()
    assert not (bundle / "tests" / "mistakes").exists()
    for chapter in chapters():
        stubs = stub_files(chapter)
        for path in chapter.solution_dir.rglob("*.py"):
            relative = path.relative_to(chapter.solution_dir)
            if stubs.get(relative) != path.read_bytes():  # a file with an exercise inside
                copies = [found for found in bundle.rglob(path.name) if found.read_bytes() == path.read_bytes()]
                assert not copies, f"the bundle holds the reference {relative} of {chapter.package}: {copies}"


def test_a_solved_clone_earns_every_point(bundle, tmp_path):
    payload, body = run_autograder(bundle, clone(tmp_path / "ada", solved=True))
    assert [t["test-name"] for t in payload["tests"]] == EXERCISES, "one test per exercise, in course order"
    assert payload["score"] == payload["max-score"] == POINTS, [t for t in payload["tests"] if not t["passed"]]
    assert all(t["passed"] and "message" not in t for t in payload["tests"])
    assert {k: payload[k] for k in ("classroom", "assignment", "submission", "commit", "release")} == {
        "classroom": "flask-fall", "assignment": "track", "submission": RUNNER_ENV["SUBMISSION_TAG"],
        "commit": RUNNER_ENV["COMMIT_URL"], "release": RUNNER_ENV["RELEASE_URL"]}
    assert payload["review"] == RUNNER_ENV["COMMIT_URL"], "without REVIEW_URL the review is the commit"
    assert f"{POINTS}/{POINTS}" in body and "First failure" not in body
    assert re.search(r"Student code ran (sandboxed|not sandboxed)", body), "the Release says how the code was isolated"
    assert body.count("| Exercise | Points | Result |") == len(chapters())


def test_a_stub_clone_earns_nothing_and_says_why(stub_run):
    payload, body = stub_run
    assert payload["score"] == 0 and payload["max-score"] == POINTS
    assert [t["test-name"] for t in payload["tests"]] == EXERCISES
    for test in payload["tests"]:
        assert not test["passed"] and test["message"].strip(), test
        assert "track-class-" not in test["message"], "messages name chapters/..., not the scratch copy"
    hello = payload["tests"][0]
    assert "chapters/ch01_hello_world/app.py" in hello["message"] and "NotImplementedError" in hello["message"]
    assert body.count("\n**ch") == len(EXERCISES), "each lost exercise's first failure"
    assert "| `hello` | 0/1 | Exercise `hello`" in body


def test_edited_tests_and_engine_change_nothing(bundle, stub_run, tmp_path):
    """The student's tests/ and track/ pass everything when they run; the bundle never runs them."""
    checkout = clone(tmp_path / "mallory")
    for module in (checkout / "tests").glob("test_ch*.py"):
        module.write_text("def test_everything():\n    pass\n", encoding="utf-8")
    (checkout / "tests" / "conftest.py").write_text(
        "import pytest\n\n@pytest.hookimpl(wrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        "    report = yield\n    report.outcome = 'passed'\n    return report\n", encoding="utf-8")
    results = checkout / "track" / "model" / "results.py"
    honest = results.read_text(encoding="utf-8")
    generous = honest.replace("return self.points if self.status == Status.PASS else 0", "return self.points")
    assert generous != honest, "the edit must give every exercise its points"
    results.write_text(generous, encoding="utf-8")
    payload, _ = run_autograder(bundle, checkout)
    assert payload["tests"] == stub_run[0]["tests"] and payload["score"] == 0


def test_a_single_file_bundle_grades_the_same(stub_run, tmp_path):
    """`--single-file`: one autograder.py for `gh teacher autograder set-default`, which uploads one file."""
    one = tmp_path / "one"
    classroom50.write_bundle(one, single_file=True)
    assert [path.name for path in one.iterdir()] == ["autograder.py"]
    payload, body = run_autograder(one, clone(tmp_path / "stub"))
    assert payload["tests"] == stub_run[0]["tests"] and body == stub_run[1]


def test_a_chapter_past_its_budget_scores_nothing_with_a_message(tmp_path):
    """In the students' language (`--lang zh`): the graders' messages and the Release text."""
    bundle = tmp_path / "bundle"
    classroom50.write_bundle(bundle, budget_s=TIGHT_BUDGET_S, language="zh")
    checkout = clone(tmp_path / "loop")
    app = checkout / "chapters" / chapters()[0].package / "app.py"
    app.write_text("while True:\n    pass\n" + app.read_text(encoding="utf-8"), encoding="utf-8")
    payload, body = run_autograder(bundle, checkout)
    first = [t for t in payload["tests"] if t["test-name"].startswith("ch01/")]
    assert first and all(t["score"] == 0 and re.search(r"(did not finish in|没有在) ?\d+ ?(s|秒)", t["message"])
                         for t in first), first
    query = next(t for t in payload["tests"] if t["test-name"] == "ch02/query")
    assert "还没有写" in query["message"], query
    assert body.startswith(f"## Flask 学习路线：0/{POINTS}") and f"### 第 1 章：{chapters()[0].title_zh}" in body


def test_a_grader_that_cannot_start_still_leaves_a_valid_payload(tmp_path):
    """Whatever goes wrong after the bundle starts, Classroom 50 gets a result.json that says what, and exit 0."""
    bundle = tmp_path / "bundle"
    classroom50.write_bundle(bundle)
    (bundle / "track" / "classroom" / "classroom50.py").unlink()
    payload, body = run_autograder(bundle, tmp_path)
    assert payload["score"] == 0 and payload["max-score"] == POINTS
    assert all("exited 1 without a verdict" in t["message"] for t in payload["tests"]) and "Grading stopped early" in body


# --- the interpreter it grades with ---------------------------------------------------------------

def test_the_running_interpreter_is_reused_only_with_the_exact_pins(tmp_path):
    assert autograder.satisfied(ROOT / "requirements.txt"), "the course's venv has every pin"
    pin = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("Flask=="))
    other = tmp_path / "requirements.txt"
    other.write_text(pin.replace("==", "==0.") + "\n", encoding="utf-8")
    assert not autograder.satisfied(other)
    other.write_text("surely-not-installed-here==1.0\n", encoding="utf-8")
    assert not autograder.satisfied(other)


def test_the_install_path_builds_a_venv_once(tmp_path, monkeypatch):
    """The path a runner without the pins takes, with one small pinned package from PyPI."""
    pin = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("iniconfig=="))
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(pin + "\n", encoding="utf-8")
    python = autograder.install(requirements, tmp_path / "venv")
    shown = subprocess.run([str(python), "-c", "from importlib import metadata; print(metadata.version('iniconfig'))"],
                           capture_output=True, text=True, check=True, timeout=TIMEOUT_S)
    assert f"iniconfig=={shown.stdout.strip()}" == pin
    monkeypatch.setattr(venv, "create", lambda *a, **k: pytest.fail("the second run rebuilt the venv"))
    assert autograder.install(requirements, tmp_path / "venv") == python
