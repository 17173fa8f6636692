"""Grader for chapter 9: Extensions (see chapters/ch09_extensions/README.md).

Every test gets a clean database: a SQLite file in pytest's tmp_path, or, when the
environment sets DATABASE_URL (tests/course/test_postgres.py does, with a throwaway
PostgreSQL), that database, whose tables are dropped after each test.
"""
import logging
import os
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import import_target, require
from tests.expect import expect_error, expect_json, expect_json_equal, expect_status

SECRET = "grader-secret-key-that-is-long-enough-for-hs256"
OTHER_SECRET = "an-attacker-key-that-is-also-32-bytes-or-more"
PASSWORD = "correct horse battery staple"
SQL_LOOKING = ["'; DROP TABLE notes; --", "1 OR 1=1", "Robert'); DELETE FROM users WHERE ('1'='1", "%_\\' \" `"]
NOT_JSON = [
    ("form", {"data": {"username": "a", "password": "b", "text": "c"}}),
    ("text/plain", {"data": '{"username": "a"}', "content_type": "text/plain"}),
    ("malformed", {"data": '{"username": ', "content_type": "application/json"}),
    ("no body", {}),
    ("a list", {"json": ["username", "password"]}),
    ("a string", {"json": "username"}),
]


@pytest.fixture(scope="module")
def models(request, chapter):
    return import_target(request.config, chapter, "models")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """One database for the module (creating tables per test is what makes graders slow)."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('ch09') / 'notes.sqlite'}"


@pytest.fixture
def app_config(database_url):
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "BCRYPT_LOG_ROUNDS": 4, "JWT_SECRET_KEY": SECRET}


@pytest.fixture(scope="module")
def leave_no_tables(models):
    """At the end of the module, drop the chapter's tables (they live on in a real server)."""
    apps = []
    yield apps
    for app in apps[-1:]:
        with app.app_context():
            models.db.drop_all()
            models.db.engine.dispose()


@pytest.fixture
def make_app(chapter_module, app_config, models, leave_no_tables):
    """create_app(config); afterwards every row is deleted, so each test starts empty."""
    built = []

    def make(config=None):
        app = require(chapter_module, "create_app")(config if config is not None else app_config)
        built.append(app)
        return app

    yield make
    db = models.db
    for number, app in enumerate(built):
        with app.app_context():
            db.session.remove()
            if number == 0:  # one app is enough: they share the database
                existing = set(inspect(db.engine).get_table_names())
                for table in reversed(db.metadata.sorted_tables):
                    if table.name in existing:  # the stub does not create them
                        db.session.execute(table.delete())
                db.session.commit()
                leave_no_tables[:] = [app]
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


def register(client, username="alice", password=PASSWORD):
    return client.post("/register", json={"username": username, "password": password})


def login(client, username="alice", password=PASSWORD):
    return client.post("/login", json={"username": username, "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def sign_up(client, username="alice", password=PASSWORD) -> tuple[int, str]:
    """Register and log in through the API: (user id, access token)."""
    user_id = expect_json(register(client, username, password), 201)["id"]
    token = expect_json(login(client, username, password))["access_token"]
    return user_id, token


@pytest.fixture
def alice(client):
    return sign_up(client)


def rows(app, models, model) -> list:
    with app.app_context():
        return list(models.db.session.scalars(select(model).order_by(model.id)))


def count(app, models, model) -> int:
    with app.app_context():
        return models.db.session.scalar(select(func.count()).select_from(model))


def add_user(app, models, username, **fields):
    with app.app_context():
        user = models.User(username=username, password_hash=fields.pop("password_hash", "x" * 60), **fields)
        models.db.session.add(user)
        models.db.session.commit()
        return user.id


@pytest.mark.exercise("models")
class TestModels:
    @pytest.mark.parametrize("name", ["User", "Note"])
    def test_create_app_creates_the_table(self, app, models, name):
        table = require(models, name).__table__.name
        with app.app_context():
            exists = inspect(models.db.engine).has_table(table)
        assert exists, f"create_app() should create the table {table!r} (db.create_all() inside an app context)."

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
        user_id = add_user(app, models, "carol")
        with app.app_context():
            user = models.db.session.get(models.User, user_id)
            assert user is not None and user.role == "user", f"A new User's role should default to 'user', got {user and user.role!r}."

    @pytest.mark.parametrize("second", ["carol", "Carol", "CAROL"])
    def test_usernames_are_unique_ignoring_case(self, app, models, second):
        add_user(app, models, "carol")
        with pytest.raises(IntegrityError), app.app_context():
            models.db.session.add(models.User(username=second, password_hash="y" * 60))
            models.db.session.commit()

    def test_created_at_is_set_on_insert(self, app, models):
        user_id = add_user(app, models, "carol")
        before = datetime.now(timezone.utc)
        with app.app_context():
            note = models.Note(owner_id=user_id, text="hello")
            models.db.session.add(note)
            models.db.session.commit()
            created = models.db.session.get(models.Note, note.id).created_at
        assert created is not None, "Note.created_at should be set automatically when the row is inserted."
        created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
        assert abs(created - before) < timedelta(minutes=1), f"created_at should be the current UTC time, got {created}."

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
    def test_register_answers_201_with_id_and_username(self, app, client, models):
        data = expect_json(register(client), 201)
        assert set(data) == {"id", "username"} and data["username"] == "alice" and isinstance(data["id"], int), (
            f"POST /register should answer {{'id': <int>, 'username': 'alice'}}, got {data!r}."
        )
        assert [u.id for u in rows(app, models, models.User)] == [data["id"]], "The id should be the new row's id."

    def test_only_a_bcrypt_hash_is_stored(self, app, client, models):
        expect_status(register(client), 201)
        stored = rows(app, models, models.User)[0].password_hash
        assert PASSWORD not in stored, "The password itself must never be stored."
        assert stored.startswith("$2b$04$"), f"Expected a bcrypt hash made with BCRYPT_LOG_ROUNDS=4 ('$2b$04$...'), got {stored[:7]!r}..."
        assert bcrypt.checkpw(PASSWORD.encode(), stored.encode()), "The stored hash does not verify the password."

    @pytest.mark.parametrize("again", ["alice", "Alice", "ALICE", " alice "])
    def test_duplicate_usernames_are_409(self, app, client, models, again):
        expect_status(register(client), 201)
        expect_error(register(client, again, "another password"), 409)
        assert count(app, models, models.User) == 1, "A refused registration must not add a row."

    @pytest.mark.parametrize(
        "body",
        [{}, {"username": "bob"}, {"password": PASSWORD}, {"username": "", "password": PASSWORD}, {"username": "   ", "password": PASSWORD},
         {"username": "bob", "password": ""}, {"username": None, "password": PASSWORD}, {"username": 42, "password": PASSWORD},
         {"username": "bob", "password": 12345678}, {"username": ["bob"], "password": PASSWORD}],
        ids=lambda body: repr(body)[:40],
    )
    def test_missing_or_empty_fields_are_400(self, app, client, models, body):
        expect_error(client.post("/register", json=body), 400)
        assert count(app, models, models.User) == 0, "A refused registration must not add a row."

    @pytest.mark.parametrize(("kind", "request_args"), NOT_JSON, ids=[kind for kind, _ in NOT_JSON])
    def test_non_json_bodies_are_400(self, client, kind, request_args):
        expect_error(client.post("/register", **request_args), 400)

    @pytest.mark.parametrize(("name", "username"), [("NUL", "bo\x00b"), ("newline", "bob\nadmin"), ("81 chars", "b" * 81)])
    def test_unusable_usernames_are_400(self, client, name, username):
        expect_error(register(client, username), 400)

    @pytest.mark.parametrize("password", ["x" * 73, "é" * 37, "密" * 25], ids=["73 ascii", "74 bytes in 37 chars", "75 bytes in 25 chars"])
    def test_passwords_over_72_bytes_are_400(self, app, client, models, password):
        expect_error(register(client, "bob", password), 400)
        assert count(app, models, models.User) == 0, "A refused registration must not add a row."

    @pytest.mark.parametrize("password", ["x" * 72, "é" * 36, "密" * 24], ids=["72 ascii", "72 bytes in 36 chars", "72 bytes in 24 chars"])
    def test_passwords_of_72_bytes_are_fine(self, client, password):
        expect_status(register(client, "bob", password), 201)
        expect_status(login(client, "bob", password), 200)

    @pytest.mark.parametrize("username", SQL_LOOKING)
    def test_sql_looking_usernames_are_stored_literally(self, app, client, models, username):
        data = expect_json(register(client, username), 201)
        assert data["username"] == username, f"The username should come back exactly as sent: {username!r}, got {data['username']!r}."
        assert [u.username for u in rows(app, models, models.User)] == [username]

    def test_no_password_or_hash_in_responses_or_logs(self, app, client, models, caplog):
        caplog.set_level(logging.DEBUG)
        responses = [register(client), register(client), register(client, "bob", "x" * 73), login(client), login(client, password="wrong"),
                     login(client, "nobody")]
        stored = rows(app, models, models.User)[0].password_hash
        for secret in (PASSWORD, stored):
            leaked = [r.request.path for r in responses if secret in r.get_data(as_text=True)]
            assert not leaked, f"A response to {leaked} contains the password or its hash."
            logged = [r.getMessage() for r in caplog.records if secret in r.getMessage()]
            assert not logged, f"A log line contains the password or its hash: {logged[0][:200]!r}"


@pytest.mark.exercise("login")
class TestLogin:
    def test_login_answers_a_token_with_a_string_subject_and_a_role_claim(self, client):
        user_id = expect_json(register(client), 201)["id"]
        data = expect_json(login(client))
        assert set(data) == {"access_token"}, f"POST /login should answer {{'access_token': ...}}, got {data!r}."
        claims = pyjwt.decode(data["access_token"], SECRET, algorithms=["HS256"])
        assert claims.get("sub") == str(user_id), f"The token's subject should be the user id as a string, {str(user_id)!r}; got {claims.get('sub')!r}."
        assert claims.get("role") == "user", f"The token should carry the claim role='user', got {claims.get('role')!r}."

    def test_the_username_ignores_case_and_surrounding_spaces(self, client):
        expect_status(register(client), 201)
        expect_status(login(client, " ALICE "), 200)

    @pytest.mark.parametrize(
        ("username", "password"),
        [("alice", "wrong"), ("nobody", PASSWORD), ("alice", PASSWORD + " "), ("alice", PASSWORD.upper()), ("nobody", "wrong")],
    )
    def test_wrong_user_or_password_is_401_with_one_message(self, client, username, password):
        expect_status(register(client), 201)
        reference = expect_error(login(client, "alice", "definitely wrong"), 401)
        body = expect_error(login(client, username, password), 401)
        assert body == reference, (
            f"Every failed login should answer the same body, so it does not reveal which usernames exist: "
            f"{body!r} differs from {reference!r}."
        )

    @pytest.mark.parametrize("password", ["x" * 73, "é" * 40])
    def test_over_long_password_at_login_is_refused_not_500(self, client, password):
        expect_status(register(client), 201)
        response = login(client, "alice", password)
        assert response.status_code in (400, 401), f"A password over 72 bytes at login should answer 401 or 400, got {response.status_code}."
        expect_error(response, response.status_code)

    @pytest.mark.parametrize(
        "body", [{}, {"username": "alice"}, {"password": PASSWORD}, {"username": "", "password": PASSWORD}, {"username": "alice", "password": 1}],
        ids=lambda body: repr(body)[:40],
    )
    def test_missing_fields_are_400(self, client, body):
        expect_error(client.post("/login", json=body), 400)

    @pytest.mark.parametrize(("kind", "request_args"), NOT_JSON, ids=[kind for kind, _ in NOT_JSON])
    def test_non_json_bodies_are_400(self, client, kind, request_args):
        expect_error(client.post("/login", **request_args), 400)


def token_variants(app, user_id: int, good: str) -> dict[str, dict]:
    """Authorization headers that must all be refused with 401."""
    with app.app_context():
        expired = create_access_token(identity=str(user_id), additional_claims={"role": "user"}, expires_delta=timedelta(minutes=-5))
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


BAD_TOKENS = ["missing", "empty bearer", "not a jwt", "three garbage parts", "basic auth", "wrong scheme", "expired",
              "forged with another key", "alg none", "tampered payload"]


@pytest.mark.exercise("me")
class TestMe:
    def test_me_answers_the_user(self, client, alice):
        user_id, token = alice
        expect_json_equal(client.get("/me", headers=bearer(token)), {"id": user_id, "username": "alice", "role": "user"})

    @pytest.mark.parametrize("kind", BAD_TOKENS)
    def test_bad_tokens_are_401_with_the_json_error(self, app, client, alice, kind):
        headers = token_variants(app, *alice)[kind]
        expect_error(client.get("/me", headers=headers), 401)

    def test_token_of_a_deleted_account_is_401(self, app, client, models, alice):
        user_id, token = alice
        with app.app_context():
            models.db.session.delete(models.db.session.get(models.User, user_id))
            models.db.session.commit()
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

    @pytest.mark.parametrize("text", SQL_LOOKING + ["  spaced  ", "多语言 ✓"])
    def test_text_is_stored_and_returned_literally(self, app, client, models, alice, text):
        expect_json(client.post("/notes", json={"text": text}, headers=bearer(alice[1])), 201)
        listed = expect_json(client.get("/notes", headers=bearer(alice[1])))
        assert [note["text"] for note in listed] == [text], f"GET /notes should give back exactly {text!r}, got {listed!r}."
        assert count(app, models, models.User) == 1, "The users table should be untouched."

    @pytest.mark.parametrize(
        "body", [{}, {"text": ""}, {"text": "   \n"}, {"text": None}, {"text": 42}, {"text": ["a"]}, {"text": "a\x00b"}, {"text": "x" * 1001}],
        ids=lambda body: repr(body)[:30],
    )
    def test_bad_text_is_400(self, app, client, models, alice, body):
        expect_error(client.post("/notes", json=body, headers=bearer(alice[1])), 400)
        assert count(app, models, models.Note) == 0, "A refused note must not be stored."

    @pytest.mark.parametrize(("kind", "request_args"), NOT_JSON, ids=[kind for kind, _ in NOT_JSON])
    def test_non_json_bodies_are_400(self, client, alice, kind, request_args):
        expect_error(client.post("/notes", headers=bearer(alice[1]), **request_args), 400)

    def test_each_user_lists_only_their_notes(self, client, alice):
        _, bob = sign_up(client, "bob")
        mine = [expect_json(client.post("/notes", json={"text": t}, headers=bearer(alice[1])), 201) for t in ("one", "two")]
        expect_status(client.post("/notes", json={"text": "bob's"}, headers=bearer(bob)), 201)
        expect_json_equal(client.get("/notes", headers=bearer(alice[1])), mine)

    def test_delete_own_note(self, client, alice):
        note = expect_json(client.post("/notes", json={"text": "gone soon"}, headers=bearer(alice[1])), 201)
        expect_status(client.delete(f"/notes/{note['id']}", headers=bearer(alice[1])), 204)
        expect_json_equal(client.get("/notes", headers=bearer(alice[1])), [])

    def test_another_users_note_is_404_and_survives(self, app, client, models, alice):
        _, bob = sign_up(client, "bob")
        note = expect_json(client.post("/notes", json={"text": "bob's secret"}, headers=bearer(bob)), 201)
        expect_error(client.delete(f"/notes/{note['id']}", headers=bearer(alice[1])), 404)
        assert [n.id for n in rows(app, models, models.Note)] == [note["id"]], "Bob's note must survive Alice's DELETE."
        expect_json_equal(client.get("/notes", headers=bearer(bob)), [note])

    def test_unknown_note_is_404(self, client, alice):
        expect_error(client.delete("/notes/999999", headers=bearer(alice[1])), 404)

    @pytest.mark.parametrize(("method", "path"), [("GET", "/notes"), ("POST", "/notes"), ("DELETE", "/notes/1")])
    def test_notes_need_a_token(self, client, method, path):
        expect_error(client.open(path, method=method, json={"text": "x"}), 401)

    def test_a_failed_request_leaves_no_partial_rows(self, make_app, app, client, models, alice):
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
        assert (count(app, models, models.User), count(app, models, models.Note)) == (1, 1), (
            "A request that failed after writing must leave nothing behind (its transaction rolls back)."
        )
        expect_status(client.post("/notes", json={"text": "still works"}, headers=bearer(alice[1])), 201)

    def test_a_second_app_reads_what_the_first_wrote(self, make_app, client, alice):
        note = expect_json(client.post("/notes", json={"text": "written by app one"}, headers=bearer(alice[1])), 201)
        other = make_app().test_client()
        token = expect_json(login(other))["access_token"]
        expect_json_equal(other.get("/notes", headers=bearer(token)), [note])


@pytest.mark.exercise("admin")
class TestAdmin:
    def create_admin(self, runner, *args, input=None):
        return runner.invoke(args=["create-admin", *args], input=input)

    def test_admin_lists_every_user(self, app, client, models, runner):
        sign_up(client, "alice")
        result = self.create_admin(runner, "boss", "--password", PASSWORD)
        assert result.exit_code == 0, f"create-admin boss --password ... failed: {result.output}"
        token = expect_json(login(client, "boss"))["access_token"]
        expected = [{"id": u.id, "username": u.username, "role": u.role} for u in rows(app, models, models.User)]
        assert {u["role"] for u in expected} == {"user", "admin"}, f"Expected alice (user) and boss (admin), found {expected!r}."
        expect_json_equal(client.get("/admin/users", headers=bearer(token)), expected)

    def test_non_admin_is_403(self, client, alice):
        expect_error(client.get("/admin/users", headers=bearer(alice[1])), 403)

    @pytest.mark.parametrize("kind", ["missing", "expired", "forged with another key", "tampered payload"])
    def test_no_or_bad_token_is_401(self, app, client, alice, kind):
        expect_error(client.get("/admin/users", headers=token_variants(app, *alice)[kind]), 401)

    def test_admin_only_keeps_the_view_name(self, app):
        endpoint = next((r.endpoint for r in app.url_map.iter_rules() if r.rule == "/admin/users"), None)
        assert endpoint, "There is no /admin/users route."
        view = app.view_functions[endpoint]
        assert hasattr(view, "__wrapped__") and view.__name__ == view.__wrapped__.__name__, (
            f"The view behind /admin/users ({view.__name__}) should be wrapped by admin_only with functools.wraps, "
            "which keeps the view's name (Flask's endpoint) and sets __wrapped__."
        )

    def test_create_admin_prompts_for_a_hidden_password(self, app, client, models, runner):
        secret = "Prompted-S3cret!"
        result = self.create_admin(runner, "boss", input=f"{secret}\n{secret}\n")
        assert result.exit_code == 0, f"create-admin boss (password typed at the prompt) failed: {result.output}"
        assert secret not in result.output, "The typed password must not be echoed or printed."
        token = expect_json(login(client, "boss", secret))["access_token"]
        assert pyjwt.decode(token, SECRET, algorithms=["HS256"]).get("role") == "admin", "boss's token should carry role='admin'."

    def test_create_admin_is_idempotent(self, app, models, runner):
        first = self.create_admin(runner, "boss", "--password", PASSWORD)
        before = [(u.id, u.username, u.role, u.password_hash) for u in rows(app, models, models.User)]
        second = self.create_admin(runner, "boss", "--password", PASSWORD)
        assert (first.exit_code, second.exit_code) == (0, 0), f"Both runs should succeed: {first.output!r} / {second.output!r}"
        after = [(u.id, u.username, u.role, u.password_hash) for u in rows(app, models, models.User)]
        assert after == before and [row[2] for row in after] == ["admin"], f"Running create-admin twice should change nothing; before {before}, after {after}."
        for secret in (PASSWORD, before[0][3]):
            assert secret not in first.output + second.output, "create-admin must not print the password or its hash."

    def test_create_admin_promotes_an_existing_user(self, app, client, models, runner):
        sign_up(client, "alice")
        result = self.create_admin(runner, "Alice")
        assert result.exit_code == 0, f"create-admin Alice (an existing user) failed: {result.output}"
        assert [(u.username, u.role) for u in rows(app, models, models.User)] == [("alice", "admin")], "alice should now be an admin, and the only user."
        token = expect_json(login(client))["access_token"]  # her old password still works
        expect_status(client.get("/admin/users", headers=bearer(token)), 200)

    @pytest.mark.parametrize(("args", "typed"), [(["  "], None), (["boss", "--password", "x" * 73], None), (["boss"], "\n\n")],
                             ids=["blank username", "73-byte password", "empty typed password"])
    def test_create_admin_refuses_bad_input(self, app, models, runner, args, typed):
        result = self.create_admin(runner, *args, input=typed)
        assert result.exit_code != 0, f"create-admin {args} should fail; it printed {result.output!r}"
        assert count(app, models, models.User) == 0, "A refused create-admin must not add a user."
