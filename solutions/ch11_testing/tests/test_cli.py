"""Exercise `cli`: test the `init-db` command through the `runner` fixture.

`runner.invoke(args=["init-db"])` runs the command as `flask init-db` would, against the test's
app, and returns a result with `.output` and `.exit_code`. The grader runs this module on the
correct app (every test must pass and run an `assert`) and on four broken apps; at least one
test must fail on each:

Rules:
- [catches-init-db-no-table] `init-db` leaves the database without its `todo` table.
- [catches-init-db-silent] `init-db` prints nothing instead of `Initialized the database.`.
- [catches-init-db-exit-1] `init-db` prints its message but exits with status 1, as a failure.
- [catches-init-db-keeps-data] `init-db` keeps the old to-dos: it creates the table if missing,
  never empties it.
- [sound-on-correct-app] on the correct app every test passes and runs at least one `assert`.
"""
import sqlite3
from contextlib import closing


def table_names(database: str) -> set[str]:
    """The tables in the SQLite file, read directly, without going through the app."""
    with closing(sqlite3.connect(database)) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_init_db_says_so(runner):
    """`init-db` exits with 0 and prints `Initialized the database.`"""
    # SOLUTION cli
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert result.output == "Initialized the database.\n"
    # END SOLUTION


def test_init_db_leaves_an_empty_todo_table(app, client, runner):
    """After `init-db` the database has its `todo` table again, and it is empty."""
    # SOLUTION cli
    create = client.post("/todos", json={"title": "Something old"})
    assert create.status_code == 201
    runner.invoke(args=["init-db"])
    assert "todo" in table_names(app.config["DATABASE"])
    assert client.get("/todos").get_json() == []
    # END SOLUTION
