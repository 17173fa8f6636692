"""One exercise, one verdict: every chapter's leave-one-out matrix (track/matrix.py).

For each exercise E: the solution with only E stubbed fails E alone (what `requires` E is
blocked), and the stub with only E solved passes E. Each chapter runs in its own
`python -m track matrix N`, a process with no threads, where grading runs are forks.
"""
import subprocess
import sys

import pytest

from track.course import ROOT, chapters

MATRIX_TIMEOUT_S = 600


@pytest.mark.timeout(MATRIX_TIMEOUT_S)
@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.package)
def test_each_exercise_is_graded_on_its_own_code(chapter):
    done = subprocess.run([sys.executable, "-m", "track", "matrix", str(chapter.number)], cwd=ROOT,
                          capture_output=True, text=True, timeout=MATRIX_TIMEOUT_S)
    assert done.returncode == 0, f"verdicts that are not the exercise's own:\n{done.stdout}{done.stderr}"
    assert "Every exercise is graded on its own code." in done.stdout, done.stdout + done.stderr
