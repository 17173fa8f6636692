"""Create `.venv` from the pinned `requirements.txt` and run the course inside it.

Standard library only: this module runs under whatever `python` the learner typed.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import track

ROOT = Path(track.__file__).resolve().parent.parent  # the package's folder, wherever in it this module sits
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
# The stamp holds the hash of the requirements the venv was built from, so a changed
# requirements.txt (after `git pull`) reinstalls, and an unchanged one costs nothing.
STAMP = VENV / ".requirements.sha256"
# These lines are printed before Babel and the catalogs are installed, so they carry their own Chinese.
TEXTS = {
    "old_python": ("The course needs Python 3.11 or newer; this is {version}.",
                   "本课程需要 Python 3.11 或更新的版本；这里是 {version}。"),
    "setting_up": ("Setting up {venv}/ from {requirements} (once; takes a minute)...",
                   "正在按 {requirements} 创建 {venv}/（只做一次，约需一分钟）……"),
}


def say(key: str, **values: str) -> str:
    english, chinese = TEXTS[key]
    try:
        from track.model.i18n import language  # standard library only, but of Python 3.9 and later
    except ImportError:  # an interpreter too old for the course: it gets the English line
        return english.format(**values)
    return (chinese if language() == "zh_CN" else english).format(**values)


def venv_python() -> Path:
    """The interpreter inside `.venv` (Scripts\\python.exe on Windows)."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def venv_is_current() -> bool:
    return venv_python().exists() and STAMP.exists() and STAMP.read_text().strip() == requirements_hash()


def setup() -> None:
    """Build `.venv` and install the pinned requirements, unless already done."""
    if sys.version_info < (3, 11):
        sys.exit(say("old_python", version=sys.version.split()[0]))
    if venv_is_current():
        return
    print(say("setting_up", venv=VENV.name, requirements=REQUIREMENTS.name), file=sys.stderr)
    if not venv_python().exists():
        import venv  # here: every other command starts without it

        venv.create(VENV, with_pip=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(requirements_hash() + "\n")


def running_in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv() -> None:
    """Make sure the course runs on `.venv`'s interpreter, creating it when needed."""
    if running_in_venv():
        return
    setup()
    if sys.argv[1:2] == ["setup"]:
        raise SystemExit(0)
    command = [str(venv_python()), "-m", "track", *sys.argv[1:]]
    if os.name == "nt":  # exec on Windows does not keep the console attached
        raise SystemExit(subprocess.call(command))
    os.execv(command[0], command)
