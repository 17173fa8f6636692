"""The course CLI: `python -m track VERB ...` (the Makefile calls the same verbs)."""
from __future__ import annotations

import argparse
import difflib
import importlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from track import classroom, hints, live, watching
from track.course import ROOT, STATE, Chapter, chapter, chapters
from track.grading import GradingError, first_unsolved, grade, solved
from track.lessons import refreshed
from track.stubs import stale_stubs, write_stubs

PASS, FAIL = "✔", "✘"


def load_app(chap: Chapter, solution: bool):
    package = "solutions" if solution else "chapters"
    return importlib.import_module(f"{package}.{chap.package}.app").create_app()


def explain_todos(app, chap: Chapter) -> None:
    """An unwritten exercise answers 501 naming its TODO, instead of a bare 500, in the browser."""
    def not_written(error: NotImplementedError):
        return (f"501 Not Implemented: {error or 'an exercise'} in chapters/{chap.package}/ is not written yet.\n"
                f"`make chapter-{chap.number} check` says what it should do; `make chapter-{chap.number} hint` helps.\n"), 501

    app.register_error_handler(NotImplementedError, not_written)


def cmd_run(args) -> int:
    from track.server import serve  # imports gevent: only when serving

    chap = chapter(args.chapter)
    app = load_app(chap, args.solution)
    if not args.solution:
        explain_todos(app, chap)
    serve(app, host=args.host, port=args.port, dev=args.dev)
    return 0


def cmd_serve_prod(args) -> int:
    chap = chapter(args.chapter)
    package = "solutions" if args.solution else "chapters"
    config = ROOT / package / chap.package / "gunicorn.conf.py"
    if not config.exists():
        raise SystemExit(f"Chapter {chap.number} has no gunicorn.conf.py; serve-prod is for chapter 10.")
    command = [sys.executable, "-m", "gunicorn", "-c", str(config), f"{package}.{chap.package}.app:create_app()"]
    os.execv(command[0], command)


def exercise_lines(results: dict, chap: Chapter) -> list[str]:
    by_id = {e["id"]: e for e in results["exercises"] if e["chapter"] == chap.package}
    lines = []
    for number, exercise in enumerate(chap.exercises, 1):
        found = by_id.get(exercise.id)
        ok = found is not None and found["status"] == "pass"
        earned = exercise.points if ok else 0
        tests = f"{found['tests'] - found['failed']}/{found['tests']} tests" if found else "no tests ran"
        lines.append(f"  {PASS if ok else FAIL} {number}. {exercise.id:<18} {earned}/{exercise.points} pt   {tests}   {exercise.title}")
    return lines


def report_check(results: dict, chap: Chapter) -> bool:
    """Print the verdict for one chapter; True when every exercise passes."""
    done = solved(results, chap)
    print(f"Chapter {chap.number}: {chap.title}  ({len(done)}/{len(chap.exercises)} exercises)")
    print("\n".join(exercise_lines(results, chap)))
    failing = first_unsolved(results, chap)
    if failing is None:
        print(f"\nAll exercises pass. Compare with the reference: `python -m track solution {chap.number}`.")
        return True
    print(f"\nFirst to fix: {failing['id']}\n")
    print("  " + (failing["message"] or "(no message)").replace("\n", "\n  "))
    print(f"\nStuck? `python -m track hint {chap.number}` shows the next hint.")
    return False


def check_chapter(chap: Chapter) -> bool:
    try:
        results = grade([chap])
    except GradingError as error:
        print(f"Could not grade chapter {chap.number}:\n{error}")
        return False
    save_results(chap, results)
    return report_check(results, chap)


def save_results(chap: Chapter, results: dict) -> None:
    folder = STATE / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{chap.package}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


def cmd_check(args) -> int:
    return 0 if check_chapter(chapter(args.chapter)) else 1


def cmd_hint(args) -> int:
    chap = chapter(args.chapter)
    failing = first_unsolved(grade([chap]), chap)
    if failing is None:
        print(f"Chapter {chap.number} is solved: no hint needed. Next: `python -m track check {chap.number + 1}`.")
        return 0
    print(hints.next_hint(chap, chap.exercise(failing["id"])))
    return 0


def cmd_watch(args) -> int:
    return watching.watch(chapter(args.chapter) if args.chapter else None, check_chapter)


def confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def cmd_reset(args) -> int:
    chap = chapter(args.chapter)
    if not args.yes and not confirm(f"Replace your work in {chap.learner_dir.relative_to(ROOT)} with the pristine stub?"):
        print("Nothing changed.")
        return 1
    backup = STATE / "backups" / f"{chap.package}-{time.strftime('%Y%m%d-%H%M%S')}"
    shutil.copytree(chap.learner_dir, backup, ignore=shutil.ignore_patterns("__pycache__"))
    written = write_stubs(chap, chap.learner_dir)
    hints.forget(chap)
    print(f"Restored {len(written)} files of chapter {chap.number}; your previous version is in {backup.relative_to(ROOT)}.")
    return 0


def solution_diff(chap: Chapter) -> str:
    chunks = []
    for path in sorted(chap.solution_dir.rglob("*.py")):
        relative = path.relative_to(chap.solution_dir)
        mine = chap.learner_dir / relative
        ours = mine.read_text(encoding="utf-8").splitlines(keepends=True) if mine.exists() else []
        chunks.extend(difflib.unified_diff(
            ours, path.read_text(encoding="utf-8").splitlines(keepends=True),
            fromfile=f"yours: chapters/{chap.package}/{relative}", tofile=f"reference: solutions/{chap.package}/{relative}",
        ))
    return "".join(chunks)


def cmd_solution(args) -> int:
    chap = chapter(args.chapter)
    if not args.force:
        results = grade([chap])
        if first_unsolved(results, chap) is not None:
            print(f"Chapter {chap.number} does not pass yet: solve it first and compare afterwards "
                  f"(or `python -m track solution {chap.number} --force`).")
            return 1
    print(solution_diff(chap) or "Your files match the reference solution exactly.")
    return 0


def progress_rows(results: dict) -> list[tuple]:
    rows = []
    for chap in chapters():
        done = solved(results, chap)
        earned = sum(e.points for e in chap.exercises if e.id in done)
        if len(done) == len(chap.exercises):
            step = "done"
        else:
            step = f"make chapter-{chap.number} check"
        rows.append((chap.number, chap.title, f"{len(done)}/{len(chap.exercises)}", f"{earned}/{chap.points}", step))
    return rows


def print_table(header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def cmd_list(args) -> int:
    rows = progress_rows(grade(chapters()))
    print_table(("N", "Chapter", "Solved"), [row[:3] for row in rows])
    return 0


def cmd_progress(args) -> int:
    rows = progress_rows(grade(chapters()))
    print_table(("N", "Chapter", "Exercises", "Points", "Next step"), rows)
    following = next((row for row in rows if row[4] != "done"), None)
    print(f"\nNext: `{following[4]}`." if following else "\nEvery chapter is solved. Well done!")
    return 0


def cmd_grade(args) -> int:
    if args.root:
        return classroom.grade_students(args.root, args.csv, args.json)
    extra = [f"--junitxml={args.junitxml}"] if args.junitxml else []
    results = grade(chapters(), target=args.target, extra=extra)
    print_table(("N", "Chapter", "Exercises", "Points", "Next step"), progress_rows(results))
    print(f"\nScore: {results['score']}/{results['max_score']} ({results['status']})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Wrote {args.json}")
    return 0


def cmd_demo(args) -> int:
    return live.run_demo(chapter(args.chapter), args.solution)


def cmd_stubs(args) -> int:
    """Maintainers: regenerate (or with --check, verify) the learners' stubs from the solutions."""
    selected = [chapter(args.chapter)] if args.chapter else list(chapters())
    if args.check:
        stale = [path for chap in selected for path in stale_stubs(chap)]
        print("\n".join(f"stale: {path}" for path in stale) or "All stubs match their solutions.")
        return 1 if stale else 0
    for chap in selected:
        write_stubs(chap, chap.learner_dir)
        print(f"Wrote the stubs of chapter {chap.number}")
    return 0


def cmd_snippets(args) -> int:
    """Maintainers: copy every snippet's source into the lessons."""
    selected = [chapter(args.chapter)] if args.chapter else list(chapters())
    for chap in selected:
        for lesson in (chap.learner_dir / "README.md", chap.learner_dir / "README.zh-CN.md"):
            if lesson.exists():
                lesson.write_text(refreshed(lesson), encoding="utf-8")
                print(f"Refreshed {lesson.relative_to(ROOT)}")
    return 0


def cmd_matrix(args) -> int:
    """Maintainers: the leave-one-out matrix (see track/matrix.py); exit 1 on any shared verdict."""
    from track import matrix

    def statuses(chap: Chapter, folder: Path) -> dict[str, str]:
        results = grade([chap], target=str(folder))
        return {e["id"]: e["status"] for e in results["exercises"] if e["chapter"] == chap.package}

    selected = [chapter(args.chapter)] if args.chapter else list(chapters())
    found = [problem for chap in selected for problem in matrix.check_chapter(chap, statuses)]
    print("\n".join(found) or "Every exercise is graded on its own code.")
    return 1 if found else 0


def cmd_setup(args) -> int:
    print(f"Ready: {sys.executable}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m track", description="The Flask Learning Track course CLI.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name, handler, help_text, chapter_arg="required"):
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        if chapter_arg == "required":
            sub.add_argument("chapter", help="chapter number, e.g. 1")
        elif chapter_arg == "optional":
            sub.add_argument("chapter", nargs="?", help="chapter number (default: all / first unsolved)")
        sub.set_defaults(handler=handler)
        return sub

    verb("list", cmd_list, "chapters with their titles and how many exercises are solved", None)
    run = verb("run", cmd_run, "serve a chapter (gevent WSGIServer; --dev for Flask's dev server)")
    run.add_argument("--solution", action="store_true", help="serve the reference solution instead of your copy")
    run.add_argument("--dev", action="store_true", help="Flask's development server with reloader and debugger (loopback only)")
    run.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=5000, help="port (default 5000; 0 picks a free one)")
    prod = verb("serve-prod", cmd_serve_prod, "serve a chapter under gunicorn with its gunicorn.conf.py (chapter 10)")
    prod.add_argument("--solution", action="store_true", help="serve the reference solution")
    verb("check", cmd_check, "grade your copy of a chapter, one line per exercise")
    verb("hint", cmd_hint, "show the next hint for the first unsolved exercise")
    verb("watch", cmd_watch, "re-check a chapter whenever one of its files is saved", "optional")
    reset = verb("reset", cmd_reset, "restore the pristine stub of a chapter (asks first; keeps a backup)")
    reset.add_argument("--yes", action="store_true", help="do not ask")
    sol = verb("solution", cmd_solution, "diff your files against the reference once the chapter passes")
    sol.add_argument("--force", action="store_true", help="show it even though the chapter does not pass yet")
    verb("progress", cmd_progress, "a table of every chapter: exercises, points, next step", None)
    grade_cmd = verb("grade", cmd_grade, "grade every chapter (teachers: --root for students' clones)", None)
    grade_cmd.add_argument("--json", metavar="FILE", help="write results.json (exercism / GitHub Classroom shape)")
    grade_cmd.add_argument("--junitxml", metavar="FILE", help="also write pytest's JUnit XML report")
    grade_cmd.add_argument("--target", default="chapters", help="chapters (default) or solutions")
    grade_cmd.add_argument("--root", action="append", metavar="PATH", help="a student's clone; repeat for a class")
    grade_cmd.add_argument("--csv", metavar="FILE", help="with --root: one row per student")
    demo_cmd = verb("demo", cmd_demo, "classroom walkthrough: start the chapter, run its client.py, print each exchange")
    demo_cmd.add_argument("--solution", action="store_true", help="demo the reference solution")
    stubs = verb("stubs", cmd_stubs, "maintainers: regenerate the learners' stubs from the solutions", "optional")
    stubs.add_argument("--check", action="store_true", help="only report stubs that are out of date")
    verb("matrix", cmd_matrix, "maintainers: prove each exercise is graded on its own code", "optional")
    verb("snippets", cmd_snippets, "maintainers: copy snippet sources into the lessons", "optional")
    verb("setup", cmd_setup, "create .venv and install the pinned requirements", None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except GradingError as error:
        print(f"Grading failed before any verdict:\n{error}", file=sys.stderr)
        return 2
