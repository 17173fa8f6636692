"""The course CLI: `python -m track VERB ...` (the Makefile calls the same verbs).

Exit codes, the same in every verb: 0 done (or every exercise passes), 1 something fails
or was declined, 2 the command could not do its job (an unknown chapter, a chapter that
cannot be graded, a busy port). Modules that import Flask, pytest or gevent are imported
inside the verbs that need them, so `list` and `progress` answer from the cache quickly.
"""
from __future__ import annotations

import argparse
import difflib
import shutil
import sys
import time
import traceback
from pathlib import Path

from track import grading, hints, verdict
from track.course import ROOT, STATE, Chapter, UsageError, chapter, chapters
from track.i18n import _
from track.results import ChapterResult, RunResult
from track.ui import command, shown


# --- the learner's verbs ----------------------------------------------------------------

def cmd_check(args) -> int:
    chap = chapter(args.chapter)
    result = grading.check(chap)
    print(verdict.report(chap, result, verdict.terminal_width()))
    return RunResult([result]).exit_code()


def cmd_hint(args) -> int:
    chap = chapter(args.chapter)
    result = grading.check(chap)
    if result.error is not None:
        text = _("Chapter {n} does not load yet, so no exercise can be graded:\n\n{error}\n\n"
                 "Open the file at the line named above. Python stops at the first problem it meets; the cause is "
                 "often on that line or just before it (an unclosed bracket, a missing colon, a renamed function).").format(
            n=chap.number, error=result.error.message)
        print("\n".join(verdict.wrapped(text, verdict.WIDTH, indent="")))
        return 2
    failing = result.first_unsolved()
    if failing is None:
        following = next((c for c in chapters() if c.number > chap.number), None)
        nxt = _(" Next: `{check}`.").format(check=command("check", following.number)) if following else ""
        print(_("Chapter {n} is solved: no hint needed.").format(n=chap.number) + nxt)
        return 0
    exercise_id = failing.blocked_by or failing.id
    first_test = next((t.name for t in result.tests if t.exercise == exercise_id and t.status != "pass"), None)
    if failing.blocked_by:
        print(_("`{id}` waits for `{other}`: here is a hint for `{other}`.\n").format(id=failing.id, other=failing.blocked_by))
    print(hints.next_hint(chap, chap.exercise(exercise_id), first_test))
    return 0


def cmd_watch(args) -> int:
    from track import watching

    return watching.watch(chapter(args.chapter) if args.chapter else None)


def confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def cmd_reset(args) -> int:
    from track.stubs import stub_files

    chap = chapter(args.chapter)
    pristine = stub_files(chap)
    changed = [relative for relative, content in pristine.items()
               if not (chap.learner_dir / relative).is_file() or (chap.learner_dir / relative).read_bytes() != content]
    if not changed:
        print(_("chapters/{package}/ already holds the pristine stub: nothing to reset.").format(package=chap.package))
        return 0
    names = ", ".join(path.as_posix() for path in changed)
    print(_("Reset would replace {count} file(s) in chapters/{package}/: {names}.").format(
        count=len(changed), package=chap.package, names=names))
    if not args.yes and not confirm(_("Replace them with the pristine stub? A backup of your version is kept in .track/backups/.")):
        print(_("Nothing changed."))
        return 1
    backup = STATE / "backups" / f"{chap.package}-{time.strftime('%Y%m%d-%H%M%S')}"
    shutil.copytree(chap.learner_dir, backup, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    for relative in changed:
        target = chap.learner_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pristine[relative])
    hints.forget(chap)
    print(_("Restored {names}. Your previous version is in {backup}.").format(names=names, backup=shown(backup)))
    return 0


def reference_without_markers(chap: Chapter, path: Path) -> str:
    """A solution file as a learner would have written it: no SOLUTION/STUB markers."""
    from track.stubs import stub_source

    return stub_source(path.read_text(encoding="utf-8"), chap, shown(path), stubbed=())


def solution_diff(chap: Chapter) -> str:
    chunks = []
    for path in sorted(chap.solution_dir.rglob("*.py")):
        relative = path.relative_to(chap.solution_dir)
        mine = chap.learner_dir / relative
        ours = mine.read_text(encoding="utf-8").splitlines(keepends=True) if mine.exists() else []
        chunks.extend(difflib.unified_diff(
            ours, reference_without_markers(chap, path).splitlines(keepends=True),
            fromfile=f"yours: chapters/{chap.package}/{relative.as_posix()}",
            tofile=f"reference: solutions/{chap.package}/{relative.as_posix()}",
        ))
    return "".join(chunks)


def cmd_solution(args) -> int:
    chap = chapter(args.chapter)
    if not args.force:
        result = grading.check(chap)
        if result.first_unsolved() is not None or result.error is not None:
            print(_("Chapter {n} does not pass yet: solve it first and compare afterwards (or `{force}`).").format(
                n=chap.number, force=command("solution", chap.number, "--force")))
            return 1
    print(solution_diff(chap) or _("Your files match the reference solution exactly."))
    return 0


def progress_rows(results: dict[str, ChapterResult]) -> list[tuple]:
    rows = []
    for chap in chapters():
        result = results[chap.package]
        solved = len(result.solved())
        if result.error is not None:
            step = _("fix the error: {check}").format(check=command("check", chap.number))
        elif solved == len(chap.exercises):
            step = _("done")
        else:
            step = command("check", chap.number)
        rows.append((chap.number, _(chap.title), f"{solved}/{len(chap.exercises)}", f"{result.score}/{chap.points}", step))
    return rows


def print_table(header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())


def cmd_list(args) -> int:
    rows = progress_rows(grading.current(chapters()))
    print_table((_("N"), _("Chapter"), _("Solved")), [row[:3] for row in rows])
    return 0


def cmd_progress(args) -> int:
    rows = progress_rows(grading.current(chapters()))
    print_table((_("N"), _("Chapter"), _("Exercises"), _("Points"), _("Next step")), rows)
    following = next((row for row in rows if row[4] != _("done")), None)
    print(_("\nNext: `{step}`.").format(step=following[4]) if following else _("\nEvery chapter is solved. Well done!"))
    return 0


# --- serving ------------------------------------------------------------------------------

def load_app(chap: Chapter, solution: bool):
    import importlib

    package = "solutions" if solution else "chapters"
    return importlib.import_module(f"{package}.{chap.package}.app").create_app()


def loaded_app(chap: Chapter, solution: bool):
    """The chapter's app; a chapter that does not load is one line that says where, not a traceback."""
    try:
        return load_app(chap, solution)
    except Exception as error:
        folder = (chap.solution_dir if solution else chap.learner_dir).resolve()
        if isinstance(error, SyntaxError) and error.filename:
            where = f"{shown(Path(error.filename))}:{error.lineno}: {error.msg}"
        else:
            frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(str(folder))]
            where = f"{shown(Path(frames[-1].filename))}:{frames[-1].lineno}: " if frames else ""
            where += f"{type(error).__name__}: {error}"
        raise UsageError(_("Chapter {n} does not load, so it cannot be served: {where}. `{check}` explains it.").format(
            n=chap.number, where=where, check=command("check", chap.number))) from None


def explain_todos(app, chap: Chapter) -> None:
    """An unwritten exercise answers 501 naming its TODO, instead of a bare 500, in the browser."""
    def not_written(error: NotImplementedError):
        return _("501 Not Implemented: {todo} in chapters/{package}/ is not written yet.\n"
                 "`{check}` says what it should do; `{hint}` helps.\n"
                 "This server runs the code it loaded when it started: after you save, restart it "
                 "(or serve with `{dev}`, which reloads on every save).\n").format(
            todo=error or _("an exercise"), package=chap.package, check=command("check", chap.number),
            hint=command("hint", chap.number), dev=command("run", chap.number, "--dev")), 501

    app.register_error_handler(NotImplementedError, not_written)


def port_advice(error, chap: Chapter) -> str:
    other = command("run", chap.number, f"--port={5001 if error.port != 5001 else 5002}")
    if error.in_use:
        return _("Port {port} on {host} is already in use (is another chapter still running?). "
                 "Stop that server, or use another port: `{other}`.").format(port=error.port, host=error.host, other=other)
    return _("You may not open port {port} on {host} ({reason}; ports below 1024 need administrator rights). "
             "Use another port: `{other}`.").format(port=error.port, host=error.host, reason=error, other=other)


def cmd_run(args) -> int:
    from track.server import PortUnavailable, serve

    chap = chapter(args.chapter)
    app = loaded_app(chap, args.solution)
    if not args.solution:
        explain_todos(app, chap)
    try:
        serve(app, host=args.host, port=args.port, dev=args.dev)
    except PortUnavailable as error:
        raise UsageError(port_advice(error, chap)) from None
    return 0


def cmd_serve_prod(args) -> int:
    import os

    chap = chapter(args.chapter)
    package = "solutions" if args.solution else "chapters"
    config = ROOT / package / chap.package / "gunicorn.conf.py"
    if not config.exists():
        raise UsageError(_("Chapter {n} has no gunicorn.conf.py; serve-prod is for chapter 10.").format(n=chap.number))
    command_line = [sys.executable, "-m", "gunicorn", "-c", str(config), f"{package}.{chap.package}.app:create_app()"]
    os.execv(command_line[0], command_line)


def cmd_demo(args) -> int:
    from track import live

    return live.run_demo(chapter(args.chapter), args.solution)


# --- the teacher's verbs ------------------------------------------------------------------

def cmd_grade(args) -> int:
    from track import classroom, engine

    if args.root:
        return classroom.grade_students(args.root, args.csv, args.json)
    extra = [f"--junitxml={args.junitxml}"] if args.junitxml else []
    run = engine.grade(chapters(), target=args.target, extra=extra)
    results = {chap.package: grading.chapter_result(run, chap) for chap in chapters()}
    print_table((_("N"), _("Chapter"), _("Exercises"), _("Points"), _("Next step")), progress_rows(results))
    print(_("\nScore: {score}/{max} ({status})").format(score=run.score, max=run.max_score, status=run.status))
    if args.json:
        if args.format == "classroom":
            from track.results import classroom_json

            Path(args.json).write_text(classroom_json(run), encoding="utf-8")
        else:
            run.write(Path(args.json))
        print(_("Wrote {path}").format(path=args.json))
    return run.exit_code()


# --- the maintainers' verbs ---------------------------------------------------------------

def selected_chapters(args) -> list[Chapter]:
    return [chapter(args.chapter)] if args.chapter else list(chapters())


def cmd_stubs(args) -> int:
    """Regenerate (or with --check, verify) the learners' stubs from the solutions."""
    from track.stubs import stale_stubs, write_stubs

    if args.check:
        stale = [path for chap in selected_chapters(args) for path in stale_stubs(chap)]
        print("\n".join(f"stale: {path}" for path in stale) or "All stubs match their solutions.")
        return 1 if stale else 0
    for chap in selected_chapters(args):
        write_stubs(chap, chap.learner_dir)
        print(f"Wrote the stubs of chapter {chap.number}")
    return 0


def cmd_snippets(args) -> int:
    """Copy every snippet's source into the lessons."""
    from track.lessons import refreshed

    for chap in selected_chapters(args):
        for lesson in (chap.learner_dir / "README.md", chap.learner_dir / "README.zh-CN.md"):
            if lesson.exists():
                lesson.write_text(refreshed(lesson), encoding="utf-8")
                print(f"Refreshed {shown(lesson)}")
    return 0


def cmd_matrix(args) -> int:
    """The leave-one-out matrix (see track/matrix.py); exit 1 on any verdict that is not its own."""
    from track import matrix

    found, table = matrix.check(selected_chapters(args), jobs=args.jobs)
    if args.table:
        print("\n".join(table) + "\n")
    print("\n".join(found) or "Every exercise is graded on its own code.")
    return 1 if found else 0


def cmd_new(args) -> int:
    from track import scaffold

    for path in scaffold.create(args.number, args.slug):
        print(f"created {shown(path)}")
    print(scaffold.NEXT_STEPS)
    return 0


def cmd_setup(args) -> int:
    print(f"Ready: {sys.executable}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m track", description="The Flask Learning Track course CLI.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name, handler, help_text, chapter_arg="required"):
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        if chapter_arg == "required":
            sub.add_argument("chapter", help="chapter: 1, 01, ch01, chapter-1 or the package name")
        elif chapter_arg == "optional":
            sub.add_argument("chapter", nargs="?", help="chapter (default: all / the first unsolved)")
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
    grade_cmd.add_argument("--json", metavar="FILE", help="write the results as JSON (see --format)")
    grade_cmd.add_argument("--format", choices=("results", "classroom"), default="results",
                           help="results: results.json, one entry per test (exercism v3); classroom: GitHub "
                                "Classroom's grading reporter, one entry per exercise")
    grade_cmd.add_argument("--junitxml", metavar="FILE", help="also write pytest's JUnit XML report")
    grade_cmd.add_argument("--target", default="chapters", help="chapters (default) or solutions")
    grade_cmd.add_argument("--root", action="append", metavar="PATH", help="a student's clone; repeat for a class")
    grade_cmd.add_argument("--csv", metavar="FILE", help="with --root: one row per student")
    demo_cmd = verb("demo", cmd_demo, "classroom walkthrough: start the chapter, run its client.py, print each exchange")
    demo_cmd.add_argument("--solution", action="store_true", help="demo the reference solution")
    stubs = verb("stubs", cmd_stubs, "maintainers: regenerate the learners' stubs from the solutions", "optional")
    stubs.add_argument("--check", action="store_true", help="only report stubs that are out of date")
    verb("snippets", cmd_snippets, "maintainers: copy snippet sources into the lessons", "optional")
    matrix_cmd = verb("matrix", cmd_matrix, "maintainers: prove each exercise is graded on its own code", "optional")
    matrix_cmd.add_argument("--jobs", type=int, default=2, help="variants graded at once (default 2)")
    matrix_cmd.add_argument("--table", action="store_true", help="also print each exercise's two verdicts")
    new = verbs.add_parser("new", help="maintainers: create the skeleton of a new chapter",
                           description="maintainers: create the skeleton of a new chapter")
    new.add_argument("number", type=int, help="the chapter's number, e.g. 13")
    new.add_argument("slug", help="the package name after chNN_, e.g. caching")
    new.set_defaults(handler=cmd_new)
    verb("setup", cmd_setup, "create .venv and install the pinned requirements", None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
