"""Chapter 10 from the client's side: a server that counts, waits and sits behind a proxy.

`python -m track demo 10` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-10 run`, or `make chapter-10 serve-prod` on port 8000),
run `python -m chapters.ch10_serving.client [http://127.0.0.1:8000]`.
"""
import time
from concurrent.futures import ThreadPoolExecutor

import requests

CLIENTS = 20
SLOW_MS = 200


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: A WSGI middleware wraps app.wsgi_app and sees every request, here numbering them in a header.
    # why-zh: WSGI 中间件包住 app.wsgi_app，能看到每个请求，这里在响应头里给请求编号。
    # --8<-- [start:count]
    first = http.get(f"{base_url}/")
    second = http.get(f"{base_url}/")
    assert first.text == "Hello, World!"
    # RequestCounter, a WSGI middleware around app.wsgi_app, numbers every request.
    assert int(second.headers["X-Request-Count"]) > int(first.headers["X-Request-Count"])
    # --8<-- [end:count]

    # why: A health endpoint lets a load balancer or a process manager ask whether the app is up.
    # why-zh: 健康检查端点让负载均衡器或进程管理器询问应用是否正常。
    assert http.get(f"{base_url}/healthz").json() == {"status": "ok"}

    # why: ProxyFix trusts exactly as many proxies as you have: the client's own claim in X-Forwarded-For is ignored.
    # why-zh: ProxyFix 只信任你实际拥有的代理数量：客户端自己在 X-Forwarded-For 里声称的地址会被忽略。
    # --8<-- [start:proxy]
    # As if nginx had appended the address it saw (203.0.113.7) to what the client claimed.
    response = http.get(f"{base_url}/whoami", headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.7"})
    assert response.json()["ip"] == "203.0.113.7"   # ProxyFix(x_for=1) trusts one hop only
    # --8<-- [end:proxy]

    # why: Input that would tie up a worker is refused up front with a 400.
    # why-zh: 会占住工作进程的输入，一开始就用 400 拒绝。
    # --8<-- [start:bad_ms]
    refused = http.get(f"{base_url}/slow", params={"ms": "1.5"})
    assert refused.status_code == 400
    assert refused.json()["error"] == "bad_request"
    # --8<-- [end:bad_ms]

    # why: Under gevent, waits overlap: many slow requests take about as long as one, if the wait is cooperative.
    # why-zh: 在 gevent 下等待可以重叠：只要等待是协作式的，多个慢请求花的时间和一个差不多。
    # --8<-- [start:concurrent]
    def one_client(_):
        return requests.get(f"{base_url}/slow", params={"ms": SLOW_MS}, timeout=30).status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(one_client, range(CLIENTS)))
    elapsed = time.perf_counter() - start
    print(f"{CLIENTS} concurrent GET /slow?ms={SLOW_MS}: {elapsed:.2f} s "
          f"(one at a time would take {CLIENTS * SLOW_MS / 1000:.1f} s)")
    assert statuses == [200] * CLIENTS
    assert elapsed < CLIENTS * SLOW_MS / 1000 / 3, "the waits did not overlap: is pause() cooperative?"
    # --8<-- [end:concurrent]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
