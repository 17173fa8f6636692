"""Chapter 12 from the client's side: the HTTP handshake by hand, then python-socketio clients.

`python -m track demo 12` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-12 run`), run `python -m chapters.ch12_realtime.client`.
The token is FLASK_CHAT_TOKEN from the environment (the variable the server reads), else
the development token.

One walkthrough covers both sides, so that `make chapter-12 demo` and `make test` run all of
it: plain `requests` for HTTP (printed by the session, as for every chapter), and Socket.IO
clients that print each event they receive with `<<< event`.
"""
import json
import os
import queue

import requests
import socketio

WAIT_S = 10  # a hang guard only: on a quiet machine every answer takes milliseconds


def chat_token() -> str:
    """The token the server expects: FLASK_CHAT_TOKEN, as the server reads it, or the dev one."""
    return os.environ.get("FLASK_CHAT_TOKEN", "dev-chat-token")


class ChatClient:
    """A python-socketio client that records every event it receives, in order."""

    def __init__(self, name: str, transport: str = "websocket", http: requests.Session | None = None,
                 origin: str | None = None):
        self.name = name
        self.transport = transport
        # A script is not a browser: it has no page whose origin it could declare. websocket-client
        # would invent one (http://HOST:PORT), so unless told to act as a page we send none.
        page = {"origin": origin} if origin else {"suppress_origin": True}
        self.sio = socketio.Client(http_session=http, websocket_extra_options=page)
        self.inbox: queue.Queue = queue.Queue()
        self.refusal = None
        self.sio.on("*", self.record)
        self.sio.on("connect_error", self.refused)

    def record(self, event: str, *args) -> None:
        payload = args[0] if args else None
        print(f"<<< {self.name} got {event} {json.dumps(payload, ensure_ascii=False)}", flush=True)
        self.inbox.put((event, payload))

    def refused(self, data) -> None:
        """A refused connection: the server's reason, {"message", "data": <the error body>}."""
        self.refusal = data

    def connect(self, base_url: str, token: str | None = None) -> None:
        try:
            self.sio.connect(base_url, auth={"token": token or chat_token(), "name": self.name},
                             transports=[self.transport], wait_timeout=WAIT_S)
        except socketio.exceptions.ConnectionError as refused:
            raise AssertionError(f"{self.name} could not connect: {self.refusal or refused}") from None

    def expect(self, event: str):
        """The payload of the next event, which must be `event`."""
        try:
            got, payload = self.inbox.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"{self.name} waited {WAIT_S} s for `{event}` and nothing came") from None
        assert got == event, f"{self.name} expected `{event}`, got `{got}` {payload!r}"
        return payload

    def call(self, event: str, data=None):
        """Emit and wait for the acknowledgement (what the handler returned)."""
        return self.sio.call(event, data, timeout=WAIT_S)


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: The chat server is an ordinary Flask app too: a plain GET answers before any socket opens.
    # why-zh: 聊天服务器也是普通的 Flask 应用：在打开任何套接字之前，普通的 GET 就能得到答复。
    assert http.get(f"{base_url}/health").json() == {"status": "ok"}

    # why: Socket.IO starts with plain HTTP: the server offers an upgrade to WebSocket and refuses a foreign origin.
    # why-zh: Socket.IO 以普通 HTTP 开始：服务器提供升级到 WebSocket 的选项，并拒绝外来的来源。
    # --8<-- [start:handshake]
    # Engine.IO's first request is plain HTTP: "0" (open) and the session's settings.
    response = http.get(f"{base_url}/socket.io/", params={"EIO": 4, "transport": "polling"})
    assert response.status_code == 200 and response.text.startswith("0")
    settings = json.loads(response.text[1:])
    assert settings["upgrades"] == ["websocket"]   # the gevent server can do WebSocket
    # A page from a site that is not in SOCKETIO_CORS_ORIGINS is turned away.
    foreign = http.get(f"{base_url}/socket.io/", params={"EIO": 4, "transport": "polling"},
                       headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 400
    # --8<-- [end:handshake]

    # why: Long-polling carries the same events over ordinary HTTP requests, one packet at a time.
    # why-zh: 长轮询用普通的 HTTP 请求传送同样的事件，一次一个数据包。
    # --8<-- [start:polling]
    # Long-polling through our printing session: every packet is an ordinary HTTP request.
    poller = ChatClient("polly", transport="polling", http=http)
    poller.connect(base_url)
    assert poller.expect("welcome") == {"name": "polly"}
    assert poller.call("echo", {"any": ["json", 1, None]}) == {"any": ["json", 1, None]}
    poller.sio.disconnect()
    # --8<-- [end:polling]

    # why: The connect handler checks the token: a wrong one is refused with a reason before any event.
    # why-zh: connect 处理函数检查令牌：错误的令牌在任何事件之前就被拒绝，并说明原因。
    # --8<-- [start:refused]
    intruder = ChatClient("mallory")
    try:
        intruder.connect(base_url, token="guess")
    except AssertionError:
        assert intruder.refusal["data"]["error"] == "unauthorized"
    else:
        raise AssertionError("a wrong token got in")
    print("Refused, as it should be:", intruder.refusal)
    # --8<-- [end:refused]

    # why: Two WebSocket clients now talk through the server, as two browsers would.
    # why-zh: 现在两个 WebSocket 客户端通过服务器交谈，就像两个浏览器那样。
    ada, bob = ChatClient("ada"), ChatClient("bob")
    try:
        chat(http, base_url, ada, bob)
    finally:
        ada.sio.disconnect()
        bob.sio.disconnect()


def chat(http: requests.Session, base_url: str, ada: ChatClient, bob: ChatClient) -> None:
    """Two WebSocket clients in a room: join, talk, tick, and hear the HTTP bridge."""
    # why: Rooms group connections: everyone in the lobby hears a join and every message, the sender included.
    # why-zh: 房间把连接分组：大厅里的每个人都能收到加入通知和每条消息，发送者自己也能收到。
    # --8<-- [start:rooms]
    for client in (ada, bob):
        client.connect(base_url)
        assert client.sio.transport() == "websocket"
        assert client.expect("welcome") == {"name": client.name}
        client.call("join", {"room": "lobby"})   # call(): wait until the server has done it
    assert ada.expect("status") == {"room": "lobby", "message": "ada joined"}
    assert ada.expect("status") == {"room": "lobby", "message": "bob joined"}
    assert bob.expect("status") == {"room": "lobby", "message": "bob joined"}

    ada.sio.emit("message", {"room": "lobby", "text": "Hello, lobby!"})
    for client in (ada, bob):   # the sender hears her own message too
        assert client.expect("message") == {"room": "lobby", "text": "Hello, lobby!", "from": "ada"}
    # --8<-- [end:rooms]

    # why: A background task emits on its own schedule without blocking the server.
    # why-zh: 后台任务按自己的节奏发出事件，不阻塞服务器。
    # --8<-- [start:ticker]
    bob.sio.emit("ticker", {"count": 3})
    assert [bob.expect("tick") for _ in range(3)] == [{"n": 1}, {"n": 2}, {"n": 3}]
    # --8<-- [end:ticker]

    # why: An HTTP route can speak to a room: an announcement with the API key reaches every client, one without is 401.
    # why-zh: HTTP 路由也能向房间发消息：带 API key 的公告送达每个客户端，不带的得到 401。
    # --8<-- [start:bridge]
    announced = http.post(f"{base_url}/rooms/lobby/announce", json={"text": "Lunch is ready"},
                          headers={"X-API-Key": chat_token()})
    assert announced.status_code == 202
    for client in (ada, bob):
        assert client.expect("message") == {"room": "lobby", "text": "Lunch is ready", "from": "server"}
    no_key = http.post(f"{base_url}/rooms/lobby/announce", json={"text": "Free pizza"})
    assert no_key.status_code == 401 and no_key.json()["error"] == "unauthorized"
    # --8<-- [end:bridge]

    # why: Sending to a room you have not joined is an error event, not a silent drop.
    # why-zh: 向没有加入的房间发消息会得到错误事件，而不是悄悄丢弃。
    bob.sio.emit("message", {"room": "kitchen", "text": "anyone?"})
    assert bob.expect("error")["error"] == "not_a_member"


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
