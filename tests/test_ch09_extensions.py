"""Grader for chapter 9: Extensions (see chapters/ch09_extensions/README.md).

One exercise, one verdict: a test runs only its own exercise's code, plus the `models` it
stands on (every other exercise `requires` it in chapter.toml). The grader sets the scene itself:

- users are rows it inserts, with a bcrypt hash it makes (cost 4), never through /register;
- access tokens are minted in the app with `create_access_token(identity=str(id),
  additional_claims={"role": role})`, the curriculum's shape, never fetched from /login;
- a password set by create-admin is checked against the stored hash, not through /login;
- a notes or admin request whose token is missing or bad must be refused: 401, or the 422
  Flask-JWT-Extended answers for an invalid token until `me`'s loaders make it 401. The
  JSON body of those 401s comes from `me`'s loaders, so TestMe alone grades it.

Cases that need the same setup share one test (and its app); `case()` names the case in a
failure. Every test builds its own apps with create_app and starts with an empty database:
one for the module, emptied after each test. It is DATABASE_URL when set
(tests/course/test_postgres.py points it at a throwaway PostgreSQL), else a SQLite file in
/dev/shm (memory: a commit costs no disk sync), else in pytest's tmp_path. The grader reads
and writes through an engine of its own, whose SQL compilation cache lasts the whole module.
"""
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import bcrypt
import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, func, inspect, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from tests import fuzz
from tests.conftest import import_target, require
from tests.expect import expect_error, expect_json, expect_json_equal, expect_status, preview, request_line
from track.plugin import build_app

SECRET = "grader-secret-key-that-is-long-enough-for-hs256"
OTHER_SECRET = "an-attacker-key-that-is-also-32-bytes-or-more"
PASSWORD = "correct horse battery staple"
SQL_LOOKING = ["'; DROP TABLE notes; --", "1 OR 1=1", "Robert'); DELETE FROM users WHERE ('1'='1", "%_\\' \" `"]
NOT_JSON = [
    ("a form body", {"data": {"username": "a", "password": "b", "text": "c"}}),
    ("a text/plain body", {"data": '{"username": "a"}', "content_type": "text/plain"}),
    ("malformed JSON", {"data": '{"username": ', "content_type": "application/json"}),
    ("no body", {}),
    ("a JSON list", {"json": ["username", "password"]}),
    ("a JSON string", {"json": "username"}),
]


@contextmanager
def case(label: str):
    """One case of a test that tries several: a failure says which ("with the body {}: ...")."""
    try:
        yield
    except AssertionError as failure:
        message = failure.args[0] if failure.args else "an expectation did not hold."
        failure.args = (f"{label[0].upper()}{label[1:]}: {message}", *failure.args[1:])
        raise
    except Exception as error:
        # The test client notes the request that raised ("request: POST /register", track/plugin.py)
        # and the failure message quotes that note: name the case in it.
        notes = getattr(error, "__notes__", [])
        for index, note in enumerate(notes):
            if note.startswith("request: "):
                notes[index] = f"{note} ({label})"
                break
        else:
            error.add_note(f"case: {label}")
        raise


@cache
def bcrypt_hash(password: str) -> str:
    """A bcrypt hash made by the grader, once per password (cost 4, bcrypt's lowest)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode("ascii")


class GraderDatabase:
    """The grader's own way into the chapter's database: what a test sets up or reads back
    does not run the chapter's views, so it cannot depend on another exercise."""

    def __init__(self, url: str, models):
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            # SQLite enforces foreign keys (and their ON DELETE) only when each connection asks;
            # PostgreSQL always does. The grader's deletes must meet the schema as PostgreSQL would.
            event.listen(self.engine, "connect", lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON"))
        self.models = models
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    def add_user(self, username: str, password: str = PASSWORD, role: str = "user") -> int:
        with self.session.begin() as session:
            user = self.models.User(username=username, password_hash=bcrypt_hash(password), role=role)
            session.add(user)
            session.flush()
            return user.id

    def add_note(self, owner_id: int, text: str) -> int:
        with self.session.begin() as session:
            note = self.models.Note(owner_id=owner_id, text=text)
            session.add(note)
            session.flush()
            return note.id

    def delete_user(self, user_id: int) -> None:
        with self.session.begin() as session:
            session.delete(session.get(self.models.User, user_id))

    def set_role(self, user_id: int, role: str) -> None:
        with self.session.begin() as session:
            session.get(self.models.User, user_id).role = role

    def rows(self, model) -> list:
        with self.session() as session:
            return list(session.scalars(select(model).order_by(model.id)))

    def count(self, model) -> int:
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(model))

    def empty(self) -> None:
        """Delete every row, in one transaction (the stub's create_app makes no tables)."""
        with self.engine.begin() as connection:
            existing = set(inspect(connection).get_table_names())
            for table in reversed(self.models.db.metadata.sorted_tables):
                if table.name in existing:
                    connection.execute(table.delete())

    def close(self) -> None:
        """Drop the chapter's tables (on a database server they would outlive the run)."""
        self.models.db.metadata.drop_all(self.engine)
        self.engine.dispose()


@pytest.fixture(scope="module")
def models(request, chapter):
    return import_target(request.config, chapter, "models")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif Path("/dev/shm").is_dir():
        with tempfile.TemporaryDirectory(prefix="track-ch09-", dir="/dev/shm") as folder:
            yield f"sqlite:///{folder}/notes.sqlite"
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('ch09') / 'notes.sqlite'}"


@pytest.fixture(scope="module")
def database(database_url, models):
    grader_database = GraderDatabase(database_url, models)
    yield grader_database
    grader_database.close()


@pytest.fixture
def app_config(database_url):
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "BCRYPT_LOG_ROUNDS": 4, "JWT_SECRET_KEY": SECRET}


@pytest.fixture
def make_app(request, chapter, chapter_module, app_config, models, database):
    """create_app(config), as often as a test needs; afterwards the database is emptied."""
    built = []

    def make(config=None):
        app = build_app(request.config, chapter, chapter_module, app_config if config is None else config)
        built.append(app)
        return app

    yield make
    for app in built:
        with app.app_context():
            models.db.engine.dispose()  # close its connections: a database server would keep them
    database.empty()


@pytest.fixture
def app(make_app):
    return make_app()


def token_for(app, user_id: int, role: str = "user", **options) -> str:
    """An access token as the curriculum shapes it, made by the app's JWTManager."""
    with app.app_context():
        return create_access_token(identity=str(user_id), additional_claims={"role": role}, **options)


@pytest.fixture
def alice(app, database) -> tuple[int, str]:
    """A user of the database and her access token: (user id, token)."""
    user_id = database.add_user("alice")
    return user_id, token_for(app, user_id)


def spy_on_bcrypt(monkeypatch, before=None) -> list[str]:
    """Record every bcrypt hash or check, however the app reaches the library (Flask-Bcrypt calls
    bcrypt.hashpw); the real function still runs. `before()` runs ahead of each call."""
    calls = []
    for name in ("hashpw", "checkpw"):
        def spy(*args, real=getattr(bcrypt, name), name=name):
            calls.append(name)
            if before:
                before()
            return real(*args)
        monkeypatch.setattr(bcrypt, name, spy)
    return calls


def app_log(records, app) -> list[str]:
    """What the chapter's own code logged (app.logger or a logger of its package), as text."""
    package = app.import_name.rpartition(".")[0] or app.import_name
    return [r.getMessage() for r in records if r.name.startswith(package) and r.levelno >= logging.INFO]


def register(client, username="alice", password=PASSWORD):
    return client.post("/register", json={"username": username, "password": password})


def login(client, username="alice", password=PASSWORD):
    return client.post("/login", json={"username": username, "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def expect_refused(response) -> None:
    """A missing or bad token is refused before the view runs (its JSON body is `me`'s to grade)."""
    assert response.status_code in (401, 422), (
        f"{request_line(response)} answered {response.status_code}, expected 401: a missing or bad token must be refused "
        f"(@jwt_required() or verify_jwt_in_request() checks it).\n  What came back: {preview(response)}"
    )


def expect_handled(response, what: str, statuses: tuple[int, ...] = (400,)) -> dict:
    """`what`, a kind of bad input in words, is refused with one of `statuses` and the JSON error body.

    The test sets PROPAGATE_EXCEPTIONS to False first, so a crash is the 500 a real client would get.
    """
    expected = " or ".join(map(str, statuses))
    assert response.status_code in statuses, (
        f"{request_line(response)} with {what} answered {response.status_code}: it must be a {expected}, not a crash."
        f"\n  What came back: {preview(response)}"
    )
    return expect_error(response, response.status_code)


def nested_json(client, path: str, **kwargs):
    """A body of 5,000 nested lists: get_json() raises RecursionError, which silent=True does not catch."""
    return client.post(path, data="[" * 5000, content_type="application/json", **kwargs)


def raw_json(client, path: str, body: str, **kwargs):
    """POST a JSON text as written: the test client's json= cannot send a lone surrogate."""
    return client.post(path, data=body, content_type="application/json", **kwargs)


NESTED = "JSON nested 5,000 lists deep (get_json() raises RecursionError, which silent=True does not catch)"
SURROGATE = "a lone surrogate (\"\\ud800\": valid JSON, but no text UTF-8 can encode)"


def expect_no_secrets(responses, records, secrets) -> None:
    for secret in secrets:
        leaked = [r.request.path for r in responses if secret in r.get_data(as_text=True)]
        assert not leaked, f"A response to {leaked} contains the password or its hash."
        logged = [r.getMessage() for r in records if secret in r.getMessage()]
        assert not logged, f"A log line contains the password or its hash: {logged[0][:200]!r}"


@pytest.mark.exercise("models")
class TestModels:
    def test_create_app_creates_the_tables(self, app, models):
        tables = [require(models, name).__table__.name for name in ("User", "Note")]
        with app.app_context():
            missing = [table for table in tables if not inspect(models.db.engine).has_table(table)]
        assert not missing, f"create_app() should create the tables {missing} (db.create_all() inside an app context)."

    @pytest.mark.parametrize(
        ("name", "columns"), [("User", {"id", "username", "password_hash", "role"}), ("Note", {"id", "owner_id", "text", "created_at"})]
    )
    def test_columns_are_typed_mapped_attributes(self, models, name, columns):
        model = require(models, name)
        found = set(model.__table__.columns.keys())
        assert columns <= found, f"{name} should have the columns {sorted(columns)}; it has {sorted(found)}."
        untyped = sorted(c for c in columns if "Mapped" not in str(model.__annotations__.get(c, "")))
        assert not untyped, f"{name}: declare {untyped} as SQLAlchemy 2 typed attributes, `name: Mapped[type] = mapped_column(...)`."

    def test_note_owner_is_a_foreign_key_to_users(self, models):
        targets = {fk.target_fullname for fk in models.Note.__table__.c.owner_id.foreign_keys}
        expected = f"{models.User.__table__.name}.id"
        assert targets == {expected}, f"Note.owner_id should be a ForeignKey to {expected}; found {targets or 'none'}."

    def test_role_defaults_to_user_and_get_reads_it_back(self, app, models):
        with app.app_context():
            user = models.User(username="carol", password_hash=bcrypt_hash(PASSWORD))
            models.db.session.add(user)
            models.db.session.commit()
            user_id = user.id
        with app.app_context():
            user = models.db.session.get(models.User, user_id)
            assert user is not None and user.role == "user", f"A new User's role should default to 'user', got {user and user.role!r}."

    def test_usernames_are_unique_ignoring_case(self, app, models, database):
        database.add_user("carol")
        for second in ["carol", "Carol", "CAROL"]:
            with case(f"with the user 'carol' stored, adding {second!r}"), app.app_context():
                models.db.session.add(models.User(username=second, password_hash=bcrypt_hash(PASSWORD)))
                try:
                    models.db.session.commit()
                    stored = True
                except IntegrityError:
                    models.db.session.rollback()
                    stored = False
                assert not stored, ("the database stored it; it should refuse it with IntegrityError: usernames are unique "
                                    "(unique=True), also ignoring case (a unique index on lower(username)).")

    def test_created_at_is_set_on_insert(self, app, models, database):
        user_id = database.add_user("carol")
        before = datetime.now(timezone.utc)
        with app.app_context():
            note = models.Note(owner_id=user_id, text="hello")
            models.db.session.add(note)
            models.db.session.commit()
            created = models.db.session.get(models.Note, note.id).created_at
        assert created is not None, "Note.created_at should be set automatically when the row is inserted."
        created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
        assert abs(created - before) < timedelta(minutes=1), f"created_at should be the current UTC time, got {created}."

    def test_created_at_keeps_its_time_zone(self, models):
        column_type = require(models, "Note").__table__.c.created_at.type.compile(dialect=postgresql.dialect())
        assert column_type == "TIMESTAMP WITH TIME ZONE", (
            f"On PostgreSQL, Note.created_at would be {column_type}, expected TIMESTAMP WITH TIME ZONE: without its zone, "
            "a database server set to another time zone shifts the time. Declare it DateTime(timezone=True)."
        )

    def test_deleting_a_user_deletes_their_notes(self, app, models, database):
        user_id = database.add_user("carol")
        database.add_note(user_id, "carol's")
        try:
            database.delete_user(user_id)
        except IntegrityError:
            pytest.fail("Deleting a user who has notes was refused by the database (FOREIGN KEY constraint failed): "
                        "their notes should go with them. Declare ForeignKey(\"users.id\", ondelete=\"CASCADE\").", pytrace=False)
        assert database.count(models.Note) == 0, (
            "Deleting a user should delete their notes in the database: ForeignKey(\"users.id\", ondelete=\"CASCADE\")."
        )

    def test_notes_are_indexed_by_owner(self, app, models, database):
        table = require(models, "Note").__table__.name
        indexed = [index["column_names"] for index in inspect(database.engine).get_indexes(table)]
        assert ["owner_id"] in indexed, (
            f"GET /notes looks notes up by owner_id: the table {table} needs an index on it (mapped_column(..., index=True)), "
            f"or each listing reads every note. Its indexes: {indexed or 'none'}."
        )

    def test_database_url_from_the_environment(self, make_app, app_config, database_url, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", database_url)
        app = make_app({k: v for k, v in app_config.items() if k != "SQLALCHEMY_DATABASE_URI"})
        assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url, (
            f"With DATABASE_URL set and no SQLALCHEMY_DATABASE_URI in test_config, the app should use it; "
            f"it uses {app.config['SQLALCHEMY_DATABASE_URI']!r}."
        )

    def test_jwt_secret_from_the_environment_or_a_long_dev_key(self, make_app, app_config, monkeypatch, caplog):
        without = {k: v for k, v in app_config.items() if k != "JWT_SECRET_KEY"}
        monkeypatch.setenv("JWT_SECRET_KEY", OTHER_SECRET)
        assert make_app(without).config["JWT_SECRET_KEY"] == OTHER_SECRET, "JWT_SECRET_KEY should come from the environment."
        monkeypatch.delenv("JWT_SECRET_KEY")
        with caplog.at_level(logging.WARNING):
            key = make_app(without).config["JWT_SECRET_KEY"]
        assert key and len(key.encode()) >= 32, "Without JWT_SECRET_KEY the dev default must be at least 32 bytes."
        assert any("JWT_SECRET_KEY" in r.getMessage() for r in caplog.records), "Using the dev key should log a warning."


@pytest.mark.exercise("register")
class TestRegister:
    def test_register_answers_201_with_id_and_username(self, client, models, database):
        data = expect_json(register(client), 201)
        assert set(data) == {"id", "username"} and data["username"] == "alice" and isinstance(data["id"], int), (
            f"POST /register should answer {{'id': <int>, 'username': 'alice'}}, got {data!r}."
        )
        assert [u.id for u in database.rows(models.User)] == [data["id"]], "The id should be the new row's id."

    def test_only_a_bcrypt_hash_is_stored(self, client, models, database):
        expect_status(register(client), 201)
        stored = database.rows(models.User)[0].password_hash
        assert PASSWORD not in stored, "The password itself must never be stored."
        assert stored.startswith("$2b$04$"), f"Expected a bcrypt hash made with BCRYPT_LOG_ROUNDS=4 ('$2b$04$...'), got {stored[:7]!r}..."
        assert bcrypt.checkpw(PASSWORD.encode(), stored.encode()), "The stored hash does not verify the password."

    def test_duplicate_usernames_are_409(self, client, models, database):
        expect_status(register(client), 201)
        for again in ["alice", "Alice", "ALICE", " alice "]:
            with case(f"with 'alice' registered, registering {again!r}"):
                expect_error(register(client, again, "another password"), 409)
                assert database.count(models.User) == 1, "A refused registration must not add a row."

    def test_missing_or_empty_fields_are_400(self, client, models, database):
        bodies = [{}, {"username": "bob"}, {"password": PASSWORD}, {"username": "", "password": PASSWORD},
                  {"username": "   ", "password": PASSWORD}, {"username": "bob", "password": ""}, {"username": None, "password": PASSWORD},
                  {"username": 42, "password": PASSWORD}, {"username": "bob", "password": 12345678}, {"username": ["bob"], "password": PASSWORD}]
        for body in bodies:
            with case(f"with the body {body!r}"):
                expect_error(client.post("/register", json=body), 400)
                assert database.count(models.User) == 0, "A refused registration must not add a row."

    def test_non_json_bodies_are_400(self, client):
        for kind, request_args in NOT_JSON:
            with case(f"with {kind}"):
                expect_error(client.post("/register", **request_args), 400)

    def test_deeply_nested_json_is_400_not_a_crash(self, app, client, models, database):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        expect_handled(nested_json(client, "/register"), NESTED)
        assert database.count(models.User) == 0, "A refused registration must not add a row."

    def test_lone_surrogates_are_400_not_a_crash(self, app, client, models, database):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        for field, body in [("username", '{"username": "bob\\ud800", "password": "pw"}'),
                            ("password", '{"username": "bob", "password": "pw\\ud800"}')]:
            with case(f"with a {field} holding a lone surrogate"):
                expect_handled(raw_json(client, "/register", body), f"a {field} holding {SURROGATE}")
                assert database.count(models.User) == 0, "A refused registration must not add a row."

    def test_unusable_usernames_are_400(self, client):
        for name, username in [("a NUL", "bo\x00b"), ("a newline", "bob\nadmin"), ("81 characters", "b" * 81)]:
            with case(f"with a username of {name}"):
                expect_error(register(client, username), 400)

    def test_a_username_of_80_characters_is_fine(self, client):
        username = "b" * 80
        data = expect_json(register(client, username), 201)
        assert data["username"] == username, f"The 80-character username should come back whole, got {data['username']!r}."

    def test_a_taken_name_costs_no_bcrypt_work(self, client, monkeypatch):
        expect_status(register(client), 201)
        bcrypt_calls = spy_on_bcrypt(monkeypatch)
        expect_error(register(client, "ALICE", "another password"), 409)
        assert not bcrypt_calls, (
            f"Refusing the taken name 'ALICE' ran bcrypt ({', '.join(bcrypt_calls)}): look the name up with find_user first "
            "and answer 409 before hashing, so a taken name costs the server nothing."
        )

    def test_a_registration_that_loses_a_race_is_409_and_the_session_still_works(self, app, client, models, database, monkeypatch):
        bcrypt_hash(PASSWORD)  # made before the spy, so the rival's row needs no bcrypt call

        def rival_registers_alice():  # between the app's name check and its insert
            if not database.count(models.User):
                database.add_user("alice")

        spy_on_bcrypt(monkeypatch, before=rival_registers_alice)
        with app.app_context():  # one app context for both requests: they share one database session
            with case("registering 'alice' while a rival request takes the name during hashing"):
                expect_error(register(client), 409)
            with case("registering 'bob' afterwards, on the same session"):
                response = register(client, "bob")
                assert response.status_code == 201, (
                    f"{request_line(response)} answered {response.status_code}, expected 201: after the unique index refused "
                    "'alice' (IntegrityError), roll the session back (db.session.rollback()) before answering 409, or the "
                    f"session stays unusable.\n  What came back: {preview(response)}"
                )
        assert [u.username for u in database.rows(models.User)] == ["alice", "bob"], "Only the rival's alice and bob should be stored."

    def test_a_registration_is_logged(self, app, client, caplog):
        with caplog.at_level(logging.INFO):
            data = expect_json(register(client), 201)
        logged = app_log(caplog.records, app)
        assert any(str(data["id"]) in line for line in logged), (
            f"A registration should be logged (INFO) with the new user's id {data['id']}, never the password: "
            f"current_app.logger.info(...). The app logged {logged or 'nothing'}."
        )

    def test_no_body_gets_a_500(self, client):
        bodies = fuzz.json_bodies({"username": fuzz.TEXT, "password": fuzz.TEXT})
        fuzz.probe(lambda body: raw_json(client, "/register", body), bodies, json_errors=True)

    def test_passwords_over_72_bytes_are_400(self, client, models, database):
        too_long = [("73 ASCII characters", "x" * 73), ("74 bytes in 37 characters", "é" * 37), ("75 bytes in 25 characters", "密" * 25)]
        for name, password in too_long:
            with case(f"with a password of {name}"):
                expect_error(register(client, "bob", password), 400)
                assert database.count(models.User) == 0, "A refused registration must not add a row."

    def test_passwords_of_72_bytes_are_fine(self, client, models, database):
        exactly_72 = [("72 ASCII characters", "x" * 72), ("72 bytes in 36 characters", "é" * 36), ("72 bytes in 24 characters", "密" * 24)]
        for number, (name, password) in enumerate(exactly_72):
            with case(f"with a password of {name}"):
                username = f"bob{number}"
                expect_status(register(client, username, password), 201)
                stored = next(u.password_hash for u in database.rows(models.User) if u.username == username)
                assert bcrypt.checkpw(password.encode(), stored.encode()), "The stored hash does not verify the whole password."

    def test_sql_looking_usernames_are_stored_literally(self, client, models, database):
        for number, username in enumerate(SQL_LOOKING, 1):
            with case(f"with the username {username!r}"):
                data = expect_json(register(client, username), 201)
                assert data["username"] == username, f"The username should come back exactly as sent: {username!r}, got {data['username']!r}."
                stored = [u.username for u in database.rows(models.User)]
                assert stored == SQL_LOOKING[:number], f"The users table should hold exactly {SQL_LOOKING[:number]}; it holds {stored}."

    def test_no_password_or_hash_in_responses_or_logs(self, client, models, database, caplog):
        with caplog.at_level(logging.DEBUG):
            responses = [register(client), register(client), register(client, "bob", "x" * 73)]
        stored = database.rows(models.User)[0].password_hash
        expect_no_secrets(responses, caplog.records, [PASSWORD, stored])


@pytest.mark.exercise("login")
class TestLogin:
    def test_login_answers_a_token_with_a_string_subject_and_a_role_claim(self, client, database):
        user_id = database.add_user("alice")
        data = expect_json(login(client))
        assert set(data) == {"access_token"}, f"POST /login should answer {{'access_token': ...}}, got {data!r}."
        claims = pyjwt.decode(data["access_token"], SECRET, algorithms=["HS256"])
        assert claims.get("sub") == str(user_id), f"The token's subject should be the user id as a string, {str(user_id)!r}; got {claims.get('sub')!r}."
        assert claims.get("role") == "user", f"The token should carry the claim role='user', got {claims.get('role')!r}."

    def test_the_username_ignores_case_and_surrounding_spaces(self, client, database):
        database.add_user("alice")
        expect_status(login(client, " ALICE "), 200)

    def test_wrong_user_or_password_is_401_with_one_message(self, client, database):
        database.add_user("alice")
        reference = expect_error(login(client, "alice", "definitely wrong"), 401)
        wrong = [("alice", "wrong"), ("nobody", PASSWORD), ("alice", PASSWORD + " "), ("alice", PASSWORD.upper()), ("nobody", "wrong")]
        for username, password in wrong:
            with case(f"logging in as {username!r} with the password {password!r}"):
                body = expect_error(login(client, username, password), 401)
                assert body == reference, (
                    f"Every failed login should answer the same body, so it does not reveal which usernames exist: "
                    f"{body!r} differs from {reference!r}."
                )

    def test_over_long_password_at_login_is_refused_not_500(self, client, database):
        database.add_user("alice")
        for name, password in [("73 ASCII characters", "x" * 73), ("80 bytes in 40 characters", "é" * 40)]:
            with case(f"with a password of {name}"):
                response = login(client, "alice", password)
                assert response.status_code in (400, 401), f"A password over 72 bytes at login should answer 401 or 400, got {response.status_code}."
                expect_error(response, response.status_code)

    def test_passwords_of_72_bytes_log_in(self, client, database):
        for number, (name, password) in enumerate([("72 ASCII characters", "x" * 72), ("72 bytes in 36 characters", "é" * 36)]):
            with case(f"with a password of {name}"):
                database.add_user(f"user{number}", password)
                expect_status(login(client, f"user{number}", password), 200)

    def test_an_unknown_user_costs_a_bcrypt_check(self, client, database, monkeypatch):
        database.add_user("alice")
        bcrypt_calls = spy_on_bcrypt(monkeypatch)
        expect_error(login(client, "nobody", PASSWORD), 401)
        assert bcrypt_calls, (
            "Logging in as an unknown user ran no bcrypt check, so it answers faster than a wrong password and the "
            "response time tells which usernames exist: check the password against a dummy hash anyway."
        )

    def test_password_matches_answers_true_or_false(self, request, chapter, app):
        password_matches = require(import_target(request.config, chapter, "security"), "password_matches")
        stored = bcrypt_hash(PASSWORD)
        cases = [("the right password", stored, PASSWORD, True), ("a wrong password", stored, "wrong", False),
                 ("an unknown user (no hash)", None, PASSWORD, False), ("a 73-byte password", stored, "x" * 73, False),
                 ("a lone surrogate", stored, "pw\ud800", False), ("an unknown user's 73-byte password", None, "x" * 73, False)]
        with app.app_context():
            for name, password_hash, password, expected in cases:
                answer = password_matches(password_hash, password)
                assert answer is expected, f"password_matches() with {name} returned {answer!r}, expected {expected!r}."

    def test_a_failed_login_is_logged(self, app, client, database, caplog):
        database.add_user("alice")
        with caplog.at_level(logging.INFO):
            expect_error(login(client, "alice", "wrong"), 401)
        assert app_log(caplog.records, app), (
            "A failed login should be logged (INFO), without the password: current_app.logger.info(...)."
        )

    def test_no_body_gets_a_500(self, client, database):
        database.add_user("alice")
        bodies = fuzz.json_bodies({"username": st.one_of(st.just("alice"), fuzz.TEXT), "password": fuzz.TEXT})
        fuzz.probe(lambda body: raw_json(client, "/login", body), bodies, examples=40, json_errors=True)

    def test_missing_fields_are_400(self, client):
        bodies = [{}, {"username": "alice"}, {"password": PASSWORD}, {"username": "", "password": PASSWORD}, {"username": "alice", "password": 1}]
        for body in bodies:
            with case(f"with the body {body!r}"):
                expect_error(client.post("/login", json=body), 400)

    def test_non_json_bodies_are_400(self, client):
        for kind, request_args in NOT_JSON:
            with case(f"with {kind}"):
                expect_error(client.post("/login", **request_args), 400)

    def test_deeply_nested_json_is_400_not_a_crash(self, app, client):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        expect_handled(nested_json(client, "/login"), NESTED)

    def test_lone_surrogates_and_nul_are_refused_not_a_crash(self, app, client, database):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        database.add_user("alice")
        for what, body in [(f"a username holding {SURROGATE}", f'{{"username": "alice\\ud800", "password": "{PASSWORD}"}}'),
                           (f"a password holding {SURROGATE}", '{"username": "alice", "password": "pw\\ud800"}'),
                           ("a username holding NUL (PostgreSQL text cannot hold it)", f'{{"username": "ali\\u0000ce", "password": "{PASSWORD}"}}')]:
            with case(f"with {what}"):
                expect_handled(raw_json(client, "/login", body), what, (400, 401))

    def test_no_password_or_hash_in_responses_or_logs(self, client, database, caplog):
        database.add_user("alice")
        with caplog.at_level(logging.DEBUG):
            responses = [login(client), login(client, password="wrong"), login(client, "nobody")]
        expect_no_secrets(responses, caplog.records, [PASSWORD, bcrypt_hash(PASSWORD)])


def token_variants(app, user_id: int, good: str) -> dict[str, dict]:
    """Authorization headers that must all be refused with 401."""
    expired = token_for(app, user_id, expires_delta=timedelta(minutes=-5))
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user_id), "role": "admin", "type": "access", "iat": now, "nbf": now, "exp": now + timedelta(minutes=5), "jti": "x", "fresh": False}
    header, payload, signature = good.split(".")
    tampered_payload = pyjwt.utils.base64url_encode(pyjwt.api_jws.json.dumps({**pyjwt.decode(good, options={"verify_signature": False}), "role": "admin"}).encode()).decode()
    return {
        "missing": {},
        "empty bearer": {"Authorization": "Bearer"},
        "not a jwt": bearer("not-a-token"),
        "three garbage parts": bearer("a.b.c"),
        "basic auth": {"Authorization": "Basic YWxpY2U6cHc="},
        "wrong scheme": {"Authorization": f"Token {good}"},
        "expired": bearer(expired),
        "forged with another key": bearer(pyjwt.encode(claims, OTHER_SECRET, algorithm="HS256")),
        "alg none": bearer(pyjwt.encode(claims, None, algorithm="none")),
        "tampered payload": bearer(f"{header}.{tampered_payload}.{signature}"),
    }


@pytest.mark.exercise("me")
class TestMe:
    def test_me_answers_the_user(self, client, alice):
        user_id, token = alice
        expect_json_equal(client.get("/me", headers=bearer(token)), {"id": user_id, "username": "alice", "role": "user"})

    def test_bad_tokens_are_401_with_the_json_error(self, app, client, alice):
        for kind, headers in token_variants(app, *alice).items():
            with case(f"with a bad token ({kind})"):
                response = client.get("/me", headers=headers)
                expect_error(response, 401)
                challenge = response.headers.get("WWW-Authenticate", "")
                assert challenge.split(" ")[0] == "Bearer", (
                    f"A 401 should carry `WWW-Authenticate: Bearer` (it tells the client which credentials to send); "
                    f"got {challenge or 'no such header'!r}. Pass the header in each JWT loader's answer."
                )

    @pytest.mark.parametrize(("error_name", "kinds"), [
        ("unauthorized", ["missing", "basic auth"]),
        ("invalid_token", ["not a jwt", "three garbage parts", "forged with another key", "alg none", "tampered payload"]),
        ("token_expired", ["expired"]),
    ])
    def test_each_kind_of_bad_token_has_its_error_name(self, app, client, alice, error_name, kinds):
        variants = token_variants(app, *alice)
        for kind in kinds:
            with case(f"with a bad token ({kind})"):
                body = expect_error(client.get("/me", headers=variants[kind]), 401)
                assert body["error"] == error_name, (
                    f"The error should be {error_name!r}, got {body['error']!r}: the client reads it to decide whether to log "
                    "in again (unauthorized_loader: 'unauthorized', invalid_token_loader: 'invalid_token', "
                    "expired_token_loader: 'token_expired')."
                )

    def test_no_authorization_header_gets_a_500(self, client, alice):
        values = st.one_of(fuzz.header_values(), fuzz.header_values().map("Bearer {}".format),
                           st.lists(fuzz.header_values(), min_size=3, max_size=3).map(lambda parts: "Bearer " + ".".join(parts)))
        fuzz.probe(lambda value: client.get("/me", headers={"Authorization": value}), values, examples=40, json_errors=True)

    def test_token_of_a_deleted_account_is_401(self, client, database, alice):
        user_id, token = alice
        database.delete_user(user_id)
        expect_error(client.get("/me", headers=bearer(token)), 401)


@pytest.mark.exercise("notes")
class TestNotes:
    def test_create_answers_201_with_the_note(self, client, alice):
        before = datetime.now(timezone.utc)
        data = expect_json(client.post("/notes", json={"text": "buy milk"}, headers=bearer(alice[1])), 201)
        assert set(data) == {"id", "text", "created_at"} and data["text"] == "buy milk", f"Expected {{'id', 'text': 'buy milk', 'created_at'}}, got {data!r}."
        created = datetime.fromisoformat(data["created_at"])
        assert created.tzinfo is not None and abs(created - before) < timedelta(minutes=1), (
            f"created_at should be an ISO 8601 time with its zone, close to now; got {data['created_at']!r}."
        )

    def test_text_is_stored_and_returned_literally(self, client, models, database, alice):
        texts = SQL_LOOKING + ["  spaced  ", "多语言 ✓"]
        for number, text in enumerate(texts, 1):
            with case(f"with the text {text!r}"):
                expect_json(client.post("/notes", json={"text": text}, headers=bearer(alice[1])), 201)
                listed = expect_json(client.get("/notes", headers=bearer(alice[1])))
                assert [note["text"] for note in listed] == texts[:number], (
                    f"GET /notes should give back exactly {texts[:number]!r}, got {listed!r}."
                )
        assert database.count(models.User) == 1, "The users table should be untouched."

    def test_bad_text_is_400(self, client, models, database, alice):
        bodies = [("no text", {}), ("an empty text", {"text": ""}), ("a blank text", {"text": "   \n"}), ("a null text", {"text": None}),
                  ("a number as text", {"text": 42}), ("a list as text", {"text": ["a"]}), ("a NUL in the text", {"text": "a\x00b"}),
                  ("a text of 1001 characters", {"text": "x" * 1001})]
        for name, body in bodies:
            with case(f"with {name}"):
                expect_error(client.post("/notes", json=body, headers=bearer(alice[1])), 400)
                assert database.count(models.Note) == 0, "A refused note must not be stored."

    def test_non_json_bodies_are_400(self, client, alice):
        for kind, request_args in NOT_JSON:
            with case(f"with {kind}"):
                expect_error(client.post("/notes", headers=bearer(alice[1]), **request_args), 400)

    def test_a_text_of_exactly_1000_characters_is_fine(self, client, alice):
        text = "x" * 1000
        data = expect_json(client.post("/notes", json={"text": text}, headers=bearer(alice[1])), 201)
        assert data["text"] == text, "The 1000-character text should be stored and returned whole: 1000 is the limit, not past it."

    def test_no_body_gets_a_500(self, client, alice):
        bodies = fuzz.json_bodies({"text": fuzz.TEXT})
        fuzz.probe(lambda body: raw_json(client, "/notes", body, headers=bearer(alice[1])), bodies, json_errors=True)

    def test_no_note_id_gets_a_500(self, client, alice):
        ids = st.one_of(st.integers().map(str), fuzz.HUGE_NUMBERS.map(str), fuzz.path_segments())
        fuzz.probe(lambda note_id: client.delete(f"/notes/{note_id}", headers=bearer(alice[1])), ids, json_errors=True)

    def test_deeply_nested_json_is_400_not_a_crash(self, app, client, alice):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        expect_handled(nested_json(client, "/notes", headers=bearer(alice[1])), NESTED)

    def test_a_text_with_a_lone_surrogate_is_400_not_a_crash(self, app, client, models, database, alice):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        response = raw_json(client, "/notes", '{"text": "milk \\ud800"}', headers=bearer(alice[1]))
        expect_handled(response, f"a text holding {SURROGATE}")
        assert database.count(models.Note) == 0, "A refused note must not be stored."

    def test_an_id_past_the_databases_integers_is_404_not_a_crash(self, app, client, alice):
        app.config["PROPAGATE_EXCEPTIONS"] = False
        for note_id in [2**31, 2**63, 9999999999999999999, int("9" * 30)]:
            with case(f"deleting note {note_id}"):
                response = client.delete(f"/notes/{note_id}", headers=bearer(alice[1]))
                expect_handled(response, "an id past the database's integers (32-bit on PostgreSQL, 64-bit on SQLite: "
                                         "the database or its driver raises)", (404, 400))

    def test_token_of_a_deleted_account_is_401(self, app, client, database, alice):
        bob = token_for(app, database.add_user("bob"))
        bobs_note = expect_json(client.post("/notes", json={"text": "bob's"}, headers=bearer(bob)), 201)
        database.delete_user(alice[0])
        for method, path in [("GET", "/notes"), ("POST", "/notes"), ("DELETE", "/notes/999999"), ("DELETE", f"/notes/{bobs_note['id']}")]:
            with case(f"{method} {path} with the token of an account deleted since"):
                response = client.open(path, method=method, json={"text": "x"}, headers=bearer(alice[1]))
                assert response.status_code == 401, (
                    f"{request_line(response)} answered {response.status_code}, expected 401: a token whose account no "
                    "longer exists names nobody, whatever the note id (call current_user() before looking the note up)."
                    f"\n  What came back: {preview(response)}"
                )
                expect_error(response, 401)

    def test_each_user_lists_only_their_notes(self, app, client, database, alice):
        bob = token_for(app, database.add_user("bob"))
        mine = [expect_json(client.post("/notes", json={"text": t}, headers=bearer(alice[1])), 201) for t in ("one", "two")]
        expect_status(client.post("/notes", json={"text": "bob's"}, headers=bearer(bob)), 201)
        expect_json_equal(client.get("/notes", headers=bearer(alice[1])), mine)

    def test_delete_own_note(self, client, alice):
        note = expect_json(client.post("/notes", json={"text": "gone soon"}, headers=bearer(alice[1])), 201)
        expect_status(client.delete(f"/notes/{note['id']}", headers=bearer(alice[1])), 204)
        expect_json_equal(client.get("/notes", headers=bearer(alice[1])), [])

    def test_another_users_note_is_404_and_survives(self, app, client, models, database, alice):
        bob = token_for(app, database.add_user("bob"))
        note = expect_json(client.post("/notes", json={"text": "bob's secret"}, headers=bearer(bob)), 201)
        expect_error(client.delete(f"/notes/{note['id']}", headers=bearer(alice[1])), 404)
        assert [n.id for n in database.rows(models.Note)] == [note["id"]], "Bob's note must survive Alice's DELETE."
        expect_json_equal(client.get("/notes", headers=bearer(bob)), [note])

    def test_unknown_note_is_404(self, client, alice):
        expect_error(client.delete("/notes/999999", headers=bearer(alice[1])), 404)

    def test_notes_need_a_token(self, client):
        for method, path in [("GET", "/notes"), ("POST", "/notes"), ("DELETE", "/notes/1")]:
            with case("without a token"):
                expect_refused(client.open(path, method=method, json={"text": "x"}))

    def test_a_failed_request_leaves_no_partial_rows(self, make_app, client, models, database, alice):
        expect_status(client.post("/notes", json={"text": "kept"}, headers=bearer(alice[1])), 201)
        failing = make_app()  # a second app on the same database: routes can still be added to it

        def write_then_fail():
            models.db.session.add(models.User(username="half-made", password_hash="x" * 60))
            models.db.session.add(models.Note(owner_id=alice[0], text="half-made"))
            models.db.session.flush()  # the rows are in the database's transaction now
            raise RuntimeError("the grader's view fails after writing")

        failing.add_url_rule("/grader-fails", "grader_fails", write_then_fail, methods=["POST"])
        failing.config["PROPAGATE_EXCEPTIONS"] = False
        body = expect_error(failing.test_client().post("/grader-fails"), 500)
        assert "grader's view" not in body["message"], "The 500 answer must not leak the exception's text."
        assert (database.count(models.User), database.count(models.Note)) == (1, 1), (
            "A request that failed after writing must leave nothing behind (its transaction rolls back)."
        )
        expect_status(client.post("/notes", json={"text": "still works"}, headers=bearer(alice[1])), 201)

    def test_a_second_app_reads_what_the_first_wrote(self, make_app, client, alice):
        note = expect_json(client.post("/notes", json={"text": "written by app one"}, headers=bearer(alice[1])), 201)
        other = make_app()
        expect_json_equal(other.test_client().get("/notes", headers=bearer(token_for(other, alice[0]))), [note])


@pytest.mark.exercise("admin")
class TestAdmin:
    def create_admin(self, runner, *args, input=None):
        return runner.invoke(args=["create-admin", *args], input=input)

    def test_admin_lists_every_user(self, app, client, models, database, runner):
        database.add_user("alice")
        result = self.create_admin(runner, "boss", "--password", PASSWORD)
        assert result.exit_code == 0, f"create-admin boss --password ... failed: {result.output}"
        users = database.rows(models.User)
        expected = [{"id": u.id, "username": u.username, "role": u.role} for u in users]
        assert [(u["username"], u["role"]) for u in expected] == [("alice", "user"), ("boss", "admin")], (
            f"Expected alice (user) and boss (admin), found {expected!r}."
        )
        token = token_for(app, users[1].id, "admin")
        expect_json_equal(client.get("/admin/users", headers=bearer(token)), expected)

    def test_non_admin_is_403(self, client, alice):
        expect_error(client.get("/admin/users", headers=bearer(alice[1])), 403)

    def test_no_authorization_header_gets_a_500(self, client, alice):
        values = st.one_of(fuzz.header_values(), fuzz.header_values().map("Bearer {}".format))
        fuzz.probe(lambda value: client.get("/admin/users", headers={"Authorization": value}), values)

    @pytest.mark.parametrize(("change", "status", "why"), [
        ("deleted", 401, "the token outlives the account it names: admin_only must load the account (current_user())"),
        ("demoted to 'user'", 403, "the role claim was true at login: admin_only must check the account's current role "
                                   "in the database (current_user().role)"),
    ], ids=["deleted", "demoted"])
    def test_the_database_decides_not_the_token(self, app, client, database, change, status, why):
        admin_id = database.add_user("boss", role="admin")
        token = token_for(app, admin_id, "admin")
        expect_status(client.get("/admin/users", headers=bearer(token)), 200)
        if change == "deleted":
            database.delete_user(admin_id)
        else:
            database.set_role(admin_id, "user")
        response = client.get("/admin/users", headers=bearer(token))
        assert response.status_code == status, (
            f"GET /admin/users with the admin token of an account {change} since answered {response.status_code}, "
            f"expected {status}: {why}.\n  What came back: {preview(response)}"
        )
        expect_error(response, status)

    def test_no_or_bad_token_is_401(self, app, client, alice):
        variants = token_variants(app, *alice)
        for kind in ["missing", "expired", "forged with another key", "tampered payload"]:
            with case(f"with a bad token ({kind})"):
                expect_refused(client.get("/admin/users", headers=variants[kind]))

    def test_admin_only_keeps_the_view_name(self, app):
        endpoint = next((r.endpoint for r in app.url_map.iter_rules() if r.rule == "/admin/users"), None)
        assert endpoint, "There is no /admin/users route."
        view = app.view_functions[endpoint]
        assert hasattr(view, "__wrapped__") and view.__name__ == view.__wrapped__.__name__, (
            f"The view behind /admin/users ({view.__name__}) should be wrapped by admin_only with functools.wraps, "
            "which keeps the view's name (Flask's endpoint) and sets __wrapped__."
        )

    def test_create_admin_prompts_for_a_hidden_password(self, models, database, runner):
        secret = "Prompted-S3cret!"
        result = self.create_admin(runner, "boss", input=f"{secret}\n{secret}\n")
        assert result.exit_code == 0, f"create-admin boss (password typed at the prompt) failed: {result.output}"
        assert secret not in result.output, "The typed password must not be echoed or printed."
        first_line = result.output.splitlines()[0] if result.output else ""
        assert re.search(r"(?i)\bpassword\b", first_line), f"The prompt should ask for the password by name; it says {first_line!r}."
        users = database.rows(models.User)
        assert [(u.username, u.role) for u in users] == [("boss", "admin")], (
            f"create-admin boss should add boss as an admin; the users are {[(u.username, u.role) for u in users]}."
        )
        assert bcrypt.checkpw(secret.encode(), users[0].password_hash.encode()), (
            "boss's stored hash does not verify the password typed at the prompt."
        )

    def test_create_admin_asks_for_the_password_twice(self, models, database, runner):
        result = self.create_admin(runner, "boss", input="Prompted-S3cret!\nmistyped\n")
        assert database.count(models.User) == 0, (
            "create-admin boss with two different passwords typed at the prompt created the user: ask twice "
            f"(click.prompt(..., confirmation_prompt=True)) so a typo cannot lock the admin out.\n  It printed {result.output!r}"
        )

    def test_create_admin_says_what_it_did(self, database, runner):
        database.add_user("alice")
        outputs = {what: self.create_admin(runner, name, "--password", PASSWORD).output.strip()
                   for what, name in [("created boss", "boss"), ("promoted alice", "alice"), ("ran again for alice", "alice")]}
        for what, output in outputs.items():
            name = what.rsplit(" ", 1)[1]
            assert name in output, f"create-admin should say what it did ({what}), naming the user; it printed {output!r}."
        assert len(set(outputs.values())) == 3, (
            f"Creating, promoting and a run that changes nothing should each say so differently; they printed {outputs!r}."
        )

    def test_create_admin_is_idempotent(self, models, database, runner):
        first = self.create_admin(runner, "boss", "--password", PASSWORD)
        before = [(u.id, u.username, u.role, u.password_hash) for u in database.rows(models.User)]
        second = self.create_admin(runner, "boss", "--password", PASSWORD)
        assert (first.exit_code, second.exit_code) == (0, 0), f"Both runs should succeed: {first.output!r} / {second.output!r}"
        after = [(u.id, u.username, u.role, u.password_hash) for u in database.rows(models.User)]
        assert after == before and [row[2] for row in after] == ["admin"], f"Running create-admin twice should change nothing; before {before}, after {after}."
        for secret in (PASSWORD, before[0][3]):
            assert secret not in first.output + second.output, "create-admin must not print the password or its hash."

    def test_create_admin_promotes_an_existing_user(self, app, client, models, database, runner):
        user_id = database.add_user("alice")
        result = self.create_admin(runner, "Alice")
        assert result.exit_code == 0, f"create-admin Alice (an existing user) failed: {result.output}"
        users = database.rows(models.User)
        assert [(u.username, u.role) for u in users] == [("alice", "admin")], "alice should now be an admin, and the only user."
        assert users[0].password_hash == bcrypt_hash(PASSWORD), "Promoting alice must keep her password (its hash is unchanged)."
        expect_status(client.get("/admin/users", headers=bearer(token_for(app, user_id, "admin"))), 200)

    def test_create_admin_refuses_bad_input(self, models, database, runner):
        typed_twice = f"{PASSWORD}\n{PASSWORD}\n"  # a good password at the prompt: the bad input alone is what refuses
        for name, args, typed, parameter in [
            ("a blank username", ["  "], typed_twice, "USERNAME"), ("an 81-character username", ["b" * 81], typed_twice, "USERNAME"),
            ("a username with a newline", ["boss\nroot"], typed_twice, "USERNAME"),
            ("a 73-byte password", ["boss", "--password", "x" * 73], None, "--password"),
            ("a 73-byte typed password", ["boss"], f"{'x' * 73}\n{'x' * 73}\n", "--password"),
        ]:
            with case(f"with {name}"):
                result = self.create_admin(runner, *args, input=typed)
                crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
                error_line = next((line for line in result.output.splitlines() if line.startswith("Error:")), "")
                assert result.exit_code == 2 and not crashed, (
                    f"create-admin {args} should refuse with click's usage error (raise click.BadParameter: exit status 2); "
                    + (f"it crashed with {result.exception!r}." if crashed else
                       f"it exited with {result.exit_code} and printed {result.output!r}")
                )
                assert re.search(rf"(?<![\w-]){re.escape(parameter)}\b", error_line), (
                    f"The error should name what was wrong ({parameter}: click.BadParameter(..., param_hint={parameter!r})); "
                    f"it says {error_line!r}."
                )
                assert database.count(models.User) == 0, "A refused create-admin must not add a user."
