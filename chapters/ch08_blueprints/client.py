"""Chapter 8 from the client's side: one app, three blueprints, seen over HTTP.

`python -m track demo 8` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-8 run`), run `python -m chapters.ch08_blueprints.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # --8<-- [start:blueprints]
    index = http.get(f"{base_url}/").json()
    print("Blueprints registered by create_app:", index["blueprints"])
    assert {"auth", "user", "api", "api.v1"} <= set(index["blueprints"])
    # --8<-- [end:blueprints]

    # --8<-- [start:render]
    page = http.get(f"{base_url}/login", params={"msg": "<b>Welcome</b>"})
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "&lt;b&gt;Welcome&lt;/b&gt;" in page.text   # Jinja escaped the message
    # --8<-- [end:render]

    # --8<-- [start:priority]
    users = http.get(f"{base_url}/user/user_list")
    assert "global templates/user_list.html" in users.text       # the app's folder wins
    profile = http.get(f"{base_url}/user/profile", params={"name": "bob"})
    assert "views/templates/profile.html" in profile.text        # only the blueprint has it
    # --8<-- [end:priority]

    # --8<-- [start:links]
    links = http.get(f"{base_url}/user/links")
    assert links.json() == {"list": "/user/user_list", "login": "/login"}
    assert links.headers["X-Blueprint"] == "user"                 # the user blueprint's hook
    assert "X-Blueprint" not in http.get(f"{base_url}/login").headers
    # --8<-- [end:links]

    # --8<-- [start:errors]
    mine = http.get(f"{base_url}/missing-user")
    assert mine.status_code == 404 and mine.json()["error"] == "user_not_found"   # auth's handler
    nowhere = http.get(f"{base_url}/no-such-page")
    assert nowhere.status_code == 404 and nowhere.json()["error"] == "not_found"  # the app's handler
    # --8<-- [end:errors]

    assert http.get(f"{base_url}/api/v1/ping").json() == {"pong": True}


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
