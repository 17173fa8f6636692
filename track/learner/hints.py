"""Progressive hints: each call shows one more; what was shown lives in `.track/hints.json`
(`hints.zh_CN.json` for the Chinese hints: a learner switching language starts that language's count).

The next hint is the first one not shown yet about a rule the first failing test checks (a
hint may name the rules or the tests it is about, see track.model.course.Hint), else the first one
not shown yet.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from track.model.course import STATE, Chapter, Exercise, next_chapter
from track.model.i18n import _, language
from track.model.results import ChapterResult
from track.model.ui import command

HINTS_FILE = STATE / "hints.json"
LANGUAGES = ("en", "zh_CN")  # what track.model.i18n.language() can answer


def hints_file(lang: str | None = None) -> Path:
    """Where the hints shown in `lang` (default: the learner's language) are counted."""
    lang = lang or language()
    return HINTS_FILE if lang == "en" else HINTS_FILE.with_name(f"{HINTS_FILE.stem}.{lang}.json")


def load(lang: str | None = None) -> dict:
    try:
        return json.loads(hints_file(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(shown: dict, lang: str | None = None) -> None:
    path = hints_file(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(shown, indent=2), encoding="utf-8")


def choose(exercise: Exercise, shown: list[int], failing_test: str | None,
           failing_rules: Sequence[str] = ()) -> int | None:
    """The index of the hint to show next, or None when every hint was shown: first one about
    a rule the failing test checks, then one naming that test, then a general one."""
    unseen = [i for i in range(len(exercise.hints)) if i not in shown]
    about_rule = [i for i in unseen if set(exercise.hints[i].rules) & set(failing_rules)]
    about_test = [i for i in unseen if failing_test and any(t in failing_test for t in exercise.hints[i].tests)]
    general = [i for i in unseen if not exercise.hints[i].tests and not exercise.hints[i].rules]
    return next(iter(about_rule or about_test or general or unseen), None)


def next_hint(chapter: Chapter, exercise: Exercise, failing_test: str | None = None,
              failing_rules: Sequence[str] = ()) -> str:
    """The next hint for `exercise`, counting it as shown."""
    state = load()
    shown = state.setdefault(chapter.package, {}).setdefault(exercise.id, [])
    total = len(exercise.hints)
    index = choose(exercise, shown, failing_test, failing_rules)
    if index is None:
        last = _(exercise.hints[shown[-1]].text) if shown else ""
        return _("All {total} hints for `{id}` are shown; the last one was:\n\n  {last}\n\n"
                 "Still stuck? Peek at the reference: `{solution}`.").format(
            total=total, id=exercise.id, last=last, solution=command("solution", chapter.number, "--force"))
    shown.append(index)
    save(state)
    more = _("Run it again for the next hint.") if len(shown) < total else _("That was the last hint.")
    return _("Hint {n}/{total} for exercise `{id}` ({title}):\n\n  {text}\n\n{more}").format(
        n=len(shown), total=total, id=exercise.id, title=_(exercise.title), text=_(exercise.hints[index].text), more=more)


def for_first_unsolved(chapter: Chapter, result: ChapterResult) -> str:
    """`hint`'s answer for a graded chapter with an unsolved exercise: the next hint for the
    first one (or for the exercise it waits for), aimed at its first failing test."""
    failing = result.first_unsolved()
    exercise_id = failing.blocked_by or failing.id
    first = next((t for t in result.tests if t.exercise == exercise_id and t.status != "pass"), None)
    waits = _("`{id}` waits for `{other}`: here is a hint for `{other}`.\n").format(
        id=failing.id, other=failing.blocked_by) if failing.blocked_by else ""
    name, rules = (first.name, first.rules) if first else (None, ())
    return waits + next_hint(chapter, chapter.exercise(exercise_id), name, rules)


def for_result(chapter: Chapter, result: ChapterResult) -> str:
    """What `hint` answers for a graded chapter, in the CLI and on the dashboard alike: where a
    chapter that does not load stops, that a solved one needs none, else the next hint."""
    if result.error is not None:
        return _("Chapter {n} does not load yet, so no exercise can be graded:\n\n{error}\n\n"
                 "Open the file at the line named above. Python stops at the first problem it meets; the cause is "
                 "often on that line or just before it (an unclosed bracket, a missing colon, a renamed function).").format(
            n=chapter.number, error=result.error.message)
    if result.solved:
        following = next_chapter(chapter)
        after = _(" Next: `{check}`.").format(check=command("check", following.number)) if following else ""
        return _("Chapter {n} is solved: no hint needed.").format(n=chapter.number) + after
    return for_first_unsolved(chapter, result)


def forget(chapter: Chapter) -> None:
    """After a reset, the hints start again from the first, in every language."""
    for lang in LANGUAGES:
        state = load(lang)
        if state.pop(chapter.package, None) is not None:
            save(state, lang)
