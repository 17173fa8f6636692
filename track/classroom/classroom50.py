"""Classroom 50: the autograder bundle (`python -m track autograder --out DIR`) and its grading child.

The bundle is what a teacher commits to their `classroom50` configuration repository: the
entry script (track/classroom/autograder.py, standard library only) as `autograder.py`, and beside it
the course's engine (`track/`), graders (`tests/`, without the course's own tests and the
typical-mistakes catalogs, which quote the solutions), `pyproject.toml` (pytest's settings),
the pinned `requirements.txt` and, per chapter, what grading reads of the course but never a
solution: the manifest, the files given to learners whole (chapter 11's todo.py), and the
names of the helper functions the course provides (so a failure in one is explained as in
the course). `solutions/` is not in it: the student's code runs next to nothing to copy.
`--single-file` packs all of it into the one `autograder.py` that `gh teacher autograder
set-default` uploads (a classroom default has no sibling files).

`python -m track.classroom.classroom50 CHECKOUT OUT SECONDS` is the child the entry script starts: it
grades CHECKOUT's chapters/ with the class grader `grade --root` uses (a scratch copy, the
integrity scan, the sandbox where the machine has one, the verdict judged outside it), with
time limits that fit SECONDS, and writes each exercise's points and first failure to OUT.
"""
from __future__ import annotations

import base64
import io
import json
import os
import shutil
import sys
import tarfile
from pathlib import Path

from track.classroom import grade as classroom
from track.classroom import autograder
from track.model.bootstrap import ROOT
from track.classroom.class_report import exercise_column
from track.model.course import Chapter, UsageError, chapters
from track.grading.engine import SLACK_S
from track.model.i18n import _, language, translations
from track.model.results import ChapterResult, RunResult, Status

NOT_GRADERS = ("course", "mistakes")  # tests/ folders that test the course itself or quote the solutions
SKIPPED = ("__pycache__", "*.pyc", ".*")


# --- the bundle ---------------------------------------------------------------------------

def given_whole(chapter: Chapter) -> list[Path]:
    """Files of the reference that every learner receives unchanged (no exercise inside)."""
    from track.model.stubs import stub_files

    return [relative for relative, content in stub_files(chapter).items()
            if relative.suffix == ".py" and (chapter.solution_dir / relative).read_bytes() == content
            and relative.name != "__init__.py"]


def write_chapter(chapter: Chapter, folder: Path) -> None:
    from track.grading.explain import PROVIDED, provided_functions

    folder.mkdir(parents=True)
    shutil.copy2(chapter.learner_dir / "chapter.toml", folder / "chapter.toml")
    for relative in given_whole(chapter):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(chapter.solution_dir / relative, folder / relative)
    (folder / PROVIDED).write_text(json.dumps(sorted(provided_functions(chapter)), indent=1) + "\n", encoding="utf-8")


def not_graders(folder: str, names: list[str]) -> set[str]:
    """What `tests/` holds that is no grader (shutil.copytree's `ignore`)."""
    skipped = set(shutil.ignore_patterns(*SKIPPED)(folder, names))
    return skipped | set(NOT_GRADERS).intersection(names) if Path(folder) == ROOT / "tests" else skipped


def packed(out: Path) -> None:
    """Turn the folder bundle in `out` into one autograder.py that carries the other files."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for path in sorted(out.iterdir()):
            if path.name != "autograder.py":
                tar.add(path, arcname=path.name)
    entry = out / "autograder.py"
    source = entry.read_text(encoding="utf-8")
    assert source.count('\nEMBEDDED = ""\n') == 1, "track/classroom/autograder.py declares EMBEDDED once"
    entry.write_text(source.replace('\nEMBEDDED = ""\n', f'\nEMBEDDED = "{base64.b64encode(archive.getvalue()).decode()}"\n'),
                     encoding="utf-8")
    for path in out.iterdir():
        if path != entry:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def is_bundle(folder: Path) -> bool:
    """`folder` holds a bundle written before: a folder bundle, or a single-file one."""
    entry = folder / "autograder.py"
    return (folder / "bundle.json").is_file() or (
        [p.name for p in folder.iterdir()] == [entry.name] and '\nEMBEDDED = "H4sI' in entry.read_text(encoding="utf-8"))


def write_bundle(out: Path, budget_s: float = autograder.DEFAULT_BUDGET_S, single_file: bool = False, language: str = "en") -> Path:
    """The bundle in `out` (created, or replaced if it holds an earlier bundle); its entry script.
    With `single_file`, that script alone, the other files packed inside it. `language` (en, zh):
    the students', for the messages and the Release text."""
    if out.exists() and any(out.iterdir()):
        if not is_bundle(out):
            raise UsageError(_("{path} is not empty and holds no earlier bundle: pick a new folder.").format(path=out))
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(autograder.__file__, out / "autograder.py")
    shutil.copytree(ROOT / "track", out / "track", ignore=shutil.ignore_patterns(*SKIPPED, "web"))
    shutil.copytree(ROOT / "tests", out / "tests", ignore=not_graders)
    for chapter in chapters():
        write_chapter(chapter, out / "chapters" / chapter.package)
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy2(ROOT / name, out / name)
    (out / "bundle.json").write_text(json.dumps({"budget_s": budget_s, "language": language}) + "\n", encoding="utf-8")
    if single_file:
        packed(out)
    return out / "autograder.py"


# --- the grading child ----------------------------------------------------------------------

def first_failure(exercise_id: str, result: ChapterResult | None, reasons: list[str]) -> str:
    """Why an exercise earned nothing: its first failing test, or why its chapter was not graded."""
    found = next((e for e in result.exercises if e.id == exercise_id), None) if result else None
    if found is not None and found.status == Status.BLOCKED:
        return _("not graded: it needs `{exercise}`, which does not pass yet").format(exercise=found.blocked_by)
    if found is not None and found.message:
        return found.message
    if result is not None and result.error is not None:
        return result.error.message
    return "; ".join(reasons) or Status.NOT_RUN.label


def grader_timeout(seconds: float, count: int, jobs: int) -> float:
    """Each grader test's time limit: `count` chapters, `jobs` at a time, each stopped after its
    budget (two time limits, track/classroom/student_run.py) and some slack, end within `seconds`. All of
    the run's time is handed out: a runner busy with other work does not cost a solved chapter."""
    share = (seconds - SLACK_S) * jobs / count - SLACK_S
    return max(1.0, share / 2)


def verdicts(checkout: Path, seconds: float, graded: list[Chapter] | None = None, jobs: int | None = None) -> dict:
    """Each exercise's points and first failure (`exercises`), graded as `grade --root CHECKOUT`
    grades a student, and how the student's code was isolated (`isolation`)."""
    graded = list(graded or chapters())
    jobs = jobs or os.cpu_count() or 1
    translations(language())  # compiled here, where writing them is allowed: the sandbox reads them
    options = classroom.Options([str(checkout)], jobs=jobs, timeout_s=grader_timeout(seconds, len(graded), jobs),
                                reuse=False)
    [student] = classroom.students_of(options.roots, None, {})
    grader = classroom.Grader(options, [student], graded)
    grader.run()
    row, run = grader.rows[student.key], grader.verdicts.get(student.key, RunResult())
    folders = [f"{folder}/" for folder in (student.tree, ROOT) if folder is not None]  # named relative to them
    found = []
    for chapter in graded:
        result = run.chapter(chapter.package)
        for exercise in chapter.exercises:
            score = row.exercises[exercise_column(chapter, exercise.id)]
            message = None if score == exercise.points else first_failure(exercise.id, result, row.reason)
            for folder in folders if message else ():  # chapters/... and tests/..., not where they were copied
                message = message.replace(folder, "")
            found.append({"package": chapter.package, "exercise": exercise.id, "score": score, "message": message})
    return {"isolation": row.sandbox, "exercises": found}


def main(argv: list[str]) -> int:
    checkout, out, seconds = Path(argv[0]).resolve(), Path(argv[1]), float(argv[2])
    out.write_text(json.dumps(verdicts(checkout, seconds), ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
