"""The classroom demo (`python -m track demo N`) on a projector, run for real in a fresh copy.

Every demo runs through the CLI on a live server, in a copy of the course whose chapters are
the pristine stubs (a teacher's fresh clone). They run a few at a time in one fixture, since
each is mostly waiting on its server; the tests then read what each printed.
"""
from __future__ import annotations

import ast
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from rich.cells import cell_len
from rich.console import Console

from track.model.course import ROOT, chapter, chapters
from track.walkthrough.stepper import STEP_HOOK, plan_of, step_names, stepped
from track.walkthrough.demo import demo_run
from track.walkthrough.live import chapter_server, load_walkthrough
from track.walkthrough.printer import INDENT, NOTE, PLAIN_WIDTH, WHY_INDENT, Printer, compact
from track.model.regions import explanations, region, regions
from track.model.stubs import stub_files, write_stubs

CHAPTERS = chapters()
BY_PACKAGE = pytest.mark.parametrize("chap", CHAPTERS, ids=lambda c: c.package)
COPIED = ("track", "tests", "chapters", "solutions", "pyproject.toml", "requirements.txt")
IGNORED = shutil.ignore_patterns("__pycache__", "instance", ".track")
DEMO_TIMEOUT_S = 120  # a hang guard: chapter 12's stub waits out its own 10 s guards twice
DEMOS_AT_ONCE = 4     # each demo mostly waits on its server
SOLVED = chapter(1)   # the chapter the fresh copy gets solved, to demo the learner's own copy
BATCH_TIMEOUT_S = 600  # a hang guard for the first test, which waits for every demo (~40 s on 2 idle cores)
pytestmark = pytest.mark.timeout(BATCH_TIMEOUT_S)


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """The course as a teacher clones it: stubs in chapters/, the reference in solutions/."""
    root = tmp_path_factory.mktemp("clone")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=IGNORED)
        else:
            shutil.copy2(source, root / name)
    for chap in CHAPTERS:
        write_stubs(chap, root / "chapters" / chap.package)
    (root / ".venv").symlink_to(ROOT / ".venv")  # the course runs on its own venv (track.model.bootstrap)
    return root


def run_demo(root, number: int, *options: str, stdin: str = "", lang: str = "en") -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("TRACK_VIA_MAKE", "COLUMNS")} | {"TRACK_LANG": lang}
    return subprocess.run([sys.executable, "-m", "track", "demo", str(number), *options], cwd=root, input=stdin,
                          capture_output=True, text=True, timeout=DEMO_TIMEOUT_S, env=environment)


@pytest.fixture(scope="module")
def demos(fresh_clone):
    """What every demo printed: (number, option) -> CompletedProcess."""
    solved_clone = fresh_clone.parent / "solved"
    shutil.copytree(fresh_clone, solved_clone, symlinks=True)
    shutil.copy2(SOLVED.solution_dir / "app.py", solved_clone / "chapters" / SOLVED.package / "app.py")
    jobs = {(12, "--mine"): (fresh_clone, 12, "--mine")}  # the slowest first
    jobs |= {(c.number, option): (fresh_clone, c.number, option) for c in CHAPTERS for option in ("--solution", "--mine")}
    jobs |= {(3, "unsolved"): (fresh_clone, 3), (SOLVED.number, "solved"): (solved_clone, SOLVED.number)}
    with ThreadPoolExecutor(DEMOS_AT_ONCE) as pool:
        running = {key: pool.submit(run_demo, *arguments) for key, arguments in jobs.items()}
        return {key: future.result() for key, future in running.items()}


def assert_fits(output: str, width: int = PLAIN_WIDTH) -> None:
    too_wide = [line for line in output.splitlines() if cell_len(line) > width]
    assert not too_wide, f"{len(too_wide)} lines are wider than {width} columns, e.g. {too_wide[0]!r}"


@BY_PACKAGE
def test_every_step_names_the_exercises_it_needs(chap):
    """chapter.toml's [demo] maps each step of client.py (every lesson region) to real exercises."""
    plan = plan_of(chap)
    steps = step_names(load_walkthrough(chap))
    assert list(plan.steps) == steps, f"chapters/{chap.package}/chapter.toml [demo] steps: keys should be {steps}"
    source = (chap.learner_dir / "client.py").read_text(encoding="utf-8")
    for name, _, _ in regions(source):
        region(source, name)  # the lessons can quote it
        assert plan.steps[name], f"{chap.package}: region {name!r} needs at least one exercise"
    known = {exercise.id for exercise in chap.exercises}
    for name, needs in plan.steps.items():
        assert set(needs) <= known, f"{chap.package}: step {name!r} names unknown exercises {set(needs) - known}"
    assert plan.headers, f"{chap.package}: [demo] headers should list the headers the chapter teaches"


@BY_PACKAGE
def test_every_step_says_why_it_matters_in_both_languages(chap):
    """`# why:` and `# why-zh:` just above each region's start marker (or each other step's first line)."""
    path = chap.learner_dir / "client.py"
    source = path.read_text(encoding="utf-8")
    whys = explanations(source)
    hooks = [node.items[0].context_expr.args for node in ast.walk(stepped(source, str(path)))
             if isinstance(node, ast.With) and getattr(node.items[0].context_expr.func, "id", None) == STEP_HOOK]
    for name, _, _, first_line in (tuple(argument.value for argument in arguments) for arguments in hooks):
        why = whys.get(first_line, {})
        assert why.get("en") and why.get("zh"), \
            f"chapters/{chap.package}/client.py: step {name!r} needs `# why:` and `# why-zh:` lines above line {first_line}"


@BY_PACKAGE
def test_the_reference_demo_runs_every_step_and_shows_the_taught_headers(chap, demos):
    demo = demos[chap.number, "--solution"]
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Traceback" not in demo.stdout + demo.stderr
    assert f"All {len(plan_of(chap).steps)} steps ran clean." in demo.stdout
    header_lines = [line for line in demo.stdout.splitlines() if line.startswith(INDENT) and not line.startswith(NOTE)]
    for header in plan_of(chap).headers:
        assert any(f"{header}: " in line for line in header_lines), f"chapter {chap.number}'s demo never shows {header}"
    assert_fits(demo.stdout)


@BY_PACKAGE
def test_each_step_heading_once_with_its_why_and_never_empty(chap, demos):
    lines = demos[chap.number, "--solution"].stdout.splitlines()
    headings = [index for index, line in enumerate(lines) if line.startswith("── ")]
    names = [lines[index].removeprefix("── ") for index in headings]
    assert names and len(names) == len(set(names)), names
    for index in headings:
        why = lines[index + 1]
        assert why.startswith(WHY_INDENT) and not why.startswith(INDENT), f"{lines[index]} says no why: {why!r}"
        content = next(line for line in lines[index + 1:] if not line.startswith(WHY_INDENT) or line.startswith(INDENT))
        assert not content.startswith(("── ", "✓ ")), f"{lines[index]} shows nothing"


@BY_PACKAGE
def test_no_header_is_shown_twice_for_one_exchange(chap, demos):
    """The walkthrough's own print of a header the exchange showed already is left out (chapter 3's Set-Cookie)."""
    exchange: list[str] = []
    for line in demos[chap.number, "--solution"].stdout.splitlines():
        if line.startswith(("→ ", "── ")):
            exchange = []
        exchange.append(line)
        if line.startswith(NOTE):
            said = line.removeprefix(NOTE)
            assert not any(said in shown.strip().split("   ") for shown in exchange[:-1] if not shown.startswith(NOTE)), \
                f"{said!r} repeats a header:\n" + "\n".join(exchange)


def serves_stubbed_code(chap) -> bool:
    """False where the stub's server code is the solution's (chapter 11: learners write its tests/)."""
    return any(content != (chap.solution_dir / relative).read_bytes()
               for relative, content in stub_files(chap).items() if relative.parts[0] != "tests")


@BY_PACKAGE
def test_the_stub_demo_names_what_each_failing_step_needs(chap, demos):
    demo = demos[chap.number, "--mine"]
    if not serves_stubbed_code(chap):
        assert demo.returncode == 0 and "steps ran clean." in demo.stdout, demo.stdout + demo.stderr
        return
    assert demo.returncode == 1 and "Traceback" not in demo.stdout + demo.stderr, demo.stdout + demo.stderr
    plan = plan_of(chap)
    failures = [line for line in demo.stdout.splitlines() if line.startswith("✗ step `")]
    failed = [line.split("`")[1] for line in failures]
    assert failed and len(failed) == len(set(failed)) and set(failed) <= set(plan.steps), failures
    for line, name in zip(failures, failed):
        needs = plan.steps[name]
        said = f"needs exercise{'s' if len(needs) > 1 else ''} {', '.join(f'`{e}`' for e in needs)}" if needs else "failed"
        assert f"step `{name}` {said} (python -m track check {chap.number}):" in line or \
            f"step `{name}` skipped: it needs " in line, line
    assert f"✗ {len(failed)} of {len(plan.steps)} steps did not: `python -m track check {chap.number}`" in demo.stdout
    assert_fits(demo.stdout)


def test_a_fresh_clone_demos_the_reference_and_says_so(demos):
    demo = demos[3, "unsolved"]
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert demo.stdout.startswith(
        "Your chapter 3 is not solved yet (0/6): demoing the reference solution. "
        "`python -m track demo 3` again once it passes shows yours.\n"), demo.stdout
    assert "Chapter 3 (the reference) is serving" in demo.stdout


def test_a_solved_chapter_demos_the_learners_copy(demos):
    demo = demos[SOLVED.number, "solved"]
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert demo.stdout.startswith(f"Chapter {SOLVED.number} (your copy) is serving"), demo.stdout


def test_step_waits_for_enter_after_each_exchange(fresh_clone):
    demo = run_demo(fresh_clone, 1, "--solution", "--step", stdin="\n" * 100)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    exchanges = sum(line.startswith("← ") for line in demo.stdout.splitlines())
    assert exchanges and demo.stdout.count("Enter ▸") == exchanges


def test_the_client_runs_against_a_server_the_user_started():
    with chapter_server(chapter(1), solution=True) as url:
        client = subprocess.run([sys.executable, "-m", "chapters.ch01_hello_world.client", url], cwd=ROOT,
                                capture_output=True, text=True, timeout=DEMO_TIMEOUT_S)
    assert client.returncode == 0, client.stdout + client.stderr
    assert "→ GET /" in client.stdout
    assert f"All {len(plan_of(chapter(1)).steps)} steps ran clean." in client.stdout


class KeepingPrinter(Printer):
    """The demo's printer, writing to a string and keeping every response as it was received."""

    def __init__(self, chap):
        super().__init__(plan_of(chap).headers, console=Console(file=io.StringIO(), highlight=False, soft_wrap=True))
        self.received = []

    def exchange(self, response, *args, **kwargs):
        self.received.append(response)
        super().exchange(response, *args, **kwargs)

    def output(self) -> str:
        return self.console.file.getvalue()


def strings_under(value, key: str | None = None):
    """(key, string) for every string in a JSON value, with the key that holds it."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from strings_under(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from strings_under(item, key)
    elif isinstance(value, str):
        yield key, value


def squeezed(text: str) -> str:
    """Text without whitespace: a wrapped line and its continuation read as one."""
    return re.sub(r"\s+", "", text)


def sent_values(request) -> list[str]:
    """What the walkthrough sent that a class must see as sent: JSON strings, multipart filenames."""
    content_type = request.headers.get("Content-Type", "")
    body = request.body.decode("utf-8", "replace") if isinstance(request.body, bytes) else request.body or ""
    if "json" in content_type:
        try:
            return [value for _, value in strings_under(json.loads(body))]
        except (ValueError, RecursionError):  # chapter 11 sends JSON nested deeper than Python parses
            return []
    return re.findall(r'filename="([^"]*)"', body[:2000]) if "multipart" in content_type else []


@BY_PACKAGE
def test_every_message_is_whole_at_60_80_and_120_columns(chap, monkeypatch):
    """Piped at COLUMNS=60, 80, 120 every line fits, and no JSON answer's message nor any value sent is cut."""
    for width in (60, 80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        printer = KeepingPrinter(chap)
        demo = demo_run(chap, True, printer)
        output = printer.output()
        assert demo.passed, output
        assert_fits(output, width)
        answers = [r.json() for r in printer.received if "json" in r.headers.get("Content-Type", "")]
        messages = [value for answer in answers for key, value in strings_under(answer) if key == "message"]
        sent = [value for r in printer.received for value in sent_values(r.request)]
        assert printer.received, f"chapter {chap.number}'s walkthrough sent nothing"
        shown = squeezed(output)
        for message in messages:  # as the body shows it: JSON-escaped
            assert squeezed(json.dumps(message, ensure_ascii=False)[1:-1]) in shown, \
                f"the message {message!r} is not whole at {width} columns:\n{output}"
        for value in sent:  # whole, but for tokens and padding, which say their length
            assert squeezed(compact(value)) in shown, f"{value!r} was sent but is not shown whole at {width} columns:\n{output}"


def test_two_runs_start_from_the_same_fresh_state():
    """Chapter 9 registers on an empty database each time: the same ids, and nothing left in instance/."""
    chap = chapter(9)
    instance = chap.solution_dir / "instance"
    before = sorted(instance.rglob("*")) if instance.exists() else None
    runs = [demo_run(chap, True, KeepingPrinter(chap)) for _ in range(2)]
    outputs = [re.findall(r'"id": (\d+)', "".join(e.response_body for s in run.steps for e in s.exchanges))
               for run in runs]
    assert outputs[0] == outputs[1] and outputs[0][0] == "1", outputs
    assert (sorted(instance.rglob("*")) if instance.exists() else None) == before


EXTERNAL = re.compile(r"""\b(?:src|href)\s*=|<link\b|@import|url\(""", re.IGNORECASE)


@pytest.mark.parametrize(("number", "lang"), [(3, "en"), (9, "zh")])
def test_the_handout_is_one_self_contained_page_in_the_chosen_language(fresh_clone, tmp_path, number, lang):
    handout = tmp_path / f"chapter-{number}.html"
    demo = run_demo(fresh_clone, number, "--solution", "--handout", str(handout), lang=lang)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    page = handout.read_text(encoding="utf-8")
    assert not EXTERNAL.search(page), f"the handout loads {EXTERNAL.search(page)[0]!r} from elsewhere"
    assert page.startswith("<!doctype html>") and f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    chap = chapter(number)
    source = (chap.learner_dir / "client.py").read_text(encoding="utf-8")
    headings = [line.removeprefix("── ") for line in demo.stdout.splitlines() if line.startswith("── ")]
    assert re.findall(r'data-step="([^"]+)"', page) == headings
    in_language = {why[lang] for why in explanations(source).values()}
    shown_whys = [html.unescape(why) for why in re.findall(r'<p class="why">([^<]*)</p>', page)]
    assert len(shown_whys) == len(headings) and set(shown_whys) <= in_language, shown_whys
    assert page.count('class="slide exchange"') == sum(line.startswith("→ ") for line in demo.stdout.splitlines())
    assert page.count("<h3>") >= 3 * page.count('class="slide exchange"')  # request, answer, server log
