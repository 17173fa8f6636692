"""Chapter 2 from the client's side: the requests the source material sent with Postman.

`python -m track demo 2` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-2 run`), run `python -m chapters.ch02_request_parsing.client`.
"""
from pathlib import Path

import requests

SAMPLE_IMAGE = Path(__file__).with_name("sample.png")  # a real 24x24 PNG that ships with the chapter


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: The query string arrives in request.args as text: the view converts it and answers 400 when it cannot.
    # why-zh: 查询字符串以文本形式出现在 request.args 里：视图负责转换，转换不了就答复 400。
    # --8<-- [start:query]
    # params= builds the query string: /search?q=flask&page=2
    response = http.get(f"{base_url}/search", params={"q": "flask", "page": 2})
    assert response.json() == {"q": "flask", "page": 2}
    assert http.get(f"{base_url}/search").json() == {"q": "", "page": 1}
    refused = http.get(f"{base_url}/search", params={"page": "abc"})
    assert refused.status_code == 400
    print("page=abc is refused:", refused.json()["message"])
    # --8<-- [end:query]

    # why: A form body arrives in request.form; a repeated key is a list that getlist() reads, and a blank name is refused.
    # why-zh: 表单请求体出现在 request.form 里；重复的键是一个列表，用 getlist() 读取；空白的名字会被拒绝。
    # --8<-- [start:form]
    # data= sends application/x-www-form-urlencoded; a list becomes a repeated key:
    # name=Ada&tags=python&tags=flask
    response = http.post(f"{base_url}/form", data={"name": "Ada", "tags": ["python", "flask"]})
    assert response.json() == {"name": "Ada", "tags": ["python", "flask"]}
    assert http.post(f"{base_url}/form", data={"name": "   "}).status_code == 400
    # --8<-- [end:form]

    # why: request.get_json() reads a body only when its Content-Type says JSON, and the view must check that it is an object.
    # why-zh: 只有 Content-Type 声明为 JSON 时 request.get_json() 才会解析请求体；视图还必须检查它是不是对象。
    # --8<-- [start:json]
    # json= serializes the dict and sets Content-Type: application/json.
    response = http.post(f"{base_url}/json", json={"b": 1, "a": [1, 2]})
    assert response.json() == {"received": {"b": 1, "a": [1, 2]}, "keys": ["a", "b"]}
    # The same text sent with data= has no JSON Content-Type: the server refuses it.
    assert http.post(f"{base_url}/json", data='{"a": 1}').status_code == 400
    assert http.post(f"{base_url}/json", json=[1, 2, 3]).status_code == 400   # JSON, but not an object
    # --8<-- [end:json]

    # why: An upload arrives in request.files; the filename is whatever the client sent, so secure_filename() cleans it.
    # why-zh: 上传的文件出现在 request.files 里；文件名是客户端随意发来的，所以要用 secure_filename() 清理。
    # --8<-- [start:upload]
    # Postman's form-data tab: a File row `file` and Text rows `id` and `name`.
    with SAMPLE_IMAGE.open("rb") as image:
        response = http.post(
            f"{base_url}/demo",
            files={"file": ("../../sample.png", image, "image/png")},  # a hostile name, on purpose
            data={"id": "1", "name": "zhangsan"},
        )
    assert response.json() == {
        "id": "1", "name": "zhangsan", "filename": "sample.png",
        "size": SAMPLE_IMAGE.stat().st_size, "content_type": "image/png",
    }
    # No file part at all: a 400 with the JSON error body.
    assert http.post(f"{base_url}/demo", data={"id": "1", "name": "zhangsan"}).status_code == 400
    # --8<-- [end:upload]

    # why: Headers and cookies come with every request; behind a proxy the client's address is in X-Forwarded-For.
    # why-zh: 每个请求都带着请求头和 cookie；在代理后面，客户端的地址在 X-Forwarded-For 里。
    # --8<-- [start:headers]
    http.cookies.set("theme", "dark")   # the session sends it with every request from now on
    response = http.get(
        f"{base_url}/whoami",
        headers={"User-Agent": "flask-track-client/1.0", "Auth-Token": "abc123"},
    )
    me = response.json()
    assert me["user_agent"] == "flask-track-client/1.0" and me["auth_token"] == "abc123"
    assert me["cookies"] == {"theme": "dark"} and me["method"] == "GET" and me["path"] == "/whoami"
    # As if a proxy had forwarded us: the client claimed 1.1.1.1, the proxy saw 203.0.113.7.
    forwarded = http.get(f"{base_url}/whoami", headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.7"})
    assert forwarded.json()["ip"] == "203.0.113.7"
    # --8<-- [end:headers]

    # why: request.values merges the query string and the form, and the query string wins: know where a value came from.
    # why-zh: request.values 合并了查询字符串和表单，查询字符串优先：要清楚一个值从哪里来。
    # --8<-- [start:values]
    both = http.post(f"{base_url}/values", params={"id": "from-query"}, data={"id": "from-form"})
    assert both.json() == {"id": "from-query", "source": "args"}   # the query string wins
    only_form = http.post(f"{base_url}/values", data={"id": "from-form"})
    assert only_form.json() == {"id": "from-form", "source": "form"}
    # --8<-- [end:values]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
