"""One run of the demo: a chapter served fresh, its client.py stepped through, the server's log attached.

`python -m track demo N` prints it; the dashboard's presenter view and the handout show the
same steps (track/web/presenter.py). The learner's copy is demoed once it passes, else the
reference.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from track.grading import checks as grading
from track.model.course import Chapter
from track.walkthrough.stepper import plan_of, run_walkthrough
from track.model.i18n import _
from track.walkthrough.live import SERVING, fresh_chapter_server, load_walkthrough
from track.walkthrough.printer import Printer, Step
from track.model.ui import command

ACCESS_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" \d{3}')  # gevent's log line for one request


def attach_log(steps: Iterable[Step], log: list[str]) -> None:
    """Give each exchange the server's lines for it: its access line and what the app logged before."""
    exchanges = iter([exchange for step in steps for exchange in step.exchanges])
    current, pending = next(exchanges, None), []
    for line in (line.rstrip() for line in log if not SERVING.search(line)):
        if current is None:
            return
        if ACCESS_LINE.search(line) and f'"{current.method} {current.path} ' not in line:
            continue  # a request the walkthrough did not make itself (a Socket.IO transport's)
        pending.append(line)
        if ACCESS_LINE.search(line):
            current.log, pending, current = pending, [], next(exchanges, None)


def unsolved(chapter: Chapter) -> tuple[int, int] | None:
    """(solved, total) exercises while the learner's chapter does not pass; None once it does."""
    result = grading.current([chapter])[chapter.package]
    return None if result.solved else (len(result.solved_exercises()), len(chapter.exercises))


def demos_reference(chapter: Chapter, solution: bool, mine: bool) -> bool:
    """True to demo the reference: asked for, or the learner's chapter does not pass yet."""
    if solution or mine:
        return solution
    if (progress := unsolved(chapter)) is None:
        return False
    print(_("Your chapter {n} is not solved yet ({solved}/{total}): demoing the reference solution. "
            "`{demo}` again once it passes shows yours.").format(
        n=chapter.number, solved=progress[0], total=progress[1], demo=command("demo", chapter.number)))
    return True


@dataclass
class Demo:
    """One run of a chapter's walkthrough: whose code served it, each step as shown, the verdict."""
    chapter: Chapter
    reference: bool
    steps: list[Step]
    passed: bool
    unsolved: tuple[int, int] | None = None  # (solved, total) when the reference stands in for the learner's copy


def demo_run(chapter: Chapter, reference: bool, printer: Printer, announce: bool = False,
             progress: tuple[int, int] | None = None) -> Demo:
    """Serve the chapter fresh, run its client.py through `printer`, stop it, attach the server's log."""
    log: list[str] = []
    with fresh_chapter_server(chapter, reference, log) as url:
        if announce:
            which = _("the reference") if reference else _("your copy")
            print(_("Chapter {n} ({which}) is serving on {url}. Its client.py, step by step:\n").format(
                n=chapter.number, which=which, url=url), flush=True)
        passed = run_walkthrough(load_walkthrough(chapter), url, chapter.number, printer=printer)
    attach_log(printer.steps, log)
    return Demo(chapter, reference, [step for step in printer.steps if step.shown], passed, progress)


def run_demo(chapter: Chapter, solution: bool = False, mine: bool = False, pause: bool = False) -> Demo:
    """Start the chapter, run its client.py against it step by step, printing every exchange, stop it."""
    reference = demos_reference(chapter, solution, mine)
    return demo_run(chapter, reference, Printer(plan_of(chapter).headers, pause), announce=True)
