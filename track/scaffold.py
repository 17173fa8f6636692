"""`python -m track new NN slug`: the skeleton of a new chapter, already a valid one.

It writes a solution with one exercise, its generated stub, a manifest, both lessons, a
walkthrough and a grader, so `make test` passes for it from the start except for the two
README tables (CONTRIBUTING.md lists every step). Then the real work replaces the example.
"""
from __future__ import annotations

import re
from pathlib import Path

from track.course import CHAPTERS, ROOT, SOLUTIONS, UsageError, chapters, load_manifest
from track.i18n import _
from track.stubs import write_stubs

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

[中文版](README.zh-CN.md) · previous: [Chapter {previous}]({previous_link})

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

[English](README.md) · 上一章：[第 {previous} 章]({previous_link_zh})

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
    from track.postman import main

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


def create(number: int, slug: str) -> list[Path]:
    """Write the skeleton of chapter `number`; the files written."""
    if not SLUG.match(slug) or not 1 <= number <= 99:
        raise UsageError(_("Say `python -m track new 13 caching`: a number from 1 to 99 and a lowercase slug."))
    if any(c.number == number for c in chapters()):
        raise UsageError(_("Chapter {n} exists already.").format(n=number))
    package = f"ch{number:02d}_{slug}"
    previous = max((c for c in chapters() if c.number < number), key=lambda c: c.number, default=None)
    values = {"number": number, "package": package, "previous": previous.number if previous else "-",
              "previous_link": f"../{previous.package}/README.md" if previous else "../../README.md",
              "previous_link_zh": f"../{previous.package}/README.zh-CN.md" if previous else "../../README.zh-CN.md",
              "snippet": CLIENT_REGION.format(number=number), "slug": slug}
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
    stubs = write_stubs(load_manifest(CHAPTERS / package / "chapter.toml"), CHAPTERS / package)
    return [*files, *stubs]


def next_steps() -> str:
    """What a maintainer does after `new`, in the reader's language."""
    return _("""
Next (CONTRIBUTING.md has the details):
  1. Write the solution in solutions/ with SOLUTION/STUB markers, then `python -m track stubs NN`.
  2. Fill chapter.toml: titles, exercises, points, where, hints (and `requires` only if unavoidable).
  3. Write the grader, one class per exercise; `python -m track matrix NN` must report no problem.
  4. Write both lessons and client.py; `python -m track snippets NN` fills the code blocks.
  5. Add the chapter's row to the tables in README.md and README.zh-CN.md.
  6. `make test`.
""")
