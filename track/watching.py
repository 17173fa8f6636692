"""`track watch`: re-check a chapter every time one of its files is saved."""
from __future__ import annotations

from collections.abc import Callable

from watchfiles import DefaultFilter, watch as file_changes

from track.course import Chapter, chapters
from track.grading import grade, solved

# Editors save in bursts (temp file, rename, chmod): wait until the folder is quiet.
DEBOUNCE_MS = 300
# How long the watcher waits before reporting "nothing changed"; it only bounds idle loops.
ARM_TIMEOUT_MS = 200


def first_unsolved_chapter() -> Chapter | None:
    results = grade(chapters())
    return next((c for c in chapters() if len(solved(results, c)) < len(c.exercises)), None)


def following(chapter: Chapter) -> Chapter | None:
    return next((c for c in chapters() if c.number > chapter.number), None)


def watch(start: Chapter | None, check: Callable[[Chapter], bool]) -> int:
    """Check, wait for a save, check again; on to the next chapter once one passes."""
    current = start or first_unsolved_chapter()
    while current is not None:
        print(f"\n=== Watching chapter {current.number} ({current.learner_dir.name}/): save a file to re-check ===", flush=True)
        wait_until_solved(current, check)
        print(f"\nChapter {current.number} solved!", flush=True)
        current = following(current)
    print("Every chapter is solved. Well done!", flush=True)
    return 0


def wait_until_solved(chapter: Chapter, check: Callable[[Chapter], bool]) -> None:
    # The watcher is armed before the first check and keeps collecting events while a check
    # runs, so a file saved during a check is seen afterwards instead of being lost.
    changes = file_changes(chapter.learner_dir, debounce=DEBOUNCE_MS, watch_filter=DefaultFilter(),
                           rust_timeout=ARM_TIMEOUT_MS, yield_on_timeout=True)
    try:
        next(changes)  # returns once the watcher is running (an empty set after the timeout)
        passed = check(chapter)
        while not passed:
            if next(changes):
                print("\n--- change saved, checking again ---", flush=True)
                passed = check(chapter)
    finally:
        changes.close()
