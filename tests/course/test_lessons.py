"""Lessons cannot drift from the code: every Python block in a README is a real, checked file.

The block syntax is described in track/lessons.py; `python -m track snippets` refreshes them.
"""
import re
import subprocess
import sys

import pytest

from track.course import ROOT, chapters
from track.lessons import BLOCK, snippet_source

LESSONS = [path for chapter in chapters() for path in (chapter.learner_dir / "README.md", chapter.learner_dir / "README.zh-CN.md")]
LESSON_NAMES = ("README.md", "README.zh-CN.md")
# A Markdown link `[text](target)`, outside fenced code; a target with a scheme is not a file.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^ *```.*?^ *```", re.S | re.M)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.I)
# How the navigation line names the neighbours, per language.
NAV_WORDS = {"README.md": ("previous: ", "next: "), "README.zh-CN.md": ("上一章：", "下一章：")}
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


def relative_links(lesson):
    """The files a lesson links to, resolved against its folder, with the anchor dropped."""
    prose = FENCE.sub("", lesson.read_text(encoding="utf-8"))
    return [(target, (lesson.parent / target.partition("#")[0]).resolve())
            for target in LINK.findall(prose) if not EXTERNAL.match(target)]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(lesson):
    broken = [target for target, path in relative_links(lesson) if not path.exists()]
    assert not broken, f"{lesson.relative_to(ROOT)} links to files that do not exist: {broken}; fix the paths"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_link_to_lessons_in_their_own_language(lesson):
    other = next(name for name in LESSON_NAMES if name != lesson.name)
    twin = lesson.with_name(other)
    wrong = [target for target, path in relative_links(lesson)
             if path.name == other and path != twin and path.with_name(lesson.name).is_file()]
    assert not wrong, (f"{lesson.relative_to(ROOT)} links to {other} lessons {wrong}; "
                       f"only its twin may be in the other language, link to {lesson.name} instead")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_link_to_the_previous_and_next_chapter(lesson):
    course = chapters()
    index = next(i for i, chapter in enumerate(course) if chapter.learner_dir == lesson.parent)
    text = FENCE.sub("", lesson.read_text(encoding="utf-8"))
    for word, other in zip(NAV_WORDS[lesson.name], (index - 1, index + 1)):
        if not 0 <= other < len(course):
            continue
        expected = (course[other].learner_dir / lesson.name).resolve()
        targets = re.findall(re.escape(word) + LINK.pattern, text)
        assert expected in [(lesson.parent / target).resolve() for target in targets], (
            f"{lesson.relative_to(ROOT)} should link '{word.strip()}' to {expected.relative_to(ROOT)}; "
            f"its '{word.strip()}' links: {targets or 'none'}")


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
