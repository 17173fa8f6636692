"""Child processes that take their own children with them when stopped.

A command the course starts (a grading run, `make chapter-1 run`, a server) may start
processes of its own: make runs a shell that runs Python. Each is started as the leader of
a new process group, and stopping it signals the whole group, so nothing is left behind
holding a port or a pipe.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def new_group() -> dict:
    """Popen keyword arguments that make the child lead a new process group."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def leads_group(process: subprocess.Popen) -> bool:
    try:
        return os.name != "nt" and os.getpgid(process.pid) == process.pid
    except ProcessLookupError:
        return False


def stop(process: subprocess.Popen, grace_s: float = 10) -> None:
    """SIGTERM to the group (servers stop cleanly on it), then SIGKILL if it lingers."""
    group = leads_group(process)
    if group:
        signal_group(process.pid, signal.SIGTERM)
    else:
        process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        kill(process)
    if group:
        signal_group(process.pid, signal.SIGKILL)  # a grandchild the leader left behind


def kill(process: subprocess.Popen) -> None:
    """At once, the whole group."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    elif leads_group(process):
        signal_group(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.wait()
