"""Lessons cannot drift from the code: every Python block in a README is a real, checked file.

The block syntax is described in track/maintainers/lessons.py; `python -m track snippets` refreshes them.
"""
import functools
import re
import subprocess
import sys

import pytest

from track.model.course import ROOT, chapters
from track.maintainers.lessons import BLOCK, snippet_source

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
    done = run_example(example)
    assert done.returncode == 0, f"{example.relative_to(ROOT)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_course_readmes_list_every_chapter(readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    missing = [c.package for c in chapters() if f"chapters/{c.package}/" not in text]
    assert not missing, f"{readme}: the chapter table lacks {missing}"
    assert "make test" in text and "make chapter-1 run" in text


# --- The parts every lesson has (issue 12): a diagram, common errors, recap, self-check, docs. ---

@functools.cache
def run_example(example):
    """One run per session: the structure tests read the output the examples test produced."""
    return subprocess.run([sys.executable, str(example)], cwd=ROOT, capture_output=True, text=True, timeout=EXAMPLE_TIMEOUT_S)


# Headings and the fold's summary, per language, in the order the closing sections come.
CLOSING = {"README.md": {"errors": "Common errors", "recap": "Recap", "check": "Check yourself", "more": "Read more", "answer": "Answer"},
           "README.zh-CN.md": {"errors": "常见错误", "recap": "小结", "check": "自测", "more": "延伸阅读", "answer": "答案"}}
# Official documentation a lesson may cite; a subdomain of an entry counts too.
DOCS_DOMAINS = ("palletsprojects.com", "flask-sqlalchemy.readthedocs.io", "flask-jwt-extended.readthedocs.io",
                "flask-bcrypt.readthedocs.io", "flask-socketio.readthedocs.io", "python-socketio.readthedocs.io",
                "docs.sqlalchemy.org", "gevent.org", "docs.gunicorn.org", "docs.python.org", "peps.python.org",
                "docs.pytest.org", "requests.readthedocs.io", "developer.mozilla.org", "datatracker.ietf.org",
                "rfc-editor.org", "flask-wtf.readthedocs.io", "wtforms.readthedocs.io",
                "flask-migrate.readthedocs.io", "alembic.sqlalchemy.org", "docs.docker.com")
URL_HOST = re.compile(r"https?://([^/\s)>]+)")
NUMBERED_SECTION = re.compile(r"^## \d+\. .*?(?=^## |\Z)", re.S | re.M)


def prose(lesson):
    return FENCE.sub("", lesson.read_text(encoding="utf-8"))


def section(lesson, key):
    """The body of a closing section (`key` in CLOSING), or None when the lesson lacks it."""
    heading = CLOSING[lesson.name][key]
    match = re.search(rf"^## {re.escape(heading)}[ \t]*\n(.*?)(?=^## |\Z)", prose(lesson), re.S | re.M)
    return match and match[1]


def items(body, marker):
    """The list items of a section, each with its continuation lines; `marker` starts an item."""
    return [item for item in re.split(rf"^(?={marker})", body, flags=re.M) if re.match(marker, item)]


def docs_links(text):
    return [host for host in URL_HOST.findall(text)
            if any(host == domain or host.endswith("." + domain) for domain in DOCS_DOMAINS)]


def where(lesson):
    return lesson.relative_to(ROOT)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_have_a_mermaid_diagram(lesson):
    diagram = re.search(r"^ *```mermaid$", lesson.read_text(encoding="utf-8"), re.M)
    assert diagram, f"{where(lesson)} has no ```mermaid block; draw the chapter's flow or structure (see issue 12)"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_have_the_closing_sections_in_order(lesson):
    text = prose(lesson)
    headings = [CLOSING[lesson.name][key] for key in ("errors", "recap", "check", "more")]
    found = [heading for heading in re.findall(r"^## (.+?)[ \t]*$", text, re.M) if heading in headings]
    assert found == headings, f"{where(lesson)}: expected the sections {headings} in this order, found {found}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_recap_has_four_to_six_bullets(lesson):
    body = section(lesson, "recap")
    assert body is not None, f"{where(lesson)} has no '## {CLOSING[lesson.name]['recap']}'"
    bullets = items(body, r"- ")
    assert 4 <= len(bullets) <= 6, f"{where(lesson)}: the recap has {len(bullets)} bullets; write 4 to 6"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_check_yourself_questions_have_folded_answers(lesson):
    body = section(lesson, "check")
    assert body is not None, f"{where(lesson)} has no '## {CLOSING[lesson.name]['check']}'"
    questions = items(body, r"\d+\. ")
    assert 3 <= len(questions) <= 5, f"{where(lesson)}: {len(questions)} numbered questions; write 3 to 5"
    fold = f"<details><summary>{CLOSING[lesson.name]['answer']}</summary>"
    unanswered = [question.splitlines()[0] for question in questions if fold not in question or "</details>" not in question]
    assert not unanswered, f"{where(lesson)}: these questions have no folded answer `{fold}…</details>`: {unanswered}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_common_errors_are_reproduced_by_example_scripts(lesson):
    body = section(lesson, "errors")
    assert body is not None, f"{where(lesson)} has no '## {CLOSING[lesson.name]['errors']}'"
    bullets = items(body, r"- ")
    assert 3 <= len(bullets) <= 6, f"{where(lesson)}: {len(bullets)} common errors; write 3 to 6"
    for bullet in bullets:
        message = re.match(r"- `([^`]+)`", bullet)
        script = re.search(r"\]\((examples/[\w.-]+\.py)\)", bullet)
        assert message and script, (f"{where(lesson)}: a common error must start with the message in backticks and link "
                                    f"the script that reproduces it, `([reproduce](examples/errors_x.py))`:\n{bullet}")
        path = lesson.parent / script[1]
        assert path.is_file(), f"{where(lesson)} links {script[1]}, which does not exist"
        done = run_example(path)
        assert done.returncode == 0, f"{path.relative_to(ROOT)} failed:\n{done.stdout}\n{done.stderr}"
        expected, printed = " ".join(message[1].split()), " ".join(done.stdout.split())
        assert expected in printed, (f"{where(lesson)} quotes `{expected}`, but {path.relative_to(ROOT)} does not print it; "
                                     f"it printed:\n{done.stdout[-1500:]}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_sections_link_to_the_official_docs(lesson):
    sections = NUMBERED_SECTION.findall(prose(lesson))
    assert sections, f"{where(lesson)} has no numbered sections `## 1. …`; split its concepts into them"
    bare = [text.splitlines()[0] for text in sections if not docs_links(text)]
    assert not bare, f"{where(lesson)}: these sections link to no official docs page ({', '.join(DOCS_DOMAINS)}): {bare}"
    more = section(lesson, "more") or ""
    assert len(docs_links(more)) >= 3, f"{where(lesson)}: '## {CLOSING[lesson.name]['more']}' needs 3 or more official docs links"
