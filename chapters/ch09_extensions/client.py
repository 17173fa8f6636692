"""Chapter 9 from the client's side: register, log in, use the token, keep notes.

`python -m track demo 9` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-9 run`), run `python -m chapters.ch09_extensions.client`.
The database outlives the server, so each run registers a user with a new name.
"""
import uuid

import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: The walkthrough picks a new user name, so it also runs against a server whose database you keep.
    # why-zh: 演示选一个新用户名，所以对一个保留着数据库的服务器也能运行。
    username = f"ada-{uuid.uuid4().hex[:8]}"
    password = "correct horse battery staple"

    # why: Registration stores a bcrypt hash, never the password; names collide regardless of case, and bcrypt's 72-byte limit is a 400.
    # why-zh: 注册只保存 bcrypt 哈希，从不保存密码；用户名不区分大小写地冲突，超过 bcrypt 的 72 字节限制是 400。
    # --8<-- [start:register]
    created = http.post(f"{base_url}/register", json={"username": username, "password": password})
    assert created.status_code == 201, created.text
    assert created.json()["username"] == username          # no password, no hash in the answer
    again = http.post(f"{base_url}/register", json={"username": username.upper(), "password": "x"})
    assert again.status_code == 409                         # names collide regardless of case
    too_long = http.post(f"{base_url}/register", json={"username": "eve", "password": "x" * 73})
    assert too_long.status_code == 400                      # bcrypt's 72-byte limit
    # --8<-- [end:register]

    # why: A wrong password and an unknown user get the same 401, so the answer reveals no names; a good login gets a JWT.
    # why-zh: 密码错误和用户不存在得到同样的 401，答复不泄露用户名；登录成功得到一个 JWT。
    # --8<-- [start:login]
    wrong = http.post(f"{base_url}/login", json={"username": username, "password": "nope"})
    nobody = http.post(f"{base_url}/login", json={"username": "nobody-at-all", "password": "nope"})
    assert wrong.status_code == nobody.status_code == 401 and wrong.json() == nobody.json()
    token = http.post(f"{base_url}/login", json={"username": username, "password": password}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    # --8<-- [end:login]

    # why: @jwt_required() lets only a valid token in: no token, a malformed one or a tampered one are each a JSON 401.
    # why-zh: @jwt_required() 只放行有效的令牌：没有令牌、格式错误或被篡改，都是 JSON 格式的 401。
    # --8<-- [start:me]
    me = http.get(f"{base_url}/me", headers=auth).json()
    assert me["username"] == username and me["role"] == "user"
    for bad in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Bearer {token}x"}):
        refused = http.get(f"{base_url}/me", headers=bad)
        assert refused.status_code == 401 and set(refused.json()) == {"error", "message"}
    # --8<-- [end:me]

    # why: Each user sees only their own notes; SQLAlchemy's bound parameters store hostile text as plain text.
    # why-zh: 每个用户只能看到自己的笔记；SQLAlchemy 的绑定参数把恶意文本当作普通文本保存。
    # --8<-- [start:notes]
    note = http.post(f"{base_url}/notes", json={"text": "'; DROP TABLE notes; --"}, headers=auth)
    assert note.status_code == 201 and note.json()["text"] == "'; DROP TABLE notes; --"
    assert [n["id"] for n in http.get(f"{base_url}/notes", headers=auth).json()] == [note.json()["id"]]
    assert http.delete(f"{base_url}/notes/{note.json()['id']}", headers=auth).status_code == 204
    assert http.get(f"{base_url}/notes", headers=auth).json() == []
    # --8<-- [end:notes]

    # why: A role check is a second gate after the token: a signed-in user who is not an admin gets 403, no token 401.
    # why-zh: 角色检查是令牌之后的第二道关：已登录但不是管理员得到 403，没有令牌得到 401。
    # --8<-- [start:admin]
    assert http.get(f"{base_url}/admin/users", headers=auth).status_code == 403   # not an admin
    assert http.get(f"{base_url}/admin/users").status_code == 401                 # no token at all
    # --8<-- [end:admin]
    # why: The health check says which database the app uses: SQLite here, PostgreSQL when DATABASE_URL names one.
    # why-zh: 健康检查说明应用用的是哪个数据库：这里是 SQLite，DATABASE_URL 指定时是 PostgreSQL。
    print("Database in use:", http.get(f"{base_url}/health").json()["database"])


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
