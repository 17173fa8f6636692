"""Every typical mistake names its cause: each catalog entry of tests/mistakes/ (track/maintainers/mistakes.py).

Each entry is made in a solved copy of its chapter and graded up to its exercise, in English
and with TRACK_LANG=zh: the entry's exercise must be the first that fails, and the message
must hold the cause words. Every chapter's catalog runs in one `python -m track mistakes`, a
process with no threads, where grading runs are forks: the graders are imported once, not once
per chapter. Each chapter's test reads its own block of that run.
"""
import re
import subprocess
import sys

import pytest

from track.maintainers import mistakes
from track.model.course import ROOT

MISTAKES_TIMEOUT_S = 1800  # a hang guard for every chapter's catalog
MINIMUM_PER_CHAPTER = 5
SUMMARY = re.compile(r"^(\w+): (\d+)/(\d+) named(, catalog problems: \d+)?$")  # a chapter's last line


@pytest.mark.parametrize("chapter", mistakes.catalogued(), ids=lambda c: c.package)
def test_the_catalog_is_well_formed(chapter):
    entries = mistakes.load(chapter)
    assert len(entries) >= MINIMUM_PER_CHAPTER, f"{chapter.package}: {len(entries)} mistakes, at least {MINIMUM_PER_CHAPTER} wanted"
    assert mistakes.problems(chapter, entries) == []


@pytest.fixture(scope="module")
def mistakes_run() -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "track", "mistakes", "--verbose"], cwd=ROOT,
                          capture_output=True, text=True, timeout=MISTAKES_TIMEOUT_S)


def blocks(output: str) -> dict[str, list[str]]:
    """Each chapter's lines, by package: a line per mistake and language (the message under one that
    is not named), its catalog problems, then its summary "<package>: <named>/<graded> named"."""
    found, lines = {}, []
    for line in output.splitlines():
        lines.append(line)
        if summary := SUMMARY.match(line):
            found[summary[1]], lines = lines, []
    return found


def all_named(summary: str) -> bool:
    named, graded, catalog_problems = SUMMARY.match(summary).group(2, 3, 4)
    return named == graded and catalog_problems is None


@pytest.mark.timeout(MISTAKES_TIMEOUT_S)  # the first test pays for the whole run
@pytest.mark.parametrize("chapter", mistakes.catalogued(), ids=lambda c: c.package)
def test_each_mistake_names_its_cause(chapter, mistakes_run):
    by_chapter = blocks(mistakes_run.stdout)
    every_named = all(all_named(lines[-1]) for lines in by_chapter.values())
    assert (mistakes_run.returncode, every_named) in ((0, True), (1, False)), (
        f"the catalogs did not run to the end (exit {mistakes_run.returncode}):\n{mistakes_run.stdout}{mistakes_run.stderr}")
    assert chapter.package in by_chapter, f"{chapter.package} is missing from the run:\n{mistakes_run.stdout}{mistakes_run.stderr}"
    block = "\n".join(by_chapter[chapter.package])
    graded = len(mistakes.load(chapter)) * len(mistakes.LANGUAGES)  # each mistake in each language
    assert by_chapter[chapter.package][-1] == f"{chapter.package}: {graded}/{graded} named", (
        f"mistakes whose message does not name their cause:\n{block}")
