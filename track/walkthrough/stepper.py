"""The classroom demo: a chapter's walkthrough run step by step, so one gap does not end it.

The regions of `client.py` that the lessons quote (`# --8<-- [start:NAME]` ... `[end:NAME]`)
become steps; code between regions is a step too, named `start` (before the first region)
or `after-NAME`. The file is compiled with each step wrapped in a `with` block that prints
its heading, turns a failure into one line naming the exercises the step needs (from the
`[demo] steps` table of chapter.toml) and goes on. A step's heading is printed with its
first line (a step that sends and prints nothing shows nothing), followed by the sentence
on why it matters (the `# why:` / `# why-zh:` comments above it in client.py). Steps run
in the walkthrough's own functions, so they share its variables; a step that reads a
variable a failed step set is skipped and says so. An `assert a == b` is compiled to say
what it expected and what came.
"""
from __future__ import annotations

import ast
import inspect
import operator
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from track.model.course import PACKAGE_NAME, Chapter, chapter
from track.model.i18n import _
from track.walkthrough.printer import Printer, printing_session, shorten, shown_url
from track.model.regions import explanations, regions
from track.model.ui import command

FIRST_STEP = "start"
VALUE_ROOM = 60  # cells of one value kept in a failure line; a longer one says its length
STEP_HOOK, RUNS, EXPECT = "__demo_step__", "__demo_runs__", "__demo_expect__"
COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Lt: "<", ast.LtE: "<=",
               ast.Gt: ">", ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is not"}
TESTS = {"==": operator.eq, "!=": operator.ne, "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
         "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "is": operator.is_,
         "is not": operator.is_not}
Walkthrough = Callable[[requests.Session, str], None]  # a chapter's `walkthrough(http, base_url)`


@dataclass(frozen=True)
class Plan:
    """A chapter's `[demo]` table: the exercises each step needs, the headers it teaches."""
    steps: dict[str, tuple[str, ...]]
    headers: tuple[str, ...]


def plan_of(chap: Chapter | None) -> Plan:
    if chap is None:
        return Plan({}, ())
    return Plan(dict(chap.demo_steps), chap.demo_headers)


def names(statements: list[ast.stmt], context: type) -> set[str]:
    return {node.id for statement in statements for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, context)}


def grouped(body: list[ast.stmt], spans: list[tuple[str, int, int]]) -> list[tuple[str, list[ast.stmt]]]:
    """A function's statements in steps: each region's, and each run of code between them."""
    groups: list[tuple[str, list[ast.stmt]]] = []
    previous = None
    for statement in body:
        region = next((name for name, start, end in spans if start < statement.lineno < end), None)
        previous = region or previous
        name = region or (f"after-{previous}" if previous else FIRST_STEP)
        if groups and groups[-1][0] == name:
            groups[-1][1].append(statement)
        else:
            groups.append((name, [statement]))
    return groups


def wrapped(name: str, statements: list[ast.stmt], first_line: int) -> ast.stmt:
    """`with __demo_step__(name, reads, sets, first_line) as runs: if runs: <statements>`."""
    reads = sorted(names(statements, ast.Load) - names(statements, ast.Store))
    hook = ast.Call(ast.Name(STEP_HOOK, ast.Load()), [ast.Constant(name), ast.Constant(tuple(reads)),
                                                      ast.Constant(tuple(sorted(names(statements, ast.Store)))),
                                                      ast.Constant(first_line)], [])
    guarded = ast.If(ast.Name(RUNS, ast.Load()), statements, [])
    block = ast.With([ast.withitem(hook, ast.Name(RUNS, ast.Store()))], [guarded])
    return ast.copy_location(block, statements[0])


class ExplainedAsserts(ast.NodeTransformer):
    """`assert a == b, note` -> `__demo_expect__(a, "==", b, note)`: the failure shows both values."""

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        test = node.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in COMPARISONS):
            return node
        arguments = [test.left, ast.Constant(COMPARISONS[type(test.ops[0])]), test.comparators[0]]
        call = ast.Call(ast.Name(EXPECT, ast.Load()), arguments + ([node.msg] if node.msg else []), [])
        return ast.copy_location(ast.Expr(call), node)


def expect(left, comparison: str, right, note=None) -> None:
    if TESTS[comparison](left, right):
        return
    left, right = shorten(repr(left), VALUE_ROOM), shorten(repr(right), VALUE_ROOM)
    said = (_("expected {right}, got {left}") if comparison == "==" else _("expected {left} {comparison} {right}")).format(
        left=left, right=right, comparison=comparison)
    raise AssertionError(said + (f" ({shorten(str(note), VALUE_ROOM)})" if note is not None else ""))


def stepped(source: str, filename: str) -> ast.Module:
    """The walkthrough's module with every function that holds a region split into steps."""
    tree = ast.parse(source, filename)
    spans = sorted(regions(source), key=lambda span: span[1])
    for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        if not any(start < statement.lineno < end for statement in function.body for _, start, end in spans):
            continue
        docstring = function.body[:1] if ast.get_docstring(function) else []
        starts = {name: start for name, start, _ in spans}
        function.body = docstring + [wrapped(name, statements, starts.get(name, statements[0].lineno))
                                     for name, statements in grouped(function.body[len(docstring):], spans)]
    return ast.fix_missing_locations(ExplainedAsserts().visit(tree))


def step_names(walkthrough: Walkthrough) -> list[str]:
    """Every step of a walkthrough's module, in file order."""
    module = sys.modules[walkthrough.__module__]
    tree = stepped(inspect.getsource(module), module.__file__)
    hooks = [node for node in ast.walk(tree) if isinstance(node, ast.With)
             and getattr(getattr(node.items[0].context_expr, "func", None), "id", None) == STEP_HOOK]
    return [node.items[0].context_expr.args[0].value for node in sorted(hooks, key=lambda node: node.lineno)]


def module_name(walkthrough: Walkthrough) -> str:
    """The walkthrough module's import name, even when it runs as __main__."""
    module = sys.modules[walkthrough.__module__]
    return module.__spec__.name if module.__spec__ else module.__name__


def answer_text(response: requests.Response | None) -> str:
    if response is None:
        return _("no answer yet")
    return _("{status} {reason} to {method} {path}").format(
        status=response.status_code, reason=response.reason, method=response.request.method,
        path=shown_url(response.request.url))


def what_failed(error: Exception, filename: str, last: requests.Response | None) -> str:
    """One line on why a step failed: the expectation, else the walkthrough's line and the last answer."""
    if isinstance(error, requests.JSONDecodeError):
        return _("expected JSON, got {answer}").format(answer=answer_text(last)) + (
            f" ({last.headers.get('Content-Type')})" if last else "")
    if isinstance(error, AssertionError) and str(error):
        return str(error)
    if isinstance(error, KeyError):
        return _("no {key} in the {answer}").format(key=repr(error.args[0]), answer=answer_text(last))
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    line = _("line {number} `{code}`").format(number=frames[-1].lineno, code=shorten(frames[-1].line, VALUE_ROOM)) \
        if frames else _("the walkthrough")
    happened = _("did not hold") if isinstance(error, AssertionError) else _("raised {error}").format(
        error=f"{type(error).__name__}: {error}")
    return _("{line} {happened} (last: {answer})").format(line=line, happened=happened, answer=answer_text(last))


class Steps:
    """The hook each step calls: headings, failures, and the variables failed steps left unset."""

    def __init__(self, printer: Printer, plan: Plan, chap: Chapter | None, filename: str, whys: dict[int, dict[str, str]]):
        self.printer, self.plan, self.chapter, self.filename, self.whys = printer, plan, chap, filename, whys
        self.ran: list[str] = []
        self.failed: list[str] = []
        self.unset: dict[str, str] = {}  # variable -> the failed step that should have set it

    def needs(self, name: str) -> str:
        exercises = self.plan.steps.get(name, ())
        if not exercises:
            return _("step `{name}` failed").format(name=name)
        listed = ", ".join(f"`{e}`" for e in exercises)
        needs = _("step `{name}` needs exercises {listed}") if len(exercises) > 1 else _("step `{name}` needs exercise {listed}")
        return needs.format(name=name, listed=listed)

    def check_command(self) -> str:
        return command("check", self.chapter.number if self.chapter else None)

    @contextmanager
    def __call__(self, name: str, reads: tuple[str, ...], sets: tuple[str, ...], first_line: int) -> Iterator[bool]:
        self.ran.append(name)
        self.printer.step(name, self.whys.get(first_line, {}))
        try:
            yield from self.run(name, reads, sets)
        finally:
            self.printer.end_step()

    def run(self, name: str, reads: tuple[str, ...], sets: tuple[str, ...]) -> Iterator[bool]:
        missing = [variable for variable in reads if variable in self.unset]
        if missing:
            sources = sorted({self.unset[variable] for variable in missing})
            self.fail(name, sets, _("step `{name}` skipped: it needs {variables} ").format(
                name=name, variables=", ".join(f"`{v}`" for v in missing)),
                _("from step {steps}, which failed").format(steps=", ".join(f"`{s}`" for s in sources)))
            yield False
            return
        self.printer.last = None
        try:
            yield True
        except requests.ConnectionError:
            raise
        except Exception as error:  # whatever the learner's server made the step raise is this step's failure
            explained = what_failed(error, self.filename, self.printer.last)
            self.fail(name, sets, f"{self.needs(name)} ({self.check_command()}): ", explained)
        else:
            for variable in sets:
                self.unset.pop(variable, None)

    def fail(self, name: str, sets: tuple[str, ...], lead: str, why: str) -> None:
        self.failed.append(name)
        self.unset.update(dict.fromkeys(sets, name))
        self.printer.problem(lead, why)

    def summary(self) -> None:
        if not self.failed:
            self.printer.good(_("All {count} steps ran clean.").format(count=len(self.ran)))
        else:
            self.printer.problem(_("{failed} of {count} steps did not: ").format(failed=len(self.failed), count=len(self.ran)),
                                 _("`{check}` says which exercises are left.").format(check=self.check_command()))


def run_steps(walkthrough: Walkthrough, base_url: str, number: int | None, pause: bool = False,
              printer: Printer | None = None) -> bool:
    """Run the walkthrough step by step against `base_url`; False if any step failed."""
    chap = chapter(number) if number is not None else None
    plan = plan_of(chap)
    printer = printer or Printer(plan.headers, pause)
    module = sys.modules[walkthrough.__module__]
    source = inspect.getsource(module)
    steps = Steps(printer, plan, chap, module.__file__, explanations(source))
    # Under `python -m chapters.chNN_x.client` the module is __main__: its spec has the real name.
    namespace = {"__name__": module_name(walkthrough), "__file__": module.__file__, "__package__": module.__package__,
                 STEP_HOOK: steps, EXPECT: expect, "print": printer.note}
    exec(compile(stepped(source, module.__file__), module.__file__, "exec"), namespace)
    try:
        with printing_session(printer) as http:
            namespace[walkthrough.__name__](http, base_url)
    except requests.ConnectionError:
        printer.problem(_("No server answers at {url}: ").format(url=base_url),
                        _("start it first (`{run}`).").format(run=command("run", number)))
        return False
    steps.summary()
    return not steps.failed


def run_walkthrough(walkthrough: Walkthrough, base_url: str, chapter: int | None = None, pause: bool = False,
                    printer: Printer | None = None) -> bool:
    """Run a chapter's walkthrough step by step, printing each exchange; False if a step failed."""
    return run_steps(walkthrough, base_url.rstrip("/"), chapter, pause, printer)


def main(walkthrough: Walkthrough) -> None:
    """`python -m chapters.chNN_x.client [BASE_URL]` against a server you started yourself."""
    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
    number = PACKAGE_NAME.match(module_name(walkthrough).split(".")[-2])
    raise SystemExit(0 if run_walkthrough(walkthrough, base_url, int(number[1]) if number else None) else 1)
