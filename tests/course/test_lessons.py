"""Lessons cannot drift from the code: every Python block in a README is a real, checked file.

The block syntax is described in track/lessons.py; `python -m track snippets` refreshes them.
"""
import subprocess
import sys

import pytest

from track.course import ROOT, chapters
from track.lessons import BLOCK, snippet_source

LESSONS = [path for chapter in chapters() for path in (chapter.learner_dir / "README.md", chapter.learner_dir / "README.zh-CN.md")]
EXAMPLES = sorted(path for chapter in chapters() for path in (chapter.learner_dir / "examples").glob("*.py"))
EXAMPLE_TIMEOUT_S = 60


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_are_checked_snippets(lesson):
    assert lesson.is_file(), f"{lesson.relative_to(ROOT)} is missing"
    blocks = list(BLOCK.finditer(lesson.read_text(encoding="utf-8")))
    assert blocks, f"{lesson.name} shows no Python at all"
    for block in blocks:
        assert block["kind"], f"{lesson.name}: a python block has no <!-- snippet: ... --> or <!-- not-run: ... --> line:\n{block['code'][:200]}"
        if block["kind"] == "snippet":
            assert block["code"] == snippet_source(lesson, block["ref"]), (
                f"{lesson.relative_to(ROOT)}: the snippet {block['ref']} differs from its file; run `python -m track snippets`"
            )


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_link_to_their_twin(lesson):
    twin = "README.zh-CN.md" if lesson.name == "README.md" else "README.md"
    assert twin in lesson.read_text(encoding="utf-8"), f"{lesson.name} should link to {twin}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(example):
    done = subprocess.run([sys.executable, str(example)], cwd=ROOT, capture_output=True, text=True, timeout=EXAMPLE_TIMEOUT_S)
    assert done.returncode == 0, f"{example.relative_to(ROOT)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_course_readmes_list_every_chapter(readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    missing = [c.package for c in chapters() if f"chapters/{c.package}/" not in text]
    assert not missing, f"{readme}: the chapter table lacks {missing}"
    assert "make test" in text and "make chapter-1 run" in text
