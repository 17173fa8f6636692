"""Grader for chapter 14: shipping (see chapters/ch14_shipping/README.md).

Each exercise is graded on its own code. The grader makes what a test stands on itself: the
tables of a test database come from the models (`metadata.create_all`, not the app), the
revision a database is at is written by the grader, and the logging and hardening checks use
a route the grader adds to the app. The migrations are graded through the real `flask` CLI
(`flask --app .../app.py db upgrade|downgrade|check`) on an empty database of their own;
gunicorn's settings through `gunicorn --check-config` and `--print-config`. Both commands run
in the grader's process (a child process would cost half a second each to start Python and
import Flask again): Flask's own `flask` command group through click's test runner, gunicorn's
own WSGIApplication with its command line in sys.argv; each on a copy of the chapter, imported
afresh and forgotten afterwards. The Dockerfile and its ignore file are read, not built:
`make test` builds the image where a container engine runs (tests/course/test_container.py).

The databases are SQLite files in /dev/shm (memory: a commit costs no disk sync), else in
pytest's tmp_path, or, when DATABASE_URL names a PostgreSQL server (tests/course/test_postgres.py
starts a throwaway one), a fresh database on that server for each test, dropped afterwards.
"""
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import traceback
import uuid
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from flask import appcontext_pushed, request
from flask.cli import cli as flask_command
from gunicorn.app.wsgiapp import WSGIApplication
from sqlalchemy import create_engine, inspect, make_url, text

# What the chapter's code imports, or SQLAlchemy loads at first use (the SQLite and PostgreSQL
# drivers): imported with the grader, so that the forks of a warm grader find them loaded instead
# of importing them again on every check. Never the chapter's own code. Not Flask-Migrate
# (nor alembic.config): Alembic's Config keeps sys.stdout as it was at import as its output stream,
# and the warm grader imports with a sys.stdout it closes afterwards.
import flask_sqlalchemy  # noqa: F401
import psycopg  # noqa: F401
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401
import sqlite3  # noqa: F401
import werkzeug.middleware.proxy_fix  # noqa: F401

from tests.helpers import import_target, require
from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_raises, expect_status
from track.model.i18n import N_, _
from track.grading.plugin import target_dir

SECRET = "grader-secret-key-long-and-random-enough-for-production"
MIB = 1024 * 1024
UNREACHABLE = {
    N_("a SQLite file in a folder that does not exist"): "sqlite:////nonexistent-folder-of-the-grader/books.sqlite",
    N_("a PostgreSQL port where nothing listens"): "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=3",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
HSTS = "max-age=31536000; includeSubDomains"


# --- databases ----------------------------------------------------------------------------

@contextmanager
def memory_folder(fallback: Path):
    """A folder in memory, /dev/shm, removed afterwards: a SQLite commit there costs no disk sync. Else `fallback`."""
    if not Path("/dev/shm").is_dir():
        yield fallback
        return
    with tempfile.TemporaryDirectory(prefix="track-ch14-", dir="/dev/shm") as folder:
        yield Path(folder)


@contextmanager
def empty_database(tmp_path: Path):
    """The URL of a database with nothing in it, removed afterwards."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        with memory_folder(tmp_path) as folder:
            yield f"sqlite:///{folder / 'books.sqlite'}"
        return
    name = f"grader_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path):
    with empty_database(tmp_path) as url:
        yield url


@contextmanager
def connected(url: str):
    """A connection of the grader's own, in one committed transaction."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def models(request, chapter):
    return import_target(request.config, chapter, "models")


@pytest.fixture(scope="module")
def migrations_dir(request, chapter) -> Path:
    return target_dir(request.config, chapter) / "migrations"


def head_of(migrations_dir: Path) -> str:
    return ScriptDirectory(str(migrations_dir)).get_current_head()


def stamp(url: str, revision: str | None) -> None:
    """Write the revision a database is at, as Alembic records it (None: no record at all)."""
    if revision is None:
        return
    with connected(url) as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES (:revision)"), {"revision": revision})


@pytest.fixture
def app_config(database_url) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}


@pytest.fixture
def built_apps(models):
    """The apps a test built (conftest's `make_app`); their connections are closed afterwards."""
    built = []
    yield built
    for app in built:
        with app.app_context():
            models.db.engine.dispose()  # a database server would keep the connections (and refuse DROP DATABASE)


@pytest.fixture
def app(make_app, models, database_url):
    """An app on a database whose tables the grader made from the models."""
    with connected(database_url) as connection:
        models.db.metadata.create_all(connection)
    return make_app()


@pytest.fixture
def clean_environment(monkeypatch):
    """No APP_ENV, DATABASE_URL or FLASK_* variable from the machine: each test sets its own."""
    for name in list(os.environ):
        if name in ("APP_ENV", "DATABASE_URL") or name.startswith("FLASK_"):
            monkeypatch.delenv(name)
    return monkeypatch


def with_grader_route(app):
    """The app with `/grader/echo` (GET, POST): what the request looked like after the app's middleware."""

    def echo():
        request.get_data()  # reading the body is where MAX_CONTENT_LENGTH applies
        return {"remote_addr": request.remote_addr, "scheme": request.scheme, "host": request.host}

    app.add_url_rule("/grader/echo", "grader_echo", echo, methods=["GET", "POST"])
    return app


# --- config -------------------------------------------------------------------------------

def create(chapter_module, config: dict):
    """create_app itself: exceptions reach the test (build_app would turn them into a chapter error)."""
    return require(chapter_module, "create_app")(config)


@pytest.mark.exercise("config")
@pytest.mark.usefixtures("clean_environment")
class TestConfig:
    @pytest.mark.rule("app-env-picks-class")
    def test_app_env_picks_the_configuration_class(self, chapter_module, clean_environment, database_url):
        expected = {None: ("development", True), "development": ("development", True), "testing": ("testing", False),
                    "production": ("production", False)}
        for name, (app_env, debug) in expected.items():
            if name is None:
                clean_environment.delenv("APP_ENV", raising=False)
            else:
                clean_environment.setenv("APP_ENV", name)
            app = create(chapter_module, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
            shown = _("with APP_ENV unset") if name is None else f"APP_ENV={name}"
            assert (app.config.get("APP_ENV"), app.debug) == (app_env, debug), _(
                "{when}, create_app should use the {app_env} configuration class (APP_ENV {app_env}, DEBUG {debug}); "
                "it has APP_ENV {got!r} and DEBUG {got_debug}. Did you pick the class from os.environ['APP_ENV'] "
                "with app.config.from_object(CONFIGS[name])?").format(
                when=shown, app_env=app_env, debug=debug, got=app.config.get("APP_ENV"), got_debug=app.debug)

    @pytest.mark.rule("unknown-app-env")
    def test_an_unknown_app_env_raises_naming_the_allowed_values(self, chapter_module, clean_environment, database_url):
        clean_environment.setenv("APP_ENV", "staging")
        with expect_raises(RuntimeError, _("With APP_ENV=staging, create_app should raise RuntimeError naming "
                                           "development, testing and production; it built an app.")) as raised:
            create(chapter_module, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
        missing = [name for name in ("development", "testing", "production") if name not in str(raised.value)]
        assert not missing, _("The RuntimeError for APP_ENV=staging should name the allowed values; it lacks {missing}: "
                              "{message!r}").format(missing=", ".join(missing), message=str(raised.value))

    @pytest.mark.rule("prefixed-env")
    def test_flask_variables_override_the_class_and_test_config_overrides_them(self, chapter_module, clean_environment, database_url):
        clean_environment.setenv("FLASK_SECRET_KEY", SECRET)
        clean_environment.setenv("FLASK_GRADER_NUMBER", "42")
        clean_environment.setenv("FLASK_GRADER_WORD", "from-the-environment")
        app = create(chapter_module, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "GRADER_WORD": "from-test-config"})
        got = {key: app.config.get(key) for key in ("SECRET_KEY", "GRADER_NUMBER", "GRADER_WORD")}
        expected = {"SECRET_KEY": SECRET, "GRADER_NUMBER": 42, "GRADER_WORD": "from-test-config"}
        assert got == expected, _(
            "With FLASK_SECRET_KEY, FLASK_GRADER_NUMBER=42 and FLASK_GRADER_WORD set, and GRADER_WORD in test_config, "
            "the config should be {expected}; it is {got}. Call app.config.from_prefixed_env() after the class and "
            "before test_config.").format(expected=expected, got=got)

    @pytest.mark.rule("production-settings")
    def test_production_turns_debug_off_and_secures_the_cookie(self, chapter_module, clean_environment, database_url):
        clean_environment.setenv("APP_ENV", "production")
        app = create(chapter_module, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
        got = {key: app.config.get(key) for key in ("DEBUG", "SESSION_COOKIE_SECURE")}
        assert got == {"DEBUG": False, "SESSION_COOKIE_SECURE": True}, _(
            "In production DEBUG should be False and SESSION_COOKIE_SECURE True; they are {got}. "
            "Set both in ProductionConfig, and pick that class for APP_ENV=production.").format(got=got)

    @pytest.mark.rule("production-secret-key")
    def test_production_refuses_a_missing_or_development_secret_key(self, request, chapter, chapter_module, clean_environment, database_url):
        config_module = import_target(request.config, chapter, "config")
        clean_environment.setenv("APP_ENV", "production")
        cases = {_("no FLASK_SECRET_KEY"): None, _("FLASK_SECRET_KEY set to the development key"): require(config_module, "DEV_SECRET_KEY")}
        for label, key in cases.items():
            if key is None:
                clean_environment.delenv("FLASK_SECRET_KEY", raising=False)
            else:
                clean_environment.setenv("FLASK_SECRET_KEY", key)
            with expect_raises(RuntimeError, _(
                    "In production with {case}, create_app should raise RuntimeError saying SECRET_KEY must be set; it built an "
                    "app anyone could forge sessions for. Refuse a SECRET_KEY that is missing, empty or still the development key "
                    "DEV_SECRET_KEY (what Config sets when no FLASK_SECRET_KEY comes in).").format(case=label)) as raised:
                create(chapter_module, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
            assert "SECRET_KEY" in str(raised.value), _("The RuntimeError should name SECRET_KEY; it says {message!r}.").format(
                message=str(raised.value))
        clean_environment.setenv("FLASK_SECRET_KEY", SECRET)
        create(chapter_module, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})  # a real key starts

    @pytest.mark.rule("database-url")
    def test_database_url_or_a_sqlite_file_in_the_instance_folder(self, chapter_module, clean_environment, tmp_path):
        url = f"sqlite:///{tmp_path / 'from-the-environment.sqlite'}"
        clean_environment.setenv("DATABASE_URL", url)
        got = create(chapter_module, {"TESTING": True}).config.get("SQLALCHEMY_DATABASE_URI")
        assert got == url, _("With DATABASE_URL set, SQLALCHEMY_DATABASE_URI should be it; it is {got!r}.").format(got=got)
        clean_environment.delenv("DATABASE_URL")
        app = create(chapter_module, {"TESTING": True})
        got = app.config.get("SQLALCHEMY_DATABASE_URI", "")
        assert got.startswith("sqlite:///" + app.instance_path), _(
            "Without DATABASE_URL the database should be a SQLite file in the instance folder {folder}; it is {got!r}.").format(
            folder=app.instance_path, got=got)


# --- commands, run in this process --------------------------------------------------------

@dataclass
class CommandRun:
    """What a command line ended with, as a child process would: exit status, stdout, stderr."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def chapter_copy(request, chapter, tmp_path) -> Path:
    """A copy of the graded chapter for the commands: the app makes its instance folder beside the
    package, and the graded folder itself may be read-only (class grading's sandbox)."""
    folder = tmp_path / "copy" / chapter.package
    shutil.copytree(target_dir(request.config, chapter), folder, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    return folder


def forget_package(package: str) -> None:
    for name in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
        del sys.modules[name]


@contextmanager
def imported_from(copy: Path):
    """A command imports the chapter by its package name from `copy` (`flask --app`, gunicorn's APP_MODULE):
    afterwards that package, the sys.path entry it came through and its loggers' handlers are gone,
    so the next copy is imported afresh and nothing of it lingers in the grader's process."""
    package, saved_path = copy.name, list(sys.path)
    forget_package(package)
    try:
        yield
    finally:
        sys.path[:] = saved_path
        forget_package(package)
        for name in [name for name in logging.root.manager.loggerDict if name.split(".")[0] == package]:
            logging.getLogger(name).handlers.clear()  # they write to this run's captured streams


def in_graded_files(run: CommandRun, copy: Path, graded: Path) -> CommandRun:
    """The run with the copy's paths replaced: its traceback names the learner's own files."""
    return CommandRun(run.returncode, run.stdout.replace(str(copy), str(graded)), run.stderr.replace(str(copy), str(graded)))


# --- migrations ---------------------------------------------------------------------------

@contextmanager
def migration_log():
    """What Alembic and Flask-Migrate log meanwhile ("Running upgrade 0001 -> 0002", "Error: ..."):
    the `flask` command prints it on stderr when it runs on its own."""
    stream, loggers = io.StringIO(), [logging.getLogger(name) for name in ("alembic", "flask_migrate")]
    handler, levels = logging.StreamHandler(stream), [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)  # configured: the chapter's env.py then adds no handler of its own
        logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        for logger, level in zip(loggers, levels):
            logger.removeHandler(handler)
            logger.setLevel(level)


def close_connections(app) -> None:
    """A database server would keep the connections of the app's engines (and refuse DROP DATABASE)."""
    extension = app.extensions.get("sqlalchemy")
    with app.app_context():
        for engine in extension.engines.values() if extension else ():
            engine.dispose()


@pytest.fixture
def flask_db(request, chapter, chapter_copy):
    """`flask --app <chapter>/app.py db ARGS` against the database at a URL: the real `flask` command
    (flask.cli.cli, what the `flask` script runs) with Flask-Migrate's `db` commands, invoked in this
    process by click's test runner on a copy of the chapter. APP_ENV and FLASK_* are unset."""
    graded = target_dir(request.config, chapter)
    arguments = ["--app", str(chapter_copy / "app.py"), "db"]

    def run(url: str, *args: str) -> CommandRun:
        # FLASK_RUN_FROM_CLI: the command sets it; listed, the runner puts it back as it was.
        env = {**{name: None for name in os.environ if name.startswith("FLASK_")}, "APP_ENV": None,
               "FLASK_RUN_FROM_CLI": None, "DATABASE_URL": url}
        apps = []
        with imported_from(chapter_copy), migration_log() as log, \
                appcontext_pushed.connected_to(lambda app, **_extra: apps.append(app)):
            result = CliRunner().invoke(flask_command, [*arguments, *args], env=env)
        for app in dict.fromkeys(apps):
            close_connections(app)
        stderr = log.getvalue() + result.stderr
        if result.exc_info and not isinstance(result.exception, SystemExit):
            stderr += "".join(traceback.format_exception(*result.exc_info))  # what Python prints for an uncaught error
        return in_graded_files(CommandRun(result.exit_code, result.stdout, stderr), chapter_copy, graded)

    return run


def expect_cli_success(done: CommandRun, what: str, cause: str) -> None:
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 0, _("`flask db {what}` failed (exit {code}): {cause}\n  Its output ends with:\n{output}").format(
        what=what, code=done.returncode, cause=cause, output=output[-1500:])


def table_shape(url: str) -> dict:
    """books as the database has it: columns (type, nullable, primary key), indexes, revision."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            if "books" not in found.get_table_names():
                return {"columns": {}, "indexes": {}}
            primary = set(found.get_pk_constraint("books")["constrained_columns"])
            columns = {c["name"]: (type(c["type"]).__name__.upper(), getattr(c["type"], "length", None), c["nullable"], c["name"] in primary)
                       for c in found.get_columns("books")}
            indexes = {i["name"]: (tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes("books")}
            return {"columns": columns, "indexes": indexes}
    finally:
        engine.dispose()


def revision_of(url: str) -> str | None:
    with connected(url) as connection:
        if "alembic_version" not in inspect(connection).get_table_names():
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


ID_COLUMN = ("INTEGER", None, False, True)
TITLE_COLUMN = ("VARCHAR", 200, False, False)
ISBN_COLUMN = ("VARCHAR", 13, True, False)


@pytest.mark.exercise("migrations")
class TestMigrations:
    @pytest.mark.rule("upgrade-to-head")
    @pytest.mark.rule("books-columns")
    @pytest.mark.rule("isbn-unique-index")
    def test_upgrade_takes_an_empty_database_to_the_head(self, flask_db, database_url, migrations_dir):
        expect_cli_success(flask_db(database_url, "upgrade"), "upgrade",
                           _("every revision's upgrade() must run on an empty database."))
        head = head_of(migrations_dir)
        assert revision_of(database_url) == head == "0002", _(
            "After `flask db upgrade` the database should be at the head revision 0002; it is at {got!r} (head: {head!r}).").format(
            got=revision_of(database_url), head=head)
        shape = table_shape(database_url)
        expected = {"id": ID_COLUMN, "title": TITLE_COLUMN, "isbn": ISBN_COLUMN}
        assert shape["columns"] == expected, _(
            "After the upgrade, books should have the columns (type, length, nullable, primary key) {expected}; "
            "it has {got}. Did 0002's upgrade() add isbn as sa.String(length=13), nullable=True?").format(
            expected=expected, got=shape["columns"])
        assert shape["indexes"].get("ix_books_isbn") == (("isbn",), True), _(
            "After the upgrade, books should have the unique index ix_books_isbn on isbn; its indexes are {got}. "
            "Did you create it with unique=True?").format(got=shape["indexes"])

    @pytest.mark.rule("downgrade-keeps-rows")
    def test_downgrade_drops_isbn_and_its_index_and_keeps_the_rows(self, flask_db, database_url):
        expect_cli_success(flask_db(database_url, "upgrade"), "upgrade",
                           _("every revision's upgrade() must run on an empty database."))
        rows = [(1, "Dune", "9780441013593"), (2, "Emma", None)]
        with connected(database_url) as connection:
            for book_id, title, isbn in rows:
                connection.execute(text("INSERT INTO books (id, title, isbn) VALUES (:id, :title, :isbn)"),
                                   {"id": book_id, "title": title, "isbn": isbn})
        expect_cli_success(flask_db(database_url, "downgrade"), "downgrade",
                           _("0002's downgrade() must undo its upgrade() in reverse order: drop the index ix_books_isbn, then the column isbn."))
        shape = table_shape(database_url)
        with connected(database_url) as connection:
            kept = [tuple(row) for row in connection.execute(text("SELECT id, title FROM books ORDER BY id"))] if shape["columns"] else []
        assert kept == [row[:2] for row in rows], _(
            "A downgrade must keep the books: before it (id, title) were {expected}, after it {got}. "
            "Drop the column, not the table.").format(expected=[row[:2] for row in rows], got=kept)
        assert (revision_of(database_url), shape["columns"], shape["indexes"]) == ("0001", {"id": ID_COLUMN, "title": TITLE_COLUMN}, {}), _(
            "After one `flask db downgrade` the database should be at 0001 with books (id, title) and no index; it is at {revision!r} "
            "with the columns {columns} and the indexes {indexes}. Does 0002's downgrade() drop both the index and the column?").format(
            revision=revision_of(database_url), columns=shape["columns"], indexes=shape["indexes"])
        expect_cli_success(flask_db(database_url, "upgrade"), "upgrade",
                           _("upgrading again after a downgrade must work: downgrade() must leave the database exactly as 0001 made it."))

    @pytest.mark.rule("db-check-clean")
    def test_db_check_finds_no_difference_at_the_head(self, flask_db, database_url):
        expect_cli_success(flask_db(database_url, "upgrade"), "upgrade",
                           _("every revision's upgrade() must run on an empty database."))
        expect_cli_success(flask_db(database_url, "check"), "check",
                           _("the database at the head must match the models exactly: same column types, lengths, "
                             "nullability, and the unique index ix_books_isbn."))

    @pytest.mark.rule("no-create-all")
    def test_create_app_makes_no_tables_outside_testing(self, make_app, database_url, clean_environment):
        make_app()
        with connected(database_url) as connection:
            tables = inspect(connection).get_table_names()
        assert tables == [], _(
            "Outside APP_ENV=testing create_app must make no tables (the migrations do); it made {tables}. "
            "Keep db.create_all() for the testing configuration.").format(tables=tables)


# --- books --------------------------------------------------------------------------------

def insert_books(url: str, *rows: tuple[int, str, str | None]) -> None:
    with connected(url) as connection:
        for book_id, title, isbn in rows:
            connection.execute(text("INSERT INTO books (id, title, isbn) VALUES (:id, :title, :isbn)"),
                               {"id": book_id, "title": title, "isbn": isbn})


def stored(url: str) -> list[tuple]:
    with connected(url) as connection:
        return [tuple(row) for row in connection.execute(text("SELECT id, title, isbn FROM books ORDER BY id"))]


BAD_BODIES = {
    N_("a form body"): {"data": {"title": "Dune"}},
    N_("malformed JSON"): {"data": '{"title": ', "content_type": "application/json"},
    N_("a JSON list"): {"json": [{"title": "Dune"}]},
    N_("a JSON string"): {"json": "Dune"},
    N_("no title"): {"json": {"isbn": "9780441013593"}},
    N_("an empty title"): {"json": {"title": ""}},
    N_("a title of 201 characters"): {"json": {"title": "x" * 201}},
    N_("a number as the title"): {"json": {"title": 1984}},
    N_("null as the title"): {"json": {"title": None}},
    N_("a title with a NUL character"): {"json": {"title": "Du\x00ne"}},
    N_("a title with a lone surrogate"): {"data": '{"title": "Dune \\ud800"}', "content_type": "application/json"},
    N_("an isbn of 12 digits"): {"json": {"title": "Dune", "isbn": "978044101359"}},
    N_("an isbn of 14 digits"): {"json": {"title": "Dune", "isbn": "97804410135930"}},
    N_("an isbn as a number"): {"json": {"title": "Dune", "isbn": 9780441013593}},
    N_("an isbn with a letter"): {"json": {"title": "Dune", "isbn": "978044101359X"}},
    N_("an isbn with hyphens"): {"json": {"title": "Dune", "isbn": "978-0441013593"}},
    N_("an isbn of full-width digits"): {"json": {"title": "Dune", "isbn": "９７８０４４１０１３５９３"}},
    N_("deeply nested JSON"): {"data": "[" * 5000 + "]" * 5000, "content_type": "application/json"},
}


@pytest.mark.exercise("books")
class TestBooks:
    @pytest.mark.rule("create-201-location")
    @pytest.mark.rule("read-one")
    def test_create_answers_201_with_the_book_and_its_location(self, client, database_url):
        response = client.post("/books", json={"title": "Dune", "isbn": "9780441013593"})
        book = expect_json(response, 201)
        assert isinstance(book, dict) and isinstance(book.get("id"), int), _(
            "POST /books should answer the new book with its integer id; it answered {book!r}.").format(book=book)
        expect_json_equal(response, {"id": book["id"], "title": "Dune", "isbn": "9780441013593"}, 201)
        location = expect_header(response, "Location")
        assert location.endswith(f"/books/{book['id']}"), _(
            "Location should be /books/{id}; it is {location!r}. Use url_for('get_book', book_id=book.id).").format(
            id=book["id"], location=location)
        assert stored(database_url) == [(book["id"], "Dune", "9780441013593")], _(
            "The book should be stored; the table holds {rows}. Did you commit?").format(rows=stored(database_url))
        expect_json_equal(client.get(f"/books/{book['id']}"), book)

    @pytest.mark.rule("create-201-location")
    def test_the_isbn_is_optional(self, client, database_url):
        for body in ({"title": "Emma"}, {"title": "Persuasion", "isbn": None}, {"title": "x" * 200}, {"title": "I"}):
            book = expect_json(client.post("/books", json=body), 201)
            assert isinstance(book, dict) and book.get("isbn") is None and book.get("title") == body["title"], _(
                "POST /books with {body} should answer the book with isbn null; it answered {book!r}.").format(body=body, book=book)

    @pytest.mark.rule("list-in-id-order")
    def test_list_answers_every_book_in_id_order(self, client, database_url):
        expect_json_equal(client.get("/books"), [])
        insert_books(database_url, (3, "Emma", None), (1, "Dune", "9780441013593"), (2, "Ulysses", "9780199535675"))
        expect_json_equal(client.get("/books"), [
            {"id": 1, "title": "Dune", "isbn": "9780441013593"},
            {"id": 2, "title": "Ulysses", "isbn": "9780199535675"},
            {"id": 3, "title": "Emma", "isbn": None},
        ])

    @pytest.mark.rule("bad-body-400")
    def test_bad_bodies_are_400_and_store_nothing(self, client, database_url):
        for label, body in BAD_BODIES.items():
            response = client.post("/books", **body)
            assert response.status_code == 400, _(
                "POST /books with {case} should answer 400 with the JSON error body; it answered {status}: {text!r}.").format(
                case=_(label), status=response.status_code, text=response.get_data(as_text=True)[:300])
            expect_error(response, 400)
        assert stored(database_url) == [], _("Refused bodies must store nothing; the table holds {rows}.").format(
            rows=stored(database_url))

    @pytest.mark.rule("duplicate-isbn-409")
    def test_a_taken_isbn_is_409_and_the_session_still_works(self, client, database_url):
        insert_books(database_url, (1, "Dune", "9780441013593"))
        response = client.post("/books", json={"title": "Dune again", "isbn": "9780441013593"})
        assert response.status_code == 409, _(
            "POST /books with an isbn another book has should answer 409 with the JSON error body; it answered {status}. "
            "Catch sqlalchemy.exc.IntegrityError around db.session.commit(), call db.session.rollback() and abort(409).").format(
            status=response.status_code)
        expect_error(response, 409)
        book = expect_json(client.post("/books", json={"title": "Emma"}), 201)
        assert stored(database_url) == [(1, "Dune", "9780441013593"), (book["id"], "Emma", None)], _(
            "After a 409 the table should hold the first book and the next one created; it holds {rows}.").format(
            rows=stored(database_url))

    @pytest.mark.rule("read-one")
    def test_unknown_books_are_404_and_the_largest_id_is_found(self, client, database_url):
        for book_id in (1, 2**31, 10**20):
            expect_error(client.get(f"/books/{book_id}"), 404)
        largest = 2**31 - 1  # the largest INTEGER on PostgreSQL
        insert_books(database_url, (largest, "The last one", None))
        expect_json_equal(client.get(f"/books/{largest}"), {"id": largest, "title": "The last one", "isbn": None})


# --- health -------------------------------------------------------------------------------

def on_unreachable_databases(make_app, path: str):
    """(case, response) of GET `path` on an app of each database that cannot be reached."""
    for label, url in UNREACHABLE.items():
        yield _(label), make_app(SQLALCHEMY_DATABASE_URI=url).test_client().get(path)


@pytest.mark.exercise("health")
class TestHealth:
    @pytest.mark.rule("healthz-liveness")
    def test_healthz_answers_ok_even_without_a_database(self, make_app):
        for case, response in on_unreachable_databases(make_app, "/healthz"):
            assert response.status_code == 200, _(
                "GET /healthz on {case} should still answer 200: liveness says the process runs and must not touch "
                "the database. It answered {status}.").format(case=case, status=response.status_code)
            expect_json_equal(response, {"status": "ok"})

    @pytest.mark.rule("readyz-ready")
    def test_readyz_is_ready_at_the_head_revision(self, make_app, models, database_url, migrations_dir):
        with connected(database_url) as connection:
            models.db.metadata.create_all(connection)
        stamp(database_url, head_of(migrations_dir))
        response = make_app().test_client().get("/readyz")
        expect_json_equal(response, {"status": "ready", "database": "ok"})

    @pytest.mark.rule("readyz-unreachable")
    def test_readyz_is_503_when_the_database_is_unreachable(self, make_app):
        for case, response in on_unreachable_databases(make_app, "/readyz"):
            assert response.status_code == 503, _(
                "GET /readyz on {case} should answer 503 {{\"status\": \"unavailable\", \"database\": \"unreachable\"}}; "
                "it answered {status}. Catch sqlalchemy.exc.SQLAlchemyError around the connection and SELECT 1.").format(
                case=case, status=response.status_code)
            expect_json_equal(response, {"status": "unavailable", "database": "unreachable"}, 503)

    @pytest.mark.rule("readyz-not-migrated")
    def test_readyz_is_503_until_the_migrations_reach_the_head(self, make_app, models, database_url):
        with connected(database_url) as connection:
            models.db.metadata.create_all(connection)
        app = make_app()
        for label, revision in ((_("no alembic_version table"), None), (_("the older revision 0001"), "0001")):
            stamp(database_url, revision)
            response = app.test_client().get("/readyz")
            assert response.status_code == 503, _(
                "GET /readyz on a database with {case} should answer 503: the code expects the head revision. It answered {status}. "
                "Compare MigrationContext.configure(connection).get_current_heads() with head_revisions().").format(
                case=label, status=response.status_code)
            expect_json_equal(response, {"status": "unavailable", "database": "migrations not applied"}, 503)


# --- logging ------------------------------------------------------------------------------

@contextmanager
def request_log(app, caplog):
    """The JSON objects the app's logger wrote meanwhile (a list, filled when the block ends)."""
    lines = []
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        caplog.clear()
        yield lines
    for record in caplog.records:
        if record.name == app.logger.name:
            try:
                lines.append(json.loads(record.getMessage()))
            except ValueError:
                continue


def one_log_line(app, caplog, send) -> tuple:
    """The response of `send(client)` and the one JSON object it logged."""
    with request_log(app, caplog) as lines:
        response = send(app.test_client())
    assert len(lines) == 1 and isinstance(lines[0], dict), _(
        "{request} should log exactly one line, a JSON object, on app.logger at INFO; it logged {count}: {lines}. "
        "Write it with app.logger.info(json.dumps({{...}})) in an after_request hook.").format(
        request=f"{response.request.method} {response.request.path}", count=len(lines), lines=lines)
    return response, lines[0]


HEX_ID = re.compile(r"[0-9a-f]{32}")


def expect_new_request_id(response, sent: str | None) -> str:
    got = expect_header(response, "X-Request-ID")
    fresh = HEX_ID.fullmatch(got) and uuid.UUID(got).version == 4
    assert fresh and got != sent, _(
        "With X-Request-ID {sent!r} the app should make a new id, uuid.uuid4().hex (32 hex digits); it answered {got!r}. "
        "Only 1 to 64 letters, digits and - may be echoed.").format(sent=sent, got=got)
    return got


@pytest.mark.exercise("logging")
class TestLogging:
    @pytest.mark.rule("one-json-line")
    @pytest.mark.rule("log-fields")
    def test_each_request_logs_one_json_line_with_its_fields(self, app, caplog):
        with_grader_route(app)
        for method, path, status in (("GET", "/grader/echo", 200), ("POST", "/grader/echo", 200), ("GET", "/no-such-page", 404),
                                     ("DELETE", "/grader/echo", 405)):
            response, line = one_log_line(app, caplog, lambda client: client.open(path, method=method, query_string={"q": "1"}))
            keys = {"method", "path", "status", "duration_ms", "request_id"}
            assert keys <= set(line), _("The log line of {method} {path} lacks {missing}: {line}").format(
                method=method, path=path, missing=sorted(keys - set(line)), line=line)
            got = {key: line[key] for key in ("method", "path", "status", "request_id")}
            expected = {"method": method, "path": path, "status": status, "request_id": response.headers.get("X-Request-ID")}
            assert got == expected, _(
                "The log line of {method} {path}?q=1 should have {expected}; it has {got} (path without the query; "
                "status an int; request_id the one in the response's X-Request-ID).").format(
                method=method, path=path, expected=expected, got=got)
            duration = line["duration_ms"]
            assert isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration >= 0, _(
                "duration_ms should be a number of milliseconds >= 0; it is {got!r}.").format(got=duration)

    @pytest.mark.rule("request-id-echoed")
    def test_a_valid_request_id_is_echoed_and_logged(self, app, caplog):
        with_grader_route(app)
        for sent in ("abc-123", "A" * 64, "0", "f47ac10b-58cc-4372-a567-0e02b2c3d479"):
            response, line = one_log_line(app, caplog, lambda client: client.get("/grader/echo", headers={"X-Request-ID": sent}))
            expect_header(response, "X-Request-ID", sent)
            assert line.get("request_id") == sent, _("The log line should carry the request id {sent!r}; it has {got!r}.").format(
                sent=sent, got=line.get("request_id"))

    @pytest.mark.rule("request-id-replaced")
    def test_a_missing_or_invalid_request_id_is_replaced(self, app, caplog):
        with_grader_route(app)
        seen = set()
        for sent in (None, "", "A" * 65, "has space", "under_score", "ünïcode", "../etc", "a;b", "{id}"):
            headers = {} if sent is None else {"X-Request-ID": sent}
            response, line = one_log_line(app, caplog, lambda client: client.get("/grader/echo", headers=headers))
            got = expect_new_request_id(response, sent)
            assert line.get("request_id") == got, _("The log line should carry the new id {id}; it has {got!r}.").format(
                id=got, got=line.get("request_id"))
            assert got not in seen, _("Each request needs a new id; {id} came twice. Make it in the request, not once in create_app.").format(id=got)
            seen.add(got)


# --- hardening ----------------------------------------------------------------------------

def expect_security_headers(response, hsts: bool) -> None:
    for name, value in SECURITY_HEADERS.items():
        expect_header(response, name, value)
    got = response.headers.get("Strict-Transport-Security")
    expected = HSTS if hsts else None
    assert got == expected, _(
        "{request} sent Strict-Transport-Security {got!r}; expected {expected!r}: HSTS only in production "
        "(APP_ENV production), where the site is served over HTTPS.").format(
        request=f"{response.request.method} {response.request.path}", got=got, expected=expected)


@pytest.mark.exercise("hardening")
class TestHardening:
    @pytest.mark.rule("security-headers")
    def test_every_response_carries_the_security_headers(self, app):
        client = with_grader_route(app).test_client()
        for response in (client.get("/grader/echo"), client.get("/no-such-page"), client.delete("/grader/echo")):
            expect_security_headers(response, hsts=False)

    @pytest.mark.rule("hsts-in-production")
    def test_production_adds_strict_transport_security(self, make_app):
        app = make_app(APP_ENV="production", SECRET_KEY=SECRET)
        client = with_grader_route(app).test_client()
        for response in (client.get("/grader/echo"), client.get("/no-such-page")):
            expect_security_headers(response, hsts=True)

    @pytest.mark.rule("proxy-one-hop")
    def test_the_app_trusts_exactly_one_proxy(self, app):
        client = with_grader_route(app).test_client()
        headers = {"X-Forwarded-For": "1.1.1.1, 203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
        seen = expect_json(client.get("/grader/echo", headers=headers))
        expected = {"remote_addr": "203.0.113.7", "scheme": "https", "host": "localhost"}
        assert seen == expected, _(
            "Behind one proxy sending X-Forwarded-For: 1.1.1.1, 203.0.113.7, X-Forwarded-Proto: https and X-Forwarded-Host, "
            "the app should see {expected}; it sees {got}. Wrap app.wsgi_app in ProxyFix(app.wsgi_app, x_for=1, x_proto=1): "
            "only the last address is the proxy's, the earlier ones anyone can write.").format(expected=expected, got=seen)

    @pytest.mark.rule("body-limit")
    def test_bodies_over_one_mebibyte_are_413(self, app):
        client = with_grader_route(app).test_client()
        expect_status(client.post("/grader/echo", data=b"x" * MIB, content_type="application/octet-stream"), 200)
        response = client.post("/grader/echo", data=b"x" * (MIB + 1), content_type="application/octet-stream")
        assert response.status_code == 413, _(
            "A body of 1 MiB + 1 byte should answer 413; it answered {status}. Set MAX_CONTENT_LENGTH = 1024 * 1024 in Config.").format(
            status=response.status_code)
        expect_error(response, 413)


# --- container ----------------------------------------------------------------------------

GUNICORN_USAGE = "%(prog)s [OPTIONS] [APP_MODULE]"  # as the gunicorn script starts it (gunicorn.app.wsgiapp.run)
# What gunicorn and gunicorn.conf.py read from the environment: the machine's own values are left out.
GUNICORN_VARIABLES = ("BIND_HOST", "WEB_CONCURRENCY", "PORT", "GUNICORN_CMD_ARGS")


@pytest.fixture
def gunicorn(request, chapter, chapter_copy, tmp_path, monkeypatch):
    """`gunicorn OPTION -c gunicorn.conf.py --chdir .. ch14_shipping.app:create_app()` (OPTION --print-config or
    --check-config) started in production from a copy of the chapter, as the image holds one: gunicorn's own
    WSGIApplication runs in this process with that command line in sys.argv, as the gunicorn script does."""
    graded = target_dir(request.config, chapter)
    command = ["-c", str(chapter_copy / "gunicorn.conf.py"), "--chdir", str(chapter_copy.parent), f"{chapter.package}.app:create_app()"]

    def run(option: str, **env: str) -> CommandRun:
        stdout, stderr, returncode = io.StringIO(), io.StringIO(), 0
        with monkeypatch.context() as patch, imported_from(chapter_copy), redirect_stdout(stdout), redirect_stderr(stderr):
            for name in [name for name in os.environ if name in GUNICORN_VARIABLES or name.startswith("FLASK_")]:
                patch.delenv(name)
            for name, value in {"APP_ENV": "production", "FLASK_SECRET_KEY": SECRET,
                                "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite'}", **env}.items():
                patch.setenv(name, value)
            patch.chdir(tmp_path)  # and back afterwards: --chdir moves this process
            patch.setattr(sys, "argv", ["gunicorn", option, *command])
            try:
                WSGIApplication(GUNICORN_USAGE, prog="gunicorn").run()  # with these options: load the app, then exit
            except SystemExit as stop:
                returncode = stop.code if isinstance(stop.code, int) else 1
        return in_graded_files(CommandRun(returncode, stdout.getvalue(), stderr.getvalue()), chapter_copy, graded)

    return run


def gunicorn_settings(gunicorn, **env: str) -> dict[str, str]:
    done = gunicorn("--print-config", **env)
    assert done.returncode == 0, _("`gunicorn --print-config` failed (exit {code}):\n{output}").format(
        code=done.returncode, output=(done.stdout + done.stderr)[-1500:])
    return {name.strip(): value.strip() for name, _sep, value in
            (line.partition("=") for line in done.stdout.splitlines()) if _sep}


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    instructions, pending = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _sep, arguments = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def env_settings(instructions) -> dict[str, str]:
    """The variables the Dockerfile's ENV lines set (`ENV A=1 B=2` and the old `ENV A 1`)."""
    found = {}
    for keyword, arguments in instructions:
        if keyword != "ENV":
            continue
        if "=" in arguments.split()[0]:
            found.update(pair.split("=", 1) for pair in arguments.split())
        else:
            name, _sep, value = arguments.partition(" ")
            found[name] = value.strip()
    return {name: value.strip("\"'") for name, value in found.items()}


def ignore_pattern(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as a regular expression over paths (it also covers what is below a match)."""
    pattern, regex, index = pattern.strip().strip("/"), "", 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            regex, index = regex + "(?:.*/)?", index + 3
        elif pattern.startswith("**", index):
            regex, index = regex + ".*", index + 2
        else:
            regex += {"*": "[^/]*", "?": "[^/]"}.get(pattern[index], re.escape(pattern[index]))
            index += 1
    return re.compile(regex + "(?:/.*)?")


def ignored(patterns: list[str], path: str) -> bool:
    """Whether Docker leaves `path` out of the build context: the last pattern that matches decides."""
    verdict = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if ignore_pattern(pattern.removeprefix("!")).fullmatch(path):
            verdict = not negated
    return verdict


@pytest.fixture
def dockerfile(request, chapter) -> list[tuple[str, str]]:
    return dockerfile_instructions(target_dir(request.config, chapter) / "Dockerfile")


def position(instructions, what: str, found) -> int:
    index = next((i for i, instruction in enumerate(instructions) if found(*instruction)), None)
    assert index is not None, _("The Dockerfile has no {what}.").format(what=what)
    return index


def copies_code(keyword: str, arguments: str) -> bool:
    sources = [word for word in arguments.split()[:-1] if not word.startswith("--")]
    return keyword in ("COPY", "ADD") and any("ch14_shipping" in source or source in (".", "./") for source in sources)


@pytest.mark.exercise("container")
class TestContainer:
    @pytest.mark.rule("bind-loopback-on-host")
    @pytest.mark.rule("workers-from-env")
    def test_gunicorn_binds_by_environment(self, gunicorn):
        host = gunicorn_settings(gunicorn)
        container = gunicorn_settings(gunicorn, BIND_HOST="0.0.0.0", WEB_CONCURRENCY="3")
        got = {"host": (host.get("bind"), host.get("workers")), "container": (container.get("bind"), container.get("workers"))}
        expected = {"host": ("['127.0.0.1:8000']", "2"), "container": ("['0.0.0.0:8000']", "3")}
        assert got == expected, _(
            "gunicorn's (bind, workers) should be {expected} (on the host; with BIND_HOST=0.0.0.0 WEB_CONCURRENCY=3 as in the "
            "container); they are {got}. Read both from os.environ in gunicorn.conf.py: loopback unless BIND_HOST says otherwise.").format(
            expected=expected, got=got)

    @pytest.mark.rule("check-config")
    def test_gunicorn_check_config_loads_the_app_in_production(self, gunicorn):
        done = gunicorn("--check-config")
        assert done.returncode == 0, _(
            "`gunicorn --check-config -c gunicorn.conf.py` with APP_ENV=production should load the app; it failed (exit {code}):\n{output}").format(
            code=done.returncode, output=(done.stdout + done.stderr)[-1500:])

    @pytest.mark.rule("base-image-pinned")
    def test_the_base_image_is_a_pinned_official_slim_python(self, dockerfile):
        base = next((arguments.split()[-1] for keyword, arguments in dockerfile if keyword == "FROM"), None)
        assert base and re.fullmatch(r"(docker\.io/)?(library/)?python:3\.\d+(\.\d+)?-slim(-[a-z]+)?", base), _(
            "FROM should name an official python:3.X-slim image with its version in the tag (python:3.12-slim); it is {base!r}. "
            "`latest` changes under you: the same Dockerfile builds a different image next month.").format(base=base)

    @pytest.mark.rule("requirements-before-code")
    def test_requirements_are_installed_before_the_code_is_copied(self, dockerfile):
        requirements = position(dockerfile, _("COPY of requirements.txt"),
                                lambda keyword, arguments: keyword in ("COPY", "ADD") and "requirements.txt" in arguments)
        install = position(dockerfile, _("RUN pip install -r requirements.txt"),
                           lambda keyword, arguments: keyword == "RUN" and "pip" in arguments and "requirements.txt" in arguments)
        code = position(dockerfile, _("COPY of the chapter's code (ch14_shipping)"), copies_code)
        assert requirements < install < code, _(
            "Copy requirements.txt and RUN pip install before the COPY of the code (instructions {requirements}, {install}, {code} "
            "here): then a change to the code reuses the cached layer with the installed packages.").format(
            requirements=requirements + 1, install=install + 1, code=code + 1)

    @pytest.mark.rule("non-root-user")
    def test_a_non_root_user_runs_the_app(self, dockerfile):
        users = [arguments.split(":")[0] for keyword, arguments in dockerfile if keyword == "USER"]
        cmd = position(dockerfile, "CMD", lambda keyword, arguments: keyword == "CMD")
        last_user = max((i for i, (keyword, _args) in enumerate(dockerfile) if keyword == "USER"), default=None)
        assert users and users[-1] not in ("root", "0") and last_user is not None and last_user < cmd, _(
            "The Dockerfile should switch to a user that is not root (USER books) before CMD; its USER lines are {users}. "
            "A process that is broken into should not be root.").format(users=users)

    @pytest.mark.rule("production-env")
    def test_the_image_runs_in_production_bound_for_the_container(self, dockerfile):
        settings = env_settings(dockerfile)
        got = {name: settings.get(name) for name in ("APP_ENV", "BIND_HOST")}
        assert got == {"APP_ENV": "production", "BIND_HOST": "0.0.0.0"}, _(
            "The Dockerfile should set ENV APP_ENV=production BIND_HOST=0.0.0.0; it sets {got}.").format(got=got)

    @pytest.mark.rule("expose-8000")
    def test_port_8000_is_exposed(self, dockerfile):
        ports = [port.split("/")[0] for keyword, arguments in dockerfile if keyword == "EXPOSE" for port in arguments.split()]
        assert "8000" in ports, _("The Dockerfile should EXPOSE 8000; it exposes {ports}.").format(ports=ports)

    @pytest.mark.rule("healthcheck")
    def test_a_healthcheck_asks_healthz(self, dockerfile):
        checks = [arguments for keyword, arguments in dockerfile if keyword == "HEALTHCHECK"]
        assert checks and "/healthz" in checks[-1] and not checks[-1].upper().startswith("NONE"), _(
            "The Dockerfile should have a HEALTHCHECK whose command asks /healthz; it has {checks}.").format(checks=checks)

    @pytest.mark.rule("exec-form-cmd")
    def test_cmd_runs_gunicorn_in_exec_form(self, dockerfile):
        cmd = [arguments for keyword, arguments in dockerfile if keyword == "CMD"]
        try:
            argv = json.loads(cmd[-1]) if cmd else None
        except ValueError:
            argv = None
        config = argv[argv.index("-c") + 1] if isinstance(argv, list) and "-c" in argv[:-1] else ""
        assert (isinstance(argv, list) and "gunicorn" in argv[:3] and str(config).endswith("gunicorn.conf.py")
                and any("create_app" in str(word) for word in argv)), _(
            "CMD should be a JSON list (exec form) such as [\"gunicorn\", \"-c\", \"ch14_shipping/gunicorn.conf.py\", "
            "\"ch14_shipping.app:create_app()\"]; it is {cmd}. In the shell form a shell is PID 1 and docker stop's SIGTERM "
            "never reaches gunicorn.").format(cmd=cmd[-1] if cmd else None)

    @pytest.mark.rule("dockerignore")
    def test_the_ignore_file_leaves_out_what_an_image_must_not_hold(self, request, chapter):
        path = target_dir(request.config, chapter) / "Dockerfile.dockerignore"
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        patterns = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        wanted = [".git", ".venv", "instance", "__pycache__", f"chapters/{chapter.package}/__pycache__",
                  f"chapters/{chapter.package}/migrations/versions/__pycache__"]
        kept = [path for path in wanted if not ignored(patterns, path)]
        assert not kept, _(
            "Dockerfile.dockerignore should leave out {kept} (its patterns: {patterns}). A pattern matches from the root: "
            "`**/__pycache__` reaches every folder.").format(kept=kept, patterns=patterns)
