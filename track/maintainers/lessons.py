"""Code in the lessons comes from real files, so a lesson cannot drift from the code.

Before each ```python block a lesson names its source, relative to the chapter folder:

    <!-- snippet: client.py:hello -->       the region `# --8<-- [start:hello]` ... `[end:hello]`
    <!-- snippet: examples/collision.py --> the whole file (the tests run every example)
    <!-- not-run: why -->                   the source material's old code, shown for contrast

`python -m track snippets` copies the sources into the lessons; the tests check they match.
"""
from __future__ import annotations

import re
from pathlib import Path

from track.model.regions import region

BLOCK = re.compile(r"(?:<!-- (?P<kind>snippet|not-run): (?P<ref>[^>]*?) -->\n)?```python\n(?P<code>.*?)```", re.S)


def snippet_source(lesson: Path, reference: str) -> str:
    file_part, _, name = reference.strip().partition(":")
    source = (lesson.parent / file_part).read_text(encoding="utf-8")
    return region(source, name) if name else source


def refreshed(lesson: Path) -> str:
    """The lesson's text with every snippet block copied anew from its source."""
    def fill(block: re.Match) -> str:
        if block["kind"] != "snippet":
            return block[0]
        return f"<!-- snippet: {block['ref']} -->\n```python\n{snippet_source(lesson, block['ref'])}```"

    return BLOCK.sub(fill, lesson.read_text(encoding="utf-8"))
