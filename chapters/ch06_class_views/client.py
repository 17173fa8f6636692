"""Chapter 6 from the client's side: a REST resource served by one MethodView class.

`python -m track demo 6` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-6 run`), run `python -m chapters.ch06_class_views.client`.
"""
import requests

API_KEY = "dev-api-key"  # create_app's development default for API_KEY


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: A View class with dispatch_request() is a view function written as a class.
    # why-zh: 带 dispatch_request() 的 View 类就是写成类的视图函数。
    assert http.get(f"{base_url}/hello").text == "Hello from a View"

    # why: A MethodView maps HTTP methods to its methods: the whole life of a resource, from 201 with a Location to 404.
    # why-zh: MethodView 把 HTTP 方法映射到类的方法上：一个资源的完整生命周期，从带 Location 的 201 到 404。
    # --8<-- [start:rest]
    created = http.post(f"{base_url}/users", json={"name": "Ada"})
    assert created.status_code == 201
    user_url = f"{base_url}{created.headers['Location']}"   # /users/<id>, built by url_for
    fetched = http.get(user_url)
    assert fetched.status_code == 200 and fetched.json()["name"] == "Ada"
    renamed = http.put(user_url, json={"name": "Ada Lovelace"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Ada Lovelace"
    assert http.get(f"{base_url}/users").json() == [renamed.json()]
    assert http.delete(user_url).status_code == 204
    assert http.get(user_url).status_code == 404
    # --8<-- [end:rest]

    # why: Bad bodies get a 400 with the shared JSON error body, and a method the URL does not take is a 405.
    # why-zh: 错误的请求体得到带统一 JSON 错误体的 400；URL 不接受的方法得到 405。
    # --8<-- [start:bad-input]
    for body in ({"json": {}}, {"json": {"name": "  "}}, {"data": "name=Ada"}):
        refused = http.post(f"{base_url}/users", **body)
        assert refused.status_code == 400, body
    # The collection takes GET and POST, an item GET, PUT and DELETE: the rest is 405.
    assert http.put(f"{base_url}/users", json={"name": "x"}).status_code == 405
    assert http.post(f"{base_url}/users/1", json={"name": "x"}).status_code == 405
    # --8<-- [end:bad-input]

    # why: The class's methods attribute limits the verbs; Flask lists the allowed ones in the Allow header.
    # why-zh: 类的 methods 属性限定可用的方法；Flask 在 Allow 头里列出它们。
    # --8<-- [start:methods]
    assert http.get(f"{base_url}/readonly").status_code == 200
    refused = http.post(f"{base_url}/readonly")
    assert refused.status_code == 405
    print("/readonly allows:", refused.headers["Allow"])
    # --8<-- [end:methods]

    # why: The decorators attribute wraps every method of the view: one API key check for the whole class.
    # why-zh: decorators 属性给视图的每个方法都套上装饰器：整个类只需一次 API key 检查。
    # --8<-- [start:decorators]
    assert http.get(f"{base_url}/private").status_code == 401
    assert http.post(f"{base_url}/private", headers={"X-API-Key": "guess"}).status_code == 401
    assert http.get(f"{base_url}/private", headers={"X-API-Key": API_KEY}).status_code == 200
    # OPTIONS is answered by Flask itself, before the class's decorators run:
    assert http.options(f"{base_url}/private").status_code == 200
    # --8<-- [end:decorators]

    # why: as_view() passes arguments to the class's constructor, so one class serves several URLs.
    # why-zh: as_view() 把参数传给类的构造函数，于是一个类可以服务多个 URL。
    # --8<-- [start:as-view]
    assert http.get(f"{base_url}/greeting/en").text == "Hello"
    assert http.get(f"{base_url}/greeting/zh").text == "你好"
    # --8<-- [end:as-view]

    # why: functools.wraps keeps each decorated view's name, so two views keep two endpoints.
    # why-zh: functools.wraps 保留被装饰视图的名字，所以两个视图仍然是两个端点。
    for name in ("a", "b"):
        assert http.get(f"{base_url}/{name}").text == f"view {name}"


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
