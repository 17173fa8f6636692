"""The pytest plugin of the nested session that runs the learner's tests of chapter 11.

tests/test_ch11_testing.py starts one pytest session (see session.py) with this plugin,
nested.ini as its configuration and `--noconftest`, so that no conftest.py of the course is
loaded. The plugin:

- imports the learner's tests/conftest.py itself, the way pytest would, and registers it, so
  its fixtures serve every test, the grader's probes of the `fixtures` exercise included;
- runs every test once per app: the correct one, then each broken variant of its exercise,
  by replacing the conftest's `create_app` while the test runs;
- counts the asserts that pass in each test (the `pytest_assertion_pass` hook);
- skips what cannot change a verdict: the rest of a module on a variant it already caught,
  and the rest of a module after one of its tests ran out of time;
- writes one JSON line per test as it finishes, so a run stopped by the hang guard still
  tells how far it got.
"""
from __future__ import annotations

import importlib
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from tests.ch11_variants.variants import CORRECT, build, exercise_of_module, variants_of
from track.grading import speedups
from track.model.i18n import _

FIXTURE = "_ch11_app_under_test"
HARNESS = pytest.StashKey["Harness"]()
TIMEOUT = "from pytest-timeout"  # in the failure pytest-timeout raises
MESSAGE_MAX = 300
# A place in a traceback as pytest prints it: `File "x.py", line 3` or `x.py:3: in <module>`.
PLACE = re.compile(r'File "(?P<file>[^"]+\.py)", line (?P<line>\d+)|^(?P<path>\S+\.py):(?P<number>\d+): in ', re.M)


def pytest_addoption(parser):
    parser.addoption("--learner-tests", required=True, help="the learner's tests folder (with conftest.py)")
    parser.addoption("--learner-report", required=True, help="where to write the JSON lines")


def pytest_configure(config):
    # The grader's speed-up for building a few hundred apps: a forked session inherits it from
    # the grader's process, a fresh interpreter (no fork) installs it here.
    speedups.install()
    harness = Harness(Path(config.getoption("--learner-tests")), Path(config.getoption("--learner-report")))
    config.stash[HARNESS] = harness
    config.pluginmanager.register(harness, "ch11-harness")


@pytest.fixture(autouse=True)
def _ch11_app_under_test(request):
    """Every test runs with the conftest's `create_app` replaced by the app its parameter names."""
    harness = request.config.stash[HARNESS]
    original = harness.conftest.create_app
    harness.conftest.create_app = harness.app_module(getattr(request, "param", CORRECT)).create_app
    yield
    harness.conftest.create_app = original


def package_name(path: Path) -> tuple[Path, str]:
    """(folder for sys.path, dotted name) of a module, walking up its packages as pytest does."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def shown(path: Path, tests_dir: Path) -> str:
    """A path as the learner knows it: tests/test_crud.py."""
    try:
        return path.relative_to(tests_dir.parent).as_posix()
    except ValueError:
        return path.name


@dataclass(frozen=True)
class Run:
    """One learner test on one app."""

    module: str  # file name: test_crud.py
    test: str    # the test as the learner named it: test_bad_bodies[no-title]
    app: str     # CORRECT or a variant id


@dataclass
class Harness:
    tests_dir: Path
    report_path: Path
    report: object = None
    conftest: object = None
    apps: dict = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    asserts: Counter = field(default_factory=Counter)
    outcome: dict[str, str] = field(default_factory=dict)
    message: dict[str, str] = field(default_factory=dict)
    caught: set[tuple[str, str]] = field(default_factory=set)
    hung: set[str] = field(default_factory=set)

    def write(self, record: dict) -> None:
        if self.report is None:  # line-buffered: each record is on disk as soon as it is written
            self.report = self.report_path.open("a", encoding="utf-8", buffering=1)
        self.report.write(json.dumps(record) + "\n")

    def pytest_unconfigure(self):
        if self.report is not None:
            self.report.close()

    def app_module(self, variant_id: str):
        if variant_id not in self.apps:
            self.apps[variant_id] = build(variant_id)
        return self.apps[variant_id]

    # --- the learner's conftest.py -------------------------------------------------------

    def pytest_sessionstart(self, session):
        problem = self.load_conftest(session.config)
        if problem:
            self.write({"problem": problem})
            pytest.exit(problem, returncode=3)

    def load_conftest(self, config) -> str | None:
        path = self.tests_dir / "conftest.py"
        if not path.is_file():
            return _("tests/conftest.py is missing: the fixtures `app`, `client` and `runner` live there.")
        root, name = package_name(path)
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        try:
            module = importlib.import_module(name)
        except Exception as error:
            return _("tests/conftest.py does not import: {error}").format(
                error=self.describe(pytest.ExceptionInfo.from_exception(error)))
        if Path(module.__file__).resolve() != path.resolve():
            return _("Importing {name} found {found}, not {path}: another copy of the course is in the way.").format(
                name=name, found=module.__file__, path=path)
        if not hasattr(module, "create_app"):
            return _("tests/conftest.py has no `create_app`: import it with `from ..todo import create_app` and build "
                     "the app with it. The grader replaces that name with the correct app, then with each broken one.")
        config.pluginmanager.register(module, "learner-conftest")
        self.conftest = module
        return None

    # --- one run per app -------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)  # after the test's own parametrize: the app comes last in its id
    def pytest_generate_tests(self, metafunc):
        exercise = exercise_of_module(metafunc.definition.path.name)
        if exercise is not None and FIXTURE in metafunc.fixturenames:
            apps = [CORRECT, *(variant.id for variant in variants_of(exercise))]
            metafunc.parametrize(FIXTURE, apps, indirect=True, ids=apps)

    def pytest_collectreport(self, report):
        if report.failed:
            self.write({"module": Path(report.nodeid.split("::")[0]).name,
                        "collect_error": self.describe_text(report.longreprtext)})

    def pytest_collection_modifyitems(self, items):
        for item in items:
            app = item.callspec.params[FIXTURE]
            own = item.callspec.id.removesuffix(app).removesuffix("-")  # the app's id comes last
            self.runs[item.nodeid] = Run(item.path.name, f"{item.originalname}[{own}]" if own else item.originalname, app)
            self.outcome[item.nodeid] = "passed"

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        run = self.runs[item.nodeid]
        if run.module in self.hung:
            self.message[item.nodeid] = _("not run: an earlier test of this module did not finish in time")
            pytest.skip(self.message[item.nodeid])
        if (run.module, run.app) in self.caught:
            pytest.skip("this module already caught this bug")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        run = self.runs[item.nodeid]
        self.write({"event": "start", **asdict(run)})
        try:
            return (yield)
        finally:
            self.write({"event": "done", **asdict(run), "outcome": self.outcome[item.nodeid],
                        "asserts": self.asserts[item.nodeid], "message": self.message.get(item.nodeid)})

    def pytest_assertion_pass(self, item):
        self.asserts[item.nodeid] += 1

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if report.failed and call.excinfo is not None and item.nodeid not in self.message:
            text = self.describe(call.excinfo)
            if TIMEOUT in text:
                self.hung.add(self.runs[item.nodeid].module)
                text = _("did not finish within {limit} s: an endless loop, or a call that waits forever?").format(
                    limit=item.config.getini("timeout"))
            self.message[item.nodeid] = text if report.when == "call" else _("{error} (in the {when} of a fixture)").format(
                error=text, when=report.when)
        return report

    def pytest_runtest_logreport(self, report):
        run = self.runs[report.nodeid]
        if report.failed:
            self.outcome[report.nodeid] = "failed"
            if run.app != CORRECT:
                self.caught.add((run.module, run.app))
        elif report.skipped and self.outcome[report.nodeid] == "passed":
            self.outcome[report.nodeid] = "skipped"

    # --- messages: where and what, in one line -------------------------------------------

    def describe(self, excinfo) -> str:
        """`tests/test_crud.py:12: AssertionError: assert 200 == 201`."""
        error = excinfo.value
        if isinstance(error, SyntaxError) and error.filename:
            return f"{shown(Path(error.filename), self.tests_dir)}:{error.lineno}: {type(error).__name__}: {error.msg}"
        what = first_line(excinfo.exconly())
        entries = [e for e in excinfo.traceback if self.tests_dir in Path(str(e.path)).parents]
        if not entries:
            return what
        return f"{shown(Path(str(entries[-1].path)), self.tests_dir)}:{entries[-1].lineno + 1}: {what}"

    def describe_text(self, text: str) -> str:
        """The same from pytest's text of a collection error (a module that does not import)."""
        errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E   ")]
        places = [(Path(m["file"] or m["path"]), m["line"] or m["number"]) for m in PLACE.finditer(text)]
        mine = [(path, line) for path, line in places if self.tests_dir in path.resolve().parents]
        what = first_line(errors[-1] if errors else text)
        return f"{shown(mine[-1][0].resolve(), self.tests_dir)}:{mine[-1][1]}: {what}" if mine else what


def first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= MESSAGE_MAX else line[:MESSAGE_MAX] + "..."
