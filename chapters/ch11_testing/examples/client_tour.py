"""Flask's test client and CLI runner on the to-do app, without pytest: what a test can see."""
import sys
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path

from flask import request

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the course's root: `chapters` imports from anywhere
from chapters.ch11_testing.todo import create_app

with tempfile.TemporaryDirectory() as folder:
    # What the `app` fixture does: a fresh app on a database file nobody else uses.
    app = create_app({"TESTING": True, "DATABASE": str(Path(folder) / "todo.sqlite")})
    client = app.test_client()

    response = client.post("/todos", json={"title": "Buy milk"})
    print("POST /todos       ->", response.status_code, response.get_json(), "Location:", response.headers["Location"])
    print("GET /todos        ->", client.get("/todos").get_json())

    # Without follow_redirects the client hands back the 302 itself.
    response = client.get("/login?next=/todos/1")
    print("GET /login        ->", response.status_code, "Location:", response.headers["Location"])
    print("  Set-Cookie:     ", response.headers["Set-Cookie"])
    cookie = SimpleCookie(response.headers["Set-Cookie"])["seen"]
    print("  parsed:          value", repr(cookie.value), "httponly", cookie["httponly"])
    jar = client.get_cookie("seen")
    print("  client jar:      value", repr(jar.value), "http_only", jar.http_only, "same_site", jar.same_site)
    assert (jar.http_only, jar.same_site) == (True, "Lax")

    # `data=` sends a form only when it is a dict; a string goes out as it is, with no Content-Type.
    # test_request_context builds the request from the same arguments, the way client.post() does.
    for data in ({"title": "Buy milk"}, "title=Buy milk"):
        with app.test_request_context("/todos", method="POST", data=data):
            print(f"data={data!r:<21} -> Content-Type {request.content_type!r}, form {request.form.to_dict()}")
            assert bool(request.form) == isinstance(data, dict)

    # With it, the client makes the second request too; history keeps the first answer.
    response = client.get("/login?next=https://evil.example", follow_redirects=True)
    print("followed          ->", response.status_code, response.request.path, "history:", [r.status_code for r in response.history])

    # The CLI runner runs a command the way `flask init-db` would, and keeps what it printed.
    result = app.test_cli_runner().invoke(args=["init-db"])
    print("init-db           ->", repr(result.output), "exit code", result.exit_code)
    print("GET /todos        ->", client.get("/todos").get_json())
