"""Every typical mistake names its cause: each catalog entry of tests/mistakes/ (track/mistakes.py).

Each entry is made in a solved copy of its chapter and graded up to its exercise, in English
and with TRACK_LANG=zh: the entry's exercise must be the first that fails, and the message
must hold the cause words. Each chapter runs in its own `python -m track mistakes N`, a
process with no threads, where grading runs are forks.
"""
import subprocess
import sys

import pytest

from track import mistakes
from track.course import ROOT

MISTAKES_TIMEOUT_S = 600
MINIMUM_PER_CHAPTER = 5


@pytest.mark.parametrize("chapter", mistakes.catalogued(), ids=lambda c: c.package)
def test_the_catalog_is_well_formed(chapter):
    entries = mistakes.load(chapter)
    assert len(entries) >= MINIMUM_PER_CHAPTER, f"{chapter.package}: {len(entries)} mistakes, at least {MINIMUM_PER_CHAPTER} wanted"
    assert mistakes.problems(chapter, entries) == []


@pytest.mark.timeout(MISTAKES_TIMEOUT_S)
@pytest.mark.parametrize("chapter", mistakes.catalogued(), ids=lambda c: c.package)
def test_each_mistake_names_its_cause(chapter):
    done = subprocess.run([sys.executable, "-m", "track", "mistakes", str(chapter.number), "--verbose"], cwd=ROOT,
                          capture_output=True, text=True, timeout=MISTAKES_TIMEOUT_S)
    assert done.returncode == 0, f"mistakes whose message does not name their cause:\n{done.stdout}{done.stderr}"
