"""The grader's own way into chapter 9's database: what a test sets up or reads back does not
run the chapter's views, so it cannot depend on another exercise.

Users are rows the grader inserts, with a bcrypt hash it makes (cost 4, bcrypt's lowest),
never through /register. The database is DATABASE_URL when set (tests/course/test_postgres.py
points it at a throwaway PostgreSQL), else a SQLite file in /dev/shm (memory: a commit costs no
disk sync), else in a folder the caller names. The grader's engine lives as long as the module's
tests, and so does its SQL compilation cache.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import bcrypt
from sqlalchemy import create_engine, event, func, inspect, select
from sqlalchemy.orm import sessionmaker

PASSWORD = "correct horse battery staple"


@contextmanager
def scratch_database_url(fallback_folder: Callable[[], Path]) -> Iterator[str]:
    """DATABASE_URL, else a SQLite file in /dev/shm, else one in `fallback_folder()`; removed afterwards."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif Path("/dev/shm").is_dir():
        with tempfile.TemporaryDirectory(prefix="track-ch09-", dir="/dev/shm") as folder:
            yield f"sqlite:///{folder}/notes.sqlite"
    else:
        yield f"sqlite:///{fallback_folder() / 'notes.sqlite'}"


@cache
def bcrypt_hash(password: str) -> str:
    """A bcrypt hash made by the grader, once per password (cost 4, bcrypt's lowest)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode("ascii")


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


class GraderDatabase:
    """Rows the grader adds, changes, reads and deletes through an engine of its own."""

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
