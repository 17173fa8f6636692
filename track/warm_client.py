"""Hand `check` to the warm grader of this checkout, when one runs (the grader: track/warm_grader.py).

The warm grader is a background process that has Python, Flask, pytest and the graders
imported already; it runs the very same `check` in a fork of itself, on this process's
terminal, in this process's environment. This module is its client, and starts and stops it.

Standard library only: `track/__main__.py` calls `forward` before the hand-over to the venv,
so a check the grader answers costs one small Python start and the tests themselves. When
no grader answers (none yet, one graded with other machinery or settings, one that hangs or
crashes), `forward` returns and the plain path runs: slower, the same verdict.
Never without fork (Windows), nor with TRACK_NO_FORK=1 or TRACK_NO_WARM_GRADER=1.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

from track.model.bootstrap import ROOT

DISABLE = "TRACK_NO_WARM_GRADER"
FORWARDED = ("check",)  # the verbs the warm grader runs; the others start no grader and wait for none
ANSWER_TIMEOUT_S = 5  # the grader only compares a few file dates before it answers: silence is a hang
DEADLINE_MARGIN_S = 30
# Variables that differ between `make chapter-1 check` and `python -m track check 1` in one shell,
# read at run time only (never while the grader imports): a grader serves both. Any other
# difference in the environment and the grader declines, and the next check starts one that matches.
VOLATILE = frozenset({"_", "PWD", "OLDPWD", "SHLVL", "MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKE_TERMOUT",
                      "MAKE_TERMERR", "TRACK_VIA_MAKE", "COLUMNS", "LINES"})
SERVING = False  # True in a run the grader forked: it starts no other grader


def folder(root: Path = ROOT) -> Path:
    return root / ".track" / "grader"


def socket_path(root: Path = ROOT) -> Path:
    return folder(root) / "socket"


def enabled() -> bool:
    return (hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")
            and os.environ.get("TRACK_NO_FORK") != "1" and os.environ.get(DISABLE) != "1")


def settings(environ: dict[str, str]) -> dict[str, str]:
    """What a grader and its client must share: the environment, but for what only make or the shell changes."""
    return {name: value for name, value in environ.items() if name not in VOLATILE}


def at(path: Path, action):
    """`action(path)` on a Unix socket path; a path longer than the system allows (~100 bytes,
    a deep temporary copy) is reached by its name from inside its folder."""
    if len(os.fsencode(path)) < 100:
        return action(str(path))
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        return action(path.name)
    finally:
        os.chdir(here)


def connected(root: Path = ROOT) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(ANSWER_TIMEOUT_S)
    try:
        at(socket_path(root), client.connect)
    except OSError:
        client.close()
        return None
    return client


def forward(argv: list[str]) -> None:
    """If the warm grader runs `argv`, exit with its exit code; otherwise return (the plain path runs)."""
    if not argv or argv[0] not in FORWARDED or not enabled() or Path.cwd() != ROOT or not socket_path().exists():
        return
    code = exchange(argv)
    if code is not None:
        sys.exit(code)


def exchange(argv: list[str]) -> int | None:
    """Send the job with this process's standard input, output and error; its exit code, or None if not served."""
    client = connected()
    if client is None:
        return None
    request = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode() + b"\n"
    with client, client.makefile("rb") as answers:
        try:
            sent = socket.send_fds(client, [request], [0, 1, 2])
            client.sendall(request[sent:])
            accepted = json.loads(answers.readline() or b"null")
        except (OSError, ValueError):  # no answer in time: a grader that hangs serves nobody again
            kill_grader()
            return None
        if not accepted:  # other machinery or settings than it imported: it has left
            return None
        client.settimeout(accepted["deadline_s"] + DEADLINE_MARGIN_S)
        try:
            finished = json.loads(answers.readline() or b"null")
        except (OSError, ValueError):
            finished = None  # closing the connection stops the run; the plain path grades again
        except KeyboardInterrupt:
            return 130  # closing the connection stops the run, as Ctrl-C stops the plain path's
    return finished["code"] if finished else None


def kill_grader(root: Path = ROOT) -> None:
    with contextlib.suppress(OSError, ValueError):
        os.kill(int((folder(root) / "pid").read_text()), signal.SIGKILL)
    with contextlib.suppress(OSError):
        socket_path(root).unlink()


def starting_or_running(root: Path = ROOT) -> bool:
    """A grader holds the lock from its start to its end (track/warm_grader.py)."""
    import fcntl

    try:
        handle = os.open(folder(root) / "lock", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)
    return False


def start() -> None:
    """Start this checkout's warm grader in the background, unless one runs (or must not)."""
    if SERVING or not enabled() or starting_or_running():
        return
    import subprocess  # here: `forward`, on every command, does without it

    folder().mkdir(parents=True, exist_ok=True)
    folder().chmod(0o700)  # its socket runs checks as you: nobody else may reach it
    with open(folder() / "log", "ab") as log:  # kept: why the one before left
        subprocess.Popen([sys.executable, "-m", "track.warm_grader"], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
                         stderr=subprocess.STDOUT, start_new_session=True)


def stop(root: Path = ROOT, patience_s: float = 60) -> bool:
    """Stop the grader (one still starting too) and wait until it is gone; True if one was running.
    Unstopped, it leaves by itself after a quiet while."""
    found, give_up = False, time.monotonic() + patience_s
    while starting_or_running(root):
        found = True
        client = connected(root)
        if client is not None:
            with client, client.makefile("rb") as answers:
                try:
                    client.sendall(json.dumps({"stop": True}).encode() + b"\n")
                    answers.readline()
                except OSError:
                    kill_grader(root)
        if time.monotonic() > give_up:
            kill_grader(root)
        time.sleep(0.05)
    return found


def wait_until_serving(root: Path = ROOT, patience_s: float = 120) -> bool:
    """Wait until the grader started by a check answers (benchmarks measure it warm); False if none does."""
    give_up = time.monotonic() + patience_s
    while time.monotonic() < give_up and starting_or_running(root):
        if socket_path(root).exists():
            return True
        time.sleep(0.05)
    return False
