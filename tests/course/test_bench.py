"""`make bench QUICK=1` works on a fresh machine: the smoke run needs no wrk and prints its table.

The full benchmarks never run inside `make test`; this only proves they are not broken.
"""
import re
import subprocess
import sys

from track import warm_client
from track.model.course import ROOT

QUICK_TIMEOUT_S = 600  # a hang guard: the classroom figures grade four students alone, then a class of two


def test_quick_bench_runs_and_prints_its_table():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"], cwd=ROOT, capture_output=True, text=True,
                          timeout=QUICK_TIMEOUT_S)
    assert done.returncode == 0, f"python -m benchmarks --quick failed:\n{done.stdout}\n{done.stderr}"
    for group in ("grading", "throughput", "concurrency", "load hold", "watch", "classroom"):
        assert f"\n{group} " in done.stdout, f"the table has no {group!r} row:\n{done.stdout}"
    for figure in ("one solved student, CPU", "one half-done student, CPU", "one stub student, CPU",
                   "sandbox cost: solved student, sandboxed / --no-sandbox", "a class of 2, wall"):
        line = next((line for line in done.stdout.splitlines() if figure in line), "")
        assert re.search(r"\s\d+\.\d\dx\s", line), f"no {figure!r} row with a ratio:\n{done.stdout}"
    for copy in ("your copy in chapters/ (the stubs)", "a solved copy"):
        line = next((line for line in done.stdout.splitlines() if f"track check 1 (ch01_hello_world), {copy}" in line), "")
        assert re.search(r"\s\d+\.\d\dx\s+goal <= 2x", line), f"no check 1 row on {copy} with its ratio and goal:\n{done.stdout}"
    assert not warm_client.starting_or_running(ROOT), "the bench left a warm grader running"
    assert "not wrk" in done.stdout, "the quick run should say that its load figures come from a Python loop, not wrk"
    assert "Figures saved to .track/bench/" in done.stdout, done.stdout
