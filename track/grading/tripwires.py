"""What a student's grading run may not do, refused and reported as it happens.

PYTEST_DONT_REWRITE: no asserts here.

A Python audit hook (PEP 578), added in the grading child before any student code is
imported; no Python code can remove one. It refuses, and reports as evidence to the teacher's
process, a file opened for writing outside the run's own folder, any file of the reference
`solutions/`, a connection to anything but loopback, a process started by student code (no
chapter needs one), and a process that starts processes without end. Each report goes at once
down a pipe whose other end only the teacher's process reads, so code that runs later cannot
take it back. The sandbox (track/grading/sandbox.py) is what makes these impossible; this says who
tried, and where.
"""
from __future__ import annotations

import ipaddress
import json
import os
import sys
from pathlib import Path

from track.model.i18n import _

PROCESS_EVENTS = frozenset({"os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.system", "subprocess.Popen"})
MAX_PROCESSES = 64  # started by one process of a run; the graders' own servers need a handful
MAX_REPORTS = 20
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def loopback(host) -> bool:
    if host is None or host in LOOPBACK_NAMES or host == "":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def writes(mode, flags) -> bool:
    if isinstance(mode, str) and mode != "r":
        return any(c in mode for c in "wax+")
    return bool(flags and isinstance(flags, int) and flags & WRITE_FLAGS)


class Tripwires:
    """The audit hook of one run: `allowed` is the only folder it may write in."""

    def __init__(self, allowed: str, student: str, evidence_fd: int):
        self.allowed = os.path.realpath(allowed)
        self.student = os.path.realpath(student)
        self.evidence_fd = evidence_fd
        self.processes = 0
        self.reports = 0
        self.busy = False

    def where(self) -> str:
        """file:line of the innermost student frame, relative to their chapters/ ("" if none)."""
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename
            if name.startswith(self.student + os.sep):
                return f"{os.path.relpath(name, self.student)}:{frame.f_lineno}"
            frame = frame.f_back
        return ""

    def refuse(self, what: str) -> None:
        if self.reports < MAX_REPORTS:
            self.reports += 1
            line = json.dumps({"what": what, "where": self.where()}) + "\n"
            try:
                os.write(self.evidence_fd, line.encode())
            except OSError:
                pass
        raise PermissionError(f"not allowed while grading: {what}")

    def may_write(self, path) -> bool:
        if isinstance(path, int):
            return True  # an open file descriptor: its opening was checked
        full = os.path.realpath(os.fsdecode(path))
        return full == os.devnull or full.startswith(self.allowed + os.sep) or full == self.allowed

    def __call__(self, event: str, args: tuple) -> None:
        if self.busy:
            return
        self.busy = True
        try:
            self.check(event, args)
        finally:
            self.busy = False

    def check(self, event: str, args: tuple) -> None:
        if event == "open" and not isinstance(args[0], int) and "solutions" in Path(os.fsdecode(args[0])).parts:
            self.refuse(_("opened {path} (the reference solutions)").format(path=os.fsdecode(args[0])))
        elif event == "open" and writes(args[1], args[2]) and not self.may_write(args[0]):
            self.refuse(_("wrote {path} (outside its scratch folder)").format(path=os.fsdecode(args[0])))
        elif event in ("socket.connect", "socket.sendto") and isinstance(args[1], tuple) and not loopback(args[1][0]):
            self.refuse(_("connected to {host}:{port} (the network)").format(host=args[1][0], port=args[1][1]))
        elif event == "socket.getaddrinfo" and not loopback(args[0]):
            self.refuse(_("looked up {host} (the network)").format(host=args[0]))
        elif event in PROCESS_EVENTS:
            self.processes += 1
            if self.where():
                self.refuse(_("started a process ({event}): no chapter needs one").format(event=event))
            if self.processes > MAX_PROCESSES:
                self.refuse(_("started over {count} processes (a fork bomb?)").format(count=MAX_PROCESSES))


def install(allowed: str, student: str, evidence_fd: int) -> None:
    sys.addaudithook(Tripwires(allowed, student, evidence_fd))
