"""The learner's language: English, or Chinese with `TRACK_LANG=zh` (or a zh locale).

Messages are looked up in gettext catalogs (`track/locale/<lang>/LC_MESSAGES/track.mo`);
the English text is the key, so a message with no translation reads in English.
"""
from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locale"
DOMAIN = "track"


def language() -> str:
    """`zh_CN` or `en`: TRACK_LANG first, then the usual locale variables."""
    for variable in ("TRACK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the learner's language."""
    return translations(language()).gettext(message)
