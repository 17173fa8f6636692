"""One student's grading, chapter by chapter, each chapter in a process of its own.

Started by the teacher's process (track/classroom/grade.py) as `python -m track.grading.zygote SPEC`,
inside the sandbox where there is one (track/grading/sandbox.py). It imports pytest, Flask and the
graders once (never the student's code), then forks one worker per chapter, `parallel` at a
time, each with a time budget. A worker, before it imports anything of the student's:
keeps only its own descriptors (its log, and its evidence pipe to the teacher's process),
reads its chapter's secret canary (track/grading/plugin.py) from a pipe only it holds, makes itself
undumpable (a sibling cannot read its memory), limits its memory and processes, arms the
tripwires (track/grading/tripwires.py), then grades its chapter into its own folder. The verdict is
decided by the teacher's process from what the worker leaves (track/classroom/verdicts.py).

Without `fork` (Windows, or `TRACK_NO_FORK=1`) each worker is a `python -m track.grading.zygote --worker`
subprocess instead: slower, the same verdicts.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from track.grading import processes
from track.model.course import ROOT, chapter_for_package
from track.grading.engine import NO_AUTOLOAD, PLUGINS, QUIET_REWRITE, warm

MEMORY_LIMIT = 4 << 30  # address space of one worker: a memory hog gets MemoryError, not the machine
PROCESS_LIMIT = 512  # processes and threads in the sandbox: a fork bomb gets EAGAIN
PR_SET_DUMPABLE = 4


def run_dir(spec: dict, package: str) -> Path:
    return Path(spec["tree"]) / "runs" / package


def undumpable() -> None:
    """Other processes of this user (a sibling worker) can no longer trace or read this one."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def limit(sandboxed: bool, seconds: float) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = int(seconds) + 10
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    if sandboxed:  # outside a user namespace this would count every process of the teacher's
        resource.setrlimit(resource.RLIMIT_NPROC, (PROCESS_LIMIT, PROCESS_LIMIT))


def keep_only(fds: set[int], log: Path) -> None:
    """Standard output and error to `log`, no input, and no descriptor but `fds`."""
    with open(log, "wb") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    low = 3
    for fd in sorted(fds):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)


def read_secret(entry: dict, folder: Path) -> str:
    if "secret_fd" in entry:
        with os.fdopen(entry["secret_fd"], "r", encoding="utf-8") as pipe:
            return pipe.read()
    path = folder / "canary.json"  # without fork (not sandboxed): a file, read once
    text = path.read_text(encoding="utf-8")
    path.unlink()
    return text


def pytest_args(spec: dict, entry: dict, canary: str) -> list[str]:
    folder = run_dir(spec, entry["package"])
    return [str(ROOT / entry["module"]), f"--rootdir={ROOT}", f"--target={Path(spec['tree']) / 'chapters'}",
            f"--results-json={folder / 'results.json'}", f"--basetemp={folder / 'tmp'}", f"--canary={canary}",
            "-qq", "--no-header", "--tb=no", *PLUGINS, *QUIET_REWRITE, *spec["extra"]]


def work(spec: dict, entry: dict) -> int:
    """Grade one chapter in this process; pytest's exit code."""
    folder = run_dir(spec, entry["package"])
    os.environ.update(NO_AUTOLOAD)
    canary = read_secret(entry, folder)
    evidence = entry.get("evidence_fd") or os.open(folder / "evidence.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    keep_only({evidence}, folder / "output.txt")
    undumpable()
    limit(spec["sandboxed"], entry["deadline_s"])
    os.chdir(folder)  # Flask's instance folder and any relative path land here
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder / "tmp")  # tempfile may have chosen before
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(folder / ".hypothesis")
    if "hypothesis.configuration" in sys.modules:  # it may have chosen before too
        sys.modules["hypothesis.configuration"].set_hypothesis_home_dir(None)
    sys.dont_write_bytecode = True  # the student's chapters are read-only; nothing to cache there
    from track.grading import tripwires

    tripwires.install(str(folder), str(Path(spec["tree"]) / "chapters"), evidence)
    import pytest

    return int(pytest.main(pytest_args(spec, entry, canary)))


class Forked:
    """A worker forked from this process (the graders already imported)."""

    def __init__(self, spec: dict, entry: dict):
        self.pid = os.fork()
        if self.pid == 0:
            code = 3
            try:
                os.setpgid(0, 0)  # its own group: the servers it starts are stopped with it
                code = work(spec, entry)
            finally:
                os._exit(code)

    def poll(self) -> int | None:
        done, status = os.waitpid(self.pid, os.WNOHANG)
        return os.waitstatus_to_exitcode(status) if done else None

    def kill(self) -> None:
        processes.signal_group(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def start(spec: dict, entry: dict):
    """A worker for `entry`: a fork, or without fork a subprocess; something to poll and kill."""
    if spec["fork"]:
        worker = Forked(spec, entry)
    else:
        argv = [sys.executable, "-m", "track.grading.zygote", "--worker", json.dumps(spec), entry["package"]]
        fds = [entry[name] for name in ("secret_fd", "evidence_fd") if name in entry]
        worker = subprocess.Popen(argv, cwd=ROOT, pass_fds=fds, **processes.new_group())
    for name in ("secret_fd", "evidence_fd"):  # the worker's alone from now on
        if name in entry:
            os.close(entry[name])
    return worker


def report(package: str, code: int | None, seconds: float) -> None:
    print(json.dumps({"package": package, "code": code, "seconds": round(seconds, 3)}), flush=True)


def serve(spec: dict) -> None:
    """Every chapter of `spec`, `parallel` at a time; a line on standard output as each ends."""
    undumpable()
    os.chdir(ROOT)  # read-only in the sandbox: a collection writes nothing
    if spec["fork"]:
        sys.dont_write_bytecode = True
        warm([chapter_for_package(entry["package"]) for entry in spec["chapters"]])
    pending, running = list(spec["chapters"]), {}
    while pending or running:
        while pending and len(running) < spec["parallel"]:
            entry = pending.pop(0)
            running[start(spec, entry)] = (entry, time.monotonic())
        time.sleep(0.01)
        for worker, (entry, began) in list(running.items()):
            code = worker.poll()
            late = code is None and time.monotonic() - began > entry["deadline_s"]
            if late:
                worker.kill()
            if code is not None or late:
                del running[worker]
                report(entry["package"], code, time.monotonic() - began)
    print(json.dumps({"cpu": round(cpu_seconds(), 3)}), flush=True)


def cpu_seconds() -> float:
    """This process's CPU time and its workers': what the teacher's side cannot count for itself
    when the zygote runs sandboxed (bubblewrap's init process is never waited for). A figure for
    `make bench`, never part of a verdict."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(argv: list[str]) -> None:
    if argv[0] == "--worker":
        spec = json.loads(argv[1])
        entry = next(e for e in spec["chapters"] if e["package"] == argv[2])
        sys.exit(work(spec, entry))
    serve(json.loads(argv[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
