"""The teacher's end of one student's grading: start their zygote, then read what it left.

The zygote (track/grading/zygote.py) runs inside the sandbox where there is one (track/grading/sandbox.py),
in the student's temporary tree: their `chapters/` (read-only there) and `runs/`, one
writable folder per chapter. Each chapter gets two pipes that only its worker will hold: one
brings it its canary's secret, the other carries its tripwire reports back here. The
verdicts are judged here (track/classroom/verdicts.py), where no student code runs.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from track.grading import cache, processes, sandbox
from track.model.course import ROOT, Chapter
from track.grading.engine import CAN_FORK, SLACK_S
from track.model.i18n import _, language
from track.model.results import RunResult
from track.classroom.verdicts import Canary, Verdict, canary_for, judge

POSIX = os.name == "posix"


def chapter_budget(timeout_s: float) -> float:
    """The time a chapter's tests share: two tests' time-outs, and never under 30 s."""
    return max(2 * timeout_s, 30.0)


@dataclass
class ChapterRun:
    chapter: Chapter
    canary: Canary
    evidence_fd: int | None = None  # our end of the tripwire pipe (POSIX)
    evidence: bytearray = field(default_factory=bytearray)
    ended: dict | None = None  # the zygote's line about it

    def drain(self) -> None:
        while self.evidence_fd is not None:
            try:
                chunk = os.read(self.evidence_fd, 65536)
            except BlockingIOError:
                return
            if not chunk:
                os.close(self.evidence_fd)
                self.evidence_fd = None
            self.evidence += chunk


@dataclass
class StudentRun:
    tree: Path
    process: subprocess.Popen
    chapters: dict[str, ChapterRun]
    deadline_s: float
    budget_s: float
    started: float = field(default_factory=time.monotonic)
    cpu_s: float = 0.0  # the zygote's own count of its and its workers' CPU time (make bench)

    @property
    def runs(self) -> Path:
        return self.tree / "runs"

    def poll(self) -> bool:
        """Whether it is over (ended, or stopped now for running out of time)."""
        for run in self.chapters.values():
            run.drain()
        if self.process.poll() is None and time.monotonic() - self.started <= self.deadline_s:
            return False
        if self.process.poll() is None:
            processes.kill(self.process)
        output = self.process.stdout.read().decode("utf-8", errors="replace") if self.process.stdout else ""
        for line in output.splitlines():
            with contextlib.suppress(ValueError, KeyError, TypeError):
                ended = json.loads(line)
                if "cpu" in ended:
                    self.cpu_s = float(ended["cpu"])
                    continue
                self.chapters[ended["package"]].ended = ended
        for run in self.chapters.values():
            run.drain()
            if run.evidence_fd is not None:
                os.close(run.evidence_fd)
        return True

    def verdict(self, run: ChapterRun, expected: list[str]) -> Verdict:
        folder = self.runs / run.chapter.package
        log = read_text(folder / "output.txt")[-20000:]
        evidence = run.evidence.decode("utf-8", errors="replace") + read_text(folder / "evidence.txt")
        results = None
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            results = RunResult.read(folder / "results.json")
        verdict = judge(results, run.chapter.package, expected, run.canary, evidence, log)
        if verdict.result is None and (run.ended is None or run.ended["code"] is None):
            verdict.reason = _("did not finish in {seconds} s and was stopped").format(seconds=f"{self.budget_s:g}")
        return verdict

    def verdicts(self, expected: dict[str, list[str]]) -> dict[str, Verdict]:
        return {package: self.verdict(run, expected[package]) for package, run in self.chapters.items()}


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def hand_over(run: ChapterRun, folder: Path, entry: dict, pass_fds: list[int]) -> None:
    """The canary's secret into a pipe only the worker will read; a pipe back for its tripwires."""
    if not POSIX:  # no descriptors to pass (and no sandbox): a file the worker reads once
        (folder / "canary.json").write_text(run.canary.spec(), encoding="utf-8")
        return
    secret_r, secret_w = os.pipe()
    os.write(secret_w, run.canary.spec().encode())
    os.close(secret_w)
    evidence_r, evidence_w = os.pipe()
    os.set_blocking(evidence_r, False)
    run.evidence_fd = evidence_r
    entry.update(secret_fd=secret_r, evidence_fd=evidence_w)
    pass_fds += [secret_r, evidence_w]


def environment(isolation: sandbox.Isolation, runs: Path) -> dict[str, str]:
    """What the zygote's environment holds: inside the sandbox, only what grading needs."""
    needed = {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "TRACK_LANG": language(),
              "PYTHONIOENCODING": "utf-8"}
    if not isolation.sandboxed:
        return {**os.environ, **needed}
    return {**needed, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(runs),
            "LANG": "C.UTF-8", "TMPDIR": "/tmp"}


def launch(tree: Path, todo: Sequence[Chapter], expected: dict[str, list[str]], parallel: int,
           timeout_s: float, isolation: sandbox.Isolation) -> StudentRun:
    """Start grading `todo` of the student's `tree`, `parallel` chapters at a time, isolated as `isolation` says."""
    budget = chapter_budget(timeout_s)
    costs = cache.chapter_costs()
    rng = random.SystemRandom()
    runs, entries, pass_fds, chapter_runs = tree / "runs", [], [], {}
    for chapter in sorted(todo, key=lambda c: -costs.get(c.package, cache.UNKNOWN_COST_S)):
        folder = runs / chapter.package
        (folder / "tmp").mkdir(parents=True)
        run = chapter_runs[chapter.package] = ChapterRun(chapter, canary_for(expected[chapter.package], rng))
        entry = {"package": chapter.package, "module": str(chapter.test_module.relative_to(ROOT)),
                 "deadline_s": budget + SLACK_S}
        hand_over(run, folder, entry, pass_fds)
        entries.append(entry)
    extra = [f"--grader-timeout={timeout_s:g}", f"--chapter-budget={budget:g}", "--first-failure-only", "-p", "track.grading.guard"]
    spec = {"tree": str(tree), "sandboxed": isolation.sandboxed, "parallel": parallel, "extra": extra, "chapters": entries,
            "fork": CAN_FORK and os.environ.get("TRACK_NO_FORK") != "1"}
    argv = [sys.executable, "-m", "track.grading.zygote", json.dumps(spec)]
    env = environment(isolation, runs)
    command = sandbox.command(argv, tree / "chapters", runs, env) if isolation.sandboxed else argv
    with open(runs / "zygote.log", "wb") as log:
        process = subprocess.Popen(command, cwd=runs, env=env, stdout=subprocess.PIPE, stderr=log,
                                   pass_fds=pass_fds, **processes.new_group())
    for fd in pass_fds:
        os.close(fd)
    deadline = SLACK_S + sum(e["deadline_s"] for e in entries) / parallel
    return StudentRun(tree, process, chapter_runs, deadline, budget)
