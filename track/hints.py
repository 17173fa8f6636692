"""Progressive hints: each call shows the next one; what was shown lives in `.track/`."""
from __future__ import annotations

import json

from track.course import STATE, Chapter, Exercise

HINTS_FILE = STATE / "hints.json"


def load() -> dict:
    return json.loads(HINTS_FILE.read_text(encoding="utf-8")) if HINTS_FILE.exists() else {}


def save(shown: dict) -> None:
    HINTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    HINTS_FILE.write_text(json.dumps(shown, indent=2), encoding="utf-8")


def next_hint(chapter: Chapter, exercise: Exercise) -> str:
    """The next hint for `exercise`, counting it as shown."""
    shown = load()
    count = shown.setdefault(chapter.package, {}).get(exercise.id, 0)
    total = len(exercise.hints)
    if count >= total:
        return (f"All {total} hints for `{exercise.id}` are shown; the last one was:\n\n  {exercise.hints[-1]}\n\n"
                f"Still stuck? Peek at the reference: `python -m track solution {chapter.number} --force`.")
    shown[chapter.package][exercise.id] = count + 1
    save(shown)
    more = "Run it again for the next hint." if count + 1 < total else "That was the last hint."
    return f"Hint {count + 1}/{total} for exercise `{exercise.id}` ({exercise.title}):\n\n  {exercise.hints[count]}\n\n{more}"


def forget(chapter: Chapter) -> None:
    """After a reset, the hints start again from the first."""
    shown = load()
    if shown.pop(chapter.package, None) is not None:
        save(shown)
