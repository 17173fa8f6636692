"""Chapter 3 from the client's side: what each kind of response looks like on the wire.

`python -m track demo 3` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-3 run`), run `python -m chapters.ch03_responses.client`.
Uploads land in the server's UPLOAD_FOLDER (instance/uploads/, ignored by git).
"""
from pathlib import Path

import requests

SAMPLE_IMAGE = Path(__file__).with_name("sample.png")  # a real 24x24 PNG that ships with the chapter


def walkthrough(http: requests.Session, base_url: str) -> None:
    # --8<-- [start:text]
    html = http.get(f"{base_url}/text")
    plain = http.get(f"{base_url}/plain")
    assert html.text == plain.text == "Hello, World!"
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert plain.headers["Content-Type"] == "text/plain; charset=utf-8"
    # --8<-- [end:text]

    # --8<-- [start:json]
    assert http.get(f"{base_url}/item").json() == {"id": 1, "name": "flask"}
    items = http.get(f"{base_url}/items")
    assert items.headers["Content-Type"] == "application/json" and isinstance(items.json(), list)
    # --8<-- [end:json]

    # --8<-- [start:status]
    created = http.post(f"{base_url}/items", json={"name": "jinja"})
    assert created.status_code == 201
    location = created.headers["Location"]            # e.g. /items/3
    assert http.get(f"{base_url}{location}").json() == created.json()
    assert http.post(f"{base_url}/items", json={"name": ""}).status_code == 400
    # --8<-- [end:status]

    # --8<-- [start:cookie]
    response = http.get(f"{base_url}/cookie")
    assert response.text == "This document carries a cookie!"
    print("Set-Cookie:", response.headers["Set-Cookie"])
    assert http.cookies.get("answer") == "42"          # the session keeps it, like a browser
    http.get(f"{base_url}/cookie/clear")
    assert "answer" not in http.cookies                # an expiry in the past removed it
    # --8<-- [end:cookie]

    # --8<-- [start:send_file]
    with SAMPLE_IMAGE.open("rb") as image:
        echoed = http.post(f"{base_url}/echo-image", files={"file": ("sample.png", image, "image/png")})
    assert echoed.status_code == 200 and echoed.headers["Content-Type"] == "image/png"
    assert echoed.content == SAMPLE_IMAGE.read_bytes()  # the very bytes we sent
    # --8<-- [end:send_file]

    # --8<-- [start:hostile]
    with SAMPLE_IMAGE.open("rb") as image:
        # The name the server receives is exactly this; secure_filename makes it "evil.png".
        hostile = http.post(f"{base_url}/echo-image", files={"file": ("../../evil.png", image, "image/png")})
    assert hostile.status_code == 200
    refused = http.post(f"{base_url}/echo-image", files={"file": ("notes.txt", b"hello", "text/plain")})
    assert refused.status_code == 415, refused.text
    too_big = http.post(f"{base_url}/echo-image", files={"file": ("big.png", b"\0" * (3 * 1024 * 1024))})
    assert too_big.status_code == 413, too_big.text
    print("Refused:", refused.json()["message"], "|", too_big.json()["message"])
    # --8<-- [end:hostile]

    # --8<-- [start:download]
    download = http.get(f"{base_url}/download/sample.png")
    assert download.headers["Content-Disposition"] == "attachment; filename=sample.png"
    assert download.content == SAMPLE_IMAGE.read_bytes()
    assert http.get(f"{base_url}/download/evil.png").status_code == 200   # it landed inside the folder
    assert http.get(f"{base_url}/download/..%2F..%2Fapp.py").status_code == 404
    # --8<-- [end:download]


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
