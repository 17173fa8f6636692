"""A suite whose software is missing is named at the end of the run, and fails with TRACK_REQUIRE_ALL=1.

The browser suite runs in a pytest of its own with an empty PATH: no Chromium, no chromedriver,
as on a laptop that has only Python and make.
"""
import os
import subprocess
import sys

import pytest

from tests.course.optional import PARTS, STRICT_ENV
from track.model.course import ROOT

SUITE = "tests/course/test_web_browser.py"
RUN_WAIT_S = 120  # a hang guard: the run skips or fails at setup, in seconds


def run_browser_suite(empty_folder, strict: bool) -> tuple[int, str]:
    env = {**os.environ, "PATH": str(empty_folder), STRICT_ENV: "1" if strict else "0"}
    done = subprocess.run([sys.executable, "-m", "pytest", SUITE, "--target", "solutions", "-q"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_WAIT_S)
    return done.returncode, done.stdout + done.stderr


def test_a_missing_part_is_named_with_its_install_command_and_the_run_passes(tmp_path):
    code, output = run_browser_suite(tmp_path, strict=False)
    assert code == 0, f"without Chromium the browser suite must not fail the run (exit {code}):\n{output[-3000:]}"
    block = output.rpartition("did not run: this machine lacks a part")[2]
    assert block, f"no block naming what did not run:\n{output[-3000:]}"
    for expected in (SUITE, "Chromium and chromedriver not on PATH", PARTS["chromium"].install_command(), STRICT_ENV):
        assert expected in block, f"the block lacks {expected!r}:\n{block}"
    assert output.count("did not run: this machine lacks a part") == 1, output[-3000:]
    assert " skipped" in output.splitlines()[-1] and "passed" not in output.splitlines()[-1], output[-1000:]


def test_strict_mode_fails_the_run_when_a_part_is_missing(tmp_path):
    code, output = run_browser_suite(tmp_path, strict=True)
    assert code == 1, f"with {STRICT_ENV}=1 a missing Chromium must fail the run (exit {code}):\n{output[-3000:]}"
    assert f"{STRICT_ENV}=1 requires every part: Chromium and chromedriver not on PATH" in output, output[-3000:]
    assert " error" in output.splitlines()[-1] and "skipped" not in output.splitlines()[-1], output[-1000:]


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_the_readmes_give_each_part_and_its_install_commands(readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    for part in PARTS.values():
        commands = {command.split(" (")[0].split(", ")[0] for command in part.install.values() if not command.startswith("none")}
        missing = [command for command in commands if f"`{command}`" not in text]
        assert not missing, f"{readme} does not give the install command(s) {missing} of {part.name}"
    suites = ("tests/course/test_web_browser.py", "tests/course/test_postgres.py", "tests/course/test_red_team.py",
              f"{STRICT_ENV}=1 make test")
    assert all(suite in text for suite in suites), f"{readme} must name the optional suites and {STRICT_ENV}"
