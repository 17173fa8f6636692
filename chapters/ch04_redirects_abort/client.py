"""Chapter 4 from the client's side: redirects, a login round trip, abort and JSON errors.

`python -m track demo 4` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-4 run`), run `python -m chapters.ch04_redirects_abort.client`.
"""
import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # --8<-- [start:redirect]
    # requests follows redirects by itself; allow_redirects=False shows the redirect.
    moved = http.get(f"{base_url}/old", allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == "/new"
    followed = http.get(f"{base_url}/old")
    assert followed.text == "new page"
    assert [r.status_code for r in followed.history] == [301]
    # --8<-- [end:redirect]

    # --8<-- [start:url_for]
    response = http.get(f"{base_url}/go/Ada Lovelace", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile/Ada%20Lovelace"   # url_for quoted the space
    assert http.get(f"{base_url}/go/<b>Ada").text == "profile of &lt;b&gt;Ada"
    # --8<-- [end:url_for]

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

    # --8<-- [start:abort]
    assert http.get(f"{base_url}/users/1").json() == {"id": 1, "name": "alice"}
    missing = http.get(f"{base_url}/users/42")
    assert missing.status_code == 404
    print("abort(404) answered:", missing.json())
    # --8<-- [end:abort]

    # --8<-- [start:errors]
    assert http.get(f"{base_url}/no-such-page").json()["error"] == "Not Found"
    wrong_method = http.delete(f"{base_url}/new")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    boom = http.get(f"{base_url}/boom")
    assert boom.status_code == 500 and "hunter2" not in boom.text   # the details stay in the log
    # --8<-- [end:errors]

    # --8<-- [start:withdraw]
    assert http.post(f"{base_url}/withdraw", data={"amount": "30"}).json() == {"balance": 70}
    refused = http.post(f"{base_url}/withdraw", data={"amount": "500"})
    assert refused.status_code == 402
    print("402:", refused.json()["message"])
    assert http.post(f"{base_url}/withdraw", data={"amount": "-5"}).status_code == 400
    # --8<-- [end:withdraw]


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
