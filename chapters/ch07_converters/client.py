"""Chapter 7 from the client's side: what each converter accepts, and the redirects of route options.

`python -m track demo 7` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-7 run`), run `python -m chapters.ch07_converters.client`.
"""
from urllib.parse import urlsplit

import requests


def get_json(http: requests.Session, url: str):
    """The JSON of a 200 answer (a readable failure for anything else)."""
    response = http.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return response.json()


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: Built-in converters check a segment's shape before the view runs: a value that does not fit is a 404.
    # why-zh: 内置转换器在视图运行前检查这一段的形式：不合格的值得到 404。
    # --8<-- [start:builtin]
    assert get_json(http, f"{base_url}/int/-7") == {"value": -7, "type": "int"}
    assert get_json(http, f"{base_url}/float/2.5") == {"value": 2.5, "type": "float"}
    assert http.get(f"{base_url}/float/2").status_code == 404      # float needs a dot
    assert get_json(http, f"{base_url}/path/docs/a/b.txt")["value"] == "docs/a/b.txt"
    assert get_json(http, f"{base_url}/uuid/7d444840-9dc0-11d1-b245-5ffdce74fad2")["type"] == "UUID"
    assert http.get(f"{base_url}/lang/fr").status_code == 404      # any(en, zh) only
    # --8<-- [end:builtin]

    # why: A custom converter turns a segment into a Python value with to_python(); anything it rejects is a 404.
    # why-zh: 自定义转换器用 to_python() 把这一段变成 Python 值；它拒绝的都是 404。
    # --8<-- [start:custom]
    assert get_json(http, f"{base_url}/index/888-999") == {"nid": "888-999"}
    assert get_json(http, f"{base_url}/sum/1,2,3") == {"nums": [1, 2, 3], "sum": 6}
    assert get_json(http, f"{base_url}/archive/2024-02-29")["weekday"] == "Thursday"
    for bad in ("/index/888", "/sum/1,x,3", "/archive/2023-02-29", "/archive/2024-2-9"):
        refused = http.get(f"{base_url}{bad}")
        assert refused.status_code == 404, bad
        print(f"{bad:22} -> 404 {refused.json()['error']}")
    # --8<-- [end:custom]

    # why: Route options answer 308 with the new URL (strict slashes, redirect_to, defaults): a 308 keeps the method and the body.
    # why-zh: 路由选项用 308 答复新的 URL（strict_slashes、redirect_to、defaults）：308 保持方法和请求体不变。
    # --8<-- [start:redirects]
    # allow_redirects=False shows the 308 itself instead of following it.
    for old, new in (("/docs", "/docs/"), ("/legacy/7", "/home/7"), ("/page/1", "/page/")):
        moved = http.get(f"{base_url}{old}", allow_redirects=False)
        assert moved.status_code == 308 and urlsplit(moved.headers["Location"]).path == new
    assert get_json(http, f"{base_url}/legacy/7") == {"home": 7}    # requests follows it
    assert get_json(http, f"{base_url}/page/") == {"page": 1}
    # --8<-- [end:redirects]

    # why: Subdomain rules need SERVER_NAME; without it every Host gets the same root page.
    # why-zh: 子域名规则需要 SERVER_NAME；没有它，每个 Host 得到的都是同一个根页面。
    # --8<-- [start:subdomain]
    # The server runs without SERVER_NAME (the default): subdomain rules cannot match, so
    # any Host gets the root page. The lesson shows subdomains with SERVER_NAME set.
    assert http.get(f"{base_url}/").text == "root"
    assert http.get(f"{base_url}/", headers={"Host": "alice.example.test"}).text == "root"
    # --8<-- [end:subdomain]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
