"""A pytest plugin for class grading (`-p track.grading.guard`): the graded code cannot reach the graders.

PYTEST_DONT_REWRITE: no asserts here.

A student's chapter is imported as `graded_target.chNN_...` (track/grading/plugin.py). While this
plugin is active, such a module cannot import the reference solutions, the course's
machinery or its graders: the import raises ImportError, so the chapter does not load and
earns nothing. `solutions` cannot be imported by anyone in the run (graders never need it
when a folder is graded). The static scan (track/classroom/integrity.py) reports the same imports
with file and line; this guard makes them worthless even where the scan is not read.
"""
from __future__ import annotations

import builtins
import importlib.abc
import sys

from track.grading.plugin import TARGET_ALIAS
from track.model.i18n import _

FORBIDDEN = frozenset({"solutions", "track", "tests"})
PLAIN_IMPORT = builtins.__import__


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__") or ""
    if level == 0 and importer.startswith(TARGET_ALIAS + ".") and name.partition(".")[0] in FORBIDDEN:
        raise ImportError(_("graded code may not import {module} (the course's graders and reference)").format(
            module=repr(name)), name=name)
    return PLAIN_IMPORT(name, globals, locals, fromlist, level)


class NoSolutions(importlib.abc.MetaPathFinder):
    """Refuses `solutions` however it is imported (importlib included)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] == "solutions":
            raise ModuleNotFoundError(_("No module named {module} (not importable while grading a class)").format(
                module=repr(fullname)), name=fullname)
        return None


def pytest_configure(config):
    builtins.__import__ = guarded_import
    sys.meta_path.insert(0, NoSolutions())
    for name in [n for n in sys.modules if n.partition(".")[0] == "solutions"]:
        del sys.modules[name]
