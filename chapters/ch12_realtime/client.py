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
    assert http.get(f"{base_url}/health").json() == {"status": "ok"}

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

    # --8<-- [start:polling]
    # Long-polling through our printing session: every packet is an ordinary HTTP request.
    poller = ChatClient("polly", transport="polling", http=http)
    poller.connect(base_url)
    assert poller.expect("welcome") == {"name": "polly"}
    assert poller.call("echo", {"any": ["json", 1, None]}) == {"any": ["json", 1, None]}
    poller.sio.disconnect()
    # --8<-- [end:polling]

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

    ada, bob = ChatClient("ada"), ChatClient("bob")
    try:
        chat(http, base_url, ada, bob)
    finally:
        ada.sio.disconnect()
        bob.sio.disconnect()


def chat(http: requests.Session, base_url: str, ada: ChatClient, bob: ChatClient) -> None:
    """Two WebSocket clients in a room: join, talk, tick, and hear the HTTP bridge."""
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

    # --8<-- [start:ticker]
    bob.sio.emit("ticker", {"count": 3})
    assert [bob.expect("tick") for _ in range(3)] == [{"n": 1}, {"n": 2}, {"n": 3}]
    # --8<-- [end:ticker]

    # --8<-- [start:bridge]
    announced = http.post(f"{base_url}/rooms/lobby/announce", json={"text": "Lunch is ready"},
                          headers={"X-API-Key": chat_token()})
    assert announced.status_code == 202
    for client in (ada, bob):
        assert client.expect("message") == {"room": "lobby", "text": "Lunch is ready", "from": "server"}
    no_key = http.post(f"{base_url}/rooms/lobby/announce", json={"text": "Free pizza"})
    assert no_key.status_code == 401 and no_key.json()["error"] == "unauthorized"
    # --8<-- [end:bridge]

    bob.sio.emit("message", {"room": "kitchen", "text": "anyone?"})
    assert bob.expect("error")["error"] == "not_a_member"


if __name__ == "__main__":
    from track.postman import main

    main(walkthrough)
