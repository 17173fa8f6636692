"""The course CLI: `python -m track VERB ...` (the Makefile calls the same verbs).

Exit codes, the same in every verb: 0 done (or every exercise passes), 1 something fails
or was declined, 2 the command could not do its job (an unknown chapter, a chapter that
cannot be graded, a busy port). Modules that import Flask, pytest or gevent are imported
inside the verbs that need them, so `list` and `progress` answer from the cache quickly.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from track.grading import engine, checks as grading
from track.learner import hints, verdict
from track import warm_client
from track.classroom.autograder import DEFAULT_BUDGET_S
from track.model.course import ROOT, STATE, Chapter, UsageError, chapter, chapters
from track.grading.engine import GRADER_TIMEOUT_S
from track.model.i18n import _
from track.model.results import ChapterResult, RunResult
from track.model.ui import command, shown


# --- the learner's verbs ----------------------------------------------------------------

def cmd_check(args) -> int:
    chap = chapter(args.chapter)
    warm_client.start()  # the next check is answered warm (track/warm_grader.py)
    result = grading.check(chap)
    print(verdict.report(chap, result, verdict.terminal_width()))
    return RunResult([result]).exit_code()


def cmd_hint(args) -> int:
    chap = chapter(args.chapter)
    result = grading.check(chap)
    text = hints.for_result(chap, result)
    if result.error is None:
        print(text)  # a hint keeps its own layout (its text indented under its heading)
        return 0
    print("\n".join(verdict.wrapped(text, verdict.WIDTH, indent="")))
    return 2


def cmd_watch(args) -> int:
    from track.learner import watching

    return watching.watch(chapter(args.chapter) if args.chapter else None)


def cmd_stop(args) -> int:
    stopped = warm_client.stop()
    print(_("The warm grader stopped; the next check starts it again (TRACK_NO_WARM_GRADER=1: never).") if stopped
          else _("No warm grader was running."))
    return 0


def confirm(question: str) -> bool:
    try:
        return input(_("{question} [y/N] ").format(question=question)).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def cmd_reset(args) -> int:
    from track.model.stubs import stub_files

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


def cmd_solution(args) -> int:
    from track.model.stubs import solution_diff

    chap = chapter(args.chapter)
    if not args.force:
        if not grading.check(chap).solved:
            print(_("Chapter {n} does not pass yet: solve it first and compare afterwards (or `{force}`).").format(
                n=chap.number, force=command("solution", chap.number, "--force")))
            return 1
    print(solution_diff(chap) or _("Your files match the reference solution exactly."))
    return 0


def progress_rows(results: dict[str, ChapterResult]) -> list[tuple]:
    rows = []
    for chap in chapters():
        result = results[chap.package]
        solved = len(result.solved_exercises())
        if result.error is not None:
            step = _("fix the error: {check}").format(check=command("check", chap.number))
        elif result.solved:
            step = _("done")
        else:
            step = command("check", chap.number)
        rows.append((chap.number, _(chap.title), f"{solved}/{len(chap.exercises)}", f"{result.score}/{chap.points}", step))
    return rows


def print_table(header: tuple, rows: list[tuple]) -> None:
    from rich.cells import cell_len  # a Chinese character takes two cells: len() would misalign the columns

    widths = [max(cell_len(str(cell)) for cell in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(cell) + " " * (w - cell_len(str(cell))) for cell, w in zip(row, widths)).rstrip())


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


def use_instance_folder(folder: str) -> None:
    """Every app this process creates keeps its files (database, uploads) in `folder`.

    create_app() takes no instance path, so Flask's default is replaced for this process only:
    the demo serves each run from an empty temporary folder.
    """
    from flask import Flask

    path = str(Path(folder).resolve())
    Flask.auto_find_instance_path = lambda self: path


def apply_migrations(app) -> None:
    """A chapter on Flask-Migrate (14): bring its database to the newest revision before serving,
    as a release step does before a new version starts. A migration that fails (an unwritten
    exercise) is one printed line: the server starts anyway and its /readyz says what is missing."""
    if "migrate" not in app.extensions:
        return
    from alembic import command as alembic

    try:
        with app.app_context():
            alembic.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
    except Exception as error:
        print(_("The migrations could not all be applied ({error}); /readyz answers 503 until they are.").format(
            error=f"{type(error).__name__}: {error}"), flush=True)


def cmd_run(args) -> int:
    from track.learner.server import PortUnavailable, serve

    chap = chapter(args.chapter)
    if args.instance:
        use_instance_folder(args.instance)
    app = loaded_app(chap, args.solution)
    apply_migrations(app)
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
    from track.walkthrough.demo import run_demo

    demo = run_demo(chapter(args.chapter), args.solution, args.mine, args.step)
    if args.handout is not None:
        from track.web.presenter import write_handout

        write_handout(demo, args.handout)
        print(_("The handout is in {file}.").format(file=args.handout))
    return 0 if demo.passed else 1


def cmd_web(args) -> int:
    """The dashboard (track/web/) under gevent, on loopback only: it runs the learner's code."""
    from track.learner.server import PortUnavailable, is_loopback, serve_gevent
    from track.web.app import create_app, shutdown

    if not is_loopback(args.host):
        raise UsageError(_("Refusing to serve the dashboard on {host}: it runs your code and starts servers for "
                           "whoever reaches it. Use 127.0.0.1 (the default).").format(host=args.host))
    app = create_app()
    try:
        serve_gevent(app, args.host, args.port)
    except PortUnavailable as error:
        reason = _("is already in use (is the dashboard already open?)") if error.in_use else str(error)
        raise UsageError(_("Port {port} on {host} {reason}. Use another port: `{other}`.").format(
            port=error.port, host=error.host, reason=reason, other=command("web", None, f"--port={error.port + 1}"))) from None
    finally:
        shutdown(app)
    return 0


def cmd_postman(args) -> int:
    """Write the walkthrough of a chapter (or every chapter) as a Postman collection."""
    from track.walkthrough import postman as collections

    if not args.all and not args.chapter:
        raise UsageError(_("Which chapter? `{one}`, or `{all}` for every chapter.").format(
            one=command("postman", 1), all=command("postman", None, "--all")))
    selected = list(chapters()) if args.all else [chapter(args.chapter)]
    for chap in selected:
        print(_("Wrote {path}").format(path=shown(collections.write(chap))), flush=True)
    number = selected[0].number if len(selected) == 1 else "N"
    print(_("In Postman: Import, pick the file, then set the collection variable baseUrl to your server "
            "(`{run}` serves on http://127.0.0.1:5000).").format(run=command("run", number)))
    return 0


# --- the teacher's verbs ------------------------------------------------------------------

# Options of one mode only: given in the other, they are refused rather than ignored.
CLASS_ONLY = (("--csv", lambda a: a.csv), ("--report", lambda a: a.report), ("--jobs", lambda a: a.jobs),
              ("--timeout", lambda a: a.timeout != GRADER_TIMEOUT_S), ("--fail-under", lambda a: a.fail_under is not None),
              ("--no-reuse", lambda a: a.no_reuse), ("--no-sandbox", lambda a: a.no_sandbox))
SINGLE_ONLY = (("--junitxml", lambda a: a.junitxml), ("--target", lambda a: a.target != "chapters"))


def cmd_grade(args) -> int:
    from track.classroom import grade as classroom
    from track.grading import engine

    class_mode = bool(args.root or args.roster)
    refused = [option for option, given in CLASS_ONLY if given(args) and not class_mode] + \
              [option for option, given in SINGLE_ONLY if given(args) and class_mode]
    if refused:
        mode = _("when grading a class (--root/--roster)") if class_mode else _("without --root or --roster")
        raise UsageError(_("{option} does nothing {mode}; leave it out.").format(option=refused[0], mode=mode))
    if class_mode:
        return classroom.grade_students(classroom.Options(
            args.root or [], args.roster, args.csv, args.json, args.report, args.jobs or os.cpu_count() or 1,
            args.timeout, args.fail_under, reuse=not args.no_reuse, sandboxed=not args.no_sandbox))
    extra = [f"--junitxml={args.junitxml}"] if args.junitxml else []
    run = engine.grade(chapters(), target=args.target, extra=extra)
    results = {chap.package: grading.chapter_result(run, chap) for chap in chapters()}
    print_table((_("N"), _("Chapter"), _("Exercises"), _("Points"), _("Next step")), progress_rows(results))
    print(_("\nScore: {score}/{max} ({status})").format(score=run.score, max=run.max_score, status=run.status.label))
    if args.json:
        run.write(Path(args.json))
        print(_("Wrote {path}").format(path=args.json))
    return run.exit_code()


def cmd_autograder(args) -> int:
    """Write the Classroom 50 autograder bundle (track/classroom/classroom50.py)."""
    from track.classroom.classroom50 import write_bundle

    if args.budget < 60:
        raise UsageError(_("--budget {seconds}: give the whole run at least 60 s.").format(seconds=f"{args.budget:g}"))
    from track.model.i18n import language

    chosen = args.lang or ("zh" if language() == "zh_CN" else "en")
    entry = write_bundle(Path(args.out), args.budget, args.single_file, chosen)
    if args.single_file:
        print(_("Wrote {path}, the whole bundle in one file: `gh teacher autograder set-default ORG CLASSROOM "
                "--from {path}` makes it the classroom's default autograder.").format(path=shown(entry)))
    else:
        print(_("Wrote {path} and the files beside it. Commit the folder {folder}/ as "
                "CLASSROOM/autograders/ASSIGNMENT/ in your organisation's classroom50 repository "
                "(the README's teacher section has the steps).").format(path=shown(entry), folder=shown(entry.parent)))
    return 0


# --- the maintainers' verbs ---------------------------------------------------------------

def selected_chapters(args) -> list[Chapter]:
    return [chapter(args.chapter)] if args.chapter else list(chapters())


def cmd_stubs(args) -> int:
    """Regenerate (or with --check, verify) the learners' stubs from the solutions."""
    from track.model.stubs import stale_stubs, write_stubs

    if args.check:
        stale = [path for chap in selected_chapters(args) for path in stale_stubs(chap)]
        print("\n".join(_("stale: {path}").format(path=path) for path in stale) or _("All stubs match their solutions."))
        return 1 if stale else 0
    for chap in selected_chapters(args):
        write_stubs(chap, chap.learner_dir)
        print(_("Wrote the stubs of chapter {n}").format(n=chap.number))
    return 0


def cmd_messages(args) -> int:
    """Merge the Chinese message catalogs with the code; exit 1 while a text has no Chinese."""
    from track.maintainers.messages import update

    return update(check_only=args.check, only=selected_chapters(args) if args.chapter else None)


def cmd_probes(args) -> int:
    """Record the examples Hypothesis draws for every probe on the reference (tests/fuzz.py replays them from track/grading/probes.py's store)."""
    with tempfile.TemporaryDirectory(prefix="track-probes-") as scratch:
        lines = Path(scratch) / "drawn.jsonl"
        os.environ["TRACK_PROBES"] = f"record:{lines}"  # the grading children inherit it
        run = engine.grade(chapters(), target="solutions", fork=False)
        if run.status != "pass":
            print(_("The reference does not pass, so nothing was recorded:"), run.message or run.first_unsolved())
            return 1
        from track.grading.probes import STORE, pack

        count = pack(lines)
    print(_("Recorded the examples of {count} probes in {path}").format(count=count, path=shown(STORE)))
    return 0


def cmd_snippets(args) -> int:
    """Copy every snippet's source into the lessons."""
    from track.maintainers.lessons import refreshed

    for chap in selected_chapters(args):
        for lesson in (chap.learner_dir / "README.md", chap.learner_dir / "README.zh-CN.md"):
            if lesson.exists():
                lesson.write_text(refreshed(lesson), encoding="utf-8")
                print(_("Refreshed {path}").format(path=shown(lesson)))
    return 0


def cmd_matrix(args) -> int:
    """The leave-one-out matrix (see track/maintainers/matrix.py); exit 1 on any verdict that is not its own."""
    from track.maintainers import matrix

    found, table = matrix.check(selected_chapters(args), jobs=args.jobs)
    if args.table:
        print("\n".join(table) + "\n")
    print("\n".join(found) or _("Every exercise is graded on its own code."))
    return 1 if found else 0


def cmd_mistakes(args) -> int:
    """The typical-mistakes catalogs (see track/maintainers/mistakes.py); exit 1 on a mistake a message does not name."""
    from track.maintainers import mistakes

    selected = [chapter(args.chapter)] if args.chapter else mistakes.catalogued()
    if missing := [chap for chap in selected if chap not in mistakes.catalogued()]:
        raise UsageError(_("Chapter {n} has no typical-mistakes catalog yet: write {file} (CONTRIBUTING.md says how).").format(
            n=missing[0].number, file=shown(mistakes.catalog_path(missing[0]))))
    problems = {chap.package: mistakes.problems(chap, mistakes.load(chap)) for chap in selected}
    graded = mistakes.graded([chap for chap in selected if not problems[chap.package]], jobs=args.jobs, only=args.only)
    wrong = 0
    for chap in selected:
        found = problems[chap.package]
        outcomes = graded.get(chap.package, [])
        for outcome in outcomes:
            print(f"{chap.package:<22} {outcome.line()}")
            if not outcome.named and args.verbose:
                print("    " + outcome.message.replace("\n", "\n    "))
        print("\n".join(found))
        named = sum(outcome.named for outcome in outcomes)
        print(f"{chap.package}: {named}/{len(outcomes)} named" + (f", catalog problems: {len(found)}" if found else ""))
        wrong += len(found) + len(outcomes) - named
    return 1 if wrong else 0


def cmd_new(args) -> int:
    from track.maintainers import scaffold

    created, updated = scaffold.create(args.number, args.slug)
    for path in created:
        print(_("created {path}").format(path=shown(path)))
    for path in updated:
        print(_("updated {path}").format(path=shown(path)))
    print(scaffold.next_steps())
    return 0


def cmd_setup(args) -> int:
    print(_("Ready: {python}").format(python=sys.executable))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m track", description=_("The Flask Learning Track course CLI."))
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name, handler, help_text, chapter_arg="required"):
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        if chapter_arg == "required":
            sub.add_argument("chapter", help=_("chapter: 1, 01, ch01, chapter-1 or the package name"))
        elif chapter_arg == "optional":
            sub.add_argument("chapter", nargs="?", help=_("chapter (default: all / the first unsolved)"))
        sub.set_defaults(handler=handler)
        return sub

    verb("list", cmd_list, _("chapters with their titles and how many exercises are solved"), None)
    run = verb("run", cmd_run, _("serve a chapter (gevent WSGIServer; --dev for Flask's dev server)"))
    run.add_argument("--solution", action="store_true", help=_("serve the reference solution instead of your copy"))
    run.add_argument("--dev", action="store_true", help=_("Flask's development server with reloader and debugger (loopback only)"))
    run.add_argument("--host", default="127.0.0.1", help=_("address to bind (default 127.0.0.1)"))
    run.add_argument("--port", type=int, default=5000, help=_("port (default 5000; 0 picks a free one)"))
    run.add_argument("--instance", metavar="DIR", help=_("keep the app's files (database, uploads) in DIR, not its instance/"))
    prod = verb("serve-prod", cmd_serve_prod, _("serve a chapter under gunicorn with its gunicorn.conf.py (chapter 10)"))
    prod.add_argument("--solution", action="store_true", help=_("serve the reference solution"))
    verb("check", cmd_check, _("grade your copy of a chapter, one line per exercise"))
    verb("stop", cmd_stop, _("stop the warm grader, the background process that makes check quick"), None)
    verb("hint", cmd_hint, _("show the next hint for the first unsolved exercise"))
    verb("watch", cmd_watch, _("re-check a chapter whenever one of its files is saved"), "optional")
    reset = verb("reset", cmd_reset, _("restore the pristine stub of a chapter (asks first; keeps a backup)"))
    reset.add_argument("--yes", action="store_true", help=_("do not ask"))
    sol = verb("solution", cmd_solution, _("diff your files against the reference once the chapter passes"))
    sol.add_argument("--force", action="store_true", help=_("show it even though the chapter does not pass yet"))
    verb("progress", cmd_progress, _("a table of every chapter: exercises, points, next step"), None)
    grade_cmd = verb("grade", cmd_grade, _("grade every chapter (teachers: --root for students' clones)"), None)
    grade_cmd.add_argument("--json", metavar="FILE", help=_("write the results as JSON (results.json: exercism v3, "
                                                            "one entry per test)"))
    grade_cmd.add_argument("--junitxml", metavar="FILE", help=_("also write pytest's JUnit XML report"))
    grade_cmd.add_argument("--target", default="chapters", help=_("chapters (default) or solutions"))
    grade_cmd.add_argument("--root", action="append", metavar="PATH", help=_("a student's clone; repeat for a class"))
    grade_cmd.add_argument("--roster", metavar="CSV", help=_("a `name,path` file: the class's students by name"))
    grade_cmd.add_argument("--csv", metavar="FILE", help=_("class: one row per student, merged into FILE if it exists"))
    grade_cmd.add_argument("--report", metavar="DIR", help=_("class: write class-report.md/.html and class.json (merged)"))
    grade_cmd.add_argument("--jobs", type=int, metavar="N", help=_("class: students graded at once (default: cores)"))
    grade_cmd.add_argument("--timeout", type=float, default=GRADER_TIMEOUT_S, metavar="SECONDS",
                           help=_("class: each grader test's time limit (default {seconds})").format(seconds=GRADER_TIMEOUT_S))
    grade_cmd.add_argument("--fail-under", type=int, metavar="POINTS",
                           help=_("class: exit 0 when every student has at least POINTS"))
    grade_cmd.add_argument("--no-reuse", action="store_true",
                           help=_("class: grade every chapter, even one whose files were graded before"))
    grade_cmd.add_argument("--no-sandbox", action="store_true",
                           help=_("class: run student code unsandboxed (measuring the sandbox; the rows say so)"))
    autograder = verb("autograder", cmd_autograder, _("teachers: write the Classroom 50 autograder bundle"), None)
    autograder.add_argument("--out", required=True, metavar="DIR", help=_("the bundle's folder (created)"))
    autograder.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S, metavar="SECONDS",
                            help=_("the whole run's time limit, shared by the chapters (default {seconds})").format(
                                seconds=DEFAULT_BUDGET_S))
    autograder.add_argument("--lang", choices=("en", "zh"),
                            help=_("the students' language, for messages and the Release text (default: yours)"))
    autograder.add_argument("--single-file", action="store_true",
                            help=_("pack the bundle into autograder.py alone (a classroom default: set-default uploads one file)"))
    demo_cmd = verb("demo", cmd_demo, _("classroom walkthrough: start the chapter, run its client.py, print each exchange"))
    demo_whose = demo_cmd.add_mutually_exclusive_group()
    demo_whose.add_argument("--solution", action="store_true",
                            help=_("demo the reference solution (the default while your chapter does not pass)"))
    demo_whose.add_argument("--mine", action="store_true", help=_("demo your copy even though it does not pass yet"))
    demo_cmd.add_argument("--step", action="store_true", help=_("wait for Enter after each exchange"))
    demo_cmd.add_argument("--handout", metavar="FILE.html", type=Path,
                          help=_("also write the walkthrough (steps, why, exchanges) as one self-contained page"))
    web_cmd = verb("web", cmd_web, _("the course in your browser: lessons, live status, hints, a request console"), None)
    web_cmd.add_argument("--host", default="127.0.0.1", help=_("a loopback address to bind (default 127.0.0.1)"))
    web_cmd.add_argument("--port", type=int, default=8000, help=_("port (default 8000; 0 picks a free one)"))
    postman = verb("postman", cmd_postman, _("write a chapter's walkthrough as a Postman collection (--all: every chapter)"),
                   "optional")
    postman.add_argument("--all", action="store_true", help=_("every chapter"))
    stubs = verb("stubs", cmd_stubs, _("maintainers: regenerate the learners' stubs from the solutions"), "optional")
    stubs.add_argument("--check", action="store_true", help=_("only report stubs that are out of date"))
    verb("probes", cmd_probes, _("maintainers: record the examples every probe draws, for replays"), None)
    verb("snippets", cmd_snippets, _("maintainers: copy snippet sources into the lessons"), "optional")
    messages_cmd = verb("messages", cmd_messages, _("maintainers: merge the Chinese message catalogs with the code (one chapter's, or all)"), "optional")
    messages_cmd.add_argument("--check", action="store_true", help=_("only report texts that have no Chinese yet"))
    matrix_cmd = verb("matrix", cmd_matrix, _("maintainers: prove each exercise is graded on its own code"), "optional")
    matrix_cmd.add_argument("--jobs", type=int, default=2, help=_("variants graded at once (default 2)"))
    matrix_cmd.add_argument("--table", action="store_true", help=_("also print each exercise's two verdicts"))
    mistakes_cmd = verb("mistakes", cmd_mistakes, _("maintainers: grade each typical mistake of tests/mistakes/ and read its message"),
                        "optional")
    mistakes_cmd.add_argument("--jobs", type=int, default=2, help=_("variants graded at once (default 2)"))
    mistakes_cmd.add_argument("--only", metavar="ID", help=_("only the mistake with this id"))
    mistakes_cmd.add_argument("-v", "--verbose", action="store_true", help=_("print the message of each mistake not named"))
    new = verbs.add_parser("new", help=_("maintainers: create the skeleton of a new chapter"),
                           description="maintainers: create the skeleton of a new chapter")
    new.add_argument("number", type=int, help=_("the chapter's number, e.g. 13"))
    new.add_argument("slug", help=_("the package name after chNN_, e.g. caching"))
    new.set_defaults(handler=cmd_new)
    verb("setup", cmd_setup, _("create .venv and install the pinned requirements"), None)
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
