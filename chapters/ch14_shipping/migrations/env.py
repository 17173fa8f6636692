"""Alembic's entry point, run by every `flask db ...` command (Flask-Migrate's template, trimmed).

It takes the database and the models' metadata from the running app (`flask --app ...`), so
`db upgrade` migrates the database the app is configured for and `db check` compares with
the models the app uses.
"""
import logging
import sys

from alembic import context
from flask import current_app

# The revisions being applied, one line each on stderr ("Running upgrade 0001 -> 0002"), unless
# the program running us configured Alembic's logs already (Alembic itself adds only a NullHandler).
migration_log = logging.getLogger("alembic.runtime.migration")
if all(isinstance(handler, logging.NullHandler) for handler in logging.getLogger("alembic").handlers + migration_log.handlers):
    migration_log.addHandler(logging.StreamHandler(sys.stderr))
    migration_log.setLevel(logging.INFO)

migrate = current_app.extensions["migrate"]


def run_migrations_online() -> None:
    """Migrate through a connection of the app's own engine, in one transaction where the database allows."""
    with migrate.db.engine.connect() as connection:
        # configure_args holds Flask-Migrate's defaults: compare_type, and render_as_batch, which
        # lets SQLite (no ALTER TABLE ... DROP COLUMN before 3.35) run column changes by copying the table.
        context.configure(connection=connection, target_metadata=migrate.db.metadata, **migrate.configure_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("This project runs its migrations online: `flask db upgrade` against a database, not --sql.")
run_migrations_online()
