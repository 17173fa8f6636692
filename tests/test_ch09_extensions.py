"""Grader for chapter 9: Extensions (see chapters/ch09_extensions/README.md).

One exercise, one verdict: a test runs only its own exercise's code, plus the `models` it
stands on (every other exercise `requires` it in chapter.toml). The grader sets the scene itself
(tests/ch09_scene/: its own way into the database, its own tokens, the requests it sends):

- users are rows it inserts, with a bcrypt hash it makes (cost 4), never through /register;
- access tokens are minted in the app with `create_access_token(identity=str(id),
  additional_claims={"role": role})`, the curriculum's shape, never fetched from /login;
- a password set by create-admin is checked against the stored hash, not through /login;
- a notes or admin request whose token is missing or bad must be refused: 401, or the 422
  Flask-JWT-Extended answers for an invalid token until `me`'s loaders make it 401. The
  JSON body of those 401s comes from `me`'s loaders, so TestMe alone grades it.

Cases that need the same setup share one test (and its app); `case()` names the case in a
failure. Every test builds its own apps with create_app and starts with an empty database:
one for the module, emptied after each test.
"""
import gc
import logging
import re
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt as pyjwt
import pytest
from hypothesis import strategies as st
from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError

# What the chapter's code imports, or SQLAlchemy loads at the first engine (the SQLite driver):
# imported with the grader, so that the forks of a warm grader find them loaded instead of
# importing them again on every check. Never the chapter's own code.
import flask_bcrypt  # noqa: F401
import flask_sqlalchemy  # noqa: F401
import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401
import sqlite3  # noqa: F401

from tests import fuzz
from tests.ch09_scene.checks import app_log, case, expect_bad_input_refused, expect_no_secrets, expect_token_refused
from tests.ch09_scene.client_requests import (SQL_LOOKING, deep_nesting, login, lone_surrogate, nested_json, not_json,
                                              raw_json, register)
from tests.ch09_scene.database import PASSWORD, GraderDatabase, bcrypt_hash, scratch_database_url, spy_on_bcrypt
from tests.ch09_scene.tokens import OTHER_SECRET, SECRET, token_for, token_variants
from tests.expect import expect_error, expect_json, expect_json_equal, expect_status, preview, request_line
from tests.helpers import bearer, import_target, require
from track.model.i18n import _


@pytest.fixture(scope="module", autouse=True)
def collector_skips_the_libraries():
    """Every test builds apps, engines and sessions: their garbage sets off the cycle collector
    over and over, and each full collection would walk the ~100,000 objects the libraries made
    at import. Frozen, those are skipped (a fifth of the tests' CPU time); afterwards they are not."""
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(scope="module")
def models(request, chapter):
    return import_target(request.config, chapter, "models")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    with scratch_database_url(lambda: tmp_path_factory.mktemp("ch09")) as url:
        yield url


@pytest.fixture(scope="module")
def database(database_url, models):
    grader_database = GraderDatabase(database_url, models)
    yield grader_database
    grader_database.close()


@pytest.fixture
def app_config(database_url):
    # BCRYPT_LOG_ROUNDS: the contract's cost for tests, bcrypt's lowest: a hash in ~1 ms (0.2 s at the default 12).
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "BCRYPT_LOG_ROUNDS": 4, "JWT_SECRET_KEY": SECRET}


@pytest.fixture
def built_apps(models, database):
    """The apps a test built (conftest's make_app); afterwards their connections are closed and the database emptied."""
    apps = []
    yield apps
    for app in apps:
        with app.app_context():
            models.db.engine.dispose()  # close its connections: a database server would keep them
    database.empty()


@pytest.fixture
def alice(app, database) -> tuple[int, str]:
    """A user of the database and her access token: (user id, token)."""
    user_id = database.add_user("alice")
    return user_id, token_for(app, user_id)


@pytest.mark.exercise("models")
class TestModels:
    @pytest.mark.rule("tables-created")
    def test_create_app_creates_the_tables(self, app, models):
        tables = [require(models, name).__table__.name for name in ("User", "Note")]
        with app.app_context():
            missing = [table for table in tables if not inspect(models.db.engine).has_table(table)]
        assert not missing, _("create_app() should create the tables {missing} (db.create_all() inside an app context).").format(
            missing=missing)

    @pytest.mark.parametrize(
        ("name", "columns"), [("User", {"id", "username", "password_hash", "role"}), ("Note", {"id", "owner_id", "text", "created_at"})]
    )
    @pytest.mark.rule("typed-columns")
    def test_columns_are_typed_mapped_attributes(self, models, name, columns):
        model = require(models, name)
        found = set(model.__table__.columns.keys())
        assert columns <= found, _("{name} should have the columns {expected}; it has {found}.").format(
            name=name, expected=sorted(columns), found=sorted(found))
        untyped = sorted(c for c in columns if "Mapped" not in str(model.__annotations__.get(c, "")))
        assert not untyped, _(
            "{name}: declare {untyped} as SQLAlchemy 2 typed attributes, `name: Mapped[type] = mapped_column(...)`."
        ).format(name=name, untyped=untyped)

    @pytest.mark.rule("owner-foreign-key")
    def test_note_owner_is_a_foreign_key_to_users(self, models):
        targets = {fk.target_fullname for fk in models.Note.__table__.c.owner_id.foreign_keys}
        expected = f"{models.User.__table__.name}.id"
        assert targets == {expected}, _("Note.owner_id should be a ForeignKey to {expected}; found {found}.").format(
            expected=expected, found=targets or _("none"))

    @pytest.mark.rule("role-defaults-to-user")
    def test_role_defaults_to_user_and_get_reads_it_back(self, app, models):
        with app.app_context():
            user = models.User(username="carol", password_hash=bcrypt_hash(PASSWORD))
            models.db.session.add(user)
            models.db.session.commit()
            user_id = user.id
        with app.app_context():
            user = models.db.session.get(models.User, user_id)
            assert user is not None and user.role == "user", _("A new User's role should default to 'user', got {role}.").format(
                role=repr(user and user.role))

    @pytest.mark.rule("unique-name-case-insensitive")
    def test_usernames_are_unique_ignoring_case(self, app, models, database):
        database.add_user("carol")
        for second in ["carol", "Carol", "CAROL"]:
            with case(_("with the user 'carol' stored, adding {second}").format(second=repr(second))), app.app_context():
                models.db.session.add(models.User(username=second, password_hash=bcrypt_hash(PASSWORD)))
                try:
                    models.db.session.commit()
                    stored = True
                except IntegrityError:
                    models.db.session.rollback()
                    stored = False
                assert not stored, _("the database stored it; it should refuse it with IntegrityError: usernames are unique "
                                     "(unique=True), also ignoring case (a unique index on lower(username)).")

    @pytest.mark.rule("created-at-on-insert")
    def test_created_at_is_set_on_insert(self, app, models, database):
        user_id = database.add_user("carol")
        before = datetime.now(timezone.utc)
        with app.app_context():
            note = models.Note(owner_id=user_id, text="hello")
            models.db.session.add(note)
            models.db.session.commit()
            created = models.db.session.get(models.Note, note.id).created_at
        assert created is not None, _("Note.created_at should be set automatically when the row is inserted.")
        created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
        assert abs(created - before) < timedelta(minutes=1), _("created_at should be the current UTC time, got {created}.").format(
            created=created)

    @pytest.mark.rule("created-at-with-time-zone")
    def test_created_at_keeps_its_time_zone(self, models):
        column_type = require(models, "Note").__table__.c.created_at.type.compile(dialect=postgresql.dialect())
        assert column_type == "TIMESTAMP WITH TIME ZONE", _(
            "On PostgreSQL, Note.created_at would be {column_type}, expected TIMESTAMP WITH TIME ZONE: without its zone, "
            "a database server set to another time zone shifts the time. Declare it DateTime(timezone=True)."
        ).format(column_type=column_type)

    @pytest.mark.rule("cascade-delete")
    def test_deleting_a_user_deletes_their_notes(self, app, models, database):
        user_id = database.add_user("carol")
        database.add_note(user_id, "carol's")
        try:
            database.delete_user(user_id)
        except IntegrityError:
            pytest.fail(_("Deleting a user who has notes was refused by the database (FOREIGN KEY constraint failed): "
                          "their notes should go with them. Declare ForeignKey(\"users.id\", ondelete=\"CASCADE\")."),
                        pytrace=False)
        assert database.count(models.Note) == 0, _(
            "Deleting a user should delete their notes in the database: ForeignKey(\"users.id\", ondelete=\"CASCADE\")."
        )

    @pytest.mark.rule("owner-id-index")
    def test_notes_are_indexed_by_owner(self, app, models, database):
        table = require(models, "Note").__table__.name
        indexed = [index["column_names"] for index in inspect(database.engine).get_indexes(table)]
        assert ["owner_id"] in indexed, _(
            "GET /notes looks notes up by owner_id: the table {table} needs an index on it (mapped_column(..., index=True)), "
            "or each listing reads every note. Its indexes: {indexes}."
        ).format(table=table, indexes=indexed or _("none"))

    @pytest.mark.rule("config-from-environment")
    def test_database_url_from_the_environment(self, make_app, database_url, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", database_url)
        app = make_app(without=["SQLALCHEMY_DATABASE_URI"])
        assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url, _(
            "With DATABASE_URL set and no SQLALCHEMY_DATABASE_URI in test_config, the app should use it; it uses {url}."
        ).format(url=repr(app.config["SQLALCHEMY_DATABASE_URI"]))

    @pytest.mark.rule("config-from-environment")
    def test_jwt_secret_from_the_environment_or_a_long_dev_key(self, make_app, monkeypatch, caplog):
        monkeypatch.setenv("JWT_SECRET_KEY", OTHER_SECRET)
        assert make_app(without=["JWT_SECRET_KEY"]).config["JWT_SECRET_KEY"] == OTHER_SECRET, _(
            "JWT_SECRET_KEY should come from the environment.")
        monkeypatch.delenv("JWT_SECRET_KEY")
        with caplog.at_level(logging.WARNING):
            key = make_app(without=["JWT_SECRET_KEY"]).config["JWT_SECRET_KEY"]
        assert key and len(key.encode()) >= 32, _("Without JWT_SECRET_KEY the dev default must be at least 32 bytes.")
        assert any("JWT_SECRET_KEY" in r.getMessage() for r in caplog.records), _("Using the dev key should log a warning.")


@pytest.mark.exercise("register")
class TestRegister:
    @pytest.mark.rule("created-201")
    def test_register_answers_201_with_id_and_username(self, client, models, database):
        data = expect_json(register(client), 201)
        assert set(data) == {"id", "username"} and data["username"] == "alice" and isinstance(data["id"], int), _(
            "POST /register should answer {{'id': <int>, 'username': 'alice'}}, got {data}."
        ).format(data=repr(data))
        assert [u.id for u in database.rows(models.User)] == [data["id"]], _("The id should be the new row's id.")

    @pytest.mark.rule("bcrypt-hash-only")
    def test_only_a_bcrypt_hash_is_stored(self, client, models, database):
        expect_status(register(client), 201)
        stored = database.rows(models.User)[0].password_hash
        assert PASSWORD not in stored, _("The password itself must never be stored.")
        assert stored.startswith("$2b$04$"), _(
            "Expected a bcrypt hash made with BCRYPT_LOG_ROUNDS=4 ('$2b$04$...'), got {start}..."
        ).format(start=repr(stored[:7]))
        assert bcrypt.checkpw(PASSWORD.encode(), stored.encode()), _("The stored hash does not verify the password.")

    @pytest.mark.rule("taken-409")
    def test_duplicate_usernames_are_409(self, client, models, database):
        expect_status(register(client), 201)
        for again in ["alice", "Alice", "ALICE", " alice "]:
            with case(_("with 'alice' registered, registering {again}").format(again=repr(again))):
                expect_error(register(client, again, "another password"), 409)
                assert database.count(models.User) == 1, _("A refused registration must not add a row.")

    @pytest.mark.rule("bad-fields-400")
    def test_missing_or_empty_fields_are_400(self, client, models, database):
        bodies = [{}, {"username": "bob"}, {"password": PASSWORD}, {"username": "", "password": PASSWORD},
                  {"username": "   ", "password": PASSWORD}, {"username": "bob", "password": ""}, {"username": None, "password": PASSWORD},
                  {"username": 42, "password": PASSWORD}, {"username": "bob", "password": 12345678}, {"username": ["bob"], "password": PASSWORD}]
        for body in bodies:
            with case(_("with the body {body}").format(body=repr(body))):
                expect_error(client.post("/register", json=body), 400)
                assert database.count(models.User) == 0, _("A refused registration must not add a row.")

    @pytest.mark.rule("bad-fields-400")
    def test_non_json_bodies_are_400(self, client):
        for kind, request_args in not_json():
            with case(_("with {kind}").format(kind=kind)):
                expect_error(client.post("/register", **request_args), 400)

    @pytest.mark.rule("bad-fields-400")
    def test_deeply_nested_json_is_400_not_a_crash(self, crash_as_500, client, models, database):
        expect_bad_input_refused(nested_json(client, "/register"), deep_nesting())
        assert database.count(models.User) == 0, _("A refused registration must not add a row.")

    @pytest.mark.rule("bad-fields-400")
    def test_lone_surrogates_are_400_not_a_crash(self, crash_as_500, client, models, database):
        for field, body in [("username", '{"username": "bob\\ud800", "password": "pw"}'),
                            ("password", '{"username": "bob", "password": "pw\\ud800"}')]:
            with case(_("with a {field} holding a lone surrogate").format(field=field)):
                expect_bad_input_refused(raw_json(client, "/register", body),
                               _("a {field} holding {surrogate}").format(field=field, surrogate=lone_surrogate()))
                assert database.count(models.User) == 0, _("A refused registration must not add a row.")

    @pytest.mark.rule("username-limits")
    def test_unusable_usernames_are_400(self, client):
        for name, username in [(_("a NUL"), "bo\x00b"), (_("a newline"), "bob\nadmin"), (_("81 characters"), "b" * 81)]:
            with case(_("with a username of {name}").format(name=name)):
                expect_error(register(client, username), 400)

    @pytest.mark.rule("username-limits")
    def test_a_username_of_80_characters_is_fine(self, client):
        username = "b" * 80
        data = expect_json(register(client, username), 201)
        assert data["username"] == username, _("The 80-character username should come back whole, got {got}.").format(
            got=repr(data["username"]))

    @pytest.mark.rule("taken-costs-no-bcrypt")
    def test_a_taken_name_costs_no_bcrypt_work(self, client, monkeypatch):
        expect_status(register(client), 201)
        bcrypt_calls = spy_on_bcrypt(monkeypatch)
        expect_error(register(client, "ALICE", "another password"), 409)
        assert not bcrypt_calls, _(
            "Refusing the taken name 'ALICE' ran bcrypt ({calls}): look the name up with find_user first "
            "and answer 409 before hashing, so a taken name costs the server nothing."
        ).format(calls=", ".join(bcrypt_calls))

    @pytest.mark.rule("race-409-rollback")
    def test_a_registration_that_loses_a_race_is_409_and_the_session_still_works(self, app, client, models, database, monkeypatch):
        bcrypt_hash(PASSWORD)  # made before the spy, so the rival's row needs no bcrypt call

        def rival_registers_alice():  # between the app's name check and its insert
            if not database.count(models.User):
                database.add_user("alice")

        spy_on_bcrypt(monkeypatch, before=rival_registers_alice)
        with app.app_context():  # one app context for both requests: they share one database session
            with case(_("registering 'alice' while a rival request takes the name during hashing")):
                expect_error(register(client), 409)
            with case(_("registering 'bob' afterwards, on the same session")):
                response = register(client, "bob")
                assert response.status_code == 201, _(
                    "{request} answered {got}, expected 201: after the unique index refused "
                    "'alice' (IntegrityError), roll the session back (db.session.rollback()) before answering 409, or the "
                    "session stays unusable.\n  What came back: {preview}"
                ).format(request=request_line(response), got=response.status_code, preview=preview(response))
        assert [u.username for u in database.rows(models.User)] == ["alice", "bob"], _(
            "Only the rival's alice and bob should be stored.")

    @pytest.mark.rule("logged-info")
    def test_a_registration_is_logged(self, app, client, caplog):
        with caplog.at_level(logging.INFO):
            data = expect_json(register(client), 201)
        logged = app_log(caplog.records, app)
        assert any(str(data["id"]) in line for line in logged), _(
            "A registration should be logged (INFO) with the new user's id {id}, never the password: "
            "current_app.logger.info(...). The app logged {logged}."
        ).format(id=data["id"], logged=logged or _("nothing"))

    @pytest.mark.rule("never-500")
    def test_any_body_gets_no_500_and_json_errors(self, client):
        bodies = fuzz.json_bodies({"username": fuzz.TEXT, "password": fuzz.TEXT})
        fuzz.probe(lambda body: raw_json(client, "/register", body), bodies, json_errors=True)

    @pytest.mark.rule("password-72-bytes")
    def test_passwords_over_72_bytes_are_400(self, client, models, database):
        too_long = [(_("73 ASCII characters"), "x" * 73), (_("74 bytes in 37 characters"), "é" * 37),
                    (_("75 bytes in 25 characters"), "密" * 25)]
        for name, password in too_long:
            with case(_("with a password of {name}").format(name=name)):
                expect_error(register(client, "bob", password), 400)
                assert database.count(models.User) == 0, _("A refused registration must not add a row.")

    @pytest.mark.rule("password-72-bytes")
    def test_passwords_of_72_bytes_are_fine(self, client, models, database):
        exactly_72 = [(_("72 ASCII characters"), "x" * 72), (_("72 bytes in 36 characters"), "é" * 36),
                      (_("72 bytes in 24 characters"), "密" * 24)]
        for number, (name, password) in enumerate(exactly_72):
            with case(_("with a password of {name}").format(name=name)):
                username = f"bob{number}"
                expect_status(register(client, username, password), 201)
                stored = next(u.password_hash for u in database.rows(models.User) if u.username == username)
                assert bcrypt.checkpw(password.encode(), stored.encode()), _("The stored hash does not verify the whole password.")

    @pytest.mark.rule("stored-literally")
    def test_sql_looking_usernames_are_stored_literally(self, client, models, database):
        for number, username in enumerate(SQL_LOOKING, 1):
            with case(_("with the username {username}").format(username=repr(username))):
                data = expect_json(register(client, username), 201)
                assert data["username"] == username, _("The username should come back exactly as sent: {sent}, got {got}.").format(
                    sent=repr(username), got=repr(data["username"]))
                stored = [u.username for u in database.rows(models.User)]
                assert stored == SQL_LOOKING[:number], _("The users table should hold exactly {expected}; it holds {stored}.").format(
                    expected=SQL_LOOKING[:number], stored=stored)

    @pytest.mark.rule("no-secrets")
    def test_no_password_or_hash_in_responses_or_logs(self, client, models, database, caplog):
        with caplog.at_level(logging.DEBUG):
            responses = [register(client), register(client), register(client, "bob", "x" * 73)]
        stored = database.rows(models.User)[0].password_hash
        expect_no_secrets(responses, caplog.records, [PASSWORD, stored])


@pytest.mark.exercise("login")
class TestLogin:
    @pytest.mark.rule("token-sub-and-role")
    def test_login_answers_a_token_with_a_string_subject_and_a_role_claim(self, client, database):
        user_id = database.add_user("alice")
        data = expect_json(login(client), cause=_(
            "The password was right, and the database holds its bcrypt hash, not the password: compare the two "
            "with password_matches(user.password_hash, password) (bcrypt's check), never password_hash == password."))
        assert set(data) == {"access_token"}, _("POST /login should answer {{'access_token': ...}}, got {data}.").format(
            data=repr(data))
        claims = pyjwt.decode(data["access_token"], SECRET, algorithms=["HS256"])
        assert claims.get("sub") == str(user_id), _(
            "The token's subject should be the user id as a string, {expected}; got {got}."
        ).format(expected=repr(str(user_id)), got=repr(claims.get("sub")))
        assert claims.get("role") == "user", _("The token should carry the claim role='user', got {role}.").format(
            role=repr(claims.get("role")))

    @pytest.mark.rule("username-case-and-spaces")
    def test_the_username_ignores_case_and_surrounding_spaces(self, client, database):
        database.add_user("alice")
        expect_status(login(client, " ALICE "), 200)

    @pytest.mark.rule("one-401-message")
    def test_wrong_user_or_password_is_401_with_one_message(self, client, database):
        database.add_user("alice")
        reference = expect_error(login(client, "alice", "definitely wrong"), 401)
        wrong = [("alice", "wrong"), ("nobody", PASSWORD), ("alice", PASSWORD + " "), ("alice", PASSWORD.upper()), ("nobody", "wrong")]
        for username, password in wrong:
            with case(_("logging in as {username} with the password {password}").format(
                    username=repr(username), password=repr(password))):
                body = expect_error(login(client, username, password), 401)
                assert body == reference, _(
                    "Every failed login should answer the same body, so it does not reveal which usernames exist: "
                    "{body} differs from {reference}."
                ).format(body=repr(body), reference=repr(reference))

    @pytest.mark.rule("long-password-refused")
    def test_over_long_password_at_login_is_refused_not_500(self, client, database):
        database.add_user("alice")
        for name, password in [(_("73 ASCII characters"), "x" * 73), (_("80 bytes in 40 characters"), "é" * 40)]:
            with case(_("with a password of {name}").format(name=name)):
                response = login(client, "alice", password)
                assert response.status_code in (400, 401), _(
                    "A password over 72 bytes at login should answer 401 or 400, got {got}.").format(got=response.status_code)
                expect_error(response, response.status_code)

    @pytest.mark.rule("long-password-refused")
    def test_passwords_of_72_bytes_log_in(self, client, database):
        for number, (name, password) in enumerate([(_("72 ASCII characters"), "x" * 72), (_("72 bytes in 36 characters"), "é" * 36)]):
            with case(_("with a password of {name}").format(name=name)):
                database.add_user(f"user{number}", password)
                expect_status(login(client, f"user{number}", password), 200)

    @pytest.mark.rule("unknown-user-bcrypt")
    def test_an_unknown_user_costs_a_bcrypt_check(self, client, database, monkeypatch):
        database.add_user("alice")
        bcrypt_calls = spy_on_bcrypt(monkeypatch)
        expect_error(login(client, "nobody", PASSWORD), 401)
        assert bcrypt_calls, _(
            "Logging in as an unknown user ran no bcrypt check, so it answers faster than a wrong password and the "
            "response time tells which usernames exist: check the password against a dummy hash anyway."
        )

    @pytest.mark.rule("password-matches-bool")
    def test_password_matches_answers_true_or_false(self, request, chapter, app):
        password_matches = require(import_target(request.config, chapter, "security"), "password_matches")
        stored = bcrypt_hash(PASSWORD)
        cases = [(_("the right password"), stored, PASSWORD, True), (_("a wrong password"), stored, "wrong", False),
                 (_("an unknown user (no hash)"), None, PASSWORD, False), (_("a 73-byte password"), stored, "x" * 73, False),
                 (_("a lone surrogate"), stored, "pw\ud800", False), (_("an unknown user's 73-byte password"), None, "x" * 73, False)]
        with app.app_context():
            for name, password_hash, password, expected in cases:
                answer = password_matches(password_hash, password)
                assert answer is expected, _("password_matches() with {name} returned {answer}, expected {expected}.").format(
                    name=name, answer=repr(answer), expected=repr(expected))

    @pytest.mark.rule("failed-login-logged")
    def test_a_failed_login_is_logged(self, app, client, database, caplog):
        database.add_user("alice")
        with caplog.at_level(logging.INFO):
            expect_error(login(client, "alice", "wrong"), 401)
        assert app_log(caplog.records, app), _(
            "A failed login should be logged (INFO), without the password: current_app.logger.info(...)."
        )

    @pytest.mark.rule("never-500")
    def test_any_body_gets_no_500_and_json_errors(self, client, database):
        database.add_user("alice")
        bodies = fuzz.json_bodies({"username": st.one_of(st.just("alice"), fuzz.TEXT), "password": fuzz.TEXT})
        fuzz.probe(lambda body: raw_json(client, "/login", body), bodies, examples=40, json_errors=True)

    @pytest.mark.rule("bad-fields-400")
    def test_missing_fields_are_400(self, client):
        bodies = [{}, {"username": "alice"}, {"password": PASSWORD}, {"username": "", "password": PASSWORD}, {"username": "alice", "password": 1}]
        for body in bodies:
            with case(_("with the body {body}").format(body=repr(body))):
                expect_error(client.post("/login", json=body), 400)

    @pytest.mark.rule("bad-fields-400")
    def test_non_json_bodies_are_400(self, client):
        for kind, request_args in not_json():
            with case(_("with {kind}").format(kind=kind)):
                expect_error(client.post("/login", **request_args), 400)

    @pytest.mark.rule("bad-fields-400")
    def test_deeply_nested_json_is_400_not_a_crash(self, crash_as_500, client):
        expect_bad_input_refused(nested_json(client, "/login"), deep_nesting())

    @pytest.mark.rule("bad-fields-400")
    def test_lone_surrogates_and_nul_are_refused_not_a_crash(self, crash_as_500, client, database):
        database.add_user("alice")
        holding = _("a {field} holding {surrogate}")
        for what, body in [(holding.format(field="username", surrogate=lone_surrogate()),
                            f'{{"username": "alice\\ud800", "password": "{PASSWORD}"}}'),
                           (holding.format(field="password", surrogate=lone_surrogate()),
                            '{"username": "alice", "password": "pw\\ud800"}'),
                           (_("a username holding NUL (PostgreSQL text cannot hold it)"),
                            f'{{"username": "ali\\u0000ce", "password": "{PASSWORD}"}}')]:
            with case(_("with {what}").format(what=what)):
                expect_bad_input_refused(raw_json(client, "/login", body), what, (400, 401))

    @pytest.mark.rule("no-secrets")
    def test_no_password_or_hash_in_responses_or_logs(self, client, database, caplog):
        database.add_user("alice")
        with caplog.at_level(logging.DEBUG):
            responses = [login(client), login(client, password="wrong"), login(client, "nobody")]
        expect_no_secrets(responses, caplog.records, [PASSWORD, bcrypt_hash(PASSWORD)])


@pytest.mark.exercise("me")
class TestMe:
    @pytest.mark.rule("me-answers-user")
    def test_me_answers_the_user(self, client, alice):
        user_id, token = alice
        expect_json_equal(client.get("/me", headers=bearer(token)), {"id": user_id, "username": "alice", "role": "user"})

    @pytest.mark.rule("bad-token-401")
    def test_bad_tokens_are_401_with_the_json_error(self, app, client, alice):
        for kind, headers in token_variants(app, *alice).items():
            with case(_("with a bad token ({kind})").format(kind=kind)):
                response = client.get("/me", headers=headers)
                expect_error(response, 401)
                challenge = response.headers.get("WWW-Authenticate", "")
                assert challenge.split(" ")[0] == "Bearer", _(
                    "A 401 should carry `WWW-Authenticate: Bearer` (it tells the client which credentials to send); "
                    "got {challenge}. Pass the header in each JWT loader's answer."
                ).format(challenge=repr(challenge) if challenge else _("no such header"))

    @pytest.mark.parametrize(("error_name", "kinds"), [
        ("unauthorized", ["missing", "basic auth"]),
        ("invalid_token", ["not a jwt", "three garbage parts", "forged with another key", "alg none", "tampered payload"]),
        ("token_expired", ["expired"]),
    ])
    @pytest.mark.rule("error-names")
    def test_each_kind_of_bad_token_has_its_error_name(self, app, client, alice, error_name, kinds):
        variants = token_variants(app, *alice)
        for kind in kinds:
            with case(_("with a bad token ({kind})").format(kind=kind)):
                body = expect_error(client.get("/me", headers=variants[kind]), 401)
                assert body["error"] == error_name, _(
                    "The error should be {expected}, got {got}: the client reads it to decide whether to log "
                    "in again (unauthorized_loader: 'unauthorized', invalid_token_loader: 'invalid_token', "
                    "expired_token_loader: 'token_expired')."
                ).format(expected=repr(error_name), got=repr(body["error"]))

    @pytest.mark.rule("never-500")
    def test_any_authorization_header_gets_no_500_and_json_errors(self, client, alice):
        values = st.one_of(fuzz.header_values(), fuzz.header_values().map("Bearer {}".format),
                           st.lists(fuzz.header_values(), min_size=3, max_size=3).map(lambda parts: "Bearer " + ".".join(parts)))
        fuzz.probe(lambda value: client.get("/me", headers={"Authorization": value}), values, examples=40, json_errors=True)

    @pytest.mark.rule("deleted-account-401")
    def test_token_of_a_deleted_account_is_401(self, client, database, alice):
        user_id, token = alice
        database.delete_user(user_id)
        expect_error(client.get("/me", headers=bearer(token)), 401)


@pytest.mark.exercise("notes")
class TestNotes:
    @pytest.mark.rule("created-201")
    def test_create_answers_201_with_the_note(self, client, alice):
        before = datetime.now(timezone.utc)
        data = expect_json(client.post("/notes", json={"text": "buy milk"}, headers=bearer(alice[1])), 201)
        assert set(data) == {"id", "text", "created_at"} and data["text"] == "buy milk", _(
            "Expected {{'id', 'text': 'buy milk', 'created_at'}}, got {data}.").format(data=repr(data))
        created = datetime.fromisoformat(data["created_at"])
        assert created.tzinfo is not None and abs(created - before) < timedelta(minutes=1), _(
            "created_at should be an ISO 8601 time with its zone, close to now; got {created_at}."
        ).format(created_at=repr(data["created_at"]))

    @pytest.mark.rule("text-literal")
    def test_text_is_stored_and_returned_literally(self, client, models, database, alice):
        texts = SQL_LOOKING + ["  spaced  ", "多语言 ✓"]
        for number, text in enumerate(texts, 1):
            with case(_("with the text {text}").format(text=repr(text))):
                expect_json(client.post("/notes", json={"text": text}, headers=bearer(alice[1])), 201)
                listed = expect_json(client.get("/notes", headers=bearer(alice[1])))
                assert [note["text"] for note in listed] == texts[:number], _(
                    "GET /notes should give back exactly {expected}, got {listed}."
                ).format(expected=repr(texts[:number]), listed=repr(listed))
        assert database.count(models.User) == 1, _("The users table should be untouched.")

    @pytest.mark.rule("bad-text-400")
    def test_bad_text_is_400(self, client, models, database, alice):
        bodies = [(_("no text"), {}), (_("an empty text"), {"text": ""}), (_("a blank text"), {"text": "   \n"}),
                  (_("a null text"), {"text": None}), (_("a number as text"), {"text": 42}), (_("a list as text"), {"text": ["a"]}),
                  (_("a NUL in the text"), {"text": "a\x00b"}), (_("a text of 1001 characters"), {"text": "x" * 1001})]
        for name, body in bodies:
            with case(_("with {what}").format(what=name)):
                expect_error(client.post("/notes", json=body, headers=bearer(alice[1])), 400)
                assert database.count(models.Note) == 0, _("A refused note must not be stored.")

    @pytest.mark.rule("bad-text-400")
    def test_non_json_bodies_are_400(self, client, alice):
        for kind, request_args in not_json():
            with case(_("with {kind}").format(kind=kind)):
                expect_error(client.post("/notes", headers=bearer(alice[1]), **request_args), 400)

    @pytest.mark.rule("bad-text-400")
    def test_a_text_of_exactly_1000_characters_is_fine(self, client, alice):
        text = "x" * 1000
        data = expect_json(client.post("/notes", json={"text": text}, headers=bearer(alice[1])), 201)
        assert data["text"] == text, _("The 1000-character text should be stored and returned whole: 1000 is the limit, not past it.")

    @pytest.mark.rule("never-500")
    def test_any_body_gets_no_500_and_json_errors(self, client, alice):
        bodies = fuzz.json_bodies({"text": fuzz.TEXT})
        fuzz.probe(lambda body: raw_json(client, "/notes", body, headers=bearer(alice[1])), bodies, json_errors=True)

    @pytest.mark.rule("never-500")
    def test_any_note_id_gets_no_500_and_json_errors(self, client, alice):
        ids = st.one_of(st.integers().map(str), fuzz.HUGE_NUMBERS.map(str), fuzz.path_segments())
        fuzz.probe(lambda note_id: client.delete(f"/notes/{note_id}", headers=bearer(alice[1])), ids, json_errors=True)

    @pytest.mark.rule("bad-text-400")
    def test_deeply_nested_json_is_400_not_a_crash(self, crash_as_500, client, alice):
        expect_bad_input_refused(nested_json(client, "/notes", headers=bearer(alice[1])), deep_nesting())

    @pytest.mark.rule("bad-text-400")
    def test_a_text_with_a_lone_surrogate_is_400_not_a_crash(self, crash_as_500, client, models, database, alice):
        response = raw_json(client, "/notes", '{"text": "milk \\ud800"}', headers=bearer(alice[1]))
        expect_bad_input_refused(response, _("a text holding {surrogate}").format(surrogate=lone_surrogate()))
        assert database.count(models.Note) == 0, _("A refused note must not be stored.")

    @pytest.mark.rule("unknown-note-404")
    def test_an_id_past_the_databases_integers_is_404_not_a_crash(self, crash_as_500, client, alice):
        for note_id in [2**31, 2**63, 9999999999999999999, int("9" * 30)]:
            with case(_("deleting note {note_id}").format(note_id=note_id)):
                response = client.delete(f"/notes/{note_id}", headers=bearer(alice[1]))
                expect_bad_input_refused(response, _("an id past the database's integers (32-bit on PostgreSQL, 64-bit on SQLite: "
                                           "the database or its driver raises)"), (404, 400))

    @pytest.mark.rule("deleted-account-401")
    def test_token_of_a_deleted_account_is_401(self, app, client, database, alice):
        bob = token_for(app, database.add_user("bob"))
        bobs_note = expect_json(client.post("/notes", json={"text": "bob's"}, headers=bearer(bob)), 201)
        database.delete_user(alice[0])
        for method, path in [("GET", "/notes"), ("POST", "/notes"), ("DELETE", "/notes/999999"), ("DELETE", f"/notes/{bobs_note['id']}")]:
            with case(_("{method} {path} with the token of an account deleted since").format(method=method, path=path)):
                response = client.open(path, method=method, json={"text": "x"}, headers=bearer(alice[1]))
                assert response.status_code == 401, _(
                    "{request} answered {got}, expected 401: a token whose account no longer exists names nobody, "
                    "whatever the note id (call current_user() before looking the note up).\n  What came back: {preview}"
                ).format(request=request_line(response), got=response.status_code, preview=preview(response))
                expect_error(response, 401)

    @pytest.mark.rule("own-notes-only")
    def test_each_user_lists_only_their_notes(self, app, client, database, alice):
        bob = token_for(app, database.add_user("bob"))
        mine = [expect_json(client.post("/notes", json={"text": t}, headers=bearer(alice[1])), 201) for t in ("one", "two")]
        expect_status(client.post("/notes", json={"text": "bob's"}, headers=bearer(bob)), 201)
        expect_json_equal(client.get("/notes", headers=bearer(alice[1])), mine)

    @pytest.mark.rule("delete-own-204")
    def test_delete_own_note(self, client, alice):
        note = expect_json(client.post("/notes", json={"text": "gone soon"}, headers=bearer(alice[1])), 201)
        expect_status(client.delete(f"/notes/{note['id']}", headers=bearer(alice[1])), 204)
        expect_json_equal(client.get("/notes", headers=bearer(alice[1])), [], cause=_(
            "DELETE answered 204, yet the note is back on the next request: a change reaches the database only when "
            "it is committed. Did you call db.session.commit() after db.session.delete(note)?"))

    @pytest.mark.rule("others-note-404")
    def test_another_users_note_is_404_and_survives(self, app, client, models, database, alice):
        bob = token_for(app, database.add_user("bob"))
        note = expect_json(client.post("/notes", json={"text": "bob's secret"}, headers=bearer(bob)), 201)
        expect_error(client.delete(f"/notes/{note['id']}", headers=bearer(alice[1])), 404, _(
            "Alice deleted Bob's note: check that the note's owner_id is the caller's id before deleting, and answer "
            "404 (as for a note that does not exist) when it is not."))
        assert [n.id for n in database.rows(models.Note)] == [note["id"]], _("Bob's note must survive Alice's DELETE.")
        expect_json_equal(client.get("/notes", headers=bearer(bob)), [note])

    @pytest.mark.rule("unknown-note-404")
    def test_unknown_note_is_404(self, client, alice):
        expect_error(client.delete("/notes/999999", headers=bearer(alice[1])), 404)

    @pytest.mark.rule("token-required")
    def test_notes_need_a_token(self, client):
        for method, path in [("GET", "/notes"), ("POST", "/notes"), ("DELETE", "/notes/1")]:
            with case(_("without a token")):
                expect_token_refused(client.open(path, method=method, json={"text": "x"}))

    @pytest.mark.rule("no-partial-rows")
    def test_a_failed_request_leaves_no_partial_rows(self, make_app, client, models, database, alice):
        expect_status(client.post("/notes", json={"text": "kept"}, headers=bearer(alice[1])), 201)
        # A second app on the same database (routes can still be added to it), whose crash is a 500.
        failing = make_app(PROPAGATE_EXCEPTIONS=False)

        def write_then_fail():
            models.db.session.add(models.User(username="half-made", password_hash="x" * 60))
            models.db.session.add(models.Note(owner_id=alice[0], text="half-made"))
            models.db.session.flush()  # the rows are in the database's transaction now
            raise RuntimeError("the grader's view fails after writing")

        failing.add_url_rule("/grader-fails", "grader_fails", write_then_fail, methods=["POST"])
        body = expect_error(failing.test_client().post("/grader-fails"), 500)
        assert "grader's view" not in body["message"], _("The 500 answer must not leak the exception's text.")
        assert (database.count(models.User), database.count(models.Note)) == (1, 1), _(
            "A request that failed after writing must leave nothing behind (its transaction rolls back)."
        )
        expect_status(client.post("/notes", json={"text": "still works"}, headers=bearer(alice[1])), 201)

    @pytest.mark.rule("shared-database")
    def test_a_second_app_reads_what_the_first_wrote(self, make_app, client, alice):
        note = expect_json(client.post("/notes", json={"text": "written by app one"}, headers=bearer(alice[1])), 201)
        other = make_app()
        expect_json_equal(other.test_client().get("/notes", headers=bearer(token_for(other, alice[0]))), [note])


@pytest.mark.exercise("admin")
class TestAdmin:
    def create_admin(self, runner, *args, input=None):
        return runner.invoke(args=["create-admin", *args], input=input)

    @pytest.mark.rule("lists-every-user")
    def test_admin_lists_every_user(self, app, client, models, database, runner):
        database.add_user("alice")
        result = self.create_admin(runner, "boss", "--password", PASSWORD)
        assert result.exit_code == 0, _("create-admin boss --password ... failed: {output}").format(output=result.output)
        users = database.rows(models.User)
        expected = [{"id": u.id, "username": u.username, "role": u.role} for u in users]
        assert [(u["username"], u["role"]) for u in expected] == [("alice", "user"), ("boss", "admin")], _(
            "Expected alice (user) and boss (admin), found {found}."
        ).format(found=repr(expected))
        token = token_for(app, users[1].id, "admin")
        expect_json_equal(client.get("/admin/users", headers=bearer(token)), expected)

    @pytest.mark.rule("non-admin-403")
    def test_non_admin_is_403(self, client, alice):
        expect_error(client.get("/admin/users", headers=bearer(alice[1])), 403)

    @pytest.mark.rule("never-500")
    def test_any_authorization_header_gets_no_500(self, client, alice):
        values = st.one_of(fuzz.header_values(), fuzz.header_values().map("Bearer {}".format))
        fuzz.probe(lambda value: client.get("/admin/users", headers={"Authorization": value}), values)

    @pytest.mark.parametrize("change", ["deleted", "demoted"])
    @pytest.mark.rule("database-decides")
    def test_the_database_decides_not_the_token(self, app, client, database, change):
        admin_id = database.add_user("boss", role="admin")
        token = token_for(app, admin_id, "admin")
        expect_status(client.get("/admin/users", headers=bearer(token)), 200)
        if change == "deleted":
            database.delete_user(admin_id)
            status, explained = 401, _(
                "GET /admin/users with the admin token of an account deleted since answered {got}, expected 401: the "
                "token outlives the account it names: admin_only must load the account (current_user()).\n"
                "  What came back: {preview}")
        else:
            database.set_role(admin_id, "user")
            status, explained = 403, _(
                "GET /admin/users with the admin token of an account demoted to 'user' since answered {got}, expected 403: "
                "the role claim was true at login: admin_only must check the account's current role in the database "
                "(current_user().role).\n  What came back: {preview}")
        response = client.get("/admin/users", headers=bearer(token))
        assert response.status_code == status, explained.format(got=response.status_code, preview=preview(response))
        expect_error(response, status)

    @pytest.mark.rule("bad-token-401")
    def test_no_or_bad_token_is_401(self, app, client, alice):
        variants = token_variants(app, *alice)
        for kind in ["missing", "expired", "forged with another key", "tampered payload"]:
            with case(_("with a bad token ({kind})").format(kind=kind)):
                expect_token_refused(client.get("/admin/users", headers=variants[kind]))

    @pytest.mark.rule("keeps-view-name")
    def test_admin_only_keeps_the_view_name(self, app):
        endpoint = next((r.endpoint for r in app.url_map.iter_rules() if r.rule == "/admin/users"), None)
        assert endpoint, _("There is no /admin/users route.")
        view = app.view_functions[endpoint]
        assert hasattr(view, "__wrapped__") and view.__name__ == view.__wrapped__.__name__, _(
            "The view behind /admin/users ({name}) should be wrapped by admin_only with functools.wraps, "
            "which keeps the view's name (Flask's endpoint) and sets __wrapped__."
        ).format(name=view.__name__)

    @pytest.mark.rule("prompts-hidden-password")
    def test_create_admin_prompts_for_a_hidden_password(self, models, database, runner):
        secret = "Prompted-S3cret!"
        result = self.create_admin(runner, "boss", input=f"{secret}\n{secret}\n")
        assert result.exit_code == 0, _("create-admin boss (password typed at the prompt) failed: {output}").format(
            output=result.output)
        assert secret not in result.output, _("The typed password must not be echoed or printed.")
        first_line = result.output.splitlines()[0] if result.output else ""
        assert re.search(r"(?i)\bpassword\b", first_line), _(
            "The prompt should ask for the password by name; it says {line}.").format(line=repr(first_line))
        users = database.rows(models.User)
        assert [(u.username, u.role) for u in users] == [("boss", "admin")], _(
            "create-admin boss should add boss as an admin; the users are {users}."
        ).format(users=[(u.username, u.role) for u in users])
        assert bcrypt.checkpw(secret.encode(), users[0].password_hash.encode()), _(
            "boss's stored hash does not verify the password typed at the prompt."
        )

    @pytest.mark.rule("password-twice")
    def test_create_admin_asks_for_the_password_twice(self, models, database, runner):
        result = self.create_admin(runner, "boss", input="Prompted-S3cret!\nmistyped\n")
        assert database.count(models.User) == 0, _(
            "create-admin boss with two different passwords typed at the prompt created the user: ask twice "
            "(click.prompt(..., confirmation_prompt=True)) so a typo cannot lock the admin out.\n  It printed {output}"
        ).format(output=repr(result.output))

    @pytest.mark.rule("says-what-it-did")
    def test_create_admin_says_what_it_did(self, database, runner):
        database.add_user("alice")
        outputs = {what: (name, self.create_admin(runner, name, "--password", PASSWORD).output.strip())
                   for what, name in [(_("created boss"), "boss"), (_("promoted alice"), "alice"),
                                      (_("ran again for alice"), "alice")]}
        for what, (name, output) in outputs.items():
            assert name in output, _("create-admin should say what it did ({what}), naming the user; it printed {output}.").format(
                what=what, output=repr(output))
        printed = {what: output for what, (_name, output) in outputs.items()}
        assert len(set(printed.values())) == 3, _(
            "Creating, promoting and a run that changes nothing should each say so differently; they printed {printed}."
        ).format(printed=repr(printed))

    @pytest.mark.rule("idempotent")
    def test_create_admin_is_idempotent(self, models, database, runner):
        first = self.create_admin(runner, "boss", "--password", PASSWORD)
        before = [(u.id, u.username, u.role, u.password_hash) for u in database.rows(models.User)]
        second = self.create_admin(runner, "boss", "--password", PASSWORD)
        assert (first.exit_code, second.exit_code) == (0, 0), _("Both runs should succeed: {first} / {second}").format(
            first=repr(first.output), second=repr(second.output))
        after = [(u.id, u.username, u.role, u.password_hash) for u in database.rows(models.User)]
        assert after == before and [row[2] for row in after] == ["admin"], _(
            "Running create-admin twice should change nothing; before {before}, after {after}.").format(before=before, after=after)
        for secret in (PASSWORD, before[0][3]):
            assert secret not in first.output + second.output, _("create-admin must not print the password or its hash.")

    @pytest.mark.rule("promotes-existing")
    def test_create_admin_promotes_an_existing_user(self, app, client, models, database, runner):
        user_id = database.add_user("alice")
        result = self.create_admin(runner, "Alice")
        assert result.exit_code == 0, _("create-admin Alice (an existing user) failed: {output}").format(output=result.output)
        users = database.rows(models.User)
        assert [(u.username, u.role) for u in users] == [("alice", "admin")], _("alice should now be an admin, and the only user.")
        assert users[0].password_hash == bcrypt_hash(PASSWORD), _("Promoting alice must keep her password (its hash is unchanged).")
        expect_status(client.get("/admin/users", headers=bearer(token_for(app, user_id, "admin"))), 200)

    @pytest.mark.rule("bad-input-refused")
    def test_create_admin_refuses_bad_input(self, models, database, runner):
        typed_twice = f"{PASSWORD}\n{PASSWORD}\n"  # a good password at the prompt: the bad input alone is what refuses
        for name, args, typed, parameter in [
            (_("a blank username"), ["  "], typed_twice, "USERNAME"),
            (_("an 81-character username"), ["b" * 81], typed_twice, "USERNAME"),
            (_("a username with a newline"), ["boss\nroot"], typed_twice, "USERNAME"),
            (_("a 73-byte password"), ["boss", "--password", "x" * 73], None, "--password"),
            (_("a 73-byte typed password"), ["boss"], f"{'x' * 73}\n{'x' * 73}\n", "--password"),
        ]:
            with case(_("with {what}").format(what=name)):
                result = self.create_admin(runner, *args, input=typed)
                crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
                error_line = next((line for line in result.output.splitlines() if line.startswith("Error:")), "")
                outcome = (_("it crashed with {exception}.").format(exception=repr(result.exception)) if crashed else
                           _("it exited with {code} and printed {output}").format(code=result.exit_code, output=repr(result.output)))
                assert result.exit_code == 2 and not crashed, _(
                    "create-admin {args} should refuse with click's usage error (raise click.BadParameter: exit status 2); "
                    "{outcome}"
                ).format(args=args, outcome=outcome)
                assert re.search(rf"(?<![\w-]){re.escape(parameter)}\b", error_line), _(
                    "The error should name what was wrong ({parameter}: click.BadParameter(..., param_hint={hint})); "
                    "it says {line}."
                ).format(parameter=parameter, hint=repr(parameter), line=repr(error_line))
                assert database.count(models.User) == 0, _("A refused create-admin must not add a user.")
