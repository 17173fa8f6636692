"""Chapter 6 from the client's side: a REST resource served by one MethodView class.

`python -m track demo 6` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-6 run`), run `python -m chapters.ch06_class_views.client`.
"""
import requests

API_KEY = "dev-api-key"  # create_app's development default for API_KEY


def walkthrough(http: requests.Session, base_url: str) -> None:
    assert http.get(f"{base_url}/hello").text == "Hello from a View"

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

    # --8<-- [start:bad-input]
    for body in ({"json": {}}, {"json": {"name": "  "}}, {"data": "name=Ada"}):
        refused = http.post(f"{base_url}/users", **body)
        assert refused.status_code == 400, body
    # The collection takes GET and POST, an item GET, PUT and DELETE: the rest is 405.
    assert http.put(f"{base_url}/users", json={"name": "x"}).status_code == 405
    assert http.post(f"{base_url}/users/1", json={"name": "x"}).status_code == 405
    # --8<-- [end:bad-input]

    # --8<-- [start:methods]
    assert http.get(f"{base_url}/readonly").status_code == 200
    refused = http.post(f"{base_url}/readonly")
    assert refused.status_code == 405
    print("/readonly allows:", refused.headers["Allow"])
    # --8<-- [end:methods]

    # --8<-- [start:decorators]
    assert http.get(f"{base_url}/private").status_code == 401
    assert http.post(f"{base_url}/private", headers={"X-API-Key": "guess"}).status_code == 401
    assert http.get(f"{base_url}/private", headers={"X-API-Key": API_KEY}).status_code == 200
    # OPTIONS is answered by Flask itself, before the class's decorators run:
    assert http.options(f"{base_url}/private").status_code == 200
    # --8<-- [end:decorators]

    # --8<-- [start:as-view]
    assert http.get(f"{base_url}/greeting/en").text == "Hello"
    assert http.get(f"{base_url}/greeting/zh").text == "你好"
    # --8<-- [end:as-view]

    for name in ("a", "b"):
        assert http.get(f"{base_url}/{name}").text == f"view {name}"


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
