"""Chapter 9 on a real PostgreSQL server: its grader, against a throwaway cluster.

SQLite forgives what PostgreSQL refuses (over-long VARCHARs, NUL characters in text, a
transaction used again after an error without a rollback, "user" as a table name), so the
chapter's grader also runs against the real thing. The cluster lives in a temp dir on a free
loopback port and is stopped afterwards. The server is an optional part (tests/course/optional.py):
without it the test is not run and the run says how to install it; CI installs it (.ci/run)
and, with TRACK_REQUIRE_ALL=1, fails where it is missing.
"""
import os
import subprocess
import sys

import pytest

from tests.course.postgres import throwaway_cluster
from track.course import ROOT, chapter

GRADER_TIMEOUT_S = 120


@pytest.mark.needs("postgresql")
def test_ch09_extensions_grader_passes_on_postgresql():
    grader = chapter(9).test_module.relative_to(ROOT)
    with throwaway_cluster() as url:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", str(grader), "--target", "solutions", "-q", "--no-header", "-p", "no:cacheprovider"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=GRADER_TIMEOUT_S,
        )
    assert done.returncode == 0, f"The chapter 9 grader fails on PostgreSQL ({url}):\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
    assert " passed" in done.stdout and "skipped" not in done.stdout, f"Expected every test to run and pass:\n{done.stdout[-1000:]}"
