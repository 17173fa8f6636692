"""How the grader judges a test: it must pass on the correct app and fail on a broken one.

The broken app here echoes the name of /hello/<name> without escaping it. A weak test only
checks the status; a strong one checks the body. Run both on both apps.
"""
import sys
import tempfile
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the course's root: `chapters` imports from anywhere
from chapters.ch11_testing.todo import create_app


def broken_app(database: str) -> Flask:
    """The correct app, with /hello/<name> replaced by a view that forgets escape()."""
    app = create_app({"TESTING": True, "DATABASE": database})
    app.view_functions["hello"] = lambda name: f"Hello, {name}!"
    return app


def weak_test(client):
    assert client.get("/hello/<b>Ada").status_code == 200


def strong_test(client):
    response = client.get("/hello/<b>Ada")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hello, &lt;b&gt;Ada!"


def verdict(test, app: Flask) -> str:
    try:
        test(app.test_client())
    except AssertionError:
        return "fails"
    return "passes"


with tempfile.TemporaryDirectory() as folder:
    database = str(Path(folder) / "todo.sqlite")
    correct = create_app({"TESTING": True, "DATABASE": database})
    broken = broken_app(database)
    for test in (weak_test, strong_test):
        on_correct, on_broken = verdict(test, correct), verdict(test, broken)
        caught = on_correct == "passes" and on_broken == "fails"
        print(f"{test.__name__:<12} correct app: {on_correct:<6} broken app: {on_broken:<6} -> "
              f"{'catches the bug' if caught else 'lets the bug through'}")
