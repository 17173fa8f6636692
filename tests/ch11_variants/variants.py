"""The broken to-do apps of chapter 11: the reference todo.py with one bug each.

A variant is a patch, not a copy: one or two `(old, new)` replacements applied to the
solution's todo.py when the grader runs. The bugs stay a line long and easy to review, they
follow every change of todo.py, and a change that makes one no longer apply stops the
grading with a message that says which (`make test` would show it at once).

Each bug is one of the mistakes earlier chapters taught, and belongs to the exercise whose
tests must catch it. `bug` is what the learner reads when it slipped through: the bug in
words, never the variant's code.
"""
from __future__ import annotations

import contextlib
import functools
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from track.model.course import CHAPTERS, SOLUTIONS
from track.model.i18n import N_

# todo.py has no exercise in it: the course's stub is the solution's file. A class is graded
# where solutions/ cannot be seen (track/grading/sandbox.py); there the course's own chapters/ has it.
REFERENCE = next(p for p in (SOLUTIONS / "ch11_testing" / "todo.py", CHAPTERS / "ch11_testing" / "todo.py") if p.exists())
PROBE = Path(__file__).with_name("probe_fixtures.py")
# The learner's test module of each exercise but `fixtures`, whose tests are the grader's probes.
LEARNER_MODULES = {
    "crud": "test_crud.py",
    "bad_input": "test_bad_input.py",
    "cli": "test_cli.py",
    "redirect_cookie": "test_redirect_cookie.py",
    "escaping": "test_escaping.py",
}
CORRECT = "correct"


class PatchError(RuntimeError):
    """A variant's patch no longer matches todo.py exactly once."""


@dataclass(frozen=True)
class Variant:
    id: str
    exercise: str
    bug: str
    patches: tuple[tuple[str, str], ...]

    def apply(self, source: str) -> str:
        for old, new in self.patches:
            if source.count(old) != 1:
                raise PatchError(f"The variant {self.id} of tests/ch11_variants no longer applies to {REFERENCE.name}: "
                                 f"{old.strip()!r} occurs {source.count(old)} times, expected once. Update its patch.")
            source = source.replace(old, new)
        return source


VARIANTS = (
    Variant("shared_store", "fixtures",
            N_("every app that create_app builds shares one in-memory store, whatever DATABASE says: "
              "a test sees the to-dos an earlier test created"),
            (('SCHEMA = """', 'SHARED_DB = sqlite3.connect(":memory:", check_same_thread=False)\n'
                              'SHARED_DB.row_factory = sqlite3.Row\nSCHEMA = """'),
             ('    if "db" not in g:\n'
              '        g.db = sqlite3.connect(current_app.config["DATABASE"])\n'
              '        g.db.row_factory = sqlite3.Row\n'
              '    return g.db\n', "    return SHARED_DB\n"))),
    Variant("created_200", "crud", N_("POST /todos answers 200 instead of 201 Created"),
            (('return item, 201, {"Location"', 'return item, 200, {"Location"'),)),
    Variant("no_commit", "crud",
            N_("POST /todos forgets to commit: it answers 201, but the new to-do is gone on the next request"),
            (('            cursor = db.execute("INSERT INTO todo (title) VALUES (?)", (title,))\n            db.commit()\n',
              '            cursor = db.execute("INSERT INTO todo (title) VALUES (?)", (title,))\n'),)),
    Variant("delete_405", "crud",
            N_("DELETE /todos/<id> answers 405 Method Not Allowed: the route does not list DELETE in its methods"),
            (('"/todos/<int:todo_id>", methods=["GET", "DELETE"]', '"/todos/<int:todo_id>", methods=["GET"]'),)),
    Variant("done_not_set", "crud", N_("POST /todos/<id>/done answers 200 but never sets `done`"),
            (('        db.execute("UPDATE todo SET done = 1 WHERE id = ?", (todo_id,))\n', ""),)),
    Variant("non_json_500", "bad_input",
            N_("a body that is not a JSON object (a form, broken JSON, a JSON list) makes POST /todos crash "
              "with a 500 instead of answering 400"),
            (("    if not isinstance(data, dict):\n"
              "        abort(400, 'Send a JSON object such as {\"title\": \"Buy milk\"}.')\n", ""),)),
    Variant("blank_title", "bad_input", N_('a blank title, only spaces such as "   ", is accepted'),
            (("not isinstance(title, str) or not title.strip():", "not isinstance(title, str) or not title:"),)),
    Variant("no_length_limit", "bad_input", N_("a title longer than 200 characters is accepted"),
            (('    if len(title) > TITLE_MAX:\n        abort(400, f"`title` must be at most {TITLE_MAX} characters.")\n',
              ""),)),
    Variant("off_by_one", "bad_input", N_("a title of exactly 201 characters is accepted: the limit is off by one"),
            (("    if len(title) > TITLE_MAX:\n", "    if len(title) > TITLE_MAX + 1:\n"),)),
    Variant("broken_json_500", "bad_input",
            N_("broken JSON sent as application/json (`{not json`) crashes with a 500: the body is parsed with "
              "json.loads, and only a JSON Content-Type reaches it"),
            (("        data = request.get_json(silent=True)  # None for a body that is not JSON\n",
              "        data = json.loads(request.data) if request.is_json else None\n"),)),
    Variant("deep_json_500", "bad_input",
            N_("JSON nested thousands of levels deep (`[[[[...`) crashes with a RecursionError, which "
              "get_json(silent=True) does not catch"),
            (("    try:\n        data = request.get_json(silent=True)  # None for a body that is not JSON\n"
              "    except RecursionError:  # silent=True does not cover JSON nested thousands deep\n"
              "        data = None\n", "    data = request.get_json(silent=True)\n"),)),
    Variant("empty_title", "bad_input", N_('an empty title "" is accepted: "".isspace() is False'),
            (("not isinstance(title, str) or not title.strip():", "not isinstance(title, str) or title.isspace():"),)),
    Variant("title_type_500", "bad_input",
            N_("a title that is not a string, such as 42, crashes with a 500: only a missing title is checked"),
            (("not isinstance(title, str) or not title.strip():", "title is None or not title.strip():"),)),
    Variant("lone_surrogate_500", "bad_input",
            N_('a title with a lone surrogate ("\\ud800", valid JSON but not text) crashes with a 500 when it is stored'),
            (('        abort(400, "`title` must be valid Unicode text.")\n', "        pass\n"),)),
    Variant("status_422", "bad_input", N_("a blank or missing title is answered 422 instead of 400"),
            (('abort(400, "`title` must be a non-blank string.")', 'abort(422, "`title` must be a non-blank string.")'),)),
    Variant("html_400", "bad_input",
            N_('a 400 comes back as Werkzeug\'s HTML error page instead of the JSON body {"error", "message"}'),
            (("        response = error.get_response()\n",
              "        response = error.get_response()\n        if error.code == 400:\n            return response\n"),)),
    Variant("stored_then_400", "bad_input",
            N_("a title longer than 200 characters is answered 400, but it was stored first"),
            (('    if len(title) > TITLE_MAX:\n        abort(400, f"`title` must be at most {TITLE_MAX} characters.")\n', ""),
             ("            db.commit()\n            item = ",
              "            db.commit()\n            if len(title) > TITLE_MAX:\n"
              '                abort(400, "The title is too long.")\n            item = '))),
    Variant("spaces_kept", "bad_input", N_("a title is stored with the spaces around it, not stripped"),
            (("    title = title.strip()\n    if len(title) > TITLE_MAX:", "    if len(title.strip()) > TITLE_MAX:"),)),
    Variant("rstrip_only", "bad_input", N_("a title is stripped of the spaces on its right only, not on its left"),
            (("    title = title.strip()\n    if len(title) > TITLE_MAX:", "    title = title.rstrip()\n    if len(title) > TITLE_MAX:"),)),
    Variant("lstrip_only", "bad_input", N_("a title is stripped of the spaces on its left only, not on its right"),
            (("    title = title.strip()\n    if len(title) > TITLE_MAX:", "    title = title.lstrip()\n    if len(title) > TITLE_MAX:"),)),
    Variant("location_list", "crud", N_("POST /todos answers `Location: /todos`, not the new item's URL"),
            (('{"Location": url_for("todo_item", todo_id=item["id"])}', '{"Location": url_for("todo_list")}'),)),
    Variant("done_201", "crud", N_("POST /todos/<id>/done answers 201 instead of 200"),
            (("        return as_json(get_todo(todo_id))\n", "        return as_json(get_todo(todo_id)), 201\n"),)),
    Variant("done_stale_item", "crud",
            N_("POST /todos/<id>/done answers the item as it was before, with `done` still false"),
            (('        get_todo(todo_id)\n        db = get_db()\n        db.execute("UPDATE',
              '        row = get_todo(todo_id)\n        db = get_db()\n        db.execute("UPDATE'),
             ("        return as_json(get_todo(todo_id))\n", "        return as_json(row)\n"))),
    Variant("done_no_commit", "crud",
            N_("POST /todos/<id>/done answers `done: true` but forgets to commit: the list still shows it not done"),
            (('        db.execute("UPDATE todo SET done = 1 WHERE id = ?", (todo_id,))\n        db.commit()\n',
              '        db.execute("UPDATE todo SET done = 1 WHERE id = ?", (todo_id,))\n'),)),
    Variant("delete_200", "crud", N_("DELETE /todos/<id> answers 200 instead of 204 No Content"),
            (('            return "", 204\n', '            return "", 200\n'),)),
    Variant("done_unknown_400", "crud", N_("POST /todos/<id>/done on an id that does not exist answers 400 instead of 404"),
            (('        get_todo(todo_id)\n        db = get_db()\n        db.execute("UPDATE',
              '        if todo_id > 0 and get_db().execute("SELECT 1 FROM todo WHERE id = ?", (todo_id,)).fetchone() is None:\n'
              '            abort(400, "No such to-do.")\n        db = get_db()\n        db.execute("UPDATE'),)),
    Variant("html_404", "crud", N_('a 404 comes back as Werkzeug\'s HTML error page instead of the JSON body {"error", "message"}'),
            (("        response = error.get_response()\n",
              "        response = error.get_response()\n        if error.code == 404:\n            return response\n"),)),
    Variant("init_db_no_table", "cli", N_("`init-db` leaves the database without its `todo` table"),
            (('    db.execute("DROP TABLE IF EXISTS todo")\n    db.executescript(SCHEMA)\n',
              '    db.execute("DROP TABLE IF EXISTS todo")\n'),)),
    Variant("init_db_silent", "cli", N_("`init-db` prints nothing instead of `Initialized the database.`"),
            (('    click.echo("Initialized the database.")\n', ""),)),
    Variant("init_db_exit_1", "cli", N_("`init-db` prints its message but exits with status 1, as a failure"),
            (('    click.echo("Initialized the database.")\n', '    click.echo("Initialized the database.")\n    raise SystemExit(1)\n'),)),
    Variant("init_db_keeps_data", "cli", N_("`init-db` keeps the old to-dos: it creates the table if missing, never empties it"),
            (('    db.execute("DROP TABLE IF EXISTS todo")\n    db.executescript(SCHEMA)\n', "    db.executescript(SCHEMA)\n"),)),
    Variant("open_redirect", "redirect_cookie",
            N_("an open redirect: /login?next=https://evil.example sends the browser to the other site"),
            (('redirect(target if is_local_path(target) else url_for("todo_list"))',
              'redirect(target or url_for("todo_list"))'),)),
    Variant("next_ignored", "redirect_cookie", N_("/login ignores a local `next` and always redirects to /todos"),
            (('redirect(target if is_local_path(target) else url_for("todo_list"))', 'redirect(url_for("todo_list"))'),)),
    Variant("next_301", "redirect_cookie", N_("/login sends the browser to a local `next` with 301, a redirect browsers cache"),
            (('redirect(target if is_local_path(target) else url_for("todo_list"))',
              'redirect(target, 301) if is_local_path(target) else redirect(url_for("todo_list"))'),)),
    Variant("away_301", "redirect_cookie",
            N_("/login answers an unsafe `next` with 301 instead of 302: browsers cache the redirect"),
            (('redirect(target if is_local_path(target) else url_for("todo_list"))',
              'redirect(target) if is_local_path(target) else redirect(url_for("todo_list"), 301 if target else 302)'),)),
    Variant("double_slash_open", "redirect_cookie",
            N_("an open redirect: /login?next=//evil.example is followed (a path that starts with // names another host)"),
            (('    if not target.startswith("/") or target.startswith("//"):\n', '    if not target.startswith("/"):\n'),
             ("    return not parts.scheme and not parts.netloc\n", "    return not parts.scheme\n"))),
    Variant("backslash_open", "redirect_cookie",
            N_("an open redirect: /login?next=/\\evil.example is followed (browsers read /\\ as //)"),
            (('    if "\\\\" in target or not target.isprintable():\n', "    if not target.isprintable():\n"),)),
    Variant("https_open", "redirect_cookie",
            N_("an open redirect: /login?next=https://evil.example is followed (the check refuses script URLs such "
              "as javascript:, but lets http and https URLs to any host through)"),
            (('    if not target.startswith("/") or target.startswith("//"):\n', '    if not target or target.startswith("//"):\n'),
             ("    return not parts.scheme and not parts.netloc\n", '    return parts.scheme in ("", "http", "https")\n'))),
    Variant("javascript_open", "redirect_cookie",
            N_("/login?next=javascript:alert(1) is followed (the check refuses other hosts, but not a script URL, "
              "which runs in the page)"),
            (('    if not target.startswith("/") or target.startswith("//"):\n', '    if not target or target.startswith("//"):\n'),
             ("    return not parts.scheme and not parts.netloc\n", "    return not parts.netloc\n"))),
    Variant("cookie_path", "redirect_cookie",
            N_("/login sets the `seen` cookie with path=/login, so the browser never sends it to the other pages"),
            (('response.set_cookie("seen", "1", httponly=True, samesite="Lax")',
              'response.set_cookie("seen", "1", httponly=True, samesite="Lax", path="/login")'),)),
    Variant("cookie_missing", "redirect_cookie", N_("/login sets no `seen` cookie"),
            (('        response.set_cookie("seen", "1", httponly=True, samesite="Lax")\n', ""),)),
    Variant("cookie_not_httponly", "redirect_cookie",
            N_("/login sets the `seen` cookie without HttpOnly, so scripts in the page can read it"),
            (('response.set_cookie("seen", "1", httponly=True, samesite="Lax")',
              'response.set_cookie("seen", "1", samesite="Lax")'),)),
    Variant("unescaped", "escaping",
            N_("/hello/<name> echoes the name unescaped: `<b>` comes back as a real tag (an XSS hole)"),
            (('return f"Hello, {escape(name)}!"', 'return f"Hello, {name}!"'),)),
)
EXERCISES = ("fixtures", *LEARNER_MODULES)


def variants_of(exercise: str) -> list[Variant]:
    return [variant for variant in VARIANTS if variant.exercise == exercise]


def exercise_of_module(filename: str) -> str | None:
    """The exercise a test module belongs to, by its file name."""
    if filename == PROBE.name:
        return "fixtures"
    return next((exercise for exercise, name in LEARNER_MODULES.items() if name == filename), None)


def build(variant_id: str) -> types.ModuleType:
    """The reference todo.py as a fresh module, with the bug of `variant_id` unless it is CORRECT.

    The module is registered under a name of its own and keeps the reference's `__file__`,
    so Flask finds the same root and instance folders as for the real todo.py.
    """
    module = types.ModuleType(f"{__package__}.built_{variant_id}")
    module.__file__ = str(REFERENCE)
    sys.modules[module.__name__] = module
    exec(compiled(variant_id, REFERENCE.read_text(encoding="utf-8")), module.__dict__)
    return module


@functools.cache
def compiled(variant_id: str, source: str) -> types.CodeType:
    """todo.py with the bug of `variant_id`, compiled once per text of the reference."""
    if variant_id == CORRECT:
        return compile(source, str(REFERENCE), "exec")
    patched = next(v for v in VARIANTS if v.id == variant_id).apply(source)
    return compile(patched, f"<todo.py with the bug {variant_id}>", "exec")  # its lines are not the file's


def compile_all() -> None:
    """Compile every app now, in a process whose forks build them (a warm grader): each nested
    session then starts from the compiled code. A patch that no longer applies says so in the
    session, where a maintainer reads it, not here."""
    source = REFERENCE.read_text(encoding="utf-8")
    for variant_id in (CORRECT, *(variant.id for variant in VARIANTS)):
        with contextlib.suppress(PatchError):
            compiled(variant_id, source)
