"""The notes API: register, login, me, notes and the admin list, on one blueprint."""
from datetime import timezone
from functools import wraps

from flask import Blueprint, abort, current_app, request
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required, verify_jwt_in_request
from sqlalchemy.exc import IntegrityError

from .models import Note, User, db, find_user
from .security import CredentialError, check_new_password, clean_username, hash_password, is_utf8_text, password_matches

MAX_NOTE_CHARS = 1000
# The ids are INTEGER columns: 32-bit on PostgreSQL ("integer out of range" past this), 64-bit on
# SQLite (OverflowError in the driver past 2**63 - 1). No row can have a larger id on either.
MAX_ID = 2**31 - 1
BAD_LOGIN = "Wrong username or password."

bp = Blueprint("notes_api", __name__)


def json_object() -> dict:
    """The request's JSON object; 400 for a body that is not JSON or not an object."""
    try:
        data = request.get_json(silent=True)  # silent: no Werkzeug 415/400 HTML page, our own 400
    except RecursionError:  # "[" × 5,000 exhausts the parser; silent=True catches only ValueError
        data = None
    if not isinstance(data, dict):
        abort(400, description="Send a JSON object with Content-Type: application/json.")
    return data


def user_json(user: User) -> dict:
    return {"id": user.id, "username": user.username, "role": user.role}


def note_json(note: Note) -> dict:
    created = note.created_at
    # SQLite gives the datetime back without its zone: it was stored as UTC, say so.
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return {"id": note.id, "text": note.text, "created_at": created.isoformat()}


def current_user() -> User:
    """The user the (already verified) access token names; 401 if that account is gone."""
    identity = get_jwt_identity()
    user = db.session.get(User, int(identity)) if str(identity).isdigit() else None
    if user is None:
        abort(401, description="The account of this token no longer exists.")
    return user


@bp.post("/register")
def register():
    """Exercise `register`: POST /register JSON {"username", "password"} → 201 {"id", "username"}.

    400 for a body that is not a JSON object, a missing or empty field, a password over 72
    bytes; 409 when the username is taken (ASCII case ignored: "Alice" takes "alice").
    The password is stored only as its bcrypt hash (`hash_password`).

    Rules:
    - [created-201] answers 201 {"id": <the new row's id>, "username": <the name>}.
    - [bcrypt-hash-only] only a bcrypt hash made with BCRYPT_LOG_ROUNDS is stored, never the
      password.
    - [taken-409] a name already taken, in any letter case or with spaces around it, is a
      409 and adds no row.
    - [taken-costs-no-bcrypt] a taken name is refused before any bcrypt work: look it up
      with `find_user` first.
    - [race-409-rollback] when the unique index refuses the insert (a rival request took the
      name meanwhile), roll the session back and answer 409; the next request still works.
    - [bad-fields-400] a missing, empty, blank or non-string field, a body that is not a JSON
      object (or is nested too deep), a lone surrogate in a field: 400, and no row added.
    - [username-limits] a username with NUL, a newline or more than 80 characters is a 400;
      80 characters are fine.
    - [password-72-bytes] a password over 72 bytes in UTF-8 is a 400; one of exactly 72
      bytes is stored and verifies.
    - [stored-literally] SQL-looking usernames are stored and answered exactly as sent.
    - [logged-info] each registration is logged at INFO with the new user's id
      (`current_app.logger.info`), never the password.
    - [no-secrets] no password and no hash in any response or log line.
    - [never-500] no body makes it answer 500; every error is the JSON error body.
    """
    data = json_object()
    # TODO(register): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(register)")


@bp.post("/login")
def login():
    """Exercise `login`: POST /login JSON {"username", "password"} → 200 {"access_token"}.

    400 when a field is missing; 401 with one and the same message (BAD_LOGIN) for an
    unknown user, a wrong password and a password bcrypt cannot take. The token's subject
    is the user id as a string; the role travels as the additional claim "role".

    Rules:
    - [token-sub-and-role] answers 200 {"access_token"} whose subject is the user id as a
      string and whose claim "role" is the user's role.
    - [username-case-and-spaces] the username is matched ignoring case and spaces around it.
    - [one-401-message] a wrong password or an unknown user is a 401 with one and the same
      body, so it does not tell which usernames exist.
    - [long-password-refused] a password over 72 bytes is a 401 or 400, never a 500; one of
      exactly 72 bytes logs in.
    - [failed-login-logged] a failed login is logged at INFO, without the password.
    - [bad-fields-400] a missing or empty field, a body that is not a JSON object (or is
      nested too deep): 400; a lone surrogate or NUL: 400 or 401, never a 500.
    - [no-secrets] no password and no hash in any response or log line.
    - [never-500] no body makes it answer 500; every error is the JSON error body.
    """
    data = json_object()
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not username.strip() or not isinstance(password, str) or not password:
        abort(400, description="username and password are required (non-empty strings)")
    if not is_utf8_text(username) or "\x00" in username:  # the database could not even look it up (PostgreSQL refuses NUL)
        abort(400, description="username is not valid Unicode text without NUL")
    # TODO(login): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(login)")


@bp.get("/me")  # TODO(me): only for requests with a valid access token
def me():
    """Exercise `me`: GET /me with a valid access token → {"id", "username", "role"}.

    Missing, malformed, expired or forged tokens → 401 with the course's JSON error body:
    that part lives in the JWT loaders of `init_jwt()` in app.py (the rules of that part are there).

    Rules:
    - [me-answers-user] a valid token answers {"id", "username", "role"} of its user.
    - [deleted-account-401] the token of an account deleted since is a 401.
    - [never-500] no Authorization header makes it answer 500; every error is JSON.
    """
    # TODO(me): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(me)")


@bp.post("/notes")
@jwt_required()
def create_note():
    """Exercise `notes`: POST /notes JSON {"text"} → 201 {"id", "text", "created_at"}.

    The text is stored exactly as sent. 400 when it is missing, not a string, blank,
    longer than MAX_NOTE_CHARS characters, contains a NUL character or is not valid
    Unicode text (`is_utf8_text`: a lone surrogate cannot be stored).

    Rules:
    - [created-201] answers 201 {"id", "text", "created_at"} (ISO 8601, the current time).
    - [text-literal] the text is stored and listed exactly as sent (SQL-looking text, spaces
      around it, any language).
    - [bad-text-400] a missing, empty, blank, null or non-string text, a NUL, more than 1000
      characters, a lone surrogate, a body that is not a JSON object (or is nested too deep):
      400; exactly 1000 characters are fine.
    - [own-notes-only] GET /notes lists the caller's notes only, oldest first.
    - [delete-own-204] deleting one's own note answers 204 and it is gone from the list.
    - [others-note-404] someone else's note answers 404, like a missing one, and stays.
    - [unknown-note-404] an unknown id, or one past the database's integers, is a 404.
    - [deleted-account-401] a token whose account is gone is a 401 on every notes route.
    - [token-required] every notes route needs a token.
    - [no-partial-rows] a request that fails after writing leaves no row behind, and the next
      request works.
    - [shared-database] another app on the same database lists what this one wrote: nothing
      is kept in memory.
    - [never-500] no body and no id makes it answer 500; every error is the JSON error body.
    """
    data = json_object()
    # TODO(notes): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(notes)")


@bp.get("/notes")
@jwt_required()
def list_notes():
    """Exercise `notes`: GET /notes → the caller's notes only, oldest first, as note_json."""
    # TODO(notes): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(notes)")


@bp.delete(f"/notes/<int(max={MAX_ID}):note_id>")  # a larger id matches no route: 404
@jwt_required()
def delete_note(note_id: int):
    """Exercise `notes`: DELETE /notes/<id> → 204 for the caller's own note.

    Someone else's note answers 404 exactly like a note that does not exist (a 403 would
    tell the caller that the id exists), and it stays in the database. A token whose
    account is gone answers 401, whatever the id.
    """
    # TODO(notes): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(notes)")


def admin_only(view):
    """Exercise `admin`: a decorator; the wrapped view runs only for an admin's token.

    No or a bad token → 401 (through the JWT loaders); a token whose account no longer
    exists → 401 (`current_user()`); an account whose role in the database is not "admin"
    → 403 JSON error, whatever the token's "role" claim says: the claim was true at login,
    the database is true now. Keep the view's name with functools.wraps: Flask uses it as
    the endpoint, so two views wrapped without it would collide. The rules of the
    create-admin command are in the docstring of `create_admin()` in app.py.

    Rules:
    - [lists-every-user] GET /admin/users with an admin's token lists every user as
      {"id", "username", "role"}, by id.
    - [non-admin-403] another user's token is a 403 JSON error.
    - [database-decides] the database decides, not the token's claim: the token of an admin
      deleted since is a 401, of one demoted since a 403.
    - [bad-token-401] no token, or an expired, forged or tampered one, is refused with 401.
    - [keeps-view-name] the wrapped view keeps its name (`functools.wraps`).
    - [never-500] no Authorization header makes it answer 500.
    """
    # TODO(admin): check the token, then the account's current role, before calling the view.
    return view


@bp.get("/admin/users")
@admin_only
def list_users():
    """Exercise `admin`: GET /admin/users → every user as {"id", "username", "role"}, by id."""
    # TODO(admin): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
    raise NotImplementedError("TODO(admin)")
