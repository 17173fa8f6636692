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
VERDICTS = "verdicts.json"  # what the grading child hands back (see track/classroom/classroom50.py)
SETTINGS = "bundle.json"  # written with the bundle: the whole-run budget and the students' language
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")
MESSAGE_MAX = 500  # characters of a failure in result.json; the release body keeps its first line
WRITE_SLACK_S = 20  # the budget's end: writing the payload, stopping the child
# A single-file bundle (`--single-file`, for `gh teacher autograder set-default`, which uploads
# one file): every other file of the bundle, as a base64 .tar.gz. Empty in a folder bundle.
EMBEDDED = ""
DEFAULT_BUDGET_S = 600  # the grade job stops after 15 minutes, set-up and Release publishing included
# This script's own texts, in the bundle's language (`--lang`; the graders' messages come from
# the course's catalogs, which the grading child reads with TRACK_LANG set to it).
TEXTS = {
    "heading": ("## Flask Learning Track: {score}/{points}", "## Flask 学习路线：{score}/{points}"),
    "stopped": ("> **Grading stopped early:** {why}", "> **评分提前停止：** {why}"),
    "isolation": ("Student code ran {how}.", "学生代码的运行方式：{how}。"),
    "chapter": ("### Chapter {n}: {title} — {score}/{points}", "### 第 {n} 章：{title} — {score}/{points}"),
    "columns": ("| Exercise | Points | Result |", "| 练习 | 分数 | 结果 |"),
    "passed": ("passed", "通过"),
    "not_graded": ("not graded", "未评分"),
    "first_failures": ("### First failure of each lost exercise", "### 每个失分练习的第一个失败"),
    "overrun": ("Grading did not finish within the whole run's budget of {seconds} s and was stopped.",
                "评分没有在整次运行的 {seconds} 秒预算内完成，已被停止。"),
    "no_verdict": ("The grading child exited {code} without a verdict (see the log).",
                   "评分子进程以 {code} 退出，没有给出结果（见日志）。"),
    "no_setup": ("The grader could not be set up: {error}", "评分程序无法准备就绪：{error}"),
}


def say(key: str, language: str, **values) -> str:
    english, chinese = TEXTS[key]
    return (chinese if language == "zh" else english).format(**values)


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

def manifest(bundle: Path, language: str) -> list[dict]:
    """Every exercise of the course, in order, as the bundle's chapter manifests list them."""
    entries = []
    for path in sorted((bundle / "chapters").glob("ch[0-9][0-9]_*/chapter.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        package = path.parent.name
        entries += [{"package": package, "chapter": int(package[2:4]), "title": data["title_zh" if language == "zh" else "title"], "exercise": e["id"],
                     "points": int(e["points"]), "score": 0, "message": None} for e in data["exercises"]]
    return entries


def settings(bundle: Path) -> dict:
    """`budget_s` (the whole run, seconds) and `language` (`en` or `zh`)."""
    path = bundle / SETTINGS
    return {"budget_s": DEFAULT_BUDGET_S, "language": "en",
            **(json.loads(path.read_text(encoding="utf-8")) if path.exists() else {})}


def grade(bundle: Path, checkout: Path, python: Path, seconds: float, language: str) -> tuple[dict, str | None]:
    """What a child with the bundle as its working directory (so `track` and `tests` are the
    bundle's) found (see track/classroom/classroom50.py: `exercises`, `isolation`), and why the run as a
    whole failed, if it did."""
    with tempfile.TemporaryDirectory(prefix="classroom50-") as scratch:
        out = Path(scratch) / VERDICTS
        env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")},
               "TRACK_LANG": language}
        command = [str(python), "-m", "track.classroom.classroom50", str(checkout), str(out), f"{seconds:.0f}"]
        child = subprocess.Popen(command, cwd=bundle, env=env, start_new_session=True)
        try:
            child.wait(timeout=seconds + WRITE_SLACK_S)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):  # the child's own children (graders, servers) too
                os.killpg(child.pid, signal.SIGKILL)
            else:
                child.kill()
            child.wait()
            return {"exercises": []}, say("overrun", language, seconds=f"{seconds:.0f}")
        if not out.exists():
            return {"exercises": []}, say("no_verdict", language, code=child.returncode)
        return json.loads(out.read_text(encoding="utf-8")), None


# --- the payload ------------------------------------------------------------------------

def shortened(message: str | None) -> str | None:
    return message if message is None or len(message) <= MESSAGE_MAX else message[:MESSAGE_MAX - 1] + "…"


def tests_of(entries: list[dict], language: str) -> list[dict]:
    tests = []
    for entry in entries:
        test = {"test-name": f"ch{entry['chapter']:02d}/{entry['exercise']}", "passed": entry["score"] == entry["points"],
                "score": entry["score"], "max-score": entry["points"]}
        if not test["passed"]:
            test["message"] = shortened(entry["message"]) or say("not_graded", language)
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


def result(entries: list[dict], checkout: Path, language: str) -> dict:
    """`result.json` as Advanced-Autograding documents it; owner and assignment_type are the runner's to stamp."""
    tests = tests_of(entries, language)
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


def outcome(entry: dict, language: str) -> str:
    if entry["score"] == entry["points"]:
        return say("passed", language)
    return cell((entry["message"] or say("not_graded", language)).splitlines()[0])


def release_body(entries: list[dict], trouble: str | None, isolation: str | None, language: str) -> str:
    """The Release's text: the score, how the code was isolated, a table per chapter, then each
    lost exercise's first failure."""
    lines = [say("heading", language, score=sum(e["score"] for e in entries), points=sum(e["points"] for e in entries)), ""]
    if isolation:
        lines += [say("isolation", language, how=isolation), ""]
    if trouble:
        lines += [say("stopped", language, why=cell(trouble)), ""]
    for package in dict.fromkeys(e["package"] for e in entries):
        mine = [e for e in entries if e["package"] == package]
        lines += [say("chapter", language, n=mine[0]["chapter"], title=mine[0]["title"], score=sum(e["score"] for e in mine),
                      points=sum(e["points"] for e in mine)), "", say("columns", language), "|---|---|---|"]
        lines += [f"| `{e['exercise']}` | {e['score']}/{e['points']} | {outcome(e, language)} |" for e in mine]
        lines.append("")
    lost = [e for e in entries if e["score"] != e["points"] and e["message"]]
    if lost:
        lines += [say("first_failures", language), ""]
        for e in lost:
            lines += [f"**ch{e['chapter']:02d}/{e['exercise']}**", "", "```text", shortened(e["message"]).replace("```", "'''"), "```", ""]
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    bundle, checkout = unpacked(Path(__file__).resolve().parent), Path.cwd()
    chosen = settings(bundle)
    language = chosen["language"]
    entries = manifest(bundle, language)
    try:
        python = interpreter(bundle)
        left = float(chosen["budget_s"]) - (time.monotonic() - started) - WRITE_SLACK_S  # the install came out of it
        report, trouble = grade(bundle, checkout, python, max(left, WRITE_SLACK_S), language)
    except (OSError, subprocess.CalledProcessError) as error:
        report, trouble = {"exercises": []}, say("no_setup", language, error=error)
    finally:
        if EMBEDDED:  # the folder it unpacked itself into
            shutil.rmtree(bundle, ignore_errors=True)
    found = {(v["package"], v["exercise"]): v for v in report["exercises"]}
    for entry in entries:
        entry.update({k: v for k, v in found.get((entry["package"], entry["exercise"]), {}).items()
                      if k in ("score", "message")})
        if trouble and (entry["package"], entry["exercise"]) not in found:
            entry["message"] = trouble
    Path(RESULT).write_text(json.dumps(result(entries, checkout, language), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    Path(RELEASE_BODY).write_text(release_body(entries, trouble, report.get("isolation"), language), encoding="utf-8")
    total = sum(e["score"] for e in entries)
    print(f"Wrote {RESULT} and {RELEASE_BODY}: {total}/{sum(e['points'] for e in entries)} "
          f"in {time.monotonic() - started:.0f} s.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
