"""`python -m track new NN slug`: the skeleton of a new chapter, already a valid one.

It writes a solution with one exercise, its generated stub, a manifest, both lessons, a
walkthrough, a grader and the chapter's message catalog (already in Chinese), and links the
chapter into the course: the neighbours' `previous`/`next` links in both languages and a row
in both course READMEs' tables. `make test` passes for it from the start (CONTRIBUTING.md
lists every step); then the real work replaces the example.
"""
from __future__ import annotations

import re
from pathlib import Path

from track.model.course import CHAPTERS, ROOT, SOLUTIONS, Chapter, UsageError, chapters, load_manifest
from track.model.i18n import _
from track.model.stubs import write_stubs

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")

SOLUTION = '''"""Chapter {number}: (what this chapter teaches, in one line).

Run it with `make chapter-{number} run` or `flask --app chapters.{package}.app run --debug`.
"""
from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)

    @app.get("/health")
    def health():
        """Not an exercise: the stub serves it too (the manifest's stub_serves)."""
        return {{"status": "ok"}}

    @app.get("/")
    def hello():
        """Exercise `hello`: GET / answers 200 with the body exactly `Hello from chapter {number}!`.

        Rules:
        - [body-hello] GET / answers 200 with the body exactly `Hello from chapter {number}!`.
        """
        # SOLUTION hello
        return "Hello from chapter {number}!"
        # END SOLUTION

    return app
'''

MANIFEST = '''# Chapter {number} manifest: order, points and progressive hints for each exercise.
title = "(English title)"
title_zh = "（中文标题）"
stub_serves = [{{path = "/health", status = 200}}]

[[exercises]]
id = "hello"
title = "GET / answers Hello from chapter {number}!"
points = 1
where = "the view `hello()` in app.py"
hints = [
    "A view returns the response body: return a string from `hello()`.",
    "The body must be exactly `Hello from chapter {number}!`.",
]

# `python -m track demo {number}`: the exercises each region of client.py needs, and the headers taught.
[demo]
steps = {{ hello = ["hello"] }}
headers = ["Content-Type"]
'''

LESSON = '''# Chapter {number} — (title)

{nav_en}

(What the source material did, what changed since, the concepts, the exercises, the client side,
what we chose.)

```mermaid
flowchart LR
    client["client"] -->|"GET /"| view["hello()"]
```

## The exercises

| # | id | contract | rules |
|---|---|---|---|
| 1 | `hello` | `GET /` → 200, body exactly `Hello from chapter {number}!` | `body-hello` |

## 1. (The first idea)

(Explain it, with a link to its docs page: [Flask quickstart](https://flask.palletsprojects.com/en/stable/quickstart/).)

<!-- snippet: client.py:hello -->
```python
{snippet}```

## Common errors

- `404 NOT FOUND` — (what causes it, and the fix). ([reproduce](examples/errors_{slug}.py))
- `405 METHOD NOT ALLOWED` — (what causes it, and the fix). ([reproduce](examples/errors_{slug}.py))
- `RuntimeError: Working outside of application context.` — (cause, fix). ([reproduce](examples/errors_{slug}.py))

## Recap

- (one idea per line)
- (one idea per line)
- (one idea per line)
- (one idea per line)

## Check yourself

1. (question)
   <details><summary>Answer</summary>(answer)</details>
2. (question)
   <details><summary>Answer</summary>(answer)</details>
3. (question)
   <details><summary>Answer</summary>(answer)</details>

## Read more

- [Flask quickstart](https://flask.palletsprojects.com/en/stable/quickstart/)
- [Flask API](https://flask.palletsprojects.com/en/stable/api/)
- [Werkzeug](https://werkzeug.palletsprojects.com/en/stable/)
'''

LESSON_ZH = '''# 第 {number} 章 —（标题）

{nav_zh}

```mermaid
flowchart LR
    client["客户端"] -->|"GET /"| view["hello()"]
```

## 练习

| # | id | 契约 | 规则 |
|---|---|---|---|
| 1 | `hello` | `GET /` → 200，响应体恰好是 `Hello from chapter {number}!` | `body-hello` |

## 1. （第一个概念）

（讲清楚它，并链接文档：[Flask 快速上手](https://flask.palletsprojects.com/en/stable/quickstart/)。）

<!-- snippet: client.py:hello -->
```python
{snippet}```

## 常见错误

- `404 NOT FOUND` ——（原因与解决办法）。（[复现](examples/errors_{slug}.py)）
- `405 METHOD NOT ALLOWED` ——（原因与解决办法）。（[复现](examples/errors_{slug}.py)）
- `RuntimeError: Working outside of application context.` ——（原因与解决办法）。（[复现](examples/errors_{slug}.py)）

## 小结

- （每行一个要点）
- （每行一个要点）
- （每行一个要点）
- （每行一个要点）

## 自测

1. （问题）
   <details><summary>答案</summary>（答案）</details>
2. （问题）
   <details><summary>答案</summary>（答案）</details>
3. （问题）
   <details><summary>答案</summary>（答案）</details>

## 延伸阅读

- [Flask 快速上手](https://flask.palletsprojects.com/en/stable/quickstart/)
- [Flask API](https://flask.palletsprojects.com/en/stable/api/)
- [Werkzeug](https://werkzeug.palletsprojects.com/en/stable/)
'''

CLIENT_REGION = '''response = http.get(f"{{base_url}}/")
assert response.text == "Hello from chapter {number}!"
'''

ERRORS_EXAMPLE = '''"""The errors the lesson's "Common errors" quotes, reproduced: run it and read the output."""
from flask import Flask, current_app

app = Flask(__name__)


@app.get("/health")
def health():
    return "ok"


client = app.test_client()
print(client.get("/no-such-page").status)      # 404 NOT FOUND
print(client.delete("/health").status)         # 405 METHOD NOT ALLOWED
try:
    current_app.name                            # no request, no `with app.app_context():`
except RuntimeError as error:
    print(f"RuntimeError: {{error}}".splitlines()[0])
'''

CLIENT = '''"""Chapter {number} from the client's side.

`python -m track demo {number}` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-{number} run`), run `python -m chapters.{package}.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # The demo, the presenter view and the handout show each step with why it matters:
    # why: A route maps a URL to a view function, and what the view returns is the answer.
    # why-zh: 路由把 URL 映射到视图函数，视图函数返回的就是答复。
    # --8<-- [start:hello]
    response = http.get(f"{{base_url}}/")
    assert response.text == "Hello from chapter {number}!"
    # --8<-- [end:hello]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
'''

GRADER = '''"""Grader for chapter {number} (see chapters/{package}/README.md)."""
import pytest

from tests.expect import expect_text


@pytest.mark.exercise("hello")
class TestHello:
    @pytest.mark.rule("body-hello")
    def test_root_says_hello(self, client):
        expect_text(client.get("/"), "Hello from chapter {number}!")
'''


# The Chinese of the texts the skeleton's manifest shows a learner (its message catalog).
MANIFEST_ZH = {
    "(English title)": "（中文标题）",
    "GET / answers Hello from chapter {number}!": "GET / 返回 Hello from chapter {number}!",
    "the view `hello()` in app.py": "app.py 中的视图函数 `hello()`",
    "A view returns the response body: return a string from `hello()`.": "视图函数的返回值就是响应体：让 `hello()` 返回一个字符串。",
    "The body must be exactly `Hello from chapter {number}!`.": "响应体必须恰好是 `Hello from chapter {number}!`。",
}
# Each lesson's navigation line: the link to its twin, then the neighbours (tests/course/test_lessons.py).
NAVIGATION = {
    "README.md": ("[中文版](README.zh-CN.md)", "previous: ", "next: ", "[Chapter {number}](../{package}/README.md)"),
    "README.zh-CN.md": ("[English](README.md)", "上一章：", "下一章：", "[第 {number} 章](../{package}/README.zh-CN.md)"),
}
# The course READMEs' chapter tables (a test checks both list every chapter).
README_ROWS = {
    "README.md": "| {number} | [`{package}`](chapters/{package}/README.md) · [中文](chapters/{package}/README.zh-CN.md)"
                 " | {title} | {points} |\n",
    "README.zh-CN.md": "| {number} | [`{package}`](chapters/{package}/README.zh-CN.md) | {title_zh} | {points} |\n",
}
TABLE_ROW = re.compile(r"^\| (\d+) \| \[`ch\d\d_.*\n", re.M)


def create(number: int, slug: str) -> tuple[list[Path], list[Path]]:
    """Write the skeleton of chapter `number` and link it into the course: the files (created, updated)."""
    if not SLUG.match(slug) or not 1 <= number <= 99:
        raise UsageError(_("Say `python -m track new 13 caching`: a number from 1 to 99 and a lowercase slug."))
    if any(c.number == number for c in chapters()):
        raise UsageError(_("Chapter {n} exists already.").format(n=number))
    package = f"ch{number:02d}_{slug}"
    previous = max((c for c in chapters() if c.number < number), key=lambda c: c.number, default=None)
    following = min((c for c in chapters() if c.number > number), key=lambda c: c.number, default=None)
    values = {"number": number, "package": package, "snippet": CLIENT_REGION.format(number=number), "slug": slug,
              **{f"nav_{language}": navigation(lesson, previous, following)
                 for language, lesson in (("en", "README.md"), ("zh", "README.zh-CN.md"))}}
    files = {
        SOLUTIONS / package / "__init__.py": f'"""Chapter {number}: the reference solution."""\n',
        SOLUTIONS / package / "app.py": SOLUTION,
        CHAPTERS / package / "chapter.toml": MANIFEST,
        CHAPTERS / package / "README.md": LESSON,
        CHAPTERS / package / "README.zh-CN.md": LESSON_ZH,
        CHAPTERS / package / "client.py": CLIENT,
        CHAPTERS / package / "examples" / f"errors_{slug}.py": ERRORS_EXAMPLE,
        ROOT / "tests" / f"test_{package}.py": GRADER,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    chapters.cache_clear()
    chapter = load_manifest(CHAPTERS / package / "chapter.toml")
    stubs = write_stubs(chapter, CHAPTERS / package)
    return [*files, *stubs, write_catalog(chapter)], [*link_neighbours(chapter, previous, following), *add_rows(chapter)]


def navigation(lesson: str, previous: Chapter | None, following: Chapter | None) -> str:
    """The new lesson's navigation line: its twin, the previous and the next chapter."""
    twin, *words, link = NAVIGATION[lesson]
    neighbours = [word + link.format(number=c.number, package=c.package)
                  for word, c in zip(words, (previous, following)) if c is not None]
    return " · ".join([twin, *neighbours])


def link_neighbours(chapter: Chapter, previous: Chapter | None, following: Chapter | None) -> list[Path]:
    """Point the previous lesson's `next:` and the next lesson's `previous:` at the new chapter, in both languages."""
    edited = []
    for lesson, (twin, back, forward, link) in NAVIGATION.items():
        to_new = link.format(number=chapter.number, package=chapter.package)
        for neighbour, word in ((previous, forward), (following, back)):
            if neighbour is not None:
                path = neighbour.learner_dir / lesson
                path.write_text(relinked(path.read_text(encoding="utf-8"), twin, word, word + to_new, word == back),
                                encoding="utf-8")
                edited.append(path)
    return edited


def relinked(text: str, twin: str, word: str, segment: str, first: bool) -> str:
    """`text` with its `word` link replaced by `segment`; without one, `segment` joins the navigation
    line (the line that starts with the twin link): first after the twin, or last."""
    existing = re.compile(re.escape(word) + r"\[[^\]]*\]\([^)\s]*\)")
    if existing.search(text):
        return existing.sub(lambda _match: segment, text, count=1)
    line = re.compile(r"^" + re.escape(twin) + r".*$", re.M)
    if not line.search(text):
        raise SystemExit(f"no navigation line starting with {twin} to link the new chapter from")
    if first:
        return line.sub(lambda match: match[0].replace(twin, f"{twin} · {segment}", 1), text, count=1)
    return line.sub(lambda match: f"{match[0]} · {segment}", text, count=1)


def add_rows(chapter: Chapter) -> list[Path]:
    """The chapter's row in the tables of both course READMEs, in course order."""
    for readme, row in README_ROWS.items():
        path = ROOT / readme
        text = path.read_text(encoding="utf-8")
        rows = list(TABLE_ROW.finditer(text))
        if not rows:
            raise SystemExit(f"{path}: no chapter table to add the chapter's row to")
        before = [found for found in rows if int(found[1]) < chapter.number]
        at = before[-1].end() if before else rows[0].start()
        line = row.format(number=chapter.number, package=chapter.package, title=chapter.title,
                          title_zh=chapter.title_zh, points=chapter.points)
        path.write_text(text[:at] + line + text[at:], encoding="utf-8")
    return [ROOT / readme for readme in README_ROWS]


def write_catalog(chapter: Chapter) -> Path:
    """The chapter's message catalog, its skeleton's texts already in Chinese."""
    from track.maintainers import messages  # Babel: only `new` needs it

    catalog = messages.merged(chapter.package, messages.sources([chapter])[chapter.package])
    for message in catalog:
        if message.id:
            message.string = next((zh.format(number=chapter.number) for en, zh in MANIFEST_ZH.items()
                                   if en.format(number=chapter.number) == message.id), "")
    messages.write(chapter.package, catalog)
    return messages.catalog_path(chapter.package)


def next_steps() -> str:
    """What a maintainer does after `new`, in the reader's language."""
    return _("""
Next (CONTRIBUTING.md has the details):
  1. Write the solution in solutions/ with SOLUTION/STUB markers, then `python -m track stubs NN`.
  2. Fill chapter.toml: titles, exercises, points, where, hints, [demo] (`requires` only if unavoidable).
  3. Write the grader, one class per exercise; `python -m track matrix NN` must report no problem.
     List five typical mistakes or more in tests/mistakes/chNN_slug.toml: `python -m track mistakes NN`.
  4. Write both lessons and client.py; `python -m track snippets NN` fills the code blocks.
  5. `python -m track messages`, then fill the new texts' msgstr in the chapter's catalog
     (track/locale/zh_CN/LC_MESSAGES/chNN_slug.po).
  6. Put the chapter's titles in its rows of README.md and README.zh-CN.md.
  7. `make test`.
""")
