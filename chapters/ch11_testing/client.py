"""Chapter 11 from the client's side: the to-do app your tests cover, through real HTTP.

`python -m track demo 11` starts the server and prints every exchange. Against a server you
started yourself (`make chapter-11 run`), run `python -m chapters.ch11_testing.client`.
The server's database is a file that outlives it, so the walkthrough never assumes an empty
list: it creates its own to-do, and deletes it again.
"""
from http.cookies import SimpleCookie

import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: The same requests the tests send with the test client: create, list, mark done, delete, and a second delete is 404.
    # why-zh: 和测试用测试客户端发送的请求一样：创建、列出、标记完成、删除，第二次删除是 404。
    # --8<-- [start:crud]
    created = http.post(f"{base_url}/todos", json={"title": "Write the tests first"})
    assert created.status_code == 201
    item = created.json()
    assert item["title"] == "Write the tests first" and item["done"] is False
    assert created.headers["Location"] == f"/todos/{item['id']}"
    assert item in http.get(f"{base_url}/todos").json()     # a new request: it was committed

    done = http.post(f"{base_url}/todos/{item['id']}/done")
    assert done.status_code == 200 and done.json()["done"] is True

    deleted = http.delete(f"{base_url}/todos/{item['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert http.delete(f"{base_url}/todos/{item['id']}").status_code == 404
    # --8<-- [end:crud]

    # why: Every kind of bad body is a 400 with a message, even JSON nested too deep for Python to parse.
    # why-zh: 每一种错误的请求体都是带消息的 400，即使是嵌套太深、Python 无法解析的 JSON。
    # --8<-- [start:bad_input]
    for body in ({"json": {"title": "   "}}, {"json": {"title": "x" * 201}}, {"data": "title=milk"},
                 {"data": "[" * 5000, "headers": {"Content-Type": "application/json"}}):
        refused = http.post(f"{base_url}/todos", **body)
        assert refused.status_code == 400, body
        print("400:", refused.json()["message"])
    # --8<-- [end:bad_input]

    # why: Text from the URL is escaped in the page: the tests assert it, and the answer here shows it.
    # why-zh: 来自 URL 的文本在页面中被转义：测试断言了这一点，这里的答复也显示了它。
    assert http.get(f"{base_url}/hello/<b>Ada").text == "Hello, &lt;b&gt;Ada!"

    # why: The login redirects only within the site and sets an HttpOnly cookie: exactly what the tests assert.
    # why-zh: 登录只在本站内重定向，并设置 HttpOnly cookie：正是测试所断言的。
    # --8<-- [start:login]
    # requests follows redirects by itself; allow_redirects=False shows the 302.
    response = http.get(f"{base_url}/login", params={"next": "/todos/7"}, allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == "/todos/7"
    cookie = SimpleCookie(response.headers["Set-Cookie"])["seen"]
    assert cookie.value == "1" and cookie["httponly"]        # no script in the page can read it
    assert http.cookies.get("seen") == "1"                   # the session keeps it, like a browser

    away = http.get(f"{base_url}/login", params={"next": "https://evil.example"}, allow_redirects=False)
    assert away.headers["Location"] == "/todos"               # never to another site
    landed = http.get(f"{base_url}/login", params={"next": "//evil.example"})
    assert landed.url == f"{base_url}/todos" and [r.status_code for r in landed.history] == [302]
    # --8<-- [end:login]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
