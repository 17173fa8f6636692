"""A chapter's verdict as the learner reads it: a scoreboard, then the first thing to fix."""
from __future__ import annotations

import re
import shutil
import sys

from rich.cells import cell_len, set_cell_size

from track.model.course import Chapter
from track.model.i18n import _
from track.model.results import ChapterResult, Status
from track.model.ui import command

WIDTH = 80  # a pipe, a log, a narrow terminal
WIDEST = 120  # wider lines are hard to read, whatever the terminal


def terminal_width() -> int:
    """The terminal's width within 80..120 columns; 80 when the output is not a terminal."""
    if not sys.stdout.isatty():
        return WIDTH
    return max(WIDTH, min(shutil.get_terminal_size().columns, WIDEST))


# A wrapped line may break between two Chinese characters, as between two words; closing
# punctuation stays with the character before it.
CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
TOKENS = re.compile(rf"\s+|[{CJK}][，。：；、）！？」』]*|[^\s{CJK}]+")


def fit(line: str, width: int) -> str:
    """`line` cut to `width` terminal cells (a Chinese character takes two)."""
    return line if cell_len(line) <= width else set_cell_size(line, width - 1).rstrip() + "…"


def progress_word(result, failed_rule: str | None) -> str:
    """The column after the points: a passing exercise's test count, else what holds it back.

    A failing exercise shows no "15/16 tests": on an untouched file most checks pass vacuously
    (chapter 11), and the count would read as nearly done.
    """
    if result is None:
        return Status.NOT_RUN.label
    if result.blocked_by:
        return _("needs {other}").format(other=result.blocked_by)
    if result.status == Status.PASS:
        return f"{result.tests}/{result.tests} " + _("tests")
    if result.status == Status.FAIL and failed_rule:
        return _("fails: {rule}").format(rule=failed_rule)
    return result.status.label


def exercise_line(number: int, result, exercise, width: int, failed_rule: str | None = None) -> str:
    mark, earned = (result.status.mark, result.score) if result is not None else (Status.NOT_RUN.mark, 0)
    tests = progress_word(result, failed_rule)
    padded = tests + " " * max(0, 14 - cell_len(tests))  # columns line up in Chinese too
    score = _("{earned}/{points} pt").format(earned=earned, points=exercise.points)
    return fit(f"  {mark} {number}. {exercise.id:<16} {score}  {padded} {_(exercise.title)}", width)


def first_failed_rule(result: ChapterResult, exercise_id: str) -> str | None:
    """The rule id of the exercise's first failing grader test, when it names one."""
    return next((rule for test in result.tests if test.exercise == exercise_id and test.status == Status.FAIL
                 for rule in test.rules), None)


def scoreboard(chapter: Chapter, result: ChapterResult, width: int = WIDTH) -> list[str]:
    solved = len(result.solved_exercises())
    header = _("Chapter {n}: {title}").format(n=chapter.number, title=_(chapter.title))
    summary = _("{solved}/{total} exercises, {score}/{points} points").format(
        solved=solved, total=len(chapter.exercises), score=result.score, points=chapter.points)
    lines = [fit(header, width), fit("  " + summary, width)]
    by_id = {e.id: e for e in result.exercises}
    lines += [exercise_line(n, by_id.get(e.id), e, width, first_failed_rule(result, e.id))
              for n, e in enumerate(chapter.exercises, 1)]
    return lines


def wrap_cells(paragraph: str, width: int, subsequent_indent: str = "  ") -> list[str]:
    """Greedy wrapping by terminal cells; a word longer than a line keeps a line of its own."""
    lines, line, space = [], paragraph[: len(paragraph) - len(paragraph.lstrip())], ""
    for token in TOKENS.findall(paragraph.strip()):
        if token.isspace():
            space = token
        elif line.strip() and cell_len(line + space + token) > width:
            lines.append(line)
            line, space = subsequent_indent + token, ""
        else:
            line, space = line + space + token, ""
    return [*lines, line] if line.strip() else lines


def wrapped(text: str, width: int, indent: str = "  ") -> list[str]:
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines += wrap_cells(paragraph, width - len(indent)) or [""]
    return [indent + line if line else "" for line in lines]


def first_problem(chapter: Chapter, result: ChapterResult, width: int = WIDTH) -> list[str]:
    """What to do next: the chapter's error, or the first exercise that does not pass."""
    if result.error is not None:
        lines = [_("Chapter {n} could not be graded:").format(n=chapter.number), ""]
        lines += wrapped(result.error.message, width)
        lines += ["", _("Fix that first: nothing in the chapter can be graded until it loads. `{hint}` explains the error.").format(
            hint=command("hint", chapter.number))]
        return lines
    failing = result.first_unsolved()
    if failing is None:
        return [_("All exercises pass. Compare with the reference: `{solution}`.").format(
            solution=command("solution", chapter.number))]
    heading = {Status.BLOCKED: _("Blocked: {id}"), Status.ERROR: _("Could not grade: {id}")}.get(failing.status, _("First to fix: {id}"))
    # The message ends with where to look and the hint command (track/grading/explain.py).
    return [heading.format(id=failing.id), ""] + wrapped(failing.message or _("(no message)"), width)


def report(chapter: Chapter, result: ChapterResult, width: int = WIDTH) -> str:
    return "\n".join([*scoreboard(chapter, result, width), "", *first_problem(chapter, result, width)])


def screen(chapter: Chapter, result: ChapterResult, width: int, height: int) -> str:
    """One screenful for `watch`: the scoreboard first, then as much of the first problem as fits."""
    board = scoreboard(chapter, result, width)
    problem = first_problem(chapter, result, width)
    room = max(height - len(board) - 3, 3)
    if len(problem) > room:
        problem = [*problem[: room - 1], _("  … (the rest: `{check}`)").format(check=command("check", chapter.number))]
    return "\n".join([*board, "", *problem])
