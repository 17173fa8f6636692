"""Grading builds a fresh app per test; make that cheap without changing what the app does.

Werkzeug compiles a URL builder for every rule of every new app: it writes a small function
as a syntax tree and compiles it, about 1 ms a rule. A grader builds hundreds of apps with
the same rules, so most of a `check` went there. The builder is a pure function of the
rule's parsed parts, its defaults (folded through the converter, exactly as Werkzeug does)
and whether unknown arguments are appended; everything else it reads at call time through
the rule it is bound to. So the compiled function is reused for an identical rule.
"""
from __future__ import annotations

from werkzeug.routing.rules import Rule

PLAIN = Rule._compile_builder


def _compile_builder(self: Rule, append_unknown: bool = True):
    defaults = self.defaults or {}
    folded = tuple((data, self._converters[data].to_url(defaults[data]))
                   for dynamic, data in self._trace if dynamic and data in defaults)
    key = (self.rule, append_unknown, tuple(self._trace), tuple(defaults), folded)
    builder = BUILDERS.get(key)
    if builder is None:
        builder = BUILDERS[key] = PLAIN(self, append_unknown)
    return builder


BUILDERS: dict = {}


def install() -> None:
    Rule._compile_builder = _compile_builder
