"""Chapter 1 from the client's side: the requests the source material sent with Postman.

`python -m track demo 1` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-1 run`), run `python -m chapters.ch01_hello_world.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: A route maps a URL to a view function: GET / runs hello() and its return value becomes the body.
    # why-zh: 路由把 URL 映射到视图函数：GET / 运行 hello()，它的返回值就是响应体。
    # --8<-- [start:hello]
    response = http.get(f"{base_url}/")
    assert response.status_code == 200
    assert response.text == "Hello, World!"
    # --8<-- [end:hello]

    # why: A dynamic segment hands part of the URL to the view, and anything from a URL must be escaped before it goes back into HTML.
    # why-zh: 动态段把 URL 的一部分交给视图；来自 URL 的内容写回 HTML 之前必须转义。
    # A dynamic segment: whatever stands after /user/ reaches the view as `name`.
    # requests percent-encodes the `<` and `>`; the server must escape them on the way back.
    response = http.get(f"{base_url}/user/<b>Ada")
    assert response.text == "Hello, &lt;b&gt;Ada!"

    # why: A converter checks and converts a segment before the view runs: /post/abc never reaches it, the answer is a 404.
    # why-zh: 转换器在视图运行前检查并转换这一段：/post/abc 根本到不了视图，答复是 404。
    # --8<-- [start:converter]
    response = http.get(f"{base_url}/post/42")
    assert response.json() == {"post_id": 42}   # an int, converted by <int:post_id>
    assert http.get(f"{base_url}/post/abc").status_code == 404
    # --8<-- [end:converter]

    # why: methods= says which HTTP methods a route accepts; any other gets 405 with an Allow header listing the accepted ones.
    # why-zh: methods= 规定路由接受哪些 HTTP 方法；其他方法得到 405，Allow 头列出可用的方法。
    # --8<-- [start:methods]
    assert http.get(f"{base_url}/method").text == "GET"
    assert http.post(f"{base_url}/method").text == "POST"
    refused = http.put(f"{base_url}/method")
    assert refused.status_code == 405
    print("PUT is refused; the server allows:", refused.headers["Allow"])
    # --8<-- [end:methods]

    # why: add_url_rule registers the same view under two URLs, and the URL map shows every rule with its endpoint.
    # why-zh: add_url_rule 把同一个视图函数注册到两个 URL 上；URL 映射列出每条规则及其端点。
    for path in ("/test", "/test2"):
        assert http.get(f"{base_url}{path}").text == "test"

    routes = http.get(f"{base_url}/routes").json()
    print("The URL map:", ", ".join(f"{r['rule']} -> {r['endpoint']}" for r in routes))


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
