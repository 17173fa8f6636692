"""Chapter 5 from the client's side: tokens, request ids, CORS preflights and JSON errors.

`python -m track demo 5` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-5 run`), run `python -m chapters.ch05_hooks.client`.
The token is the development default of `create_app` (`API_TOKENS`), see the lesson.
"""
import requests

TOKEN = "demo-token"  # create_app's development default: user "demo"
ALLOWED_ORIGIN = "http://localhost:3000"  # in the default CORS_ORIGINS
FOREIGN_ORIGIN = "https://evil.example"


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: before_request and after_request hooks run around every view: here they time it and tag it with a request id.
    # why-zh: before_request 和 after_request 钩子在每个视图前后运行：这里它们计时并给请求打上 request id。
    # --8<-- [start:open]
    response = http.get(f"{base_url}/health")           # on the allow-list: no token
    assert response.json() == {"status": "ok"}
    assert {"X-Response-Time", "X-Request-Id"} <= set(response.headers), "exercise timing"
    print("The server spent", response.headers["X-Response-Time"], "ms; request id", response.headers["X-Request-Id"])
    traced = http.get(f"{base_url}/health", headers={"X-Request-Id": "trace-42"})
    assert traced.headers["X-Request-Id"] == "trace-42"  # an incoming id is echoed
    # --8<-- [end:open]

    # why: One before_request hook guards every route: a missing or malformed token is a 401 before any view runs.
    # why-zh: 一个 before_request 钩子守住所有路由：缺少令牌或令牌格式不对，在任何视图运行前就是 401。
    # --8<-- [start:refused]
    refused = http.get(f"{base_url}/me")
    assert refused.status_code == 401
    assert refused.headers.get("WWW-Authenticate") == "Bearer"
    for header in ("Bearer", "Basic ZGVtbzpkZW1v", f"Token {TOKEN}", "Bearer not-a-token"):
        answer = http.get(f"{base_url}/me", headers={"Authorization": header})
        assert answer.status_code == 401, header
        print(f"{header!r:28} -> 401 {answer.json()['message']}")
    # --8<-- [end:refused]

    # why: A browser asks with OPTIONS before a cross-origin call; only the allowed origin gets Access-Control-Allow-Origin.
    # why-zh: 浏览器在跨域调用前先用 OPTIONS 询问；只有允许的来源才会得到 Access-Control-Allow-Origin。
    # --8<-- [start:preflight]
    # What a browser sends before a cross-origin GET with an Authorization header.
    ask = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
    allowed = http.options(f"{base_url}/me", headers={"Origin": ALLOWED_ORIGIN, **ask})
    assert allowed.status_code == 204                    # no token needed for a preflight
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    foreign = http.options(f"{base_url}/me", headers={"Origin": FOREIGN_ORIGIN, **ask})
    assert foreign.status_code == 204
    assert "Access-Control-Allow-Origin" not in foreign.headers  # the browser will refuse
    # --8<-- [end:preflight]

    # why: With a valid token the hook stores the user in g, and the view reads it and the app from the contexts.
    # why-zh: 令牌有效时，钩子把用户存进 g，视图再从上下文中读取用户和应用。
    # --8<-- [start:token]
    http.headers["Authorization"] = f"Bearer {TOKEN}"   # every request of the session from now on
    me = http.get(f"{base_url}/me")
    assert me.status_code == 200 and me.json() == {"username": "demo"}
    named = http.get(f"{base_url}/app-name")
    assert named.status_code == 200, "exercise contexts"
    print("This app is called", named.json()["name"])
    # --8<-- [end:token]

    # why: An error handler answers JSON for every HTTP error and a bare 500 for a crash, whose details go to the log.
    # why-zh: 错误处理函数对每个 HTTP 错误都答复 JSON，对崩溃只答复简单的 500，细节写进日志。
    # --8<-- [start:errors]
    boom = http.get(f"{base_url}/boom")                 # the view raises RuntimeError
    assert boom.status_code == 500
    assert "hunter2" not in boom.text                    # the details stay in the server's log
    assert http.get(f"{base_url}/no-such-page").status_code == 404   # not turned into a 500
    not_allowed = http.post(f"{base_url}/health")
    assert not_allowed.status_code == 405 and not_allowed.headers["Content-Type"] == "application/json"
    # --8<-- [end:errors]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
