"""The learner's language: English, or Chinese with `TRACK_LANG=zh` (or a zh locale).

Messages are looked up in gettext catalogs kept with Babel (`track/locale/zh_CN/LC_MESSAGES/*.po`,
see track/maintainers/messages.py); the English text is the key, so a text with no translation reads in
English. The `.po` files are the source: each is compiled once into `.track/locale/` (a
git-ignored cache named after the file's content), so no binary lives in git.
"""
from __future__ import annotations

import gettext
import hashlib
import os
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import track

CATALOGS = Path(track.__file__).parent / "locale"
COMPILED = Path(track.__file__).resolve().parent.parent / ".track" / "locale"
# A page's own choice (the dashboard's toggle), for the request that renders it; None: the environment's.
chosen: ContextVar[str | None] = ContextVar("track_language", default=None)


def language() -> str:
    """`zh_CN` or `en`: the page's choice, else TRACK_LANG, then the usual locale variables."""
    if (lang := chosen.get()) is not None:
        return lang
    for variable in ("TRACK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


def compiled(po: Path) -> Path:
    """The `.mo` for `po`, compiled with Babel the first time this content is seen."""
    data = po.read_bytes()
    mo = COMPILED / f"{po.stem}-{hashlib.sha256(data).hexdigest()[:16]}.mo"
    if not mo.is_file():
        from io import BytesIO

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        COMPILED.mkdir(parents=True, exist_ok=True)
        partial = mo.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            write_mo(handle, read_po(BytesIO(data)))
        partial.replace(mo)  # atomic: a parallel grading run never reads half a file
    return mo


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Every catalog of `lang` in one chain: the course's own, then each chapter's."""
    chain = gettext.NullTranslations()
    for po in sorted((CATALOGS / lang / "LC_MESSAGES").glob("*.po"), reverse=True):
        with compiled(po).open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)
        catalog.add_fallback(chain)
        chain = catalog
    return chain


def _(message: str) -> str:
    """`message` in the learner's language."""
    return translations(language()).gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it yet: for texts defined at import
    time and shown later through `_()`, in the language of the moment they are shown."""
    return message
