"""Lessons cannot drift from the code: every Python block in a README is a real, checked file.

Before each ```python block a lesson says where the code lives:

    <!-- snippet: client.py:hello -->      the region `# --8<-- [start:hello]` ... `[end:hello]`
    <!-- snippet: examples/collision.py --> the whole file (examples/ scripts are run below)
    <!-- not-run: the source material's Flask 0.x code -->   shown for contrast, never run

Paths are relative to the chapter folder. Snippets come from `chapters/` (never a solution).
"""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from track.course import ROOT, chapters

LESSONS = [path for chapter in chapters() for path in (chapter.learner_dir / "README.md", chapter.learner_dir / "README.zh-CN.md")]
EXAMPLES = sorted(path for chapter in chapters() for path in (chapter.learner_dir / "examples").glob("*.py"))
BLOCK = re.compile(r"(?:<!-- (?P<kind>snippet|not-run): (?P<ref>[^>]*?) -->\n)?```python\n(?P<code>.*?)```", re.S)
EXAMPLE_TIMEOUT_S = 60


def region(text: str, name: str) -> str:
    match = re.search(rf"^[ \t]*# --8<-- \[start:{re.escape(name)}\]\n(.*?)^[ \t]*# --8<-- \[end:{re.escape(name)}\]", text, re.S | re.M)
    assert match, f"no region {name!r}"
    return textwrap.dedent(match[1])


def snippet_source(lesson: Path, reference: str) -> str:
    file_part, _, name = reference.partition(":")
    source = (lesson.parent / file_part).read_text(encoding="utf-8")
    return region(source, name) if name else source


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_are_checked_snippets(lesson):
    assert lesson.is_file(), f"{lesson.relative_to(ROOT)} is missing"
    blocks = list(BLOCK.finditer(lesson.read_text(encoding="utf-8")))
    assert blocks, f"{lesson.name} shows no Python at all"
    for block in blocks:
        assert block["kind"], f"{lesson.name}: a python block has no <!-- snippet: ... --> or <!-- not-run: ... --> line:\n{block['code'][:200]}"
        if block["kind"] == "snippet":
            expected = snippet_source(lesson, block["ref"].strip())
            assert block["code"] == expected, (
                f"{lesson.relative_to(ROOT)}: the snippet {block['ref']} differs from the file; copy it again"
            )


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_link_to_their_twin(lesson):
    twin = "README.zh-CN.md" if lesson.name == "README.md" else "README.md"
    assert twin in lesson.read_text(encoding="utf-8"), f"{lesson.name} should link to {twin}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(example):
    done = subprocess.run([sys.executable, str(example)], cwd=ROOT, capture_output=True, text=True, timeout=EXAMPLE_TIMEOUT_S)
    assert done.returncode == 0, f"{example.relative_to(ROOT)} failed:\n{done.stdout}\n{done.stderr}"
