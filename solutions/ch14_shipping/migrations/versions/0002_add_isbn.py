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
    # SOLUTION migrations
    # batch_alter_table: SQLite cannot alter most of a table in place; batch mode copies it
    # there, and is a plain ALTER TABLE on PostgreSQL.
    with op.batch_alter_table("books") as batch:
        batch.add_column(sa.Column("isbn", sa.String(length=13), nullable=True))
        batch.create_index("ix_books_isbn", ["isbn"], unique=True)
    # END SOLUTION


def downgrade():
    """Exercise `migrations`: the reverse of upgrade, in reverse order: drop the index, then the column."""
    # SOLUTION migrations
    with op.batch_alter_table("books") as batch:
        batch.drop_index("ix_books_isbn")
        batch.drop_column("isbn")
    # END SOLUTION
