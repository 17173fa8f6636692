"""Chapter 14 from the client's side: what a load balancer, a log reader and a user see.

`python -m track demo 14` starts the server (applying the migrations first) and prints every
exchange. Against a server you started yourself (`make chapter-14 run`, or the container on
port 8000), run `python -m chapters.ch14_shipping.client [http://127.0.0.1:8000]`.
The database outlives the server, so each run creates a book with a new ISBN.
"""
import random

import requests


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: The same app runs on a laptop and in a container: its configuration comes from the environment (APP_ENV, FLASK_*).
    # why-zh: 同一个应用既在笔记本上运行，也在容器里运行：它的配置来自环境变量（APP_ENV、FLASK_*）。
    isbn = f"978{random.randrange(10**10):010d}"  # 13 digits, new on each run

    # why: Liveness: /healthz only says the process answers; it never touches the database, so a slow database does not get the server restarted.
    # why-zh: 存活检查：/healthz 只说明进程还在答复；它从不访问数据库，数据库慢时服务器不会因此被重启。
    # --8<-- [start:liveness]
    alive = http.get(f"{base_url}/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}   # the process answers
    # --8<-- [end:liveness]

    # why: Readiness: /readyz answers 200 only when the database answers and is at the newest migration; until then a proxy sends no traffic.
    # why-zh: 就绪检查：/readyz 只有在数据库能答复且已迁移到最新版本时才答复 200；在此之前代理不会把流量发过来。
    # --8<-- [start:readiness]
    ready = http.get(f"{base_url}/readyz")
    # 200 once the database answers SELECT 1 and is at the newest migration; 503 until then.
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "database": "ok"}
    # --8<-- [end:readiness]

    # why: A book is created with 201 and a Location header; the table it lands in was made by a migration, not by create_all().
    # why-zh: 创建一本书得到 201 和 Location 头；它所在的表由迁移建立，而不是 create_all()。
    # --8<-- [start:create]
    created = http.post(f"{base_url}/books", json={"title": "Dune", "isbn": isbn})
    assert created.status_code == 201, created.text
    book = created.json()
    assert book["title"] == "Dune" and book["isbn"] == isbn
    assert created.headers["Location"].endswith(f"/books/{book['id']}")
    assert http.get(f"{base_url}/books/{book['id']}").json() == book
    # --8<-- [end:create]

    # why: The unique index that the second migration added refuses a taken ISBN: the app turns it into 409, not a 500.
    # why-zh: 第二个迁移加上的唯一索引拒绝重复的 ISBN：应用把它变成 409，而不是 500。
    # --8<-- [start:duplicate]
    again = http.post(f"{base_url}/books", json={"title": "Dune, again", "isbn": isbn})
    assert again.status_code == 409                        # the unique index ix_books_isbn said no
    # --8<-- [end:duplicate]

    # why: Bad input is a 400 with the shared JSON error body, never a 500.
    # why-zh: 错误的输入得到 400 和统一的 JSON 错误体，绝不是 500。
    # --8<-- [start:bad_body]
    refused = http.post(f"{base_url}/books", json={"title": "Dune", "isbn": "978-0441013593"})
    assert refused.status_code == 400 and set(refused.json()) == {"error", "message"}
    # --8<-- [end:bad_body]

    # why: The list comes back in id order, whatever the database's own order.
    # why-zh: 列表按 id 顺序返回，与数据库自身的顺序无关。
    # --8<-- [start:listing]
    books = http.get(f"{base_url}/books").json()
    assert book in books and [b["id"] for b in books] == sorted(b["id"] for b in books)
    # --8<-- [end:listing]

    # why: Every request gets an id, echoed in X-Request-ID and in its JSON log line: one id follows a request through proxy, app and logs.
    # why-zh: 每个请求都有一个 id，回显在 X-Request-ID 里，也写在它的 JSON 日志行里：同一个 id 贯穿代理、应用和日志。
    # --8<-- [start:request_id]
    traced = http.get(f"{base_url}/healthz", headers={"X-Request-ID": "checkout-42"})
    assert traced.headers["X-Request-ID"] == "checkout-42"  # the same id is in the server's log line
    untraced = http.get(f"{base_url}/healthz", headers={"X-Request-ID": "no spaces allowed"})
    assert len(untraced.headers["X-Request-ID"]) == 32      # replaced by a fresh uuid4().hex
    # --8<-- [end:request_id]

    # why: Security headers on every answer; HSTS only in production, where the proxy speaks HTTPS.
    # why-zh: 每个答复都带安全头；HSTS 只在生产环境启用，因为那里代理使用 HTTPS。
    # --8<-- [start:headers]
    headers = http.get(f"{base_url}/books").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "Strict-Transport-Security" not in headers       # development: no HSTS on plain HTTP
    # --8<-- [end:headers]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
