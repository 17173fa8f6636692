"""The contract states every graded rule (issue 20).

Every grader test names the rules it checks with `@pytest.mark.rule(id)`; each exercise's
docstring in the learner's copy lists its rules in a `Rules:` section (`- [rule-id] the rule
in words`), and so does the lesson's exercise section (by id, in both languages). These checks
fail when a test grades a rule the learner cannot read, when a listed rule is graded by no
test, and when a hint names a rule its exercise does not have. The graders are collected in
one child pytest (collection only, nothing runs), for every chapter found.
"""
import ast
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pytest

from track.model.bootstrap import ROOT
from track.model.course import Chapter, chapters
from track.model.stubs import stub_files

CHAPTERS = chapters()
BY_PACKAGE = pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.package)
RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXERCISE_NAMED = re.compile(r"Exercise `(\w+)`")
RULE_LINE = re.compile(r"^- \[([^\]]+)\] \S")


class GraderRecorder:
    """A pytest plugin for the child run: writes each collected grader test's exercise and rules."""

    def __init__(self, path: str):
        self.path = path

    def pytest_collection_finish(self, session):
        found = [{"nodeid": item.nodeid,
                  "exercise": [m.args[0] for m in item.iter_markers("exercise")],
                  "rules": [rule for m in item.iter_markers("rule") for rule in m.args]}
                 for item in session.items]
        with open(self.path, "w", encoding="utf-8") as out:
            json.dump(found, out)


@pytest.fixture(scope="module")
def graders(tmp_path_factory) -> dict[str, list[dict]]:
    """The collected grader tests of every chapter, by chapter package."""
    path = tmp_path_factory.mktemp("rules") / "collected.json"
    modules = [str(chapter.test_module) for chapter in CHAPTERS]
    script = ("import sys, pytest; from tests.course.test_rules import GraderRecorder; "
              "sys.exit(pytest.main(sys.argv[2:], plugins=[GraderRecorder(sys.argv[1])]))")
    done = subprocess.run([sys.executable, "-c", script, str(path), "--collect-only", "-q", "--target", "solutions",
                           *modules], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    by_chapter = defaultdict(list)
    for test in json.loads(path.read_text(encoding="utf-8")):
        by_chapter[test["nodeid"].partition("::")[0].removeprefix("tests/test_").removesuffix(".py")].append(test)
    return by_chapter


@dataclass
class Contract:
    """The rules the learner can read, by exercise, and what is wrong with how they are written."""

    rules: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)


def docstrings(source: str):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            text = ast.get_docstring(node)
            if text:
                yield text


def rules_section(text: str) -> list[str] | None:
    """The lines of a docstring's `Rules:` section (rule lines and their continuations), or None."""
    lines = text.splitlines()
    if "Rules:" not in (line.strip() for line in lines):
        return None
    start = [line.strip() for line in lines].index("Rules:") + 1
    section = []
    for line in lines[start:]:
        if not line.strip():
            break
        section.append(line)
    return section


@cache  # four checks read each chapter's contract: generate its stub once
def read_contract(chapter: Chapter) -> Contract:
    """The `Rules:` sections of the learner's copy (the stub as generated from the solution)."""
    contract = Contract()
    for relative, content in stub_files(chapter).items():
        if relative.suffix != ".py":
            continue
        for text in docstrings(content.decode("utf-8")):
            section = rules_section(text)
            if section is None:
                continue
            named = EXERCISE_NAMED.search(text)
            where = f"{chapter.package}/{relative}"
            if named is None:
                contract.problems.append(f"{where}: a Rules: section in a docstring that names no Exercise `id`")
                continue
            for line in section:
                if line.startswith((" ", "\t")):
                    continue  # the rule of the line above, in words, continued
                rule = RULE_LINE.match(line)
                if rule is None:
                    contract.problems.append(f"{where}: `{line}` in the Rules: of `{named[1]}` is not `- [rule-id] words`")
                    continue
                listed = contract.rules[named[1]]
                if not RULE_ID.match(rule[1]):
                    contract.problems.append(f"{where}: rule id [{rule[1]}] of `{named[1]}` is not a kebab-case slug")
                if rule[1] in listed:
                    contract.problems.append(f"{where}: rule id [{rule[1]}] is listed twice for `{named[1]}`")
                listed.append(rule[1])
    return contract


@BY_PACKAGE
def test_each_exercise_lists_its_rules_in_its_docstring(chapter):
    contract = read_contract(chapter)
    exercises = [exercise.id for exercise in chapter.exercises]
    problems = list(contract.problems)
    problems += [f"`{e}` has a Rules: section but is not an exercise of the manifest ({exercises})"
                 for e in contract.rules if e not in exercises]
    problems += [f"exercise `{e}` lists no rules: add `Rules:` and `- [rule-id] the rule in words` to its docstring"
                 for e in exercises if not contract.rules.get(e)]
    assert not problems, f"{chapter.package}:\n" + "\n".join(problems)


@BY_PACKAGE
def test_every_grader_test_checks_a_listed_rule_and_every_rule_is_checked(chapter, graders):
    contract = read_contract(chapter)
    tests = graders[chapter.package]
    assert tests, f"no grader tests collected for {chapter.package}"
    problems, checked = [], defaultdict(set)
    for test in tests:
        test["nodeid"] = test["nodeid"].partition("[")[0]
        exercise = test["exercise"][0] if test["exercise"] else None
        if not test["rules"]:
            problems.append(f"{test['nodeid']}: no @pytest.mark.rule(id): which rule of `{exercise}` does it check?")
        for rule in test["rules"]:
            checked[exercise].add(rule)
            if rule not in contract.rules.get(exercise, ()):
                problems.append(f"{test['nodeid']}: rule [{rule}] is not in the Rules: of `{exercise}`'s docstring "
                                "(a rule the learner cannot read)")
    for exercise, listed in contract.rules.items():
        problems += [f"`{exercise}` lists rule [{rule}] but no grader test is marked with it"
                     for rule in listed if rule not in checked[exercise]]
    # One line per test function, not per parametrized case.
    assert not problems, f"{chapter.package}:\n" + "\n".join(dict.fromkeys(problems))


@BY_PACKAGE
@pytest.mark.parametrize("lesson", ["README.md", "README.zh-CN.md"])
def test_the_lesson_names_every_rule(chapter, lesson):
    text = (chapter.learner_dir / lesson).read_text(encoding="utf-8")
    missing = [f"{exercise}: {rule}" for exercise, listed in read_contract(chapter).rules.items()
               for rule in listed if f"`{rule}`" not in text]
    assert not missing, f"{chapter.package}/{lesson} does not list these rule ids (as `id`): {missing}"


@BY_PACKAGE
def test_hints_name_rules_of_their_exercise(chapter):
    contract = read_contract(chapter)
    wrong = [f"{exercise.id}: hint names [{rule}]" for exercise in chapter.exercises for hint in exercise.hints
             for rule in hint.rules if rule not in contract.rules.get(exercise.id, ())]
    assert not wrong, f"{chapter.package}/chapter.toml: hints name rules their exercise does not list: {wrong}"
