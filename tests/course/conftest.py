"""The course's own checks: English output, and the optional parts (tests/course/optional.py).

The course's own checks match English output: they read it in English on any machine's locale.
(A grader run by a learner keeps the learner's language; this file only applies under tests/course/.
The tests of the Chinese texts set the language themselves.)

A test marked `needs(part)` whose part this machine lacks is not run; the run ends with one
block that says which suites did not run, why, and how to install what they need. With
TRACK_REQUIRE_ALL=1 (CI) such a test fails instead.
"""
import os
from collections import Counter

import pytest

from tests.course.optional import PARTS, STRICT_ENV, strict, suite_of
from track.warm_client import DISABLE

os.environ.setdefault("TRACK_LANG", "en")
# The CLI's checks here take the plain path, and start no warm grader that would outlive the run;
# tests/course/test_warm_grader.py starts its own and stops them.
os.environ.setdefault(DISABLE, "1")

NOT_RUN = pytest.StashKey[dict[str, tuple[str, Counter]]]()  # part -> (why it is missing, {suite: tests not run})


def pytest_configure(config):
    config.addinivalue_line("markers", f"needs(part): the test needs software outside requirements.txt, one of {sorted(PARTS)}"
                                       " (tests/course/optional.py); without it the test is not run")
    config.stash[NOT_RUN] = {}


@pytest.hookimpl(tryfirst=True)  # before any fixture starts a server or copies the course
def pytest_runtest_setup(item):
    for marker in item.iter_markers("needs"):
        part = PARTS[marker.args[0]]
        why = part.missing()
        if why is None:
            continue
        item.config.stash[NOT_RUN].setdefault(marker.args[0], (why, Counter()))[1][suite_of(item.nodeid)] += 1
        text = f"{why} (install: `{part.install_command()}`)"
        if strict() and part.strict:
            pytest.fail(f"{STRICT_ENV}=1 requires every part: {text}", pytrace=False)
        pytest.skip(f"not run: {text}")


def pytest_terminal_summary(terminalreporter, config):
    not_run = config.stash.get(NOT_RUN, {})
    if not not_run:
        return
    failed = strict() and any(PARTS[key].strict for key in not_run)
    verdict = "failed: a part is missing" if failed else "did not run: this machine lacks a part"
    terminalreporter.write_sep("=", f"{sum(len(suites) for _, suites in not_run.values())} suite(s) {verdict}", yellow=True)
    for key, (why, suites) in not_run.items():
        part = PARTS[key]
        for suite, count in suites.items():
            unchecked = "" if part.strict or not strict() else " (NOT CHECKED HERE: no machine of CI's kind has it)"
            terminalreporter.write_line(f"{suite} ({count} test{'s' * (count != 1)}) proves {part.proves}{unchecked}")
        terminalreporter.write_line(f"    missing: {why}")
        terminalreporter.write_line(f"    install: {part.install_command()}")
    if not strict():
        terminalreporter.write_line(f"Everything else ran. {STRICT_ENV}=1 (set by CI) makes these failures; "
                                    "README.md, \"Optional parts\", says more.")
