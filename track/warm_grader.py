"""The warm grader: one background process per checkout that answers `check` in a fork of itself.

A plain `check` starts Python, imports Flask, pytest, the plugin and the grader, then runs the
tests; the imports cost more than the tests. The first `check` starts this process
(track/warm_client.py), which imports all of that once and waits on a Unix socket in
`.track/grader/` that only you may use. A later `check` sends its command line, environment
and terminal; the grader forks, and the fork runs the very same CLI code a plain `check` runs
(which forks once more for the pytest run, as `watch` does). The learner's code is imported
only in those forks, so every check sees the saved files.

It never serves stale code: it records the files of the machinery it imported (track/model/inputs.py:
each chapter's grading inputs, and the CLI's modules) and, before each job, declines and leaves
if one of them changed, or if the client's environment differs from its own. It leaves after
IDLE_S without a job, when its socket is removed, and on `python -m track stop`.
Class grading never uses it: a student's code runs in the sandboxed zygote (track/grading/zygote.py).
"""
from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import selectors
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

from track import warm_client
from track.model.course import CHAPTERS, ROOT, chapters
from track.grading.engine import GRADER_TIMEOUT_S, SLACK_S, warm
from track.model.inputs import LOCALE, course_modules, files_of, grading_inputs

IDLE_S = 15 * 60
POLL_S = 2  # how often it looks whether its socket is still there and how long it was idle
INTERRUPT_GRACE_S = 5
CLI = ("track/__main__.py", "track/cli.py", "track/warm_grader.py")


# --- what it imported, so it knows when that changed ------------------------------------------

def machinery() -> set[Path]:
    """Every course file a check reads through what this process imported: each chapter's grading
    inputs (graders, helpers, manifests, catalogs, the engine), and the CLI's own modules."""
    found = {path for chapter in chapters() for path in grading_inputs(chapter)}
    return found | course_modules(ROOT / name for name in CLI) | set(LOCALE.glob("*.po"))


def listing() -> list[Path]:
    """Files whose appearance matters: a new chapter's manifest, a grader's new helper or catalog."""
    helpers = (path for folder in sorted((ROOT / "tests").glob("ch[0-9][0-9]_*/")) for path in files_of(folder))
    return sorted([*CHAPTERS.glob("ch[0-9][0-9]_*/chapter.toml"), *helpers, *LOCALE.glob("*.po")])


def dated(files) -> dict[Path, tuple[int, int] | None]:
    """Each file's modification time and size (None: missing)."""
    found = {}
    for path in files:
        try:
            status = path.stat()
            found[path] = (status.st_mtime_ns, status.st_size)
        except OSError:
            found[path] = None
    return found


def loaded_course_files() -> set[Path]:
    """The course's modules this process imported (a lazy import the static scan did not see)."""
    files = (getattr(module, "__file__", None) for module in list(sys.modules.values()))
    return {Path(name).resolve() for name in files if name and Path(name).resolve().is_relative_to(ROOT)}


def prepare() -> tuple[dict[Path, tuple[int, int] | None], list[Path]]:
    """Import everything a check needs (never the learner's code); the files it came from, dated, and the listing."""
    files = machinery()
    before, listed = dated(files), listing()  # dated before the imports: an edit during them makes it stale at once
    from track import cli  # noqa: F401  (the verbs, the verdict and its texts)
    from track.model.i18n import language, translations

    translations(language())  # the catalogs of this environment's language, compiled and read
    warm(chapters())
    loaded = loaded_course_files()
    if any(path.is_relative_to(CHAPTERS) for path in loaded):
        raise RuntimeError("warming imported a learner's chapter: refusing to serve it from memory")
    return {**dated(loaded - files), **before}, listed


# --- one job: the CLI in a fork, on the client's terminal ------------------------------------------

def run_job(request: dict, descriptors: list[int], connection: socket.socket, others: list) -> None:
    """In the fork: become the client's process (terminal, environment, folder), run its command; never returns."""
    try:
        for other in others:
            other.close()
        for target, descriptor in enumerate(descriptors):
            os.dup2(descriptor, target)
            os.close(descriptor)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # as in a plain check; the grader's own handler is for itself
        sys.stdin = open(0, encoding=sys.stdin.encoding, closefd=False)
        sys.stdout = open(1, "w", encoding=sys.stdout.encoding, errors=sys.stdout.errors, closefd=False,
                          buffering=1 if os.isatty(1) else -1)
        sys.stderr = io.TextIOWrapper(open(2, "wb", closefd=False, buffering=0), encoding=sys.stderr.encoding,
                                      errors=sys.stderr.errors, line_buffering=True)
        sys.argv = [str(ROOT / "track" / "__main__.py"), *request["argv"]]
        warm_client.SERVING = True
        code = exit_code(request["argv"])
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client reads the code and leaves: no Ctrl-C past here
        connection.sendall(json.dumps({"code": code}).encode() + b"\n")
    finally:
        os._exit(0)


def exit_code(argv: list[str]) -> int:
    """What `python -m track ARGV` exits with, its traceback printed as Python prints it."""
    from track.cli import main

    try:
        return main(argv)
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    except BaseException:  # noqa: BLE001  (as the interpreter would: a traceback and exit code 1)
        traceback.print_exc()
        return 1


# --- the service ----------------------------------------------------------------------------

class Grader:
    """The listening socket, the jobs running, and what the imports were made from."""

    def __init__(self, listener: socket.socket, settings: dict[str, str], imported: dict[Path, tuple[int, int] | None],
                 listed: list[Path]):
        self.listener, self.settings = listener, settings
        self.imported, self.listed = imported, listed
        self.deadline_s = SLACK_S + GRADER_TIMEOUT_S * max(len(chapter.exercises) for chapter in chapters())
        self.jobs: dict[socket.socket, int] = {}  # a client's connection -> the fork running its job
        self.selector = selectors.DefaultSelector()
        self.selector.register(listener, selectors.EVENT_READ)
        self.last_job = time.monotonic()
        self.socket_id = os.stat(warm_client.socket_path()).st_ino
        self.stopping = False

    def declines(self, request: dict) -> str | None:
        """Why this grader cannot run `request` as a plain check would (None: it can)."""
        if dated(self.imported) != self.imported or listing() != self.listed:
            return "the machinery changed since it was imported"
        theirs = warm_client.settings(request["env"])
        if theirs != self.settings:
            return f"other environment: {sorted({name for name, _ in set(theirs.items()) ^ set(self.settings.items())})}"
        if Path(request["cwd"]) != ROOT or request["argv"][:1] != ["check"]:
            return f"not a check of this checkout: {request['argv']} in {request['cwd']}"
        return None

    def accept(self) -> None:
        connection, _ = self.listener.accept()
        connection.settimeout(warm_client.ANSWER_TIMEOUT_S)
        try:
            request, descriptors = receive(connection)
        except (OSError, ValueError):
            connection.close()
            return
        if request.get("stop"):
            self.stopping = True
            connection.sendall(b"true\n")
            connection.close()
            return
        if why := self.declines(request):  # the next plain check starts a grader that matches
            print(f"declined and leaving: {why}", file=sys.stderr, flush=True)
            self.stopping = True
            connection.sendall(b"null\n")
            for descriptor in descriptors:
                os.close(descriptor)
            connection.close()
            return
        connection.sendall(json.dumps({"deadline_s": self.deadline_s}).encode() + b"\n")
        pid = os.fork()
        if pid == 0:
            run_job(request, descriptors, connection, [self.listener, *self.jobs])
        for descriptor in descriptors:
            os.close(descriptor)
        print(f"job {pid}: {' '.join(request['argv'])}", file=sys.stderr, flush=True)
        self.jobs[connection] = pid
        self.selector.register(connection, selectors.EVENT_READ)
        self.last_job = time.monotonic()

    def client_left(self, connection: socket.socket) -> None:
        """The client closed its end (it read the exit code, or Ctrl-C): interrupt a job still running."""
        pid = self.jobs.get(connection)
        if pid is not None and not reaped(pid):
            interrupt(pid)
        self.selector.unregister(connection)
        connection.close()
        self.jobs.pop(connection, None)

    def serve(self) -> None:
        while not self.stopping and not self.should_leave():
            for key, _ in self.selector.select(POLL_S):
                if key.fileobj is self.listener:
                    with contextlib.suppress(OSError):  # a client that left mid-request: it grades the plain way
                        self.accept()
                else:
                    self.client_left(key.fileobj)
            for connection, pid in list(self.jobs.items()):
                if reaped(pid):
                    self.jobs[connection] = 0  # done; its connection closes when the client reads the code
        for connection, pid in self.jobs.items():
            if pid and not reaped(pid):
                interrupt(pid)

    def should_leave(self) -> bool:
        try:
            moved = os.stat(warm_client.socket_path()).st_ino != self.socket_id
        except OSError:
            moved = True
        idle = not any(self.jobs.values()) and time.monotonic() - self.last_job > IDLE_S
        return moved or idle


def receive(connection: socket.socket) -> tuple[dict, list[int]]:
    data, descriptors, _, _ = socket.recv_fds(connection, 1 << 16, 3)
    while not data.endswith(b"\n"):
        more = connection.recv(1 << 16)
        if not more:
            raise ValueError("incomplete request")
        data += more
    return json.loads(data), list(descriptors)


def reaped(pid: int) -> bool:
    if pid == 0:
        return True
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done != 0
    return True


def interrupt(pid: int) -> None:
    """Ctrl-C in the job (its grading run stops with it), then a kill if it does not end."""
    os.kill(pid, signal.SIGINT)
    give_up = time.monotonic() + INTERRUPT_GRACE_S
    while not reaped(pid):
        if time.monotonic() > give_up:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def listen() -> socket.socket:
    """Bind a new name, make it yours alone, then move it into place: a client never meets a
    socket that is not ready, or that others could use."""
    path = warm_client.socket_path()
    fresh = path.with_name(f"socket.{os.getpid()}")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    warm_client.at(fresh, listener.bind)
    fresh.chmod(0o600)
    listener.listen(8)
    fresh.replace(path)
    return listener


def main() -> None:
    folder = warm_client.folder()
    folder.mkdir(parents=True, exist_ok=True)
    lock = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another grader of this checkout is starting or running
    (folder / "pid").write_text(str(os.getpid()))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings = warm_client.settings(dict(os.environ))  # as started: warming sets pytest's variables
    imported, listed = prepare()
    grader = Grader(listen(), settings, imported, listed)
    try:
        grader.serve()
    finally:
        grader.listener.close()
        with contextlib.suppress(OSError):
            if os.stat(warm_client.socket_path()).st_ino == grader.socket_id:
                warm_client.socket_path().unlink()
        (folder / "pid").unlink()


if __name__ == "__main__":
    main()
