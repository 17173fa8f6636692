"""The errors the lesson's "Common errors" quotes, reproduced on the reference solution.

Run: python chapters/ch14_shipping/examples/errors_shipping.py
Each case uses a throwaway SQLite file, and runs the `flask` CLI the way you would.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))  # the course's root: `solutions` imports from anywhere
from solutions.ch14_shipping.app import create_app  # noqa: E402  (after the path is set)

APP = str(ROOT / "solutions" / "ch14_shipping" / "app.py")


def flask_db(database: str, *args: str) -> str:
    """`flask --app .../app.py db ARGS` on `database`: its answer's last line (stdout, else stderr)."""
    env = {**os.environ, "DATABASE_URL": database, "APP_ENV": "development"}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", APP, "db", *args], env=env, capture_output=True, text=True)
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]


with tempfile.TemporaryDirectory() as folder:
    database = f"sqlite:///{folder}/books.sqlite"

    # 1. Production without a secret key of its own: create_app refuses to start.
    os.environ.update(APP_ENV="production")
    try:
        create_app({"SQLALCHEMY_DATABASE_URI": database})
    except RuntimeError as error:
        print(f"RuntimeError: {error}")
    os.environ.update(APP_ENV="development")

    # 2. The app runs, but nobody ran `flask db upgrade`: in development there are no tables.
    client = create_app({"SQLALCHEMY_DATABASE_URI": database}).test_client()
    print(client.get("/readyz").get_json())              # {'database': 'migrations not applied', ...}
    try:
        client.get("/books")
    except Exception as error:  # the test client re-raises what a server would log as a 500
        print(f"{type(error).__module__}.{type(error).__name__}: {str(error).splitlines()[0]}")

    # 3. `flask db check` (or `db migrate`) before `db upgrade`: Alembic compares only at the head.
    print(flask_db(database, "check"))                   # Error: Target database is not up to date.
    flask_db(database, "upgrade")
    print(flask_db(database, "check"))                   # No new upgrade operations detected.

    # 4. A body over MAX_CONTENT_LENGTH (1 MiB).
    print(client.post("/books", data=b"x" * (1024 * 1024 + 1), content_type="application/json").status)
