"""Named regions of a source file, and the why-comments above them: the one parser of both.

    # why: the sentence the demo shows with this step
    # --8<-- [start:hello]
    ...code the lessons quote and the demo runs as one step...
    # --8<-- [end:hello]

The lessons quote a region's text (track/maintainers/lessons.py); the demo runs each region as a step and
shows its why (track/walkthrough/stepper.py); the walkthrough's recorder names each call by its region
(track/walkthrough/recording.py).
"""
from __future__ import annotations

import re
import textwrap

MARKER = re.compile(r"#\s*--8<--\s*\[(start|end):([^\]]+)\]")
# `# why: ...` and `# why-zh: ...` just above a region's start marker (or a step's first line):
# the sentence the demo, the presenter view and the handout show with that step. Outside the
# region, so the lessons' quotes leave it out.
WHY = re.compile(r"^\s*#\s*why(?:-(zh))?:\s*(.*)$")
CONTINUED = re.compile(r"^\s*#\s{2,}(.*)$")  # a why continued: indented under it


def regions(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of every `# --8<-- [start:NAME]` ... `[end:NAME]` in a file."""
    opened, found = {}, []
    for number, line in enumerate(source.splitlines(), start=1):
        if match := MARKER.search(line):
            kind, name = match.groups()
            if kind == "start":
                opened[name] = number
            else:
                found.append((name, opened.pop(name), number))
    return found


def region(source: str, name: str) -> str:
    """The text between a region's markers, dedented: what a lesson quotes."""
    for found, first, last in regions(source):
        if found == name:
            return textwrap.dedent("".join(source.splitlines(keepends=True)[first:last - 1]))
    raise KeyError(f"no region {name!r}")


def explanations(source: str) -> dict[int, dict[str, str]]:
    """{line: {"en": ..., "zh": ...}}: each block of why-comments, keyed by the step's first line below it.

    That line is a region's start marker or the first line of code; ordinary comments between
    the why and it are skipped. A why goes on over the comment lines indented under it.
    """
    found: dict[int, dict[str, str]] = {}
    block: dict[str, str] = {}
    language = None
    for number, line in enumerate(source.splitlines(), start=1):
        if match := WHY.match(line):
            language = match[1] or "en"
            block[language] = match[2].strip()
        elif MARKER.search(line) or not line.lstrip().startswith("#"):
            if block:
                found[number] = block
            block, language = {}, None
        elif language and (match := CONTINUED.match(line)):
            block[language] = f"{block[language]} {match[1].strip()}"
        else:
            language = None  # an ordinary comment between the why and the code
    return found
