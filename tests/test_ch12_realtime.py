"""Grader for chapter 12: real time with Flask-SocketIO (see chapters/ch12_realtime/README.md).

Graded with Flask-SocketIO's test client: `socketio.test_client(app, auth=...)` connects
without a network, records what the server emits to it (`get_received()`) and returns the
acknowledgement of `emit(..., callback=True)`. Event handlers run synchronously inside
`emit`; a background task runs when the test yields to gevent (`socketio.sleep`). The origin
check belongs to Engine.IO's HTTP handshake, so it is graded with Flask's test client on
`/socket.io/`. `tests/course/test_realtime_live.py` repeats the essentials over a real WebSocket.
"""
from __future__ import annotations

import time

import pytest

from tests.expect import expect_error, expect_status
from track.plugin import build_app

TOKEN = "grader-chat-token"
DEV_TOKEN = "dev-chat-token"
DEFAULT_ORIGINS = ["http://127.0.0.1:5000", "http://localhost:5000"]
TICK_S = 0.002          # the grader's ticker pace (TICK_SECONDS); the chapter's default is 0.1
POLL_S = TICK_S / 4     # how often a test looks at what arrived: always more often than a tick
TICK_HANG_GUARD_S = 5   # not a speed limit: only so that a task that never ticks fails, not hangs
ENVIRONMENT = ("FLASK_CHAT_TOKEN", "FLASK_SOCKETIO_CORS_ORIGINS", "FLASK_SOCKETIO_ASYNC_MODE", "FLASK_TICK_SECONDS")
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"

BAD_NAMES = [None, "", "   ", "x" * 33, 42, ["ada"], {"name": "ada"}, "a\nb", "a\x00b", "\ud800", "server", " Server "]
BAD_ROOMS = [{}, {"room": ""}, {"room": "   "}, {"room": "x" * 65}, {"room": 7}, {"room": None},
             {"room": ["lobby"]}, {"room": "a\nb"}, {"room": "\ud800"}, "lobby", ["lobby"]]
BAD_ROOM_IDS = ["no-room", "empty", "blank", "65-chars", "number", "null", "list", "line-break", "lone-surrogate",
                "bare-string", "list-payload"]
BAD_TEXTS = [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 501}, {"text": 5}, {"text": None}, {"text": ["hi"]},
             {"text": {"t": "hi"}}, {"text": "\ud800"}]
BAD_TEXT_IDS = ["no-text", "empty", "blank", "501-chars", "number", "null", "list", "object", "lone-surrogate"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The chapter reads FLASK_* variables; a teacher's shell must not change a verdict."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def app_config():
    return {"TESTING": True, "CHAT_TOKEN": TOKEN, "SOCKETIO_ASYNC_MODE": "gevent", "TICK_SECONDS": TICK_S}


@pytest.fixture
def make_app(request, chapter, chapter_module, app_config):
    """create_app(app_config plus `extra`), as often as a test needs."""
    return lambda **extra: build_app(request.config, chapter, chapter_module, {**app_config, **extra})


def socketio_of(app):
    return app.extensions["socketio"]


def try_connect(app, auth):
    """A test client connecting with `auth` (connected or not: see is_connected())."""
    return socketio_of(app).test_client(app, auth=auth)


def connect(app, name: str):
    """A connected client with nothing pending, or a failure that says the door stayed shut."""
    client = try_connect(app, {"token": TOKEN, "name": name})
    assert client.is_connected(), (
        f'Connecting with auth={{"token": <the right token>, "name": {name!r}}} was refused; it should get in.'
    )
    client.get_received()
    return client


def payloads(client, event: str) -> list:
    """The payloads of every `event` the client received since the last look."""
    received = client.get_received()
    # The test client keeps a `message` event's one argument as is, and other events' as a list.
    return [item["args"] if item["name"] == "message" else (item["args"] or [None])[0]
            for item in received if item["name"] == event]


def expect_error_event(client, doing: str) -> dict:
    """The one `error` event the caller should have received, in the course's error shape."""
    received = client.get_received()
    errors = [item for item in received if item["name"] == "error"]
    assert errors, (
        f"{doing}: the caller should receive an `error` event {{\"error\": ..., \"message\": ...}}; "
        f"it received {[item['name'] for item in received] or 'nothing'}. Raise ChatError for bad input."
    )
    body = errors[0]["args"][0] if errors[0]["args"] else None
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(body.get("message"), str), (
        f'{doing}: the `error` event should carry {{"error": "<short name>", "message": "<human text>"}}; got {body!r}.'
    )
    assert body["error"] != "internal_error", (
        f"{doing}: the handler crashed (the server logged the exception) instead of refusing the input. "
        "Check the payload first (field, clean_room, clean_text, clean_count raise ChatError)."
    )
    return body


def expect_silence(doing: str, **clients) -> None:
    for who, client in clients.items():
        heard = client.get_received()
        assert not heard, f"{doing}: {who} should receive nothing, but received {heard!r}."


def in_room(app, room: str, *names: str) -> list:
    """Connected clients who joined `room`, in order, with nothing pending."""
    clients = [connect(app, name) for name in names]
    for client in clients:
        client.emit("join", {"room": room})
    for client in clients:
        client.get_received()
    return clients


def handshake(client, origin: str | None):
    """Engine.IO's first HTTP request (long-polling), as a browser page at `origin` sends it."""
    return client.get(HANDSHAKE, headers={"Origin": origin} if origin else {})


@pytest.mark.exercise("connect")
class TestConnect:
    def test_token_and_name_get_in_with_a_welcome(self, app):
        client = try_connect(app, {"token": TOKEN, "name": "ada"})
        assert client.is_connected(), "The right token and the name 'ada' were refused; they should get in."
        received = client.get_received()
        assert [(item["name"], item["args"]) for item in received] == [("welcome", [{"name": "ada"}])], (
            f'On connecting, the client should receive exactly one event, welcome {{"name": "ada"}}; got {received!r}.'
        )

    @pytest.mark.parametrize("name", ["a", "x" * 32, "小明", "Ada Lovelace", "server-room fan"])
    def test_names_of_1_to_32_characters_are_welcome(self, app, name):
        client = try_connect(app, {"token": TOKEN, "name": name})
        assert client.is_connected(), f"The name {name!r} ({len(name)} characters) was refused; 1 to 32 are allowed."
        assert payloads(client, "welcome") == [{"name": name}], f'{name!r} should be welcomed with {{"name": {name!r}}}.'

    def test_welcome_goes_to_the_newcomer_only(self, app):
        first = connect(app, "ada")
        try_connect(app, {"token": TOKEN, "name": "bob"})
        expect_silence("bob connected", ada=first)

    @pytest.mark.parametrize(
        "auth",
        [None, {}, {"name": "ada"}, {"token": "wrong", "name": "ada"}, {"token": TOKEN.upper(), "name": "ada"},
         {"token": TOKEN + " ", "name": "ada"}, {"token": "", "name": "ada"}, {"token": None, "name": "ada"},
         {"token": 123, "name": "ada"}, {"token": [TOKEN], "name": "ada"}, {"token": "\ud800", "name": "ada"},
         {"token": "tokén", "name": "ada"}, [TOKEN, "ada"], TOKEN],
        ids=["no-auth", "empty-auth", "no-token", "wrong-token", "upper-case-token", "token-with-space", "empty-token",
             "null-token", "number-token", "list-token", "lone-surrogate-token", "non-ascii-token", "auth-list",
             "auth-string"],
    )
    def test_without_the_token_no_way_in(self, app, auth):
        client = try_connect(app, auth)
        assert not client.is_connected(), (
            f"Connecting with auth={auth!r} got in; only auth={{\"token\": CHAT_TOKEN, \"name\": ...}} may. "
            "Refuse by raising from on_connect."
        )

    @pytest.mark.parametrize("auth", [{"token": TOKEN}, *({"token": TOKEN, "name": n} for n in BAD_NAMES)],
                             ids=["no-name", "null", "empty", "blank", "33-chars", "number", "list", "object",
                                  "line-break", "nul-byte", "lone-surrogate", "server", "Server-spaced"])
    def test_bad_names_are_refused(self, app, auth):
        client = try_connect(app, auth)
        assert not client.is_connected(), (
            f"Connecting with the right token and the name {auth.get('name')!r} got in; a name is 1..32 printable "
            'characters and never "server" (the HTTP bridge speaks as "server").'
        )

    def test_the_token_is_read_from_the_config(self, make_app):
        app = make_app(CHAT_TOKEN="another-token")
        assert try_connect(app, {"token": "another-token", "name": "ada"}).is_connected(), (
            "With CHAT_TOKEN = 'another-token' that token was refused: compare with current_app.config['CHAT_TOKEN']."
        )
        assert not try_connect(app, {"token": DEV_TOKEN, "name": "ada"}).is_connected(), (
            "With CHAT_TOKEN = 'another-token', the development token still got in: is it written in the code?"
        )

    def test_the_token_can_come_from_the_environment(self, chapter_module, monkeypatch):
        monkeypatch.setenv("FLASK_CHAT_TOKEN", "token-from-the-environment")
        app = chapter_module.create_app({"TESTING": True, "SOCKETIO_ASYNC_MODE": "gevent"})
        assert try_connect(app, {"token": "token-from-the-environment", "name": "ada"}).is_connected(), (
            "FLASK_CHAT_TOKEN was set in the environment, yet that token was refused."
        )
        assert not try_connect(app, {"token": DEV_TOKEN, "name": "ada"}).is_connected(), (
            "FLASK_CHAT_TOKEN was set in the environment, yet the development token still got in."
        )

    @pytest.mark.parametrize("origin", [*DEFAULT_ORIGINS, None])
    def test_default_origins_may_connect(self, client, origin):
        response = handshake(client, origin)
        expect_status(response, 200)
        if origin:
            assert response.headers.get("Access-Control-Allow-Origin") == origin, (
                f"The handshake from Origin {origin} should be allowed (Access-Control-Allow-Origin: {origin}); "
                f"headers were {dict(response.headers)!r}. Pass cors_allowed_origins to socketio.init_app."
            )

    @pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:5001", "https://localhost:5000", "null"])
    def test_other_origins_are_refused(self, client, origin):
        response = handshake(client, origin)
        assert response.status_code == 400, (
            f"A page at {origin} opened a Socket.IO connection (the handshake answered {response.status_code}); "
            "only SOCKETIO_CORS_ORIGINS may: Engine.IO answers 400 to other origins."
        )

    def test_configured_origins_replace_the_defaults(self, make_app):
        client = make_app(SOCKETIO_CORS_ORIGINS=["https://chat.example"]).test_client()
        expect_status(handshake(client, "https://chat.example"), 200)
        assert handshake(client, "http://localhost:5000").status_code == 400, (
            'With SOCKETIO_CORS_ORIGINS = ["https://chat.example"], http://localhost:5000 still got in: '
            "read the origins from the config."
        )

    def test_origins_can_come_from_the_environment(self, chapter_module, monkeypatch):
        monkeypatch.setenv("FLASK_SOCKETIO_CORS_ORIGINS", '["https://env.example"]')
        app = chapter_module.create_app({"TESTING": True, "CHAT_TOKEN": TOKEN, "SOCKETIO_ASYNC_MODE": "gevent"})
        client = app.test_client()
        expect_status(handshake(client, "https://env.example"), 200)
        assert handshake(client, "http://127.0.0.1:5000").status_code == 400, (
            "FLASK_SOCKETIO_CORS_ORIGINS replaces the default origins, but a default one still got in."
        )


@pytest.mark.exercise("echo")
class TestEcho:
    @pytest.mark.parametrize(
        "value",
        ["hello", "", "小明", 42, 0, 3.5, True, False, None, [], [1, "two", None], {}, {"nested": {"deep": [1, 2.5]}}],
        ids=repr,
    )
    def test_the_ack_returns_the_value(self, app, value):
        client = connect(app, "ada")
        ack = client.emit("echo", value, callback=True)
        hint = " A handler returning None sends an ack with no arguments: return (value,)." if value is None else ""
        assert ack == value and type(ack) is type(value), f"echo {value!r} was acknowledged with {ack!r}.{hint}"
        expect_silence(f"echo {value!r} (the answer is the acknowledgement, nothing else)", caller=client)

    def test_deep_and_long_values_come_back_whole(self, app):
        client = connect(app, "ada")
        deep = nested = []
        for _ in range(100):
            nested.append([])
            nested = nested[0]
        for value in (deep, "x" * 100_000):
            assert client.emit("echo", value, callback=True) == value, "A deep list or a long string came back changed."


@pytest.mark.exercise("rooms")
class TestRooms:
    def test_join_is_announced_to_the_room(self, app):
        ada, bob = connect(app, "ada"), connect(app, "bob")
        ada.emit("join", {"room": "lobby"})
        assert payloads(ada, "status") == [{"room": "lobby", "message": "ada joined"}], (
            'ada joined "lobby": she should receive status {"room": "lobby", "message": "ada joined"}.'
        )
        bob.emit("join", {"room": "lobby"})
        assert payloads(ada, "status") == [{"room": "lobby", "message": "bob joined"}], (
            'bob joined "lobby": ada, already there, should receive status "bob joined".'
        )
        assert payloads(bob, "status") == [{"room": "lobby", "message": "bob joined"}], (
            'bob joined "lobby": he should receive his own status "bob joined", and no other.'
        )

    def test_only_the_room_hears_it(self, app):
        (carol,) = in_room(app, "kitchen", "carol")
        dave = connect(app, "dave")
        connect(app, "bob").emit("join", {"room": "lobby"})
        expect_silence('bob joined "lobby"', carol_in_the_kitchen=carol, dave_in_no_room=dave)

    @pytest.mark.parametrize("room", ["x" * 64, "小明的房间", "room with spaces"])
    def test_room_names_up_to_64_characters(self, app, room):
        client = connect(app, "ada")
        client.emit("join", {"room": room})
        assert payloads(client, "status") == [{"room": room, "message": "ada joined"}], f"Joining {room!r} failed."

    def test_leave_is_announced_and_ends_delivery(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        bob.emit("leave", {"room": "lobby"})
        assert payloads(ada, "status") == [{"room": "lobby", "message": "bob left"}], (
            'bob left "lobby": ada should receive status {"room": "lobby", "message": "bob left"}.'
        )
        bob.get_received()
        connect(app, "carol").emit("join", {"room": "lobby"})
        expect_silence('bob left "lobby", then carol joined it', bob=bob)
        assert payloads(ada, "status") == [{"room": "lobby", "message": "carol joined"}]

    @pytest.mark.parametrize("event", ["join", "leave"])
    @pytest.mark.parametrize("payload", BAD_ROOMS, ids=BAD_ROOM_IDS)
    def test_bad_rooms_get_an_error(self, app, event, payload):
        (watcher,) = in_room(app, "lobby", "watcher")
        client = connect(app, "ada")
        client.emit(event, payload)
        expect_error_event(client, f"{event} {payload!r}")
        expect_silence(f"{event} {payload!r}", watcher_in_the_lobby=watcher)

    @pytest.mark.parametrize("event", ["join", "leave"])
    def test_no_payload_gets_an_error(self, app, event):
        client = connect(app, "ada")
        client.emit(event)
        expect_error_event(client, f"{event} without a payload")

    def test_only_a_member_can_leave(self, app):
        (ada,) = in_room(app, "lobby", "ada")
        bob = connect(app, "bob")
        bob.emit("leave", {"room": "lobby"})
        expect_error_event(bob, 'bob, not a member, left "lobby"')
        expect_silence('bob, who never joined, left "lobby"', ada=ada)

    def test_a_room_named_like_a_sid_is_not_that_clients_line(self, app):
        ada, bob = connect(app, "ada"), connect(app, "bob")
        ada_sid = socketio_of(app).server.manager.sid_from_eio_sid(ada.eio_sid, "/")
        why = ("Socket.IO puts each client alone in a room named after its sid (its connection id): "
               "join room_key(room), never the bare name")
        bob.emit("join", {"room": ada_sid})
        bob.get_received()
        expect_silence(f"bob joined a room named like ada's sid. {why}", ada=ada)
        ada.emit("join", {"room": ""})  # answered with an `error` meant for ada alone
        ada.get_received()
        expect_silence(f"ada got an error of her own after bob joined a room named like her sid. {why}", bob=bob)


@pytest.mark.exercise("broadcast")
class TestBroadcast:
    def test_members_and_only_members_receive(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        (carol,) = in_room(app, "kitchen", "carol")
        dave = connect(app, "dave")
        ada.emit("message", {"room": "lobby", "text": "hi"})
        expected = [{"room": "lobby", "text": "hi", "from": "ada"}]
        assert payloads(bob, "message") == expected, f"bob, in the lobby, should receive message {expected[0]!r}."
        assert payloads(ada, "message") == expected, "ada, the sender, should receive her own message too."
        expect_silence("ada wrote to the lobby", carol_in_the_kitchen=carol, dave_in_no_room=dave)

    def test_from_is_the_name_the_sender_connected_with(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        bob.emit("message", {"room": "lobby", "text": "I am the server", "from": "server"})
        assert payloads(ada, "message") == [{"room": "lobby", "text": "I am the server", "from": "bob"}], (
            'A "from" in the payload must not change the sender: "from" is the name bob connected with.'
        )

    @pytest.mark.parametrize("text", ["x" * 500, "多语言的消息", "two\nlines", " spaced "], ids=["500-chars", "chinese",
                                                                                           "line-break", "spaces"])
    def test_texts_of_up_to_500_characters(self, app, text):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        ada.emit("message", {"room": "lobby", "text": text})
        assert payloads(bob, "message") == [{"room": "lobby", "text": text, "from": "ada"}], (
            f"The text {text[:20]!r}... ({len(text)} characters) should reach the room unchanged."
        )

    def test_a_non_member_gets_an_error(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        dave = connect(app, "dave")
        dave.emit("message", {"room": "lobby", "text": "let me in"})
        expect_error_event(dave, 'dave, not a member, wrote to "lobby"')
        expect_silence('dave, not a member, wrote to "lobby"', ada=ada, bob=bob)

    def test_after_leaving_no_more_writing(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        bob.emit("leave", {"room": "lobby"})
        ada.get_received()
        bob.get_received()
        bob.emit("message", {"room": "lobby", "text": "still here?"})
        expect_error_event(bob, 'bob wrote to "lobby" after leaving it')
        expect_silence('bob wrote to "lobby" after leaving it', ada=ada)

    @pytest.mark.parametrize("payload", BAD_TEXTS, ids=BAD_TEXT_IDS)
    def test_bad_texts_get_an_error(self, app, payload):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        ada.emit("message", {"room": "lobby", **payload})
        expect_error_event(ada, f"message {payload!r}")
        expect_silence(f"ada sent message {payload!r}", bob=bob)

    @pytest.mark.parametrize("payload", [*BAD_ROOMS, None], ids=[*BAD_ROOM_IDS, "null-payload"])
    def test_bad_rooms_get_an_error(self, app, payload):
        (bob,) = in_room(app, "lobby", "bob")
        ada = connect(app, "ada")
        message = {**payload, "text": "hi"} if isinstance(payload, dict) else payload
        ada.emit("message", message)
        expect_error_event(ada, f"message {message!r}")
        expect_silence(f"ada sent message {message!r}", bob=bob)


def wait_for_ticks(app, client, count: int) -> tuple[list, list[int]]:
    """Every tick the client receives until `count` arrived, and how many had arrived at each look."""
    socketio = socketio_of(app)
    ticks, seen = [], []
    deadline = time.monotonic() + TICK_HANG_GUARD_S
    while len(ticks) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"Only {len(ticks)} of {count} ticks arrived before the grader gave up waiting "
                        f"({TICK_HANG_GUARD_S} s): does the task start, and does it emit `tick` to the caller's sid?",
                        pytrace=False)
        socketio.sleep(POLL_S)  # lets gevent run the background task
        for item in client.get_received():
            if item["name"] == "error":
                pytest.fail(f"The ticker answered with an `error` event: {item['args']!r}.", pytrace=False)
            if item["name"] == "tick":
                ticks.append(item["args"][0] if item["args"] else None)
        seen.append(len(ticks))
    return ticks, seen


@pytest.mark.exercise("background")
class TestBackground:
    @pytest.mark.parametrize("count", [1, 5, 20])
    def test_ticks_count_from_1(self, app, count):
        client = connect(app, "ada")
        client.emit("ticker", {"count": count})
        ticks, _ = wait_for_ticks(app, client, count)
        assert ticks == [{"n": n} for n in range(1, count + 1)], (
            f'ticker {{"count": {count}}} should send tick {{"n": 1}} up to {{"n": {count}}}; got {ticks!r}.'
        )
        socketio_of(app).sleep(TICK_S * 3)
        assert payloads(client, "tick") == [], f"After {count} ticks the task should stop; more came."

    def test_the_handler_returns_before_the_first_tick(self, app):
        client = connect(app, "ada")
        client.emit("ticker", {"count": 3})
        early = payloads(client, "tick")
        assert early == [], (
            f"Ticks arrived before the ticker handler returned ({early!r}): the handler must start a background "
            "task (self.socketio.start_background_task) and return, not tick itself."
        )

    def test_ticks_come_one_at_a_time(self, app):
        client = connect(app, "ada")
        client.emit("ticker", {"count": 4})
        _, seen = wait_for_ticks(app, client, 4)
        assert any(0 < arrived < 4 for arrived in seen), (
            "All 4 ticks arrived at once: between two ticks the task never let anyone else run. Wait with "
            "self.socketio.sleep(interval); time.sleep blocks every client of a gevent server."
        )

    def test_ticks_go_to_the_caller_only(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        ada.emit("ticker", {"count": 2})
        wait_for_ticks(app, ada, 2)
        expect_silence("ada's ticker ran", bob=bob)

    @pytest.mark.parametrize(
        "payload",
        [{"count": 0}, {"count": 21}, {"count": -1}, {"count": 1.5}, {"count": "3"}, {"count": True}, {"count": None},
         {"count": [3]}, {"count": 10**30}, {}, 3, None],
        ids=["zero", "21", "negative", "float", "string", "true", "null", "list", "huge", "no-count", "bare-number",
             "no-payload"],
    )
    def test_bad_counts_get_an_error(self, app, payload):
        client = connect(app, "ada")
        if payload is None:
            client.emit("ticker")
        else:
            client.emit("ticker", payload)
        expect_error_event(client, f"ticker {payload!r}")


@pytest.mark.exercise("http_bridge")
class TestHttpBridge:
    def announce(self, client, room="lobby", body=None, key=TOKEN):
        headers = {"X-API-Key": key} if key is not None else {}
        return client.post(f"/rooms/{room}/announce", json=body or {"text": "hello from HTTP"}, headers=headers)

    def test_the_room_receives_the_announcement(self, app, client):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        (carol,) = in_room(app, "kitchen", "carol")
        expect_status(self.announce(client), 202)
        expected = [{"room": "lobby", "text": "hello from HTTP", "from": "server"}]
        for who, member in (("ada", ada), ("bob", bob)):
            got = payloads(member, "message")
            assert got == expected, f"{who}, in the lobby, should receive message {expected[0]!r}; got {got!r}."
        expect_silence("POST /rooms/lobby/announce", carol_in_the_kitchen=carol)

    def test_any_room_name_a_url_can_carry(self, app, client):
        (ada,) = in_room(app, "小明的房间", "ada")
        expect_status(self.announce(client, room="小明的房间", body={"text": "你好"}), 202)
        assert payloads(ada, "message") == [{"room": "小明的房间", "text": "你好", "from": "server"}]

    @pytest.mark.parametrize("key", [None, "", "wrong", TOKEN.upper(), TOKEN + "x", "tokén"],
                             ids=["no-key", "empty", "wrong", "upper-case", "longer", "non-ascii"])
    def test_without_the_key_401(self, app, client, key):
        (ada,) = in_room(app, "lobby", "ada")
        expect_error(self.announce(client, key=key), 401)
        expect_silence("an announcement without the right X-API-Key", ada=ada)

    def test_the_key_is_checked_before_the_body(self, client):
        expect_error(self.announce(client, key="wrong", body={"text": ""}), 401)

    @pytest.mark.parametrize(
        ("data", "content_type"),
        [(b'{"text": ""}', "application/json"), (b'{"text": "   "}', "application/json"),
         (b'{"text": "' + b"x" * 501 + b'"}', "application/json"), (b'{"text": 5}', "application/json"),
         (b'{"text": null}', "application/json"), (b"{}", "application/json"), (b'["hello"]', "application/json"),
         (b'"hello"', "application/json"), (b'{"text": "hi"', "application/json"), (b'{"text": "hi"}', "text/plain"),
         (b"text=hi", "application/x-www-form-urlencoded"), (b'{"text": "\\ud800"}', "application/json"),
         (b'{"text": ' + b"9" * 5000 + b"}", "application/json"), (b"[" * 5000 + b"]" * 5000, "application/json")],
        ids=["empty", "blank", "501-chars", "number", "null", "no-text", "list", "string", "broken-json", "text-plain",
             "form", "lone-surrogate", "huge-number", "nested-too-deep"],
    )
    def test_bad_bodies_400(self, app, client, data, content_type):
        (ada,) = in_room(app, "lobby", "ada")
        response = client.post("/rooms/lobby/announce", data=data, headers={"X-API-Key": TOKEN, "Content-Type": content_type})
        expect_error(response, 400)
        expect_silence("an announcement with a bad body", ada=ada)

    @pytest.mark.parametrize("room", ["x" * 65, "%20%20", "a%0Ab", "%00"], ids=["65-chars", "blank", "line-break", "nul"])
    def test_bad_rooms_400(self, client, room):
        expect_error(self.announce(client, room=room), 400)
