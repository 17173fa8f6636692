"""Grader for chapter 11: your tests of the to-do app (see chapters/ch11_testing/README.md).

The learner writes tests, not the app. One nested pytest session (tests/ch11_variants) runs
the learner's test modules with their conftest.py on the correct todo.py and on broken
copies of it, one bug each. Every exercise then gets two kinds of verdict:

- its tests pass on the correct app, and each of them runs at least one `assert`;
- for each broken app of the exercise, at least one of its tests fails.

Their rules: `sound-on-correct-app`, and `catches-<variant id>` for each broken app.

The tests of `fixtures` are the grader's probes (tests/ch11_variants/probe_fixtures.py), run
with the learner's fixtures.
"""
from pathlib import Path

import pytest

from tests.ch11_variants import session
from tests.ch11_variants.variants import CORRECT, LEARNER_MODULES, PROBE, compile_all, variants_of
from track.model.i18n import _

compile_all()  # here, once: where it can, the nested session is a fork of this process (or of a warm grader holding it)

# The first test also waits for the nested session; the session's own guard stops first.
pytestmark = pytest.mark.timeout(session.LIMIT_S * 2)
LISTED_MAX = 5
# Where this chapter's time goes: not into these tests but into the nested session, in
# proportion to the learner's tests it runs. A `check` that shares the run between two forks
# (track/grading/shares.py) balances these: the reference's runs per exercise
# (tests/course/test_shares.py keeps them honest).
SHARE_WEIGHTS = {"fixtures": 5, "crud": 39, "bad_input": 105, "cli": 8, "redirect_cookie": 38, "escaping": 6}


@pytest.fixture(scope="module")
def report(request, chapter_module) -> session.Report:
    """The learner's tests, run once on every app; shared by the exercises this run grades (all, or
    those `--exercise` picked: the other modules and their broken apps would cost time for nothing)."""
    graded = {item.cls.exercise for item in request.session.items if item.cls and issubclass(item.cls, LearnerTests)}
    return session.run(Path(chapter_module.__file__).parent / "tests", graded)


def pytest_generate_tests(metafunc):
    if "variant" in metafunc.fixturenames:
        found = variants_of(metafunc.cls.exercise)
        # Catching each broken app is a rule of its own, listed in the exercise's docstring.
        cases = [pytest.param(variant, marks=pytest.mark.rule(rule_of(variant))) for variant in found]
        metafunc.parametrize("variant", cases, ids=[variant.id for variant in found])


def rule_of(variant) -> str:
    """The contract rule "your tests catch this bug": `catches-` and the variant's id in kebab case."""
    return "catches-" + variant.id.replace("_", "-")


def module_of(exercise: str) -> str:
    return PROBE.name if exercise == "fixtures" else LEARNER_MODULES[exercise]


def runs_on(report: session.Report, exercise: str, app: str) -> list[dict]:
    """The module's runs on `app`; a failure that says why when there are none to judge."""
    module = module_of(exercise)
    if report.problem:
        pytest.fail(report.problem, pytrace=False)
    if module in report.collect_errors:
        pytest.fail(_("tests/{module} could not be collected: {error}").format(
            module=module, error=report.collect_errors[module]), pytrace=False)
    runs = report.runs(module, app)
    if runs:
        return runs
    if report.unfinished is not None:
        stopped = f"tests/{report.unfinished['module']}::{report.unfinished['test']}"
        why = (_("the grader stopped your tests after {limit} s").format(limit=session.LIMIT_S) if report.killed
               else _("the test process ended (os._exit()? a crash?)"))
        pytest.fail(_("Not graded: {why} while {stopped} was running.").format(why=why, stopped=stopped), pytrace=False)
    if module in report.missing:
        pytest.fail(_("tests/{module} is missing: write the tests of this exercise there.").format(module=module),
                    pytrace=False)
    pytest.fail(_("tests/{module} has no tests: pytest runs the functions whose names start with `test_`.").format(
        module=module), pytrace=False)


def listed(runs: list[dict], prefix: str, why) -> str:
    """One line per run (the first few): `  - <prefix><test>: <why>`."""
    lines = [f"  - {prefix}{run['test']}: {why(run)}" for run in runs[:LISTED_MAX]]
    if len(runs) > LISTED_MAX:
        lines.append(_("  ... and {count} more").format(count=len(runs) - LISTED_MAX))
    return "\n".join(lines)


def expect_sound(report: session.Report, exercise: str) -> None:
    """Every test passes on the correct app and runs at least one assert."""
    module = module_of(exercise)
    runs = runs_on(report, exercise, CORRECT)
    failed = [run for run in runs if run["outcome"] != "passed"]
    unwritten = [run for run in failed if "NotImplementedError" in (run["message"] or "")]
    if failed and unwritten == failed:
        where = unwritten[0]["message"].partition(": ")[0]
        pytest.fail(_("Exercise `{exercise}` is not written yet: {where} still raises NotImplementedError.").format(
            exercise=exercise, where=where), pytrace=False)
    if exercise == "fixtures":
        if failed:
            pytest.fail(_("Your fixtures did not pass the grader's checks on the correct app:\n{checks}").format(
                checks=listed(failed, _("the check "), lambda run: run["message"] or _("skipped"))), pytrace=False)
        return
    if failed:
        pytest.fail(
            _("{failed} of your {total} tests in tests/{module} fail on the correct app, so the exercise scores 0: "
              "a test that fails on a correct app would reject good code. Fix the tests, not todo.py.\n{tests}").format(
                failed=len(failed), total=len(runs), module=module,
                tests=listed(failed, f"tests/{module}::",
                             lambda run: run["message"] or _("skipped: the grader counts only tests that run"))),
            pytrace=False)
    silent = [run for run in runs if run["asserts"] == 0]
    if silent:
        pytest.fail(
            _("{silent} of your tests in tests/{module} ran no `assert` on the correct app, so the exercise scores 0: "
              "a test that checks nothing cannot catch a bug. Assert what the response should be.\n{tests}").format(
                silent=len(silent), module=module,
                tests=listed(silent, f"tests/{module}::", lambda run: _("no assert ran"))), pytrace=False)


def expect_caught(report: session.Report, exercise: str, variant) -> None:
    """At least one test of the exercise fails on the app with `variant`'s bug."""
    module = module_of(exercise)
    runs = runs_on(report, exercise, variant.id)
    if any(run["outcome"] == "failed" for run in runs):
        return
    not_run = next((run["message"] for run in runs if run["outcome"] == "skipped"), None)
    if not_run:  # the module hung on the correct app; that verdict says where
        pytest.fail(_("Not graded in tests/{module}: {why}.").format(module=module, why=not_run), pytrace=False)
    if exercise == "fixtures":
        pytest.fail(
            _("A bug slipped through: {bug}. The grader's checks passed with your fixtures on an app with that "
              "bug: build each test's app with the `create_app` that conftest.py imports (the grader swaps that name), "
              "on a new database file per test rather than by emptying one.").format(bug=_(variant.bug)), pytrace=False)
    ran = _("1 test ran") if len(runs) == 1 else _("{count} tests ran").format(count=len(runs))
    pytest.fail(
        _("A bug slipped through: {bug}. tests/{module} passed on an app with that bug ({ran}): "
          "add a test (or an assert) that fails when it happens.").format(bug=_(variant.bug), module=module, ran=ran),
        pytrace=False)


class LearnerTests:
    """The two verdicts of one exercise; each subclass names its exercise."""

    exercise: str

    @pytest.mark.rule("sound-on-correct-app")
    def test_passes_on_the_correct_app(self, report):
        expect_sound(report, self.exercise)

    def test_catches_the_bug(self, report, variant):
        expect_caught(report, self.exercise, variant)


@pytest.mark.exercise("fixtures")
class TestFixtures(LearnerTests):
    exercise = "fixtures"


@pytest.mark.exercise("crud")
class TestCrud(LearnerTests):
    exercise = "crud"


@pytest.mark.exercise("bad_input")
class TestBadInput(LearnerTests):
    exercise = "bad_input"


@pytest.mark.exercise("cli")
class TestCli(LearnerTests):
    exercise = "cli"


@pytest.mark.exercise("redirect_cookie")
class TestRedirectCookie(LearnerTests):
    exercise = "redirect_cookie"


@pytest.mark.exercise("escaping")
class TestEscaping(LearnerTests):
    exercise = "escaping"
