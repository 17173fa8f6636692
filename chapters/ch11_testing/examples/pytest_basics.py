"""Watch pytest work: a yield fixture's setup and teardown, parametrize ids, a new tmp_path per
test, and monkeypatch undoing its change after the test.

The script writes a small test module to a temporary folder and runs pytest on it.
"""
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = '''
import os

import pytest


@pytest.fixture
def notes(tmp_path):
    print(f"\\n  set up: a file in {tmp_path.name}")
    yield tmp_path / "notes.txt"         # the test runs here
    print("  tear down")                 # after the test, even when it failed


@pytest.mark.parametrize("word", ["milk", "   "], ids=["a-word", "only-spaces"])
def test_write(notes, word):
    notes.write_text(word)
    print(f"  test_write[{word!r}] sees", sorted(p.name for p in notes.parent.iterdir()))
    assert notes.read_text() == word


def test_monkeypatch_sets(monkeypatch):
    monkeypatch.setenv("TODO_MODE", "testing")
    assert os.environ["TODO_MODE"] == "testing"


def test_monkeypatch_undid_it():
    assert "TODO_MODE" not in os.environ
'''

with tempfile.TemporaryDirectory() as folder:
    (Path(folder) / "test_demo.py").write_text(TESTS)
    (Path(folder) / "pytest.ini").write_text("[pytest]\n")  # its own configuration, not the course's
    # -s shows the prints, -v the test ids.
    sys.exit(pytest.main([folder, "-s", "-v", "--no-header", "-p", "no:cacheprovider"]))
