"""`track watch`: re-check a chapter every time one of its files is saved.

The graders are imported once (engine.warm); each save forks a grading run, so the
verdict is on screen in about the time the chapter's tests take. A hang in the learner's
code is stopped by the engine's time limits and shown like any other failure: watch goes
on watching.
"""
from __future__ import annotations

import os
import select
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from watchfiles import DefaultFilter, watch as file_changes

from track.grading import engine, checks as grading
from track.learner import verdict
from track.model.course import Chapter, chapters, next_chapter
from track.model.i18n import _
from track.model.results import ChapterResult
from track.model.ui import command, invoked_by_make

# Editors save in bursts (a temp file, a rename, a chmod) within tens of milliseconds: the
# verdict comes STEP_MS after the last event of a burst.
STEP_MS = 30
DEBOUNCE_MS = 400  # a burst that goes on longer is graded anyway
# How long the watcher waits before reporting "nothing changed"; it only bounds idle loops.
ARM_TIMEOUT_MS = 200
CLEAR = "\033[2J\033[H"


def first_unsolved_chapter() -> Chapter | None:
    results = grading.current(chapters())
    return next((c for c in chapters() if not results[c.package].solved), None)


def show(chapter: Chapter, result: ChapterResult) -> None:
    """One screen, redrawn in a terminal; a plain report when the output is a pipe."""
    footer = _("Checked at {time}. Save a file to check again; Ctrl-C to stop.").format(time=time.strftime("%H:%M:%S"))
    if sys.stdout.isatty():
        size = shutil.get_terminal_size()
        width = min(size.columns, verdict.WIDTH)
        print(CLEAR + verdict.screen(chapter, result, width, size.lines - 2) + "\n\n" + footer, flush=True)
    else:
        print(verdict.report(chapter, result) + "\n\n" + footer + "\n", flush=True)


@contextmanager
def own_terminal() -> Iterator[None]:
    """Under make, in a terminal: be the terminal's foreground process group while watching.

    Ctrl-C then reaches watch alone, which ends quietly; make, which would otherwise get the
    signal too and print `make: *** [Makefile:NN: watch] Interrupt`, never sees it.
    """
    if os.name == "nt" or not invoked_by_make() or not sys.stdin.isatty():
        yield
        return
    terminal = sys.stdin.fileno()
    before = os.tcgetpgrp(terminal)
    quiet = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may not take the terminal otherwise
    try:
        os.setpgid(0, 0)
        os.tcsetpgrp(terminal, os.getpgrp())
        yield
    finally:
        os.tcsetpgrp(terminal, before)
        signal.signal(signal.SIGTTOU, quiet)


def watch(start: Chapter | None) -> int:
    """Check, wait for a save, check again; once a chapter passes, on to the next one when the
    learner says so (Enter, or a save in the next chapter), so the verdict stays on screen."""
    with own_terminal():
        return watch_from(start)


def watch_from(start: Chapter | None) -> int:
    current = start or first_unsolved_chapter()
    engine.warm(chapters())
    while current is not None:
        print(_("\n=== Watching chapter {n} ({folder}/): save a file to re-check ===").format(
            n=current.number, folder=current.learner_dir.name), flush=True)
        wait_until_solved(current)
        after = next_chapter(current)
        if after is None:
            print(_("\nChapter {n} solved!").format(n=current.number), flush=True)
            break
        print(_("\nChapter {n} solved! Press Enter, or save a file of chapter {next} ({folder}/), to go on to it; "
                "a save in chapter {n} checks it again.").format(n=current.number, next=after.number,
                                                                 folder=after.learner_dir.name), flush=True)
        if go_on(current, after):
            current = after
    print(_("Every chapter is solved. Well done! `{progress}` shows the whole course.").format(progress=command("progress")), flush=True)
    return 0


def enter_pressed() -> bool:
    """A line typed on the terminal (or a pipe) since the last look; never blocks."""
    if os.name == "nt" or sys.stdin is None or sys.stdin.closed:
        return False  # select() cannot watch a console on Windows: a save moves on there
    if not select.select([sys.stdin], [], [], 0)[0]:
        return False
    line = sys.stdin.readline()
    if not line:  # end of input (no keyboard at all): stop asking
        sys.stdin.close()
    return bool(line)


def go_on(solved_chapter: Chapter, after: Chapter) -> bool:
    """Wait for Enter or a save: True to go on to `after`, False when `solved_chapter` was saved again."""
    changes = file_changes(solved_chapter.learner_dir, after.learner_dir, debounce=DEBOUNCE_MS, step=STEP_MS,
                           watch_filter=DefaultFilter(), rust_timeout=ARM_TIMEOUT_MS, yield_on_timeout=True)
    try:
        for changed in changes:
            if any(Path(path).is_relative_to(after.learner_dir) for _change, path in changed):
                return True
            if changed:
                return False
            if enter_pressed():
                return True
    finally:
        changes.close()
    return True


def wait_until_solved(chapter: Chapter) -> None:
    # The watcher is armed before the first check and keeps collecting events while a check
    # runs, so a file saved during a check is seen afterwards instead of being lost.
    changes = file_changes(chapter.learner_dir, debounce=DEBOUNCE_MS, step=STEP_MS, watch_filter=DefaultFilter(),
                           rust_timeout=ARM_TIMEOUT_MS, yield_on_timeout=True)
    primed = None
    try:
        next(changes)  # returns once the watcher is running (an empty set after the timeout)
        result = grading.check(chapter)
        show(chapter, result)
        while not result.solved:
            # The next run is forked and collected now, so a save starts the tests at once.
            primed = primed or engine.prime([chapter])
            if next(changes):
                result, primed = grading.check(chapter, primed), None
                show(chapter, result)
    finally:
        if primed is not None:
            primed.discard()
        changes.close()
