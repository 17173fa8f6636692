"""A chapter's lesson as HTML: markdown-it-py for the text, Pygments for the code, Mermaid left to the browser."""
from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from track.model.course import Chapter, chapters

LESSONS = {"en": "README.md", "zh": "README.zh-CN.md"}
# A lesson links to its twin (`README.zh-CN.md`) and to its neighbours (`../ch02_x/README.md`).
LESSON_LINK = re.compile(r"^(?:\.\./(?P<package>ch\d\d_[a-z0-9_]+)/)?(?P<file>README(?:\.zh-CN)?\.md)(?P<anchor>#.*)?$")
# The spans only: markdown-it keeps a block that starts with <pre> as it is, and wraps any other.
FORMATTER = HtmlFormatter(nowrap=True)


def coloured(code: str, lexer: Lexer) -> str:
    return f'<pre class="highlight"><code>{highlight(code, lexer, FORMATTER)}</code></pre>\n'


def highlighted(code: str, language: str, _attrs: str) -> str:
    """A fenced block: Mermaid source for the browser to draw, else code coloured by Pygments."""
    if language == "mermaid":
        return f'<pre class="mermaid">{escape(code)}</pre>\n'
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return coloured(code, lexer)


def dashboard_href(href: str, chapter: Chapter) -> str:
    """A link between lessons, pointed at the dashboard's page; any other link unchanged."""
    match = LESSON_LINK.match(href)
    if match is None:
        return href
    target = next((c for c in chapters() if c.package == match["package"]), chapter if match["package"] is None else None)
    if target is None:
        return href
    lang = next(code for code, name in LESSONS.items() if name == match["file"])
    return f"/chapters/{target.number}?lang={lang}{match['anchor'] or ''}"


@cache
def renderer() -> MarkdownIt:
    # html: the lessons are the course's own files and use <details> and <!-- snippet --> comments.
    return MarkdownIt("commonmark", {"html": True, "highlight": highlighted}).enable("table")


def render(chapter: Chapter, lang: str) -> str:
    """The lesson of `chapter` in `lang` ("en" or "zh") as HTML."""
    md = renderer()
    tokens = md.parse((chapter.learner_dir / LESSONS[lang]).read_text(encoding="utf-8"))
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("href", dashboard_href(str(child.attrGet("href")), chapter))
    return md.renderer.render(tokens, md.options, {})


def stylesheet() -> str:
    """Pygments' colours for `.highlight` blocks."""
    return FORMATTER.get_style_defs(".highlight")
