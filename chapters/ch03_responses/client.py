"""Chapter 3 from the client's side: what each kind of response looks like on the wire.

`python -m track demo 3` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-3 run`), run `python -m chapters.ch03_responses.client`.
Uploads land in the server's UPLOAD_FOLDER (instance/uploads/, ignored by git).
"""
from pathlib import Path

import requests

SAMPLE_IMAGE = Path(__file__).with_name("sample.png")  # a real 24x24 PNG that ships with the chapter


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: A view's return value becomes a response: a string is HTML unless you set another Content-Type.
    # why-zh: 视图的返回值会变成响应：字符串默认是 HTML，除非你设置别的 Content-Type。
    # --8<-- [start:text]
    html = http.get(f"{base_url}/text")
    plain = http.get(f"{base_url}/plain")
    assert html.text == plain.text == "Hello, World!"
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert plain.headers["Content-Type"] == "text/plain; charset=utf-8"
    # --8<-- [end:text]

    # why: Return a dict or a list and Flask answers JSON with Content-Type application/json.
    # why-zh: 返回 dict 或 list，Flask 就答复 JSON，Content-Type 为 application/json。
    # --8<-- [start:json]
    assert http.get(f"{base_url}/item").json() == {"id": 1, "name": "flask"}
    items = http.get(f"{base_url}/items")
    assert items.headers["Content-Type"] == "application/json" and isinstance(items.json(), list)
    # --8<-- [end:json]

    # why: A status code and headers travel with the body: 201 with a Location for a new item, 400 for bad input.
    # why-zh: 状态码和响应头随响应体一起发出：新建的条目用 201 加 Location，错误的输入用 400。
    # --8<-- [start:status]
    created = http.post(f"{base_url}/items", json={"name": "jinja"})
    assert created.status_code == 201
    location = created.headers["Location"]            # e.g. /items/3
    assert http.get(f"{base_url}{location}").json() == created.json()
    assert http.post(f"{base_url}/items", json={"name": ""}).status_code == 400
    # --8<-- [end:status]

    # why: set_cookie() adds a Set-Cookie header; the client sends the cookie back until an expiry in the past removes it.
    # why-zh: set_cookie() 添加 Set-Cookie 头；客户端会一直回传这个 cookie，直到一个过去的过期时间把它删掉。
    # --8<-- [start:cookie]
    response = http.get(f"{base_url}/cookie")
    assert response.text == "This document carries a cookie!"
    print("Set-Cookie:", response.headers["Set-Cookie"])
    assert http.cookies.get("answer") == "42"          # the session keeps it, like a browser
    http.get(f"{base_url}/cookie/clear")
    assert "answer" not in http.cookies                # an expiry in the past removed it
    # --8<-- [end:cookie]

    # why: send_file() streams a file with its type; here the server echoes the uploaded image byte for byte.
    # why-zh: send_file() 带着文件类型把文件发回去；这里服务器把上传的图片原样逐字节发回。
    # --8<-- [start:send_file]
    with SAMPLE_IMAGE.open("rb") as image:
        echoed = http.post(f"{base_url}/echo-image", files={"file": ("sample.png", image, "image/png")})
    assert echoed.status_code == 200 and echoed.headers["Content-Type"] == "image/png"
    assert echoed.content == SAMPLE_IMAGE.read_bytes()  # the very bytes we sent
    # --8<-- [end:send_file]

    # why: Every upload is hostile until checked: a path in its name, the wrong type, too many bytes each get their own answer.
    # why-zh: 上传的文件在检查之前都不可信：名字里带路径、类型不对、字节太多，各有各的答复。
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

    # why: send_from_directory() serves files from one folder only: a name that climbs out of it is a 404.
    # why-zh: send_from_directory() 只提供一个文件夹里的文件：想爬出这个文件夹的名字得到 404。
    # --8<-- [start:download]
    download = http.get(f"{base_url}/download/sample.png")
    assert download.headers["Content-Disposition"] == "attachment; filename=sample.png"
    assert download.content == SAMPLE_IMAGE.read_bytes()
    assert http.get(f"{base_url}/download/evil.png").status_code == 200   # it landed inside the folder
    assert http.get(f"{base_url}/download/..%2F..%2Fapp.py").status_code == 404
    # --8<-- [end:download]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
