"""Live status: a save in `chapters/` re-grades that chapter and every open page hears of it.

The dashboard runs on gevent without monkey-patching, so anything that blocks (grading,
starting a server, an HTTP request) runs in a native thread (`in_thread`) while the hub
goes on serving. Results come back to the hub's thread through the calls gevent made for
crossing threads: an async watcher's `send` and `loop.run_callback_threadsafe`.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import gevent
from gevent.event import AsyncResult
from gevent.queue import Empty, Queue
from watchfiles import DefaultFilter, watch

from track.grading import cache, checks as grading
from track.learner import verdict, watching
from track.model.course import CHAPTERS, Chapter, Exercise, chapters
from track.model.i18n import _
from track.model.results import ChapterResult, Status

KEEPALIVE_S = 15  # a comment line this often keeps proxies and browsers from closing the stream
STOP_WAIT_S = 2  # the watcher notices the stop within its arm timeout; a grading run it is in may outlast this


def in_thread(function: Callable, *args):
    """`function(*args)` in a native thread; only the calling greenlet waits for it."""
    outcome: list[tuple] = []
    done = AsyncResult()
    # An async watcher is gevent's doorbell between threads; while started, it also keeps the
    # hub from concluding that nothing is left to wait for.
    doorbell = gevent.get_hub().loop.async_()
    doorbell.start(lambda: done.set(outcome[0]))

    def work():
        try:
            outcome.append((function(*args), None))
        except Exception as error:
            outcome.append((None, error))
        doorbell.send()

    threading.Thread(target=work, daemon=True).start()
    try:
        value, error = done.get()
    finally:
        doorbell.close()
    if error is not None:
        raise error
    return value


def current(chapter: Chapter) -> ChapterResult:
    """The chapter's verdict, from the cache `list` and `progress` use, graded if stale."""
    return in_thread(grading.current, [chapter])[chapter.package]


def exercise_entry(exercise: Exercise, status: Status, score: int, blocked_by: str | None) -> dict:
    """One exercise as the page shows it: the status word, its mark and its label in the page's language."""
    return {"id": exercise.id, "title": exercise.title, "points": exercise.points, "status": status,
            "mark": status.mark, "label": status.label, "score": score, "blocked_by": blocked_by}


def payload(chapter: Chapter, result: ChapterResult) -> dict:
    """What the page shows: each exercise's status, the points and the first problem in words."""
    graded = {e.id: e for e in result.exercises}
    exercises = [exercise_entry(exercise, result.exercise_status(exercise.id),
                                graded[exercise.id].score if exercise.id in graded else 0,
                                graded[exercise.id].blocked_by if exercise.id in graded else None)
                 for exercise in chapter.exercises]
    return {"state": "graded", "score": result.score, "points": chapter.points, "solved": result.solved,
            "exercises": exercises, "problem": "\n".join(verdict.first_problem(chapter, result))}


def not_graded(chapter: Chapter) -> dict:
    """What the page shows before the chapter's first verdict: its exercises, none run yet."""
    exercises = [exercise_entry(e, Status.NOT_RUN, 0, None) for e in chapter.exercises]
    return {"state": "not graded", "score": None, "points": chapter.points, "solved": False, "exercises": exercises,
            "problem": _("Not graded yet.")}


def cached(chapter: Chapter) -> dict:
    """The page's first paint: the verdict `progress` would print from the cache, without grading anything.

    The page then waits for no stream to show a status; a chapter changed since its last
    verdict (or never graded) says so until the stream brings the new one.
    """
    result = cache.load(chapter)
    return not_graded(chapter) if result is None else payload(chapter, result)


def changed_chapters(changes: set[tuple]) -> list[Chapter]:
    """The chapters whose folder holds one of the changed paths."""
    packages = {Path(path).resolve().relative_to(CHAPTERS.resolve()).parts[0] for _, path in changes}
    return [chapter for chapter in chapters() if chapter.package in packages]


class Watcher:
    """One native thread watching `chapters/`; pages subscribe to a chapter's verdicts."""

    def __init__(self):
        self.subscribers: dict[str, set[Queue]] = {}
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self.run, args=(gevent.get_hub(),), daemon=True)
            self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=STOP_WAIT_S)

    def run(self, hub) -> None:
        """Grade each chapter saved; hand each verdict to the hub's thread to publish."""
        changes = watch(CHAPTERS, debounce=watching.DEBOUNCE_MS, step=watching.STEP_MS, watch_filter=DefaultFilter(),
                        rust_timeout=watching.ARM_TIMEOUT_MS, yield_on_timeout=True, stop_event=self.stopping)
        for changed in changes:
            for chapter in changed_chapters(changed):
                hub.loop.run_callback_threadsafe(self.publish, chapter.package, {"state": "checking"})
                result = grading.check(chapter)
                hub.loop.run_callback_threadsafe(self.publish, chapter.package, payload(chapter, result))

    def publish(self, package: str, event: dict) -> None:
        for queue in self.subscribers.get(package, ()):
            queue.put(event)

    def events(self, chapter: Chapter) -> Iterator[dict | None]:
        """The chapter's verdict now, then each new one; None when there was nothing to say for a while."""
        self.start()
        queue: Queue = Queue()
        self.subscribers.setdefault(chapter.package, set()).add(queue)
        try:
            yield payload(chapter, current(chapter))
            while True:
                try:
                    yield queue.get(timeout=KEEPALIVE_S)
                except Empty:
                    yield None
        finally:
            self.subscribers[chapter.package].discard(queue)
