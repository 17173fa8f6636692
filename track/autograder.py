"""Classroom 50's autograder: `autograder.py` of the bundle `python -m track autograder` writes.

Classroom 50 runs it once per submission, with the student's checkout as the working
directory and the bundle's other files beside it (wiki: Advanced-Autograding), or packed
inside it (a single-file bundle, for a classroom default). It grades
the checkout's `chapters/` with the bundle's own graders and engine (never the student's
`tests/` or `track/`), through the function `grade --root` uses, and writes the documented
payload: `./result.json` (schema `classroom50/result/v1`, one test per exercise) and
`./release-body.md`. It exits 0 whenever it wrote them, whatever the score.

Standard library only: it runs under the runner's Python before anything is installed. The
bundle's pinned requirements are used as they are when this interpreter already has exactly
those versions; otherwise they are installed once into a virtual environment beside the
bundle (or in a temporary folder when the bundle's folder is read-only).
"""
from __future__ import annotations

import base64
import datetime
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import venv
from importlib import metadata
from pathlib import Path

SCHEMA = "classroom50/result/v1"
RESULT = "result.json"
RELEASE_BODY = "release-body.md"
VERDICTS = "verdicts.json"  # what the grading child hands back (see track/classroom50.py)
SETTINGS = "bundle.json"  # written with the bundle: the whole-run budget
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")
MESSAGE_MAX = 500  # characters of a failure in result.json; the release body keeps its first line
WRITE_SLACK_S = 20  # the budget's end: writing the payload, stopping the child
# A single-file bundle (`--single-file`, for `gh teacher autograder set-default`, which uploads
# one file): every other file of the bundle, as a base64 .tar.gz. Empty in a folder bundle.
EMBEDDED = ""
DEFAULT_BUDGET_S = 600  # the grade job stops after 15 minutes, set-up and Release publishing included


def pins(requirements: Path) -> dict[str, str]:
    """`name==version` lines of a requirements file, names normalised as pip does."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def satisfied(requirements: Path) -> bool:
    """This interpreter already has exactly the pinned versions (the runner's own, or a course venv)."""
    for name, version in pins(requirements).items():
        try:
            if metadata.version(name) != version:
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install(requirements: Path, folder: Path) -> Path:
    """A virtual environment at `folder` with the pinned requirements; its interpreter.
    A stamp of the requirements makes a second run in the same folder reuse it."""
    stamp = folder / ".requirements"
    wanted = requirements.read_text(encoding="utf-8")
    if venv_python(folder).exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return venv_python(folder)
    venv.create(folder, with_pip=True, clear=True)
    subprocess.run([str(venv_python(folder)), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                    "-r", str(requirements)], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return venv_python(folder)


def interpreter(bundle: Path) -> Path:
    requirements = bundle / "requirements.txt"
    if satisfied(requirements):
        return Path(sys.executable)
    beside = bundle / ".venv"
    writable = os.access(bundle, os.W_OK)
    print(f"Installing the bundle's requirements into {beside if writable else 'a temporary folder'}...", flush=True)
    return install(requirements, beside if writable else Path(tempfile.mkdtemp(prefix="classroom50-venv-")))


def unpacked(here: Path) -> Path:
    """The bundle's folder: this file's, or a temporary one a single-file bundle unpacks itself into."""
    if not EMBEDDED:
        return here
    folder = Path(tempfile.mkdtemp(prefix="classroom50-bundle-"))
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(EMBEDDED)), mode="r:gz") as archive:
        archive.extractall(folder, filter="data")
    return folder


# --- what is graded: the bundle's manifests -------------------------------------------

def manifest(bundle: Path) -> list[dict]:
    """Every exercise of the course, in order, as the bundle's chapter manifests list them."""
    entries = []
    for path in sorted((bundle / "chapters").glob("ch[0-9][0-9]_*/chapter.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        package = path.parent.name
        entries += [{"package": package, "chapter": int(package[2:4]), "title": data["title"], "exercise": e["id"],
                     "points": int(e["points"]), "score": 0, "message": None} for e in data["exercises"]]
    return entries


def budget(bundle: Path) -> float:
    settings = bundle / SETTINGS
    return float(json.loads(settings.read_text(encoding="utf-8"))["budget_s"]) if settings.exists() else DEFAULT_BUDGET_S


def grade(bundle: Path, checkout: Path, python: Path, seconds: float) -> tuple[dict[tuple[str, str], dict], str | None]:
    """The verdict of each exercise, graded by a child with the bundle as its working directory
    (so `track` and `tests` are the bundle's), and why the run as a whole failed, if it did."""
    with tempfile.TemporaryDirectory(prefix="classroom50-") as scratch:
        out = Path(scratch) / VERDICTS
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
        command = [str(python), "-m", "track.classroom50", str(checkout), str(out), f"{seconds:.0f}"]
        child = subprocess.Popen(command, cwd=bundle, env=env, start_new_session=True)
        try:
            child.wait(timeout=seconds + WRITE_SLACK_S)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):  # the child's own children (graders, servers) too
                os.killpg(child.pid, signal.SIGKILL)
            else:
                child.kill()
            child.wait()
            return {}, f"Grading did not finish within the whole run's budget of {seconds:.0f} s and was stopped."
        if not out.exists():
            return {}, f"The grading child exited {child.returncode} without a verdict (see the log above)."
        found = json.loads(out.read_text(encoding="utf-8"))
    return {(v["package"], v["exercise"]): v for v in found}, None


# --- the payload ------------------------------------------------------------------------

def shortened(message: str | None) -> str | None:
    return message if message is None or len(message) <= MESSAGE_MAX else message[:MESSAGE_MAX - 1] + "…"


def tests_of(entries: list[dict]) -> list[dict]:
    tests = []
    for entry in entries:
        test = {"test-name": f"ch{entry['chapter']:02d}/{entry['exercise']}", "passed": entry["score"] == entry["points"],
                "score": entry["score"], "max-score": entry["points"]}
        if not test["passed"]:
            test["message"] = shortened(entry["message"]) or "not graded"
        tests.append(test)
    return tests


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def committed_at(checkout: Path) -> str:
    """The graded commit's committer date (the wiki's `datetime`); now, outside a git checkout."""
    try:
        shown = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%cI"], capture_output=True,
                               text=True, timeout=10, check=True).stdout.strip()
        return utc(datetime.datetime.fromisoformat(shown))
    except (OSError, ValueError, subprocess.SubprocessError):
        return utc(datetime.datetime.now(datetime.timezone.utc))


def result(entries: list[dict], checkout: Path) -> dict:
    """`result.json` as Advanced-Autograding documents it; owner and assignment_type are the runner's to stamp."""
    tests = tests_of(entries)
    commit = os.environ.get("COMMIT_URL", "")
    return {
        "schema": SCHEMA,
        "classroom": os.environ.get("CLASSROOM", ""),
        "assignment": os.environ.get("ASSIGNMENT", ""),
        "submission": os.environ.get("SUBMISSION_TAG", ""),
        "commit": commit,
        "release": os.environ.get("RELEASE_URL", ""),
        "review": os.environ.get("REVIEW_URL") or commit,
        "datetime": committed_at(checkout),
        "graded_at": utc(datetime.datetime.now(datetime.timezone.utc)),
        "score": sum(t["score"] for t in tests),
        "max-score": sum(t["max-score"] for t in tests),
        "tests": tests,
    }


def cell(text: str) -> str:
    """One line of a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def release_body(entries: list[dict], trouble: str | None) -> str:
    """The Release's text: the score, a table per chapter, then each lost exercise's first failure."""
    score, points = sum(e["score"] for e in entries), sum(e["points"] for e in entries)
    lines = [f"## Flask Learning Track: {score}/{points}", ""]
    if trouble:
        lines += [f"> **Grading stopped early:** {cell(trouble)}", ""]
    for package in dict.fromkeys(e["package"] for e in entries):
        mine = [e for e in entries if e["package"] == package]
        lines += [f"### Chapter {mine[0]['chapter']}: {mine[0]['title']} — "
                  f"{sum(e['score'] for e in mine)}/{sum(e['points'] for e in mine)}", "",
                  "| Exercise | Points | Result |", "|---|---|---|"]
        lines += [f"| `{e['exercise']}` | {e['score']}/{e['points']} | "
                  f"{'passed' if e['score'] == e['points'] else cell((e['message'] or 'not graded').splitlines()[0])} |"
                  for e in mine]
        lines.append("")
    lost = [e for e in entries if e["score"] != e["points"] and e["message"]]
    if lost:
        lines += ["### First failure of each lost exercise", ""]
        for e in lost:
            lines += [f"**ch{e['chapter']:02d}/{e['exercise']}**", "", "```text", shortened(e["message"]).replace("```", "'''"), "```", ""]
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    bundle, checkout = unpacked(Path(__file__).resolve().parent), Path.cwd()
    entries = manifest(bundle)
    try:
        python = interpreter(bundle)
        left = budget(bundle) - (time.monotonic() - started) - WRITE_SLACK_S  # the install came out of it
        found, trouble = grade(bundle, checkout, python, max(left, WRITE_SLACK_S))
    except (OSError, subprocess.CalledProcessError) as error:
        found, trouble = {}, f"The grader could not be set up: {error}"
    finally:
        if EMBEDDED:  # the folder it unpacked itself into
            shutil.rmtree(bundle, ignore_errors=True)
    for entry in entries:
        entry.update({k: v for k, v in found.get((entry["package"], entry["exercise"]), {}).items()
                      if k in ("score", "message")})
        if trouble and (entry["package"], entry["exercise"]) not in found:
            entry["message"] = trouble
    Path(RESULT).write_text(json.dumps(result(entries, checkout), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    Path(RELEASE_BODY).write_text(release_body(entries, trouble), encoding="utf-8")
    total = sum(e["score"] for e in entries)
    print(f"Wrote {RESULT} and {RELEASE_BODY}: {total}/{sum(e['points'] for e in entries)} "
          f"in {time.monotonic() - started:.0f} s.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
