"""Errors a test of the to-do app meets, raised for real against the app with TESTING on.

Run: python chapters/ch11_testing/examples/errors_test_client.py
"""
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the course's root: `chapters` imports from anywhere
from chapters.ch11_testing.todo import create_app, get_db, init_db


def show(error: Exception) -> None:
    """The exception's last line as pytest prints it: the full name, outside the builtins."""
    module = type(error).__module__
    print(f"{'' if module == 'builtins' else module + '.'}{type(error).__name__}: {error}")


with tempfile.TemporaryDirectory() as folder:
    app = create_app({"TESTING": True, "DATABASE": str(Path(folder) / "todo.sqlite")})
    client = app.test_client()

    with sqlite3.connect(app.config["DATABASE"]) as db:
        db.execute("DROP TABLE todo")  # as a broken init-db would leave it
    try:
        client.get("/todos")  # TESTING lets the error reach the test instead of a 500 page
    except sqlite3.OperationalError as error:
        show(error)

    try:
        get_db()  # outside any request: no app context, so no current_app and no g
    except RuntimeError as error:
        print(f"RuntimeError: {str(error).splitlines()[0]}")
    with app.app_context():
        init_db()
        print("inside `with app.app_context():` get_db() works:", get_db() is not None)

    try:
        client.post("/todos", json={"title": "\ud800"})  # ensure_ascii is off in todo.py: the raw surrogate cannot be encoded
    except UnicodeEncodeError as error:
        show(error)
    sent = client.post("/todos", data='{"title": "\\ud800"}', content_type="application/json")
    print("the same JSON sent as text reaches the app:", sent.status_code, sent.get_json())

    response = client.get("/todos")
    try:
        response.headers["Location"]  # a 200 has no Location header
    except KeyError as error:  # Werkzeug's Headers raise a KeyError that is also a 400 page
        print(f"status {response.status_code}, then:", end=" ")
        show(error)
