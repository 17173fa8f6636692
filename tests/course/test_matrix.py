"""One exercise, one verdict: every chapter's leave-one-out matrix (track/maintainers/matrix.py).

For each exercise E: the solution with only E stubbed fails E alone (what `requires` E is
blocked), and the stub with only E solved passes E. All chapters run in one
`python -m track matrix --table`, a process with no threads, where grading runs are forks:
the graders are imported once, and the two grading runs at a time go on from one chapter's
variants to the next (one process per chapter left a core idle at the end of each).
Each chapter's test reads its own lines of that run.
"""
import subprocess
import sys

import pytest

from track.model.course import ROOT, chapters

CHAPTERS = chapters()
MATRIX_TIMEOUT_S = 1800  # a hang guard for the whole matrix, every chapter's variants
EVERY_VERDICT_OWN = "Every exercise is graded on its own code."


@pytest.fixture(scope="module")
def matrix_run() -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "track", "matrix", "--table"], cwd=ROOT,
                          capture_output=True, text=True, timeout=MATRIX_TIMEOUT_S)


def problems(lines: list[str], chapter) -> list[str]:
    """A verdict that is not the exercise's own reads "<package>: only E stubbed: `X` is ..., expected ..."."""
    return [line for line in lines if line.startswith(f"{chapter.package}: ")]


@pytest.mark.timeout(MATRIX_TIMEOUT_S)  # the first test pays for the whole run
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.package)
def test_each_exercise_is_graded_on_its_own_code(chapter, matrix_run):
    output = matrix_run.stdout + matrix_run.stderr
    lines = matrix_run.stdout.splitlines()
    found_any = any(problems(lines, other) for other in CHAPTERS)
    assert (matrix_run.returncode, EVERY_VERDICT_OWN in matrix_run.stdout) in ((0, True), (1, False)) and \
        (matrix_run.returncode == 1) == found_any, f"the matrix did not run to the end (exit {matrix_run.returncode}):\n{output}"
    # Its table has one line per exercise, "<package> <exercise> only it stubbed: ...".
    graded = {line.split()[1] for line in lines if line.startswith(f"{chapter.package} ")}
    assert graded == {e.id for e in chapter.exercises}, f"{chapter.package}: the matrix graded {sorted(graded)}:\n{output}"
    assert not problems(lines, chapter), f"verdicts that are not the exercise's own:\n{output}"
