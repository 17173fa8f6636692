"""Chapters 9 and 14 on a real PostgreSQL server: their graders, against a throwaway cluster.

SQLite forgives what PostgreSQL refuses (over-long VARCHARs, NUL characters in text, a
transaction used again after an error without a rollback, "user" as a table name, ALTER TABLE
run outside batch mode), so the database chapters' graders also run against the real thing:
chapter 14's migrations go through `flask db upgrade|downgrade|check` on a fresh database of
the cluster for each test. The cluster lives in a temp dir on a free loopback port and is
stopped afterwards. The server is an optional part (tests/course/optional.py): without it the
test is not run and the run says how to install it; CI installs it (.ci/run) and, with
TRACK_REQUIRE_ALL=1, fails where it is missing.
"""
import os
import subprocess
import sys

import pytest

from tests.course.postgres import throwaway_cluster
from track.model.course import ROOT, chapter

GRADER_TIMEOUT_S = 300  # a hang guard: chapter 14 runs the flask CLI a dozen times


@pytest.mark.needs("postgresql")
@pytest.mark.parametrize("number", [9, 14], ids=lambda n: chapter(n).package)
def test_the_grader_passes_on_postgresql(number):
    grader = chapter(number).test_module.relative_to(ROOT)
    with throwaway_cluster() as url:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", str(grader), "--target", "solutions", "-q", "--no-header", "-p", "no:cacheprovider"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=GRADER_TIMEOUT_S,
        )
    assert done.returncode == 0, f"The chapter {number} grader fails on PostgreSQL ({url}):\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
    assert " passed" in done.stdout and "skipped" not in done.stdout, f"Expected every test to run and pass:\n{done.stdout[-1000:]}"
