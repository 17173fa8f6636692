"""Chinese parity: every text a learner reads has a Chinese entry, kept in gettext catalogs.

`python -m track messages` merges the catalogs with the code (see track/maintainers/messages.py).
"""
import ast
import os
import re
import subprocess
import symtable
import sys

import pytest

from rich.cells import cell_len

from track.model import bootstrap, i18n
from track.model.course import ROOT, chapters
from track.maintainers.messages import Message, load, merged, shared_sources, sources, translation_memory
from track.learner.verdict import fit, wrapped

DOMAINS = sources()
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalog_matches_the_code(domain):
    on_disk = {message.id for message in load(domain) if message.id}
    in_code = {message.id for message in merged(domain, DOMAINS[domain]) if message.id}
    new, gone = sorted(in_code - on_disk), sorted(on_disk - in_code)
    assert not new and not gone, (
        f"the {domain} catalog is out of step with the code: {len(new)} new text(s) {new[:2]}, "
        f"{len(gone)} gone {gone[:2]}; run `python -m track messages` and translate the new ones")


def test_a_text_moved_to_another_catalog_keeps_its_chinese():
    """An exercise moved from one chapter to another takes its texts along: the merge finds their
    Chinese in the catalog they left."""
    first, second = (chapter.package for chapter in chapters()[:2])
    staying = {message.id for message in load(second)}
    moving = next(message for message in load(first) if message.id and message.string and message.id not in staying)
    texts = [*DOMAINS[second], Message(moving.id, "tests/test_moved.py", 1)]
    assert merged(second, texts, translation_memory())[moving.id].string == moving.string
    assert merged(second, texts)[moving.id].string == "", "without the memory the text would start untranslated"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_text_has_chinese(domain):
    missing = [message.id for message in load(domain) if message.id and not message.string]
    assert not missing, (f"{len(missing)} text(s) in {domain}.po have no Chinese, e.g. {missing[0]!r}; "
                         "fill their msgstr")


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_the_placeholders(domain):
    wrong = [(message.id, message.string) for message in load(domain) if message.string
             and sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string))]
    assert not wrong, f"{domain}.po: a translation must keep every {{placeholder}} of its text: {wrong[0]}"


def python_sources():
    yield from shared_sources()
    yield from (ROOT / "tests").glob("test_ch*.py")
    yield from (ROOT / "tests").glob("ch*_*/**/*.py")


def scopes(table: symtable.SymbolTable):
    yield table
    for child in table.get_children():
        yield from scopes(child)


@pytest.mark.parametrize("path", sorted(python_sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_texts_are_looked_up_before_they_are_filled_in(path):
    """`_(f"...")` or `_(a + b)` would look up a text no catalog can hold: format after the lookup.
    A manifest's text (`_(exercise.title)`) is fine: track/maintainers/messages.py extracts those from the manifests."""
    calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"]
    wrong = [node.lineno for node in calls
             if len(node.args) != 1 or isinstance(node.args[0], (ast.JoinedStr, ast.BinOp, ast.Call))]
    assert not wrong, f"{path.relative_to(ROOT)}:{wrong[0]}: pass _() one literal string, then .format(...) it"


@pytest.mark.parametrize("path", sorted(python_sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_rebinds_the_translator(path):
    """`_, x = pair` in a function that also calls `_()` makes `_` local there: its message then
    fails with a TypeError or UnboundLocalError instead of teaching. Unpack with a slice instead."""
    table = symtable.symtable(path.read_text(encoding="utf-8"), str(path), "exec")
    wrong = [f"{scope.get_name()}() at line {scope.get_lineno()}" for scope in scopes(table)
             if scope.get_type() == "function" and "_" in scope.get_identifiers()
             and scope.lookup("_").is_assigned() and scope.lookup("_").is_referenced()]
    assert not wrong, f"{path.relative_to(ROOT)}: {', '.join(wrong)} rebinds _ and calls _(): unpack with a slice"


def test_the_learner_reads_chinese_when_asked(monkeypatch):
    chapter = chapters()[0]
    hint = chapter.exercises[0].hints[0].text
    monkeypatch.setenv("TRACK_LANG", "zh")
    i18n.translations.cache_clear()
    try:
        translated = i18n._(hint)
    finally:
        i18n.translations.cache_clear()
    assert translated != hint and re.search(r"[\u4e00-\u9fff]", translated), (
        f"with TRACK_LANG=zh the first hint of chapter 1 reads {translated!r}: expected its Chinese entry")


def test_the_cli_speaks_chinese_with_a_zh_locale():
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}
    env.pop("TRACK_LANG", None)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    listing = subprocess.run([sys.executable, "-m", "track", "list"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert "章" in listing.stdout, f"`python -m track list` under LANG=zh_CN.UTF-8 printed:\n{listing.stdout}{listing.stderr}"


def test_chinese_lines_fit_the_terminal_by_cells():
    """A Chinese character takes two terminal cells: wrapping and cutting count cells, not characters."""
    message = "练习 `greet` 还没有写：chapters/ch01_hello_world/app.py:35 仍然抛出 NotImplementedError。" * 3
    lines = wrapped(message, 60)
    assert len(lines) > 2 and all(cell_len(line) <= 60 for line in lines), lines
    assert "".join(lines).replace(" ", "") == message.replace(" ", ""), "wrapping lost or reordered text"
    assert cell_len(fit("第 1 章：" + "应用对象" * 30, 80)) <= 80


@pytest.mark.parametrize("key", bootstrap.TEXTS)
def test_the_first_lines_before_the_catalogs_speak_chinese_too(monkeypatch, key):
    """`track/model/bootstrap.py` prints before Babel is installed: its own two languages, the same placeholders."""
    english, chinese = bootstrap.TEXTS[key]
    assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(chinese))
    monkeypatch.setenv("TRACK_LANG", "zh")
    assert bootstrap.say(key, version="3.9.1", venv=".venv", requirements="requirements.txt") == chinese.format(
        version="3.9.1", venv=".venv", requirements="requirements.txt")
