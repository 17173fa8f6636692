"""Passwords: what a valid one is, and bcrypt through the app's Flask-Bcrypt object."""
from flask import current_app
from flask_bcrypt import Bcrypt

from .models import USERNAME_MAX

# bcrypt only ever looks at 72 bytes; bcrypt 5 raises ValueError beyond that (in hashing
# and in checking), instead of silently ignoring the rest as older versions did.
MAX_PASSWORD_BYTES = 72


class CredentialError(ValueError):
    """A username or password that cannot be accepted; the text says why."""


def current_bcrypt() -> Bcrypt:
    """The current app's Flask-Bcrypt object.

    One per app, in app.extensions, because `Bcrypt.init_app` copies BCRYPT_LOG_ROUNDS onto
    the object itself: a module-level Bcrypt would take the rounds of the last app built.
    """
    return current_app.extensions["bcrypt"]


def is_utf8_text(text: str) -> bool:
    """False for a lone surrogate ("\\ud800"): valid JSON, but neither UTF-8, bcrypt nor a database can take it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_username(raw) -> str:
    """The username without surrounding spaces; CredentialError unless it is usable."""
    if not isinstance(raw, str) or not raw.strip():
        raise CredentialError("username is required (a non-empty string)")
    username = raw.strip()
    if len(username) > USERNAME_MAX:
        raise CredentialError(f"username is longer than {USERNAME_MAX} characters")
    if not is_utf8_text(username):
        raise CredentialError("username is not valid Unicode text (it holds a lone surrogate)")
    if not username.isprintable():
        # Control characters (a NUL byte among them, which PostgreSQL text refuses) are typos or attacks.
        raise CredentialError("username contains control characters")
    return username


def check_new_password(raw) -> str:
    """Exercise `register`: the password itself when bcrypt can take it, else CredentialError.

    A non-empty string of valid Unicode text (`is_utf8_text`) of at most MAX_PASSWORD_BYTES
    bytes once encoded as UTF-8 (count bytes, not characters: "é" is two bytes).
    """
    # SOLUTION register
    if not isinstance(raw, str) or not raw:
        raise CredentialError("password is required (a non-empty string)")
    if not is_utf8_text(raw):  # else encode() below raises UnicodeEncodeError: a 500
        raise CredentialError("password is not valid Unicode text (it holds a lone surrogate)")
    if len(raw.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise CredentialError(f"password is longer than {MAX_PASSWORD_BYTES} bytes (bcrypt's limit)")
    return raw
    # END SOLUTION


def hash_password(password: str) -> str:
    """Exercise `register`: the bcrypt hash of `password`, as text for the database."""
    # SOLUTION register
    # The salt and the cost (BCRYPT_LOG_ROUNDS) are stored inside the hash itself.
    return current_bcrypt().generate_password_hash(password).decode("ascii")
    # END SOLUTION


def password_matches(password_hash: str | None, password: str) -> bool:
    """Exercise `login`: whether `password` is the one `password_hash` was made from.

    `password_hash` is None for an unknown user: still spend the time of one bcrypt check,
    so that the response time does not tell which usernames exist. Never raises: a password
    over MAX_PASSWORD_BYTES (bcrypt 5 would raise ValueError) or that is not valid Unicode
    text (`is_utf8_text`: encode() would raise) simply does not match.

    Rules:
    - [password-matches-bool] answers True for the right password and False for a wrong one,
      for None (no such user), a 73-byte password and a lone surrogate: a bool, never raises.
    - [unknown-user-bcrypt] an unknown user still costs one bcrypt check (against a dummy hash).
    """
    # SOLUTION login
    if not is_utf8_text(password) or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return False
    if password_hash is None:
        current_bcrypt().check_password_hash(dummy_hash(), password)
        return False
    return current_bcrypt().check_password_hash(password_hash, password)
    # END SOLUTION


def dummy_hash() -> str:
    """A hash no password is compared against for real, made once per app with its rounds."""
    extensions = current_app.extensions
    if "ch09.dummy_hash" not in extensions:
        extensions["ch09.dummy_hash"] = current_bcrypt().generate_password_hash("not a real password").decode("ascii")
    return extensions["ch09.dummy_hash"]
