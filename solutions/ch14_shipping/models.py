"""The database: the shared `db` extension object and the Book model.

The model is what the code expects; migrations/ is how a database gets there. `flask db check`
compares the two.
"""
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TITLE_MAX = 200
ISBN_LENGTH = 13


class Base(DeclarativeBase):
    """SQLAlchemy 2's declarative base; Flask-SQLAlchemy builds `db.Model` on it."""


db = SQLAlchemy(model_class=Base)


class Book(db.Model):
    """A book in the table `books`: id, title (at most 200 characters), isbn (13 digits, unique, optional).

    `index=True, unique=True` gives the unique index `ix_books_isbn`, the name the second
    migration creates.
    """

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    isbn: Mapped[str | None] = mapped_column(String(ISBN_LENGTH), index=True, unique=True)

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "isbn": self.isbn}
