"""Chapter 4 from the client's side: redirects, a login round trip, abort and JSON errors.

`python -m track demo 4` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-4 run`), run `python -m chapters.ch04_redirects_abort.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: A redirect is a 3xx status with a Location header; the client decides whether to follow it.
    # why-zh: 重定向就是 3xx 状态码加 Location 头；由客户端决定是否跟随。
    # --8<-- [start:redirect]
    # requests follows redirects by itself; allow_redirects=False shows the redirect.
    moved = http.get(f"{base_url}/old", allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == "/new"
    followed = http.get(f"{base_url}/old")
    assert followed.text == "new page"
    assert [r.status_code for r in followed.history] == [301]
    # --8<-- [end:redirect]

    # why: url_for() builds URLs from endpoints and quotes what needs quoting, so links survive a renamed route.
    # why-zh: url_for() 根据端点生成 URL，并对需要转义的字符转义，这样路由改名后链接依然有效。
    # --8<-- [start:url_for]
    response = http.get(f"{base_url}/go/Ada Lovelace", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile/Ada%20Lovelace"   # url_for quoted the space
    assert http.get(f"{base_url}/go/<b>Ada").text == "profile of &lt;b&gt;Ada"
    # --8<-- [end:url_for]

    # why: After a login the user goes back to next, but only to a path on this site: an open redirect would help phishers.
    # why-zh: 登录后用户回到 next，但只能是本站的路径：开放重定向会帮钓鱼网站的忙。
    # --8<-- [start:login]
    to_login = http.get(f"{base_url}/admin", allow_redirects=False)
    assert to_login.status_code == 302 and to_login.headers["Location"] == "/login?next=/admin"
    # POST the form; the 302 that answers it makes requests GET /admin, like a browser.
    response = http.post(f"{base_url}/login", params={"next": "/admin"}, data={"username": "alice"})
    assert [r.status_code for r in response.history] == [302]
    assert response.text == "Welcome to admin page, alice"
    # A next that points to another site is ignored: we land on /.
    evil = http.post(f"{base_url}/login", data={"username": "alice", "next": "//evil.example"},
                     allow_redirects=False)
    assert evil.headers["Location"] == "/"
    assert http.post(f"{base_url}/login", data={"username": " "}).status_code == 400
    # --8<-- [end:login]

    # why: abort(404) stops the view at once and answers the error, here with the shared JSON error body.
    # why-zh: abort(404) 立刻结束视图并答复这个错误，这里用的是统一的 JSON 错误体。
    # --8<-- [start:abort]
    assert http.get(f"{base_url}/users/1").json() == {"id": 1, "name": "alice"}
    missing = http.get(f"{base_url}/users/42")
    assert missing.status_code == 404
    print("abort(404) answered:", missing.json())
    # --8<-- [end:abort]

    # why: Error handlers turn every error into the same JSON body; a 500 keeps its details in the log, not the answer.
    # why-zh: 错误处理函数把每个错误变成同样的 JSON 体；500 的细节留在日志里，不进答复。
    # --8<-- [start:errors]
    assert http.get(f"{base_url}/no-such-page").json()["error"] == "Not Found"
    wrong_method = http.delete(f"{base_url}/new")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    boom = http.get(f"{base_url}/boom")
    assert boom.status_code == 500 and "hunter2" not in boom.text   # the details stay in the log
    # --8<-- [end:errors]

    # why: A custom exception with its own handler turns a business rule into a clear status: 402 when the balance is short.
    # why-zh: 自定义异常配上自己的处理函数，把业务规则变成清楚的状态码：余额不足时答复 402。
    # --8<-- [start:withdraw]
    assert http.post(f"{base_url}/withdraw", data={"amount": "30"}).json() == {"balance": 70}
    refused = http.post(f"{base_url}/withdraw", data={"amount": "500"})
    assert refused.status_code == 402
    print("402:", refused.json()["message"])
    assert http.post(f"{base_url}/withdraw", data={"amount": "-5"}).status_code == 400
    # --8<-- [end:withdraw]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
