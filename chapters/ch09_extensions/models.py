"""The database: the shared `db` extension object and the two typed models."""
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

USERNAME_MAX = 80


class Base(DeclarativeBase):
    """SQLAlchemy 2's declarative base; Flask-SQLAlchemy builds `db.Model` on it."""


# One extension object for the module, many apps: `db.init_app(app)` in create_app gives
# each app its own engine and sessions, keyed on the app. Nothing app-specific lives here.
db = SQLAlchemy(model_class=Base)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class User(db.Model):
    """Exercise `models`: a user account, in the table `users`.

    id (int primary key), username (str, at most USERNAME_MAX characters, unique, also
    regardless of ASCII letter case), password_hash (str, a bcrypt hash, never the password),
    role (str, "user" unless made "admin").

    Rules:
    - [tables-created] create_app creates the tables `users` and `notes` (`db.create_all()`
      inside an app context).
    - [typed-columns] User has id, username, password_hash, role and Note has id, owner_id,
      text, created_at, each declared `name: Mapped[type] = mapped_column(...)`.
    - [role-defaults-to-user] a new user's role is "user" without being set.
    - [unique-name-case-insensitive] usernames are unique, also ignoring case: with "carol"
      stored, the database itself refuses "carol", "Carol" and "CAROL" (IntegrityError):
      `unique=True` and a unique index on `lower(username)`.
    - [config-from-environment] create_app takes DATABASE_URL and JWT_SECRET_KEY from the
      environment when test_config does not set them; without JWT_SECRET_KEY it uses a
      development key of at least 32 bytes and logs a warning (already written for you).
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # TODO(models): username (unique, String(USERNAME_MAX)), password_hash, role (default "user")


class Note(db.Model):
    """Exercise `models`: a note, in the table `notes`.

    id (int primary key), owner_id (int, foreign key to users.id), text (str, any length),
    created_at (timezone-aware datetime, set to the current UTC time when the row is inserted).

    Rules:
    - [owner-foreign-key] owner_id is a ForeignKey to users.id.
    - [cascade-delete] deleting a user deletes their notes in the database:
      `ForeignKey("users.id", ondelete="CASCADE")`.
    - [owner-id-index] owner_id has an index (`index=True`): GET /notes looks notes up by owner.
    - [created-at-on-insert] created_at is set to the current UTC time when the row is inserted.
    - [created-at-with-time-zone] created_at keeps its time zone: `DateTime(timezone=True)`
      (TIMESTAMP WITH TIME ZONE on PostgreSQL).
    """

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # TODO(models): owner_id (foreign key to users.id), text, created_at (UTC, set on insert)


# TODO(models): a unique index on lower(username), so that "Alice" and "alice" collide.


def find_user(username: str) -> User | None:
    """The user with this name, ignoring ASCII case (the same rule as the unique index)."""
    query = db.select(User).where(func.lower(User.username) == func.lower(username))
    return db.session.execute(query).scalar_one_or_none()
