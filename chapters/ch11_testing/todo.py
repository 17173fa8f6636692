"""Chapter 11: the app under test, a small to-do API. It is finished: you write its tests.

Run it with `make chapter-11 run` or `flask --app chapters.ch11_testing.todo run --debug`;
`flask --app chapters.ch11_testing.todo init-db` empties its database.

The database layer is the one of Flask's tutorial (flaskr/db.py): one SQLite connection per
request, kept in `g`, closed when the request ends, and an `init-db` command.
"""
import json
import os
import sqlite3
from urllib.parse import urlsplit

import click
from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask.cli import with_appcontext
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

TITLE_MAX = 200
SQLITE_MAX_INTEGER = 2**63 - 1  # a larger id cannot be stored, so it cannot exist
SCHEMA = """
CREATE TABLE IF NOT EXISTS todo (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
"""


# --- the database, as flaskr writes it ----------------------------------------------------

def get_db() -> sqlite3.Connection:
    """The request's connection to the SQLite file `DATABASE`, opened on first use."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    """Close the request's connection, if it opened one; uncommitted work is rolled back."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Clear the existing data and create a new, empty table."""
    db = get_db()
    db.execute("DROP TABLE IF EXISTS todo")
    db.executescript(SCHEMA)


@click.command("init-db")
@with_appcontext  # get_db() needs the app: `flask` and the test runner both provide it here
def init_db_command() -> None:
    """Clear the existing data and create a new, empty table."""
    init_db()
    click.echo("Initialized the database.")


def init_app(app: Flask) -> None:
    """Register the database with an app, and give a new database file its table."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    # flaskr asks you to run init-db first; creating a missing table here lets
    # `make chapter-11 run` work on a fresh clone. It never deletes anything.
    with app.app_context():
        get_db().executescript(SCHEMA)


# --- helpers of the views -----------------------------------------------------------------

def as_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "title": row["title"], "done": bool(row["done"])}


def get_todo(todo_id: int) -> sqlite3.Row:
    """The to-do with this id, or a 404 (flaskr's get_post)."""
    row = None
    if todo_id <= SQLITE_MAX_INTEGER:
        row = get_db().execute("SELECT id, title, done FROM todo WHERE id = ?", (todo_id,)).fetchone()
    if row is None:
        abort(404, f"There is no to-do {todo_id}.")
    return row


def read_title() -> str:
    """The `title` of a POST /todos body, stripped; a 400 that says why when it is unusable."""
    try:
        data = request.get_json(silent=True)  # None for a body that is not JSON
    except RecursionError:  # silent=True does not cover JSON nested thousands deep
        data = None
    if not isinstance(data, dict):
        abort(400, 'Send a JSON object such as {"title": "Buy milk"}.')
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        abort(400, "`title` must be a non-blank string.")
    title = title.strip()
    if len(title) > TITLE_MAX:
        abort(400, f"`title` must be at most {TITLE_MAX} characters.")
    try:
        title.encode("utf-8")  # a lone surrogate such as "\ud800" cannot be stored
    except UnicodeEncodeError:
        abort(400, "`title` must be valid Unicode text.")
    return title


def is_local_path(target: str) -> bool:
    """True only for a path on this site such as `/todos`: never `//host`, `/\\host` or a URL."""
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or not target.isprintable():
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# --- the app ------------------------------------------------------------------------------

def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; the tests pass TESTING and a temporary DATABASE in `test_config`."""
    app = Flask(__name__, static_folder=None)  # an API: no static files to serve
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "todo.sqlite"))
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.ensure_ascii = False
    init_app(app)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Every HTTP error as the course's JSON body; the headers (a 405's Allow) are kept."""
        response = error.get_response()
        name = (error.name or "error").lower().replace(" ", "_")
        response.set_data(json.dumps({"error": name, "message": error.description}))
        response.content_type = "application/json"
        return response

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        # Flask has logged the traceback; the client learns nothing about it.
        return {"error": "internal_server_error", "message": "Something went wrong on our side."}, 500

    @app.route("/todos", methods=["GET", "POST"])
    def todo_list():
        """GET: every to-do, oldest first, as [{"id", "title", "done"}, ...].

        POST: JSON {"title": non-blank str, at most 200 characters} -> 201, the new item and
        its URL in `Location`.
        """
        db = get_db()
        if request.method == "POST":
            title = read_title()
            cursor = db.execute("INSERT INTO todo (title) VALUES (?)", (title,))
            db.commit()
            item = {"id": cursor.lastrowid, "title": title, "done": False}
            return item, 201, {"Location": url_for("todo_item", todo_id=item["id"])}
        rows = db.execute("SELECT id, title, done FROM todo ORDER BY id").fetchall()
        return [as_json(row) for row in rows]

    @app.route("/todos/<int:todo_id>", methods=["GET", "DELETE"])
    def todo_item(todo_id: int):
        """GET: the item. DELETE: remove it -> 204 without a body. Unknown id -> 404."""
        row = get_todo(todo_id)
        if request.method == "DELETE":
            db = get_db()
            db.execute("DELETE FROM todo WHERE id = ?", (todo_id,))
            db.commit()
            return "", 204
        return as_json(row)

    @app.post("/todos/<int:todo_id>/done")
    def complete_todo(todo_id: int):
        """Mark the to-do done -> 200 and the item; unknown id -> 404."""
        get_todo(todo_id)
        db = get_db()
        db.execute("UPDATE todo SET done = 1 WHERE id = ?", (todo_id,))
        db.commit()
        return as_json(get_todo(todo_id))

    @app.get("/hello/<name>")
    def hello(name: str):
        """HTML `Hello, <name>!`, the name escaped: `<b>` arrives as `&lt;b&gt;`."""
        return f"Hello, {escape(name)}!"

    @app.get("/login")
    def login():
        """Set the cookie `seen=1` (HttpOnly) and redirect (302) to `next` if it is local, else to /todos."""
        target = request.args.get("next", "")
        response = redirect(target if is_local_path(target) else url_for("todo_list"))
        response.set_cookie("seen", "1", httponly=True, samesite="Lax")
        return response

    return app
