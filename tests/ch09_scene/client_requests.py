"""The requests chapter 9's tests send: a registration, a login, and the hostile bodies every
JSON route must refuse, each named in words for the failure message."""
from __future__ import annotations

from tests.ch09_scene.database import PASSWORD
from track.model.i18n import _

SQL_LOOKING = ["'; DROP TABLE notes; --", "1 OR 1=1", "Robert'); DELETE FROM users WHERE ('1'='1", "%_\\' \" `"]


def register(client, username="alice", password=PASSWORD):
    return client.post("/register", json={"username": username, "password": password})


def login(client, username="alice", password=PASSWORD):
    return client.post("/login", json={"username": username, "password": password})


def not_json() -> list[tuple[str, dict]]:
    """Request bodies that are no JSON object, each named in words: (name, test client arguments)."""
    return [
        (_("a form body"), {"data": {"username": "a", "password": "b", "text": "c"}}),
        (_("a text/plain body"), {"data": '{"username": "a"}', "content_type": "text/plain"}),
        (_("malformed JSON"), {"data": '{"username": ', "content_type": "application/json"}),
        (_("no body"), {}),
        (_("a JSON list"), {"json": ["username", "password"]}),
        (_("a JSON string"), {"json": "username"}),
    ]


def nested_json(client, path: str, **kwargs):
    """A body of 5,000 nested lists: get_json() raises RecursionError, which silent=True does not catch."""
    return client.post(path, data="[" * 5000, content_type="application/json", **kwargs)


def raw_json(client, path: str, body: str, **kwargs):
    """POST a JSON text as written: the test client's json= cannot send a lone surrogate."""
    return client.post(path, data=body, content_type="application/json", **kwargs)


def deep_nesting() -> str:
    """What nested_json sends, in words."""
    return _("JSON nested 5,000 lists deep (get_json() raises RecursionError, which silent=True does not catch)")


def lone_surrogate() -> str:
    """A lone surrogate in a JSON text (what raw_json can send), in words."""
    return _("a lone surrogate (\"\\ud800\": valid JSON, but no text UTF-8 can encode)")
