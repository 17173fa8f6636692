"""Where a student's code runs when a class is graded: a bubblewrap sandbox on Linux.

Inside it a student's grading (track/grading/zygote.py) sees the system's programs and libraries,
Python and the course's virtual environment, the course's graders and engine (`track/`,
`tests/`, the chapters' manifests), all read-only; the student's copied `chapters/`,
read-only; and one writable folder per chapter run. Nothing else of the teacher's exists
there: no `solutions/`, of `.track/` only its compiled catalogs (never the stored verdicts), no home folder, no other
student's clone, no network (a new network namespace with only loopback), no view of the
machine's other processes. Where bubblewrap is missing or cannot start (macOS, Windows, a
kernel without unprivileged user namespaces), grading still runs, unsandboxed, and the
reports say so and why.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from track.model.course import ROOT
from track.model.i18n import COMPILED, _

# What of the course a grading needs: the engine, the graders, the manifests and catalogs.
COURSE_PARTS = ("track", "tests", "chapters", "pyproject.toml")
# The system: programs and libraries, bound read-only; merged-/usr links are recreated as links.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Of /etc, only what Python, SSL and MIME type lookups read: no secrets of the machine.
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/hosts",
                "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/mime.types", "/etc/ssl",
                "/etc/ca-certificates", "/etc/alternatives")


@dataclass(frozen=True)
class Isolation:
    """How student code is isolated here: `sandboxed`, and a word on it (the tool, or why not)."""

    sandboxed: bool
    how: str

    def __str__(self) -> str:
        return _("sandboxed ({how})").format(how=self.how) if self.sandboxed else _("not sandboxed: {why}").format(why=self.how)


def system_binds() -> list[str]:
    args = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    return args


def python_binds() -> list[str]:
    """The interpreter's installation and the virtual environment, wherever they live."""
    prefixes = sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)})
    args = []
    for prefix in prefixes:
        if not any(prefix.startswith(d + "/") for d in SYSTEM_DIRS):
            args += ["--ro-bind", prefix, prefix]
    if sys.prefix != os.path.realpath(sys.prefix):  # a venv reached through a link (a copy of the course)
        args += ["--symlink", os.path.realpath(sys.prefix), sys.prefix]
    return args


def command(argv: list[str], chapters: Path, runs: Path, env: dict[str, str]) -> list[str]:
    """`argv` inside a sandbox that sees the course read-only, `chapters` read-only, `runs` writable."""
    course = [arg for part in COURSE_PARTS for arg in ("--ro-bind", str(ROOT / part), str(ROOT / part))]
    # The catalogs the teacher's process compiled (i18n.compiled): a worker must not write them.
    course += ["--ro-bind-try", str(COMPILED), str(COMPILED)]
    setenv = [arg for name, value in env.items() for arg in ("--setenv", name, value)]
    # A Flask app's instance folder sits beside the top-level package it was imported from, the
    # course's or the student's `chapters/`; apps create it (`os.makedirs(app.instance_path)`, as
    # chapter 11's does). Both places are the student's own writable folder, as on a laptop.
    instance = runs / "instance"
    instance.mkdir(exist_ok=True)
    instances = [arg for place in (ROOT, chapters.parent) for arg in ("--bind", str(instance), str(place / "instance"))]
    return ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            *system_binds(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            *python_binds(), *course, "--ro-bind", str(chapters), str(chapters), "--bind", str(runs), str(runs),
            *instances, "--chdir", str(runs), *setenv, "--remount-ro", "/", "--", *argv]


@functools.cache
def probe() -> Isolation:
    """Whether bubblewrap can start Python with the course here; if not, why."""
    if sys.platform != "linux":
        return Isolation(False, _("bubblewrap runs on Linux only ({platform})").format(platform=sys.platform))
    tool = shutil.which("bwrap")
    if tool is None:
        return Isolation(False, _("bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install bubblewrap)"))
    with tempfile.TemporaryDirectory(prefix="track-probe-") as scratch:
        trial = command([sys.executable, "-c", "import flask, pytest, track"], Path(scratch), Path(scratch),
                        {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
        try:
            done = subprocess.run(trial, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return Isolation(False, _("bubblewrap did not start: {error}").format(error=error))
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return Isolation(False, _("bubblewrap did not start: {error}").format(error=last))
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return Isolation(True, version or "bubblewrap")
