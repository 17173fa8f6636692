"""Add books.isbn, nullable, with the unique index ix_books_isbn.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    """Exercise `migrations`: add isbn (string(13), nullable) and the unique index ix_books_isbn.

    Existing rows keep their data and get isbn NULL (nullable: no default needed).

    Rules:
    - [upgrade-to-head] `flask db upgrade` takes an empty database to the head, 0002, with the table books
    - [books-columns] books has id (integer primary key), title (string(200), not null), isbn (string(13), nullable)
    - [isbn-unique-index] after upgrade, books.isbn has the unique index ix_books_isbn
    - [downgrade-keeps-rows] `flask db downgrade` (one step) drops isbn and its index and keeps every book's id and title
    - [db-check-clean] `flask db check` at the head finds no difference between the models and the database
    - [no-create-all] outside testing, create_app makes no tables: only the migrations do
    """
    # TODO(migrations): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
    raise NotImplementedError("TODO(migrations)")


def downgrade():
    """Exercise `migrations`: the reverse of upgrade, in reverse order: drop the index, then the column."""
    # TODO(migrations): write this part; the docstring above has the contract. Stuck? `python -m track hint 14`
    raise NotImplementedError("TODO(migrations)")
