"""One Chinese vocabulary: the zh lessons and the zh catalogs use docs/glossary.md's terms, not its variants.

The table's format and the rules (prose only, ASCII variants as whole words, one gloss per lesson)
are described at the top of docs/glossary.md.
"""
import re
from dataclasses import dataclass

import pytest

from track.model.course import ROOT, chapters
from track.maintainers.messages import load, sources

GLOSSARY = ROOT / "docs" / "glossary.md"
ZH_LESSONS = [chapter.learner_dir / "README.zh-CN.md" for chapter in chapters()]
# What is not prose: fenced blocks, inline code, <code>, HTML comments, link targets; in a catalog, {placeholders}.
NOT_PROSE = re.compile(r"^ *```.*?^ *```|`[^`\n]*`|<code>.*?</code>|<!--.*?-->|\]\([^)]*\)|\{[^{}]*\}", re.S | re.M)


@dataclass(frozen=True)
class Variant:
    term: str  # the glossary's Chinese term (alternatives separated by " / ")
    word: str  # a variant a text must not use
    gloss: bool  # allowed once, in full-width parentheses right after the term, in a lesson

    @property
    def ascii(self) -> bool:
        return bool(re.fullmatch(r"[A-Za-z]\w*", self.word))

    def pattern(self) -> str:
        """An ASCII variant is a whole word (`app`, not `app.py` or `apps`); a Chinese one is a substring."""
        return rf"(?<![\w.]){re.escape(self.word)}(?![\w.])" if self.ascii else re.escape(self.word)

    def glosses(self, text: str) -> int:
        if not self.gloss:
            return 0
        terms = "|".join(re.escape(term) for term in self.term.split(" / "))
        return len(re.findall(rf"(?:{terms})\*{{0,2}}（[^）]*{re.escape(self.word)}[^）]*）", text))


def glossary_rows() -> list[list[str]]:
    """The cells of the first table (English, 中文, 禁用, 可作注释一次), header and rule left out."""
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| English | 中文 |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in line.split("|")[1:-1]])
    return rows


def variants() -> list[Variant]:
    return [Variant(zh, word, gloss)
            for _, zh, forbidden, glossable in glossary_rows()
            for column, gloss in ((forbidden, False), (glossable, True))
            for word in re.findall(r"`([^`]+)`", column)]


def prose(text: str) -> str:
    return NOT_PROSE.sub(" ", text)


def catalog_texts() -> dict[str, str]:
    """Each zh catalog's translations, as prose, one text per domain."""
    return {domain: "\n".join(prose(message.string) for message in load(domain) if message.id and message.string)
            for domain in sources()}


def misuses(text: str, *, in_lesson: bool) -> list[str]:
    """The variants `text` uses. A catalog does not mark its code, so its ASCII words (`app`) are not checked."""
    found = []
    for variant in variants():
        if variant.ascii and not in_lesson:
            continue
        uses = len(re.findall(variant.pattern(), text))
        glosses = variant.glosses(text) if in_lesson else 0
        if uses - glosses or glosses > 1:
            hint = f", or once as a gloss: {variant.term}（有的书译作“{variant.word}”）" if variant.gloss and in_lesson else ""
            found.append(f"“{variant.word}” {uses} time(s): write “{variant.term}”{hint}")
    return found


def test_the_glossary_lists_terms_and_variants():
    rows = glossary_rows()
    assert len(rows) >= 20 and all(len(row) == 4 and row[1] for row in rows), (
        f"{GLOSSARY.relative_to(ROOT)}: its table has lost its format (four columns, a Chinese term in each row)")
    assert variants(), f"{GLOSSARY.relative_to(ROOT)} lists no variants"


@pytest.mark.parametrize("lesson", ZH_LESSONS, ids=lambda path: str(path.relative_to(ROOT)))
def test_zh_lessons_follow_the_glossary(lesson):
    wrong = misuses(prose(lesson.read_text(encoding="utf-8")), in_lesson=True)
    assert not wrong, f"{lesson.relative_to(ROOT)} strays from {GLOSSARY.relative_to(ROOT)}: " + "; ".join(wrong)


@pytest.mark.parametrize("domain", sorted(sources()))
def test_zh_catalogs_follow_the_glossary(domain):
    wrong = misuses(catalog_texts()[domain], in_lesson=False)
    assert not wrong, f"{domain}.po strays from {GLOSSARY.relative_to(ROOT)}: " + "; ".join(wrong)


def test_every_glossary_term_is_used():
    texts = [prose(lesson.read_text(encoding="utf-8")) for lesson in ZH_LESSONS] + list(catalog_texts().values())
    unused = [zh for _, zh, _, _ in glossary_rows() if not any(term in text for term in zh.split(" / ") for text in texts)]
    assert not unused, f"{GLOSSARY.relative_to(ROOT)} lists terms no zh lesson or catalog uses: {unused}; drop the rows or use them"


def test_a_variant_in_prose_is_found_and_code_is_left_alone():
    """The check itself: a variant in prose is reported, the same word in code is not, a gloss counts once."""
    text = prose("用 `app.run()` 启动。\n```python\napp = create_app()\n```\n这个 app 坏了；蓝图（有的书译作“蓝本”）。")
    assert misuses(text, in_lesson=True) == ["“app” 1 time(s): write “应用”"]
    assert misuses(prose("蓝图（有的书译作“蓝本”），蓝图（又称蓝本）"), in_lesson=True) != []
