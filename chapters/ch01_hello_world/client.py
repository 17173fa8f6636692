"""Chapter 1 from the client's side: the requests the source material sent with Postman.

`python -m track demo 1` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-1 run`), run `python -m chapters.ch01_hello_world.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # --8<-- [start:hello]
    response = http.get(f"{base_url}/")
    assert response.status_code == 200
    assert response.text == "Hello, World!"
    # --8<-- [end:hello]

    # A dynamic segment: whatever stands after /user/ reaches the view as `name`.
    # requests percent-encodes the `<` and `>`; the server must escape them on the way back.
    response = http.get(f"{base_url}/user/<b>Ada")
    assert response.text == "Hello, &lt;b&gt;Ada!"

    # --8<-- [start:converter]
    response = http.get(f"{base_url}/post/42")
    assert response.json() == {"post_id": 42}   # an int, converted by <int:post_id>
    assert http.get(f"{base_url}/post/abc").status_code == 404
    # --8<-- [end:converter]

    # --8<-- [start:methods]
    assert http.get(f"{base_url}/method").text == "GET"
    assert http.post(f"{base_url}/method").text == "POST"
    refused = http.put(f"{base_url}/method")
    assert refused.status_code == 405
    print("PUT is refused; the server allows:", refused.headers["Allow"])
    # --8<-- [end:methods]

    for path in ("/test", "/test2"):
        assert http.get(f"{base_url}{path}").text == "test"

    routes = http.get(f"{base_url}/routes").json()
    print("The URL map:", ", ".join(f"{r['rule']} -> {r['endpoint']}" for r in routes))


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
