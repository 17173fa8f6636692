"""Chapter 8 from the client's side: one app, three blueprints, seen over HTTP.

`python -m track demo 8` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-8 run`), run `python -m chapters.ch08_blueprints.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: The application factory registers every blueprint; the index lists them, nested api.v1 included.
    # why-zh: 应用工厂注册每个蓝图；首页把它们都列出来，包括嵌套的 api.v1。
    # --8<-- [start:blueprints]
    index = http.get(f"{base_url}/").json()
    print("Blueprints registered by create_app:", index["blueprints"])
    assert {"auth", "user", "api", "api.v1"} <= set(index["blueprints"])
    # --8<-- [end:blueprints]

    # why: render_template() fills a Jinja template, and Jinja escapes what came from the URL.
    # why-zh: render_template() 填充 Jinja 模板，Jinja 会转义来自 URL 的内容。
    # --8<-- [start:render]
    page = http.get(f"{base_url}/login", params={"msg": "<b>Welcome</b>"})
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "&lt;b&gt;Welcome&lt;/b&gt;" in page.text   # Jinja escaped the message
    # --8<-- [end:render]

    # why: The app's templates folder is searched before a blueprint's: the same name resolves to the app's file.
    # why-zh: 先查找应用的 templates 文件夹，再查找蓝图的：同名模板用的是应用的文件。
    # --8<-- [start:priority]
    users = http.get(f"{base_url}/user/user_list")
    assert "global templates/user_list.html" in users.text       # the app's folder wins
    profile = http.get(f"{base_url}/user/profile", params={"name": "bob"})
    assert "views/templates/profile.html" in profile.text        # only the blueprint has it
    # --8<-- [end:priority]

    # why: url_for() with a blueprint's endpoint builds its links, and a blueprint's hooks run only for its own routes.
    # why-zh: url_for() 用蓝图的端点生成链接；蓝图的钩子只在它自己的路由上运行。
    # --8<-- [start:links]
    links = http.get(f"{base_url}/user/links")
    assert links.json() == {"list": "/user/user_list", "login": "/login"}
    assert links.headers["X-Blueprint"] == "user"                 # the user blueprint's hook
    assert "X-Blueprint" not in http.get(f"{base_url}/login").headers
    # --8<-- [end:links]

    # why: A blueprint's error handler answers for its own views; the app's handler answers for everything else.
    # why-zh: 蓝图的错误处理函数负责它自己的视图；其余的由应用的处理函数答复。
    # --8<-- [start:errors]
    mine = http.get(f"{base_url}/missing-user")
    assert mine.status_code == 404 and mine.json()["error"] == "user_not_found"   # auth's handler
    nowhere = http.get(f"{base_url}/no-such-page")
    assert nowhere.status_code == 404 and nowhere.json()["error"] == "not_found"  # the app's handler
    # --8<-- [end:errors]

    # why: A nested blueprint adds its prefix to its parent's: /api/v1/ping.
    # why-zh: 嵌套蓝图把自己的前缀加在父蓝图的前缀后面：/api/v1/ping。
    assert http.get(f"{base_url}/api/v1/ping").json() == {"pong": True}


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
