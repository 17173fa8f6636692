"""Chapter 9 from the client's side: register, log in, use the token, keep notes.

`python -m track demo 9` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-9 run`), run `python -m chapters.ch09_extensions.client`.
The database outlives the server, so each run registers a user with a new name.
"""
import uuid

import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    username = f"ada-{uuid.uuid4().hex[:8]}"
    password = "correct horse battery staple"

    # --8<-- [start:register]
    created = http.post(f"{base_url}/register", json={"username": username, "password": password})
    assert created.status_code == 201, created.text
    assert created.json()["username"] == username          # no password, no hash in the answer
    again = http.post(f"{base_url}/register", json={"username": username.upper(), "password": "x"})
    assert again.status_code == 409                         # names collide regardless of case
    too_long = http.post(f"{base_url}/register", json={"username": "eve", "password": "x" * 73})
    assert too_long.status_code == 400                      # bcrypt's 72-byte limit
    # --8<-- [end:register]

    # --8<-- [start:login]
    wrong = http.post(f"{base_url}/login", json={"username": username, "password": "nope"})
    nobody = http.post(f"{base_url}/login", json={"username": "nobody-at-all", "password": "nope"})
    assert wrong.status_code == nobody.status_code == 401 and wrong.json() == nobody.json()
    token = http.post(f"{base_url}/login", json={"username": username, "password": password}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    # --8<-- [end:login]

    # --8<-- [start:me]
    me = http.get(f"{base_url}/me", headers=auth).json()
    assert me["username"] == username and me["role"] == "user"
    for bad in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Bearer {token}x"}):
        refused = http.get(f"{base_url}/me", headers=bad)
        assert refused.status_code == 401 and set(refused.json()) == {"error", "message"}
    # --8<-- [end:me]

    # --8<-- [start:notes]
    note = http.post(f"{base_url}/notes", json={"text": "'; DROP TABLE notes; --"}, headers=auth)
    assert note.status_code == 201 and note.json()["text"] == "'; DROP TABLE notes; --"
    assert [n["id"] for n in http.get(f"{base_url}/notes", headers=auth).json()] == [note.json()["id"]]
    assert http.delete(f"{base_url}/notes/{note.json()['id']}", headers=auth).status_code == 204
    assert http.get(f"{base_url}/notes", headers=auth).json() == []
    # --8<-- [end:notes]

    # --8<-- [start:admin]
    assert http.get(f"{base_url}/admin/users", headers=auth).status_code == 403   # not an admin
    assert http.get(f"{base_url}/admin/users").status_code == 401                 # no token at all
    # --8<-- [end:admin]
    print("Database in use:", http.get(f"{base_url}/health").json()["database"])


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
