"""How the course talks to the learner: commands in the form they typed, paths as they see them."""
from __future__ import annotations

import os
from pathlib import Path

from track.model.bootstrap import ROOT

# The Makefile sets this, so messages can say `make chapter-1 hint` to someone who typed make.
VIA_MAKE = "TRACK_VIA_MAKE"

# make's spelling of each verb that takes a chapter; the rest are `make VERB`.
MAKE_CHAPTER_VERBS = {"run", "check", "hint", "watch", "reset", "solution", "demo", "serve-prod"}


def invoked_by_make() -> bool:
    return os.environ.get(VIA_MAKE) == "1"


def make_option(option: str) -> str:
    """`--force` -> `FORCE=1`, `--port=5001` -> `PORT=5001`: the Makefile's spelling."""
    name, _, value = option.lstrip("-").partition("=")
    return f"{name.upper().replace('-', '_')}={value or 1}"


def command(verb: str, chapter: int | None = None, *options: str) -> str:
    """The command for `verb` as this learner types commands: make or `python -m track`.

    `options` are spelled for the CLI (`--force`, `--port=5001`) and translated for make.
    """
    if invoked_by_make():
        make_options = " ".join(make_option(option) for option in options)
        if chapter is None:
            text = f"make {verb}"
        elif verb == "watch":
            text = f"make watch CHAPTER={chapter}"
        elif verb in MAKE_CHAPTER_VERBS:
            text = f"make chapter-{chapter} {verb}"
        else:
            text = f"make {verb} CHAPTER={chapter}"
        return f"{text} {make_options}".rstrip()
    parts = ["python -m track", verb] + ([str(chapter)] if chapter is not None else [])
    return " ".join(parts + [option.replace("=", " ", 1) for option in options])


def shown(path: Path) -> str:
    """A path as the learner would type it: relative to the course when inside it."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
