"""Chapter 14 from the client's side: what a load balancer, a log reader and a user see.

`python -m track demo 14` starts the server (applying the migrations first) and prints every
exchange. Against a server you started yourself (`make chapter-14 run`, or the container on
port 8000), run `python -m chapters.ch14_shipping.client [http://127.0.0.1:8000]`.
The database outlives the server, so each run creates a book with a new ISBN.
"""
import random

import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    isbn = f"978{random.randrange(10**10):010d}"  # 13 digits, new on each run

    # --8<-- [start:liveness]
    alive = http.get(f"{base_url}/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}   # the process answers
    # --8<-- [end:liveness]

    # --8<-- [start:readiness]
    ready = http.get(f"{base_url}/readyz")
    # 200 once the database answers SELECT 1 and is at the newest migration; 503 until then.
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "database": "ok"}
    # --8<-- [end:readiness]

    # --8<-- [start:create]
    created = http.post(f"{base_url}/books", json={"title": "Dune", "isbn": isbn})
    assert created.status_code == 201, created.text
    book = created.json()
    assert book["title"] == "Dune" and book["isbn"] == isbn
    assert created.headers["Location"].endswith(f"/books/{book['id']}")
    assert http.get(f"{base_url}/books/{book['id']}").json() == book
    # --8<-- [end:create]

    # --8<-- [start:duplicate]
    again = http.post(f"{base_url}/books", json={"title": "Dune, again", "isbn": isbn})
    assert again.status_code == 409                        # the unique index ix_books_isbn said no
    # --8<-- [end:duplicate]

    # --8<-- [start:bad_body]
    refused = http.post(f"{base_url}/books", json={"title": "Dune", "isbn": "978-0441013593"})
    assert refused.status_code == 400 and set(refused.json()) == {"error", "message"}
    # --8<-- [end:bad_body]

    # --8<-- [start:listing]
    books = http.get(f"{base_url}/books").json()
    assert book in books and [b["id"] for b in books] == sorted(b["id"] for b in books)
    # --8<-- [end:listing]

    # --8<-- [start:request_id]
    traced = http.get(f"{base_url}/healthz", headers={"X-Request-ID": "checkout-42"})
    assert traced.headers["X-Request-ID"] == "checkout-42"  # the same id is in the server's log line
    untraced = http.get(f"{base_url}/healthz", headers={"X-Request-ID": "no spaces allowed"})
    assert len(untraced.headers["X-Request-ID"]) == 32      # replaced by a fresh uuid4().hex
    # --8<-- [end:request_id]

    # --8<-- [start:headers]
    headers = http.get(f"{base_url}/books").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "Strict-Transport-Security" not in headers       # development: no HSTS on plain HTTP
    # --8<-- [end:headers]


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
