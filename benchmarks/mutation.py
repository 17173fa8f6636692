"""`make mutation [CHAPTER=N]` (`python -m benchmarks.mutation [N]`): how many mutants the graders kill.

Each mutant (benchmarks/mutants.py: one small change inside a `# SOLUTION` block) is a copy
of the chapter's solution package in a scratch folder, graded by the chapter's own grader
(`--target` that folder) through the course's engine, two at a time: its own exercise's tests
first, the whole grader if it survives those. Killed: any test fails, errors or runs out of
time. Mutants that change only a message are counted apart and not graded; those in
benchmarks/mutation_allow.toml (reviewed equivalent mutants) are reported apart. Verdicts are
cached in .track/mutation/ under a digest of the mutant's package and the grader with what it
depends on, so a re-run grades only what changed; each chapter's survivors go to
.track/mutation/chNN.json. benchmarks/MUTATION.md has the details, and why not a ready-made tool.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.mutants import Mutant, mutants, signatures
from track.model.course import ROOT, STATE, Chapter, UsageError, chapter, chapters
from track.grading.engine import Job, grade_all, warm
from track.model.inputs import files_of, grading_inputs
from track.model.results import RunResult
from track.model.ui import command, invoked_by_make

OUT = STATE / "mutation"
ALLOW_LIST = Path(__file__).with_name("mutation_allow.toml")
BATCH = 16  # mutants graded between two cache saves: an interrupted run keeps most of its work
SURVIVED = "survived"  # every test passed
STOP_AT_FIRST_FAILURE = ("-x",)  # one failing test kills the mutant: the rest need not run


@dataclass
class Report:
    chapter: Chapter
    graded: dict[str, str] = field(default_factory=dict)  # mutant id -> "killed by ..." or "survived"
    message_only: list[Mutant] = field(default_factory=list)
    allowed: list[Mutant] = field(default_factory=list)
    survivors: list[Mutant] = field(default_factory=list)
    broken: str | None = None  # the unmutated solution does not pass its grader
    seconds: float = 0.0

    @property
    def killed(self) -> int:
        return len(self.graded) - len(self.survivors)

    @property
    def percent(self) -> float | None:
        return 100 * self.killed / len(self.graded) if self.graded else None

    def row(self) -> tuple:
        total = len(self.graded) + len(self.message_only) + len(self.allowed)
        percent = "-" if self.percent is None else f"{self.percent:.1f}%"
        return (f"ch{self.chapter.number:02d}", total, self.killed, len(self.survivors), len(self.message_only),
                len(self.allowed), percent, f"{self.seconds:.0f} s")


def package_files(chapter: Chapter) -> dict[str, bytes]:
    """The solution package's files by relative path, without caches and instance data."""
    return {path.relative_to(chapter.solution_dir).as_posix(): path.read_bytes()
            for path in files_of(chapter.solution_dir)}


def chapter_mutants(chapter: Chapter, files: dict[str, bytes]) -> list[Mutant]:
    sources = {name: content.decode("utf-8") for name, content in files.items() if name.endswith(".py")}
    known = signatures(sources)
    return [mutant for name, source in sources.items() for mutant in mutants(source, name, known)]


def grader_bytes(chapter: Chapter) -> bytes:
    """Every file a verdict of this chapter depends on, besides the graded package, with its name."""
    return b"".join(path.relative_to(ROOT).as_posix().encode() + b"\0" +
                    (path.read_bytes() if path.is_file() else b"<missing>") for path in grading_inputs(chapter))


def cache_key(grader: bytes, files: dict[str, bytes]) -> str:
    """A verdict depends on every file of the mutated package and on the grader: both go in."""
    digest = hashlib.sha256(grader)
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def verdict(run: RunResult) -> str:
    """"survived" when every test passed, else what killed the mutant."""
    if run.status == "pass":
        return SURVIVED
    if run.message:
        return "killed: " + run.message.splitlines()[0]
    failed = next((t for c in run.chapters for t in c.tests if t.status != "pass"), None)
    return f"killed by {failed.name} ({failed.status})" if failed else "killed: chapter error"


def grade_packages(chapter: Chapter, packages: list[dict[str, bytes]], jobs: int,
                   exercises: list[Sequence[str]] | None = None) -> list[str]:
    """Grade each version of the chapter's package (in a scratch folder); one verdict each.

    `exercises[n]` narrows version n's run to those exercises' tests (default: all of them).
    """
    exercises = exercises or [()] * len(packages)
    with tempfile.TemporaryDirectory(prefix="track-mutants-") as scratch:
        batch = []
        for number, (files, only) in enumerate(zip(packages, exercises)):
            folder = Path(scratch) / str(number)
            for name, content in files.items():
                (folder / chapter.package / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / chapter.package / name).write_bytes(content)
            batch.append(Job([chapter], str(folder), only, extra=STOP_AT_FIRST_FAILURE))
        return [verdict(run) for run in grade_all(batch, parallel=jobs)]


def grade_mutants(chapter: Chapter, packages: list[dict[str, bytes]], exercises: list[str], jobs: int) -> list[str]:
    """Grade each mutated package: its own exercise's tests first (they kill most mutants
    quickly), then the whole grader for the ones that survived those."""
    verdicts = grade_packages(chapter, packages, jobs, [[exercise] for exercise in exercises])
    again = [n for n, found in enumerate(verdicts) if found == SURVIVED]
    for number, found in zip(again, grade_packages(chapter, [packages[n] for n in again], jobs)):
        verdicts[number] = found
    return verdicts


class Cache:
    """Verdicts by cache key, one JSON file per chapter."""

    def __init__(self, chapter: Chapter):
        self.path = OUT / f"cache-ch{chapter.number:02d}.json"
        try:
            self.verdicts = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.verdicts = {}

    def save(self) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.verdicts, indent=0), encoding="utf-8")


def allow_list() -> dict[tuple[int, str], str]:
    """Reviewed equivalent mutants: (chapter, mutant id) -> why no grader can tell them from the solution."""
    data = tomllib.loads(ALLOW_LIST.read_text(encoding="utf-8")) if ALLOW_LIST.exists() else {}
    return {(e["chapter"], f"{e['file']}:{e['line']} {e['operator']}: {e['original']} -> {e['mutated']}"): e["reason"]
            for e in data.get("equivalent", [])}


def run_chapter(chapter: Chapter, allowed: dict[tuple[int, str], str], jobs: int) -> Report:
    """Generate, sort out and grade (what the cache lacks) every mutant of one chapter."""
    started = time.monotonic()
    report = Report(chapter)
    files = package_files(chapter)
    grader, cache = grader_bytes(chapter), Cache(chapter)
    every = chapter_mutants(chapter, files)
    report.message_only = [m for m in every if m.message_only]
    report.allowed = [m for m in every if not m.message_only and (chapter.number, m.id) in allowed]
    graded = [m for m in every if not m.message_only and m not in report.allowed]
    # The unmutated solution first: if it fails its grader, every mutant would look killed.
    versions = [files, *({**files, m.file: m.source.encode("utf-8")} for m in graded)]
    keys = [cache_key(grader, version) for version in versions]
    todo = [n for n, key in enumerate(keys) if key not in cache.verdicts]
    print(f"ch{chapter.number:02d}: {len(every)} mutants, {len(graded)} to grade, {len(todo)} not in the cache",
          file=sys.stderr, flush=True)
    if todo[:1] == [0]:
        cache.verdicts[keys[0]] = grade_packages(chapter, [files], jobs)[0]
        cache.save()
        todo = todo[1:]
    if cache.verdicts[keys[0]] != SURVIVED:
        report.broken = cache.verdicts[keys[0]]
        todo = []
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]  # indexes into versions; mutant n is graded[n - 1]
        found = grade_mutants(chapter, [versions[n] for n in batch], [graded[n - 1].exercise for n in batch], jobs)
        cache.verdicts.update((keys[n], verdict_) for n, verdict_ in zip(batch, found))
        cache.save()
        print(f"  ch{chapter.number:02d}: {start + len(batch)}/{len(todo)} graded", file=sys.stderr, flush=True)
    if report.broken is None:
        report.graded = {m.id: cache.verdicts[key] for m, key in zip(graded, keys[1:])}
        report.survivors = [m for m in graded if report.graded[m.id] == SURVIVED]
        cache.verdicts = {key: cache.verdicts[key] for key in keys}  # what no longer exists goes
        cache.save()
    report.seconds = time.monotonic() - started
    write_report(report)
    return report


def described(mutant: Mutant) -> dict:
    return {"id": mutant.id, **{k: v for k, v in asdict(mutant).items() if k != "source"}}


def write_report(report: Report) -> None:
    """.track/mutation/chNN.json: the counts and every survivor, for grader writers and tools."""
    chapter = report.chapter
    name, total, killed, survived, message_only, allowed, percent, _seconds = report.row()
    payload = {"chapter": chapter.number, "package": chapter.package, "solution": f"solutions/{chapter.package}",
               "grader": chapter.test_module.relative_to(ROOT).as_posix(), "broken": report.broken,
               "mutants": total, "killed": killed, "survived": survived, "message_only": message_only,
               "allow_listed": allowed, "percent_killed": report.percent, "seconds": round(report.seconds, 1),
               "survivors": [described(m) for m in report.survivors],
               "message_only_mutants": [described(m) for m in report.message_only],
               "allow_listed_mutants": [described(m) for m in report.allowed]}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")


HEADER = ("chapter", "mutants", "killed", "survived", "message-only", "allow-listed", "% killed", "time")


def print_table(reports: list[Report]) -> None:
    rows = [report.row() for report in reports]
    graded = sum(len(r.graded) for r in reports)
    killed = sum(r.killed for r in reports)
    if len(reports) > 1:
        rows.append(("total", *(sum(row[i] for row in rows) for i in range(1, 6)),
                     f"{100 * killed / graded:.1f}%" if graded else "-", f"{sum(r.seconds for r in reports):.0f} s"))
    widths = [max(len(str(c)) for c in column) for column in zip(HEADER, *rows)]
    for line in (HEADER, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(line, widths))))


def rerun(chapter: Chapter) -> str:
    """This tool's command for one chapter, as the user typed it (make or python -m)."""
    return command("mutation", chapter.number) if invoked_by_make() else f"python -m benchmarks.mutation {chapter.number}"


def print_survivors(report: Report) -> None:
    chapter = report.chapter
    grader = chapter.test_module.relative_to(ROOT).as_posix()
    if report.broken:
        print(f"\nch{chapter.number:02d}: the unmutated solution does not pass its own grader ({report.broken}), "
              f"so no mutant was counted. See why with `python -m pytest {grader} --target solutions`, "
              f"fix the solution or the grader, then run `{rerun(chapter)}` again.")
        return
    if not report.survivors:
        return
    print(f"\nch{chapter.number:02d}: {len(report.survivors)} survivors: {grader} passes with each of these changes "
          f"to solutions/{chapter.package}/. Add the assertion the contract implies, then run `{rerun(chapter)}` "
          f"(only what changed is graded again). Truly equivalent? Add it to {ALLOW_LIST.relative_to(ROOT)} with a reason.")
    for mutant in report.survivors:
        arrow = f"{mutant.original}  ->  {mutant.mutated or '(deleted)'}"
        print(f"  {mutant.file}:{mutant.line:<4} {mutant.operator:<12} {arrow}")


def stop_cleanly_on_signals() -> None:
    """SIGTERM, and SIGINT even in a background run (`nohup ... &` starts with it ignored), raise
    KeyboardInterrupt, so the engine's clean-up kills the grading children and their servers."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chapter", nargs="?", help="one chapter (1, 01, ch01...); default: every chapter")
    parser.add_argument("--jobs", type=int, default=2, help="mutants graded at once (default 2)")
    args = parser.parse_args(argv)
    try:
        chosen = [chapter(args.chapter)] if args.chapter else list(chapters())
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    stop_cleanly_on_signals()
    started = time.monotonic()
    warm(chosen)  # import pytest and the graders once: every forked grading run starts from here
    allowed = allow_list()
    reports = [run_chapter(chapter_, allowed, args.jobs) for chapter_ in chosen]
    print()
    print_table(reports)
    for report in reports:
        print_survivors(report)
    print(f"\nMessage-only mutants are not graded; allow-listed ones are in {ALLOW_LIST.relative_to(ROOT)}. "
          f"Survivors by chapter: {OUT.relative_to(ROOT)}/chNN.json.")
    print(f"Total time: {time.monotonic() - started:.0f} s ({args.jobs} jobs).")
    return 1 if any(report.broken for report in reports) else 0


if __name__ == "__main__":
    raise SystemExit(main())
