"""Grader for chapter 12: real time with Flask-SocketIO (see chapters/ch12_realtime/README.md).

Graded with Flask-SocketIO's test client: `socketio.test_client(app, auth=...)` connects
without a network, records what the server emits to it (`get_received()`) and returns the
acknowledgement of `emit(..., callback=True)`. Event handlers run synchronously inside
`emit`; a background task runs when the test yields to gevent (`socketio.sleep`). The origin
check belongs to Engine.IO's HTTP handshake, so it is graded with Flask's test client on
`/socket.io/`. `tests/course/test_realtime_live.py` repeats the essentials over a real WebSocket.
"""
from __future__ import annotations

import json
import time

import pytest
from hypothesis import strategies as st
from socketio import packet

# What the chapter's code imports, or Engine.IO loads for the async modes the apps ask for
# (gevent, threading): imported with the grader, so that the forks of a warm grader find them
# loaded instead of importing them again on every check. Never the chapter's own code.
import engineio.async_drivers.gevent  # noqa: F401
import engineio.async_drivers.threading  # noqa: F401
import flask_socketio  # noqa: F401

from tests import fuzz
from tests.expect import expect_error, expect_status, raised
from track.model.i18n import _

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


def nested(depth: int, wrap) -> object:
    value = "x"
    for _ in range(depth):
        value = wrap(value)
    return value


# As deep as a client's JSON encoder goes; deeper text never reaches a handler: python-socketio's
# decoder refuses it and Engine.IO logs that and drops the packet, out of the chapter's reach.
# Sent by every probe of a payload (fuzz.probe's `always`), not drawn: too deep to replay.
DEEP_VALUES = [nested(500, lambda value: [value]), nested(500, lambda value: {"a": value})]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The chapter reads FLASK_* variables; a teacher's shell must not change a verdict."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def app_config():
    return {"TESTING": True, "CHAT_TOKEN": TOKEN, "SOCKETIO_ASYNC_MODE": "gevent", "TICK_SECONDS": TICK_S}


@pytest.fixture
def app(make_app):
    """The chapter's app, keeping what its background tasks raise for the failure messages."""
    return keeping_task_failures(make_app())


def socketio_of(app):
    return app.extensions["socketio"]


TASK_FAILURES = "track.task_failures"


def keeping_task_failures(app):
    """`app`, its SocketIO's background tasks wrapped so that an exception one raises is kept."""
    if "socketio" not in app.extensions:
        return app
    socketio, failures = socketio_of(app), []
    start = socketio.start_background_task

    def start_kept(target, *args, **kwargs):
        def run():
            try:
                return target(*args, **kwargs)
            except Exception as error:
                failures.append(error)
                raise
        return start(run)

    socketio.start_background_task = start_kept
    app.extensions[TASK_FAILURES] = failures
    return app


def task_failure(app) -> str:
    """What the app's background task raised, with its usual cause, or an empty string."""
    failures = app.extensions.get(TASK_FAILURES, [])
    if not failures:
        return ""
    text = " " + _("The background task raised {error}.").format(error=raised(failures[0]))
    if "context" in str(failures[0]):
        text += " " + _("A background task runs outside any request: emit() (the function) has no caller to answer "
                        "there. Use self.socketio.emit(\"tick\", ..., to=sid), which names the client.")
    return text


def deliveries(event: str, clients: dict) -> dict[str, list]:
    """The payloads of `event` each named client received since the last look."""
    return {name: payloads(client, event) for name, client in clients.items()}


def expect_delivery(doing: str, event: str, payload, caller: str, members: dict, outsiders: dict | None = None) -> None:
    """`doing`: each of `members` (the `caller` among them) received `event` `payload` once, and no outsider anything.

    A failure says who received what, and the usual cause of that kind of silence."""
    outsiders = outsiders or {}
    got = deliveries(event, {**members, **outsiders})
    missed = [name for name in members if got[name] != [payload]]
    leaked = [name for name in outsiders if got[name]]
    if not missed and not leaked:
        return
    heard = "; ".join(f"{name}: {got[name] if got[name] else _('nothing')}" for name in got)
    text = _("{doing}: {members} should each receive {event} {payload} once{outsiders}. What each received: {heard}.").format(
        doing=doing, members=", ".join(members), event=event, payload=json.dumps(payload, ensure_ascii=False),
        outsiders=_(", and {names} nothing").format(names=", ".join(outsiders)) if outsiders else "", heard=heard)
    pytest.fail(f"{text}\n  {delivery_cause(event, caller, got, members, leaked)}", pytrace=False)


def delivery_cause(event: str, caller: str, got: dict, members: dict, leaked: list) -> str:
    """The usual cause of each kind of silence (or noise) in a room's delivery."""
    if leaked:
        return _("It reached clients outside the room: name the room with emit(..., to=room_key(room)); "
                 "broadcast=True, or self.socketio.emit without to=, reaches every client.")
    reached = [name for name in members if got[name]]
    if not reached:
        return _("Nobody received it. If the handler emitted to the room, the room was empty: join_room(room_key(room)) "
                 "puts the caller in it, before the emit. If it raised, the caller got an `error` event instead.")
    if reached == [caller]:
        return _("Only the caller received it: inside a handler, emit() answers the caller alone unless it is given "
                 "to=room_key(room).")
    if caller not in reached:
        return _("The caller was left out: emit to the room with to=room_key(room), without include_self=False or "
                 "skip_sid, so that the sender receives it too.")
    return _("The payload differs from the one expected: compare the two above.")


def try_connect(app, auth):
    """A test client connecting with `auth` (connected or not: see is_connected())."""
    return socketio_of(app).test_client(app, auth=auth)


def connect(app, name: str):
    """A connected client with nothing pending, or a failure that says the door stayed shut."""
    client = try_connect(app, {"token": TOKEN, "name": name})
    assert client.is_connected(), (
        _('Connecting with auth={{"token": <the right token>, "name": {name}}} was refused; it should get in.').format(
            name=repr(name))
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
        _('{doing}: the caller should receive an `error` event {{"error": ..., "message": ...}}; '
          "it received {received}. Raise ChatError for bad input.").format(
            doing=doing, received=[item["name"] for item in received] or _("nothing"))
    )
    return expect_refusal_body(errors[0]["args"][0] if errors[0]["args"] else None, doing, _("the `error` event"))


def expect_refusal_body(body, doing: str, carrier: str) -> dict:
    """An error body {"error", "message"} that refuses the input, not one that reports a crash."""
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(body.get("message"), str), (
        _('{doing}: {carrier} should carry {{"error": "<short name>", "message": "<human text>"}}; got {got}.').format(
            doing=doing, carrier=carrier, got=repr(body))
    )
    assert body["error"] != "internal_error", _(
        "{doing}: the handler crashed (the server logged the exception) instead of refusing the input. "
        "Check the payload first (field, clean_name, clean_room, clean_text, clean_count raise ChatError)."
    ).format(doing=doing)
    return body


def expect_answered_not_crashed(client, doing: str) -> None:
    """`doing` was answered, never by a crash: the caller is still connected and any `error` is a refusal."""
    assert client.is_connected(), _("{doing}: the server disconnected the caller; bad input gets an `error` event.").format(
        doing=doing)
    for item in client.get_received():
        if item["name"] == "error":
            expect_refusal_body(item["args"][0] if item["args"] else None, doing, _("the `error` event"))


def probe_event(client, event: str, payloads_drawn, deep_payloads: list) -> None:
    """Whatever payload `event` carries, the caller gets an answer or an `error` event, never a crash."""
    client.get_received()
    fuzz.probe(lambda payload: client.emit(event, payload) or client,
               payloads_drawn, check=lambda payload, answer: expect_answered_not_crashed(
                   client, _("{event} {payload}").format(event=event, payload=fuzz.shorten(payload))),
               always=deep_payloads)


def with_deep_values(payload: dict, *fields: str) -> list[dict]:
    """`payload` with each of `fields` set to each of DEEP_VALUES in turn."""
    return [{**payload, name: deep} for name in fields for deep in DEEP_VALUES]


def refusals_of(app) -> list:
    """The data of every connection `app` refuses from now on, as a Socket.IO client receives it.

    The test client drops a refusal's data; the server builds each packet with `packet_class`
    (its serializer's extension point), so a subclass of it sees the refusals go out.
    """
    server, refused = socketio_of(app).server, []

    class RecordedPacket(server.packet_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.packet_type == packet.CONNECT_ERROR:
                refused.append(self.data)

    server.packet_class = RecordedPacket
    return refused


def expect_silence(doing: str, cause: str | None = None, **clients) -> None:
    """`doing` reached none of `clients`; `cause`: the usual cause when one heard something."""
    for who, client in clients.items():
        heard = client.get_received()
        assert not heard, _("{doing}: {who} should receive nothing, but received {heard}.").format(
            doing=doing, who=who, heard=repr(heard)) + (f"\n  {cause}" if cause else "")


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
    @pytest.mark.rule("welcome")
    def test_token_and_name_get_in_with_a_welcome(self, app):
        client = try_connect(app, {"token": TOKEN, "name": "ada"})
        assert client.is_connected(), _("The right token and the name 'ada' were refused; they should get in.")
        received = client.get_received()
        assert [(item["name"], item["args"]) for item in received] == [("welcome", [{"name": "ada"}])], (
            _('On connecting, the client should receive exactly one event, welcome {{"name": "ada"}}; got {got}.').format(
                got=repr(received))
        )

    @pytest.mark.parametrize("name", ["a", "x" * 32, "小明", "Ada Lovelace", "server-room fan"])
    @pytest.mark.rule("names-1-to-32")
    def test_names_of_1_to_32_characters_are_welcome(self, app, name):
        client = try_connect(app, {"token": TOKEN, "name": name})
        assert client.is_connected(), _("The name {name} ({length} characters) was refused; 1 to 32 are allowed.").format(
            name=repr(name), length=len(name))
        assert payloads(client, "welcome") == [{"name": name}], _('{name} should be welcomed with {{"name": {name}}}.').format(
            name=repr(name))

    @pytest.mark.rule("welcome-newcomer-only")
    def test_welcome_goes_to_the_newcomer_only(self, app):
        first = connect(app, "ada")
        try_connect(app, {"token": TOKEN, "name": "bob"})
        expect_silence(_("bob connected"), _(
            "Inside a handler, emit() answers the caller alone; broadcast=True or to= sends it to others too."), ada=first)

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
    @pytest.mark.rule("token-required")
    def test_without_the_token_no_way_in(self, app, auth):
        client = try_connect(app, auth)
        assert not client.is_connected(), _(
            'Connecting with auth={auth} got in; only auth={{"token": CHAT_TOKEN, "name": ...}} may. '
            "Refuse by raising from on_connect."
        ).format(auth=repr(auth))

    @pytest.mark.parametrize("auth", [{"token": TOKEN}, *({"token": TOKEN, "name": n} for n in BAD_NAMES)],
                             ids=["no-name", "null", "empty", "blank", "33-chars", "number", "list", "object",
                                  "line-break", "nul-byte", "lone-surrogate", "server", "Server-spaced"])
    @pytest.mark.rule("bad-names-refused")
    def test_bad_names_are_refused(self, app, auth):
        client = try_connect(app, auth)
        assert not client.is_connected(), _(
            "Connecting with the right token and the name {name} got in; a name is 1..32 printable "
            'characters and never "server" (the HTTP bridge speaks as "server").'
        ).format(name=repr(auth.get("name")))

    @pytest.mark.parametrize(("auth", "error"), [
        ({"name": "ada"}, "unauthorized"), ({"token": "wrong", "name": "ada"}, "unauthorized"),
        ({"token": TOKEN, "name": "   "}, "bad_name"), ({"token": TOKEN, "name": "server"}, "bad_name"),
    ], ids=["no-token", "wrong-token", "blank-name", "reserved-name"])
    @pytest.mark.rule("refusal-says-why")
    def test_a_refusal_says_why(self, app, auth, error):
        refused = refusals_of(app)
        doing = _("Connecting with auth={auth}").format(auth=repr(auth))
        assert not try_connect(app, auth).is_connected(), _("{doing} got in; it must be refused.").format(doing=doing)
        data = refused[-1].get("data") if refused and isinstance(refused[-1], dict) else None
        body = expect_refusal_body(data, doing, _("the refusal's data"))
        assert body["error"] == error, _(
            "{doing} was refused with the error {got}, expected {expected}: the client reads why in its "
            'connect_error handler. Raise ChatError("unauthorized", ...) for the token; clean_name raises bad_name.'
        ).format(doing=doing, got=repr(body["error"]), expected=repr(error))

    @pytest.mark.rule("never-crashes")
    def test_no_auth_crashes_the_connection(self, app):
        refused = refusals_of(app)

        def check(auth, client):
            if not client.is_connected():
                data = refused[-1].get("data") if refused and isinstance(refused[-1], dict) else None
                expect_refusal_body(data, _("Connecting with auth={auth}").format(auth=fuzz.shorten(auth)),
                                    _("the refusal's data"))

        drawn = fuzz.json_values({"token": st.just(TOKEN), "name": fuzz.TEXT})
        fuzz.probe(lambda auth: try_connect(app, auth), drawn, check=check,
                   always=with_deep_values({"token": TOKEN}, "name"))

    @pytest.mark.parametrize("mode", ["gevent", "threading"])
    @pytest.mark.rule("async-mode-from-config")
    def test_the_async_mode_is_read_from_the_config(self, make_app, mode):
        socketio = socketio_of(make_app(SOCKETIO_ASYNC_MODE=mode))
        assert socketio.async_mode == mode, _(
            "With SOCKETIO_ASYNC_MODE = {mode} the SocketIO object runs in {got} mode: pass "
            'async_mode=app.config["SOCKETIO_ASYNC_MODE"] to socketio.init_app (the development server needs threading).'
        ).format(mode=repr(mode), got=repr(socketio.async_mode))

    @pytest.mark.rule("token-from-config")
    def test_the_token_is_read_from_the_config(self, make_app):
        app = make_app(CHAT_TOKEN="another-token")
        assert try_connect(app, {"token": "another-token", "name": "ada"}).is_connected(), (
            _("With CHAT_TOKEN = 'another-token' that token was refused: compare with current_app.config['CHAT_TOKEN'].")
        )
        assert not try_connect(app, {"token": DEV_TOKEN, "name": "ada"}).is_connected(), (
            _("With CHAT_TOKEN = 'another-token', the development token still got in: is it written in the code?")
        )

    @pytest.mark.rule("token-from-config")
    def test_the_token_can_come_from_the_environment(self, chapter_module, monkeypatch):
        monkeypatch.setenv("FLASK_CHAT_TOKEN", "token-from-the-environment")
        app = chapter_module.create_app({"TESTING": True, "SOCKETIO_ASYNC_MODE": "gevent"})
        assert try_connect(app, {"token": "token-from-the-environment", "name": "ada"}).is_connected(), (
            _("FLASK_CHAT_TOKEN was set in the environment, yet that token was refused.")
        )
        assert not try_connect(app, {"token": DEV_TOKEN, "name": "ada"}).is_connected(), (
            _("FLASK_CHAT_TOKEN was set in the environment, yet the development token still got in.")
        )

    @pytest.mark.parametrize("origin", [*DEFAULT_ORIGINS, None])
    @pytest.mark.rule("allowed-origins")
    def test_default_origins_may_connect(self, client, origin):
        response = handshake(client, origin)
        expect_status(response, 200)
        if origin:
            assert response.headers.get("Access-Control-Allow-Origin") == origin, _(
                "The handshake from Origin {origin} should be allowed (Access-Control-Allow-Origin: {origin}); "
                "headers were {headers}. Pass cors_allowed_origins to socketio.init_app."
            ).format(origin=origin, headers=repr(dict(response.headers)))

    @pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:5001", "https://localhost:5000", "null"])
    @pytest.mark.rule("allowed-origins")
    def test_other_origins_are_refused(self, client, origin):
        response = handshake(client, origin)
        assert response.status_code == 400, _(
            "A page at {origin} opened a Socket.IO connection (the handshake answered {status}); "
            "only SOCKETIO_CORS_ORIGINS may: Engine.IO answers 400 to other origins."
        ).format(origin=origin, status=response.status_code)

    @pytest.mark.rule("origins-from-config")
    def test_configured_origins_replace_the_defaults(self, make_app):
        client = make_app(SOCKETIO_CORS_ORIGINS=["https://chat.example"]).test_client()
        expect_status(handshake(client, "https://chat.example"), 200)
        assert handshake(client, "http://localhost:5000").status_code == 400, (
            _('With SOCKETIO_CORS_ORIGINS = ["https://chat.example"], http://localhost:5000 still got in: '
              "read the origins from the config.")
        )

    @pytest.mark.rule("origins-from-config")
    def test_origins_can_come_from_the_environment(self, chapter_module, monkeypatch):
        monkeypatch.setenv("FLASK_SOCKETIO_CORS_ORIGINS", '["https://env.example"]')
        app = chapter_module.create_app({"TESTING": True, "CHAT_TOKEN": TOKEN, "SOCKETIO_ASYNC_MODE": "gevent"})
        client = app.test_client()
        expect_status(handshake(client, "https://env.example"), 200)
        assert handshake(client, "http://127.0.0.1:5000").status_code == 400, (
            _("FLASK_SOCKETIO_CORS_ORIGINS replaces the default origins, but a default one still got in.")
        )


@pytest.mark.exercise("echo")
class TestEcho:
    @pytest.mark.parametrize(
        "value",
        ["hello", "", "小明", 42, 0, 3.5, True, False, None, [], [1, "two", None], {}, {"nested": {"deep": [1, 2.5]}}],
        ids=repr,
    )
    @pytest.mark.rule("ack-returns-value")
    def test_the_ack_returns_the_value(self, app, value):
        client = connect(app, "ada")
        ack = client.emit("echo", value, callback=True)
        hint = _(" A handler returning None sends an ack with no arguments: return (value,).") if value is None else ""
        assert ack == value and type(ack) is type(value), _("echo {value} was acknowledged with {ack}.").format(
            value=repr(value), ack=repr(ack)) + hint
        expect_silence(_("echo {value} (the answer is the acknowledgement, nothing else)").format(value=repr(value)),
                       caller=client)

    @pytest.mark.rule("ack-returns-value")
    def test_any_value_comes_back(self, app):
        client = connect(app, "ada")

        def check(value, ack):
            # As JSON text: NaN is not equal to itself, and the JSON is what the client receives.
            assert json.dumps(ack) == json.dumps(value), _("echo {value} was acknowledged with {ack}.").format(
                value=fuzz.shorten(value), ack=fuzz.shorten(ack))
            expect_answered_not_crashed(client, _("echo {value}").format(value=fuzz.shorten(value)))

        fuzz.probe(lambda value: client.emit("echo", value, callback=True), fuzz.json_values(), check=check,
                   always=DEEP_VALUES)

    @pytest.mark.rule("ack-returns-value")
    def test_deep_and_long_values_come_back_whole(self, app):
        client = connect(app, "ada")
        deep = nested = []
        for _level in range(100):  # not `_`: that is the translator
            nested.append([])
            nested = nested[0]
        for value in (deep, "x" * 100_000):
            assert client.emit("echo", value, callback=True) == value, _("A deep list or a long string came back changed.")


@pytest.mark.exercise("rooms")
class TestRooms:
    @pytest.mark.rule("join-announced")
    def test_join_is_announced_to_the_room(self, app):
        ada, bob = connect(app, "ada"), connect(app, "bob")
        ada.emit("join", {"room": "lobby"})
        expect_delivery(_('ada joined "lobby"'), "status", {"room": "lobby", "message": "ada joined"},
                        "ada", {"ada": ada}, {"bob": bob})
        bob.emit("join", {"room": "lobby"})
        expect_delivery(_('bob joined "lobby"'), "status", {"room": "lobby", "message": "bob joined"},
                        "bob", {"ada": ada, "bob": bob})

    @pytest.mark.rule("room-only")
    def test_only_the_room_hears_it(self, app):
        (carol,) = in_room(app, "kitchen", "carol")
        dave = connect(app, "dave")
        connect(app, "bob").emit("join", {"room": "lobby"})
        expect_silence(_('bob joined "lobby"'), carol_in_the_kitchen=carol, dave_in_no_room=dave)

    @pytest.mark.parametrize("room", ["x" * 64, "小明的房间", "room with spaces"])
    @pytest.mark.rule("room-names")
    def test_room_names_up_to_64_characters(self, app, room):
        client = connect(app, "ada")
        client.emit("join", {"room": room})
        assert payloads(client, "status") == [{"room": room, "message": "ada joined"}], _("Joining {room} failed.").format(
            room=repr(room))

    @pytest.mark.rule("leave-announced")
    def test_leave_is_announced_and_ends_delivery(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        bob.emit("leave", {"room": "lobby"})
        assert payloads(ada, "status") == [{"room": "lobby", "message": "bob left"}], (
            _('bob left "lobby": ada should receive status {"room": "lobby", "message": "bob left"}.')
        )
        bob.get_received()
        connect(app, "carol").emit("join", {"room": "lobby"})
        expect_silence(_('bob left "lobby", then carol joined it'), bob=bob)
        assert payloads(ada, "status") == [{"room": "lobby", "message": "carol joined"}], _(
            'carol joined "lobby": ada, still there, should receive status "carol joined".')

    @pytest.mark.parametrize("event", ["join", "leave"])
    @pytest.mark.parametrize("payload", BAD_ROOMS, ids=BAD_ROOM_IDS)
    @pytest.mark.rule("bad-room-error")
    def test_bad_rooms_get_an_error(self, app, event, payload):
        (watcher,) = in_room(app, "lobby", "watcher")
        client = connect(app, "ada")
        client.emit(event, payload)
        doing = _("{event} {payload}").format(event=event, payload=repr(payload))
        expect_error_event(client, doing)
        expect_silence(doing, watcher_in_the_lobby=watcher)

    @pytest.mark.parametrize("event", ["join", "leave"])
    @pytest.mark.rule("bad-room-error")
    def test_no_payload_gets_an_error(self, app, event):
        client = connect(app, "ada")
        client.emit(event)
        expect_error_event(client, _("{event} without a payload").format(event=event))

    @pytest.mark.parametrize("event", ["join", "leave"])
    @pytest.mark.rule("never-crashes")
    def test_no_payload_crashes_the_handler(self, app, event):
        (client,) = in_room(app, "lobby", "ada")
        probe_event(client, event, fuzz.json_values({"room": st.one_of(st.just("lobby"), fuzz.TEXT)}),
                    with_deep_values({}, "room"))

    @pytest.mark.rule("only-members-leave")
    def test_only_a_member_can_leave(self, app):
        (ada,) = in_room(app, "lobby", "ada")
        bob = connect(app, "bob")
        bob.emit("leave", {"room": "lobby"})
        expect_error_event(bob, _('bob, not a member, left "lobby"'))
        expect_silence(_('bob, who never joined, left "lobby"'), ada=ada)

    @pytest.mark.rule("room-not-a-sid")
    def test_a_room_named_like_a_sid_is_not_that_clients_line(self, app):
        ada, bob = connect(app, "ada"), connect(app, "bob")
        ada_sid = socketio_of(app).server.manager.sid_from_eio_sid(ada.eio_sid, "/")
        why = _("Socket.IO puts each client alone in a room named after its sid (its connection id): "
                "join room_key(room), never the bare name")
        bob.emit("join", {"room": ada_sid})
        bob.get_received()
        expect_silence(_("bob joined a room named like ada's sid. {why}").format(why=why), ada=ada)
        ada.emit("join", {"room": ""})  # answered with an `error` meant for ada alone
        ada.get_received()
        expect_silence(_("ada got an error of her own after bob joined a room named like her sid. {why}").format(why=why),
                       bob=bob)


@pytest.mark.exercise("broadcast")
class TestBroadcast:
    @pytest.mark.rule("members-receive")
    def test_members_and_only_members_receive(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        (carol,) = in_room(app, "kitchen", "carol")
        dave = connect(app, "dave")
        ada.emit("message", {"room": "lobby", "text": "hi"})
        expect_delivery(_("ada wrote to the lobby"), "message", {"room": "lobby", "text": "hi", "from": "ada"},
                        "ada", {"ada": ada, "bob": bob}, {"carol_in_the_kitchen": carol, "dave_in_no_room": dave})

    @pytest.mark.rule("from-connected-name")
    def test_from_is_the_name_the_sender_connected_with(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        bob.emit("message", {"room": "lobby", "text": "I am the server", "from": "server"})
        assert payloads(ada, "message") == [{"room": "lobby", "text": "I am the server", "from": "bob"}], (
            _('A "from" in the payload must not change the sender: "from" is the name bob connected with.')
        )

    @pytest.mark.parametrize("text", ["x" * 500, "多语言的消息", "two\nlines", " spaced "], ids=["500-chars", "chinese",
                                                                                           "line-break", "spaces"])
    @pytest.mark.rule("texts-up-to-500")
    def test_texts_of_up_to_500_characters(self, app, text):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        ada.emit("message", {"room": "lobby", "text": text})
        assert payloads(bob, "message") == [{"room": "lobby", "text": text, "from": "ada"}], (
            _("The text {start}... ({length} characters) should reach the room unchanged.").format(
                start=repr(text[:20]), length=len(text))
        )

    @pytest.mark.rule("members-only-write")
    def test_a_non_member_gets_an_error(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        dave = connect(app, "dave")
        dave.emit("message", {"room": "lobby", "text": "let me in"})
        expect_error_event(dave, _('dave, not a member, wrote to "lobby"'))
        expect_silence(_('dave, not a member, wrote to "lobby"'), ada=ada, bob=bob)

    @pytest.mark.rule("never-crashes")
    def test_no_payload_crashes_the_handler(self, app):
        (client,) = in_room(app, "lobby", "ada")
        fields = {"room": st.one_of(st.just("lobby"), fuzz.TEXT), "text": fuzz.TEXT}
        probe_event(client, "message", fuzz.json_values(fields),
                    with_deep_values({"room": "lobby", "text": "hi"}, "room", "text"))

    @pytest.mark.rule("members-only-write")
    def test_after_leaving_no_more_writing(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        bob.emit("leave", {"room": "lobby"})
        ada.get_received()
        bob.get_received()
        bob.emit("message", {"room": "lobby", "text": "still here?"})
        expect_error_event(bob, _('bob wrote to "lobby" after leaving it'))
        expect_silence(_('bob wrote to "lobby" after leaving it'), ada=ada)

    @pytest.mark.parametrize("payload", BAD_TEXTS, ids=BAD_TEXT_IDS)
    @pytest.mark.rule("bad-text-error")
    def test_bad_texts_get_an_error(self, app, payload):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        ada.emit("message", {"room": "lobby", **payload})
        expect_error_event(ada, _("message {payload}").format(payload=repr(payload)))
        expect_silence(_("ada sent message {payload}").format(payload=repr(payload)), bob=bob)

    @pytest.mark.parametrize("payload", [*BAD_ROOMS, None], ids=[*BAD_ROOM_IDS, "null-payload"])
    @pytest.mark.rule("bad-room-error")
    def test_bad_rooms_get_an_error(self, app, payload):
        (bob,) = in_room(app, "lobby", "bob")
        ada = connect(app, "ada")
        message = {**payload, "text": "hi"} if isinstance(payload, dict) else payload
        ada.emit("message", message)
        expect_error_event(ada, _("message {payload}").format(payload=repr(message)))
        expect_silence(_("ada sent message {payload}").format(payload=repr(message)), bob=bob)


def wait_for_ticks(app, client, count: int) -> tuple[list, list[int]]:
    """Every tick the client receives until `count` arrived, and how many had arrived at each look."""
    socketio = socketio_of(app)
    ticks, seen = [], []
    deadline = time.monotonic() + TICK_HANG_GUARD_S
    while len(ticks) < count:
        if time.monotonic() > deadline:
            pytest.fail(_("Only {arrived} of {count} ticks arrived before the grader gave up waiting "
                          "({limit} s): does the task start, and does it emit `tick` to the caller's sid?").format(
                arrived=len(ticks), count=count, limit=TICK_HANG_GUARD_S) + task_failure(app),
                        pytrace=False)
        socketio.sleep(POLL_S)  # lets gevent run the background task
        for item in client.get_received():
            if item["name"] == "error":
                pytest.fail(_("The ticker answered with an `error` event: {args}.").format(args=repr(item["args"])),
                            pytrace=False)
            if item["name"] == "tick":
                ticks.append(item["args"][0] if item["args"] else None)
        seen.append(len(ticks))
    return ticks, seen


@pytest.mark.exercise("background")
class TestBackground:
    @pytest.mark.parametrize("count", [1, 5, 20])
    @pytest.mark.rule("ticks-1-to-count")
    def test_ticks_count_from_1(self, app, count):
        client = connect(app, "ada")
        client.emit("ticker", {"count": count})
        ticks = wait_for_ticks(app, client, count)[0]  # not `_`: that is the translator
        assert ticks == [{"n": n} for n in range(1, count + 1)], (
            _('ticker {{"count": {count}}} should send tick {{"n": 1}} up to {{"n": {count}}}; got {ticks}.').format(
                count=count, ticks=repr(ticks))
        )
        socketio_of(app).sleep(TICK_S * 3)
        assert payloads(client, "tick") == [], _("After {count} ticks the task should stop; more came.").format(count=count)

    @pytest.mark.rule("returns-at-once")
    def test_the_handler_returns_before_the_first_tick(self, app):
        client = connect(app, "ada")
        client.emit("ticker", {"count": 3})
        early = payloads(client, "tick")
        assert early == [], _(
            "Ticks arrived before the ticker handler returned ({early}): the handler must start a background "
            "task (self.socketio.start_background_task) and return, not tick itself."
        ).format(early=repr(early))

    @pytest.mark.rule("one-at-a-time")
    def test_ticks_come_one_at_a_time(self, app):
        client = connect(app, "ada")
        client.emit("ticker", {"count": 4})
        seen = wait_for_ticks(app, client, 4)[1]  # not `_`: that is the translator
        assert any(0 < arrived < 4 for arrived in seen), (
            _("All 4 ticks arrived at once: between two ticks the task never let anyone else run. Wait with "
              "self.socketio.sleep(interval); time.sleep blocks every client of a gevent server.")
        )

    @pytest.mark.rule("never-crashes")
    def test_no_payload_crashes_the_handler(self, app):
        client = connect(app, "ada")
        probe_event(client, "ticker", fuzz.json_values({"count": st.one_of(st.integers(-2, 22), fuzz.NUMBERS)}),
                    with_deep_values({}, "count"))

    @pytest.mark.rule("caller-only")
    def test_ticks_go_to_the_caller_only(self, app):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        ada.emit("ticker", {"count": 2})
        wait_for_ticks(app, ada, 2)
        expect_silence(_("ada's ticker ran"), _(
            "self.socketio.emit without to= reaches every client: name the caller's connection, to=sid."), bob=bob)

    @pytest.mark.parametrize(
        "payload",
        [{"count": 0}, {"count": 21}, {"count": -1}, {"count": 1.5}, {"count": "3"}, {"count": True}, {"count": None},
         {"count": [3]}, {"count": 10**30}, {}, 3, None],
        ids=["zero", "21", "negative", "float", "string", "true", "null", "list", "huge", "no-count", "bare-number",
             "no-payload"],
    )
    @pytest.mark.rule("bad-count-error")
    def test_bad_counts_get_an_error(self, app, payload):
        client = connect(app, "ada")
        if payload is None:
            client.emit("ticker")
        else:
            client.emit("ticker", payload)
        expect_error_event(client, _("{event} {payload}").format(event="ticker", payload=repr(payload)))


@pytest.mark.exercise("http_bridge")
class TestHttpBridge:
    def announce(self, client, room="lobby", body=None, key=TOKEN):
        headers = {"X-API-Key": key} if key is not None else {}
        return client.post(f"/rooms/{room}/announce", json=body or {"text": "hello from HTTP"}, headers=headers)

    @pytest.mark.rule("room-receives")
    def test_the_room_receives_the_announcement(self, app, client):
        ada, bob = in_room(app, "lobby", "ada", "bob")
        (carol,) = in_room(app, "kitchen", "carol")
        expect_status(self.announce(client), 202)
        expected = [{"room": "lobby", "text": "hello from HTTP", "from": "server"}]
        for who, member in (("ada", ada), ("bob", bob)):
            got = payloads(member, "message")
            assert got == expected, _("{who}, in the lobby, should receive message {message}; got {got}.").format(
                who=who, message=repr(expected[0]), got=repr(got))
        expect_silence("POST /rooms/lobby/announce", carol_in_the_kitchen=carol)

    @pytest.mark.rule("any-room-name")
    def test_any_room_name_a_url_can_carry(self, app, client):
        (ada,) = in_room(app, "小明的房间", "ada")
        expect_status(self.announce(client, room="小明的房间", body={"text": "你好"}), 202)
        assert payloads(ada, "message") == [{"room": "小明的房间", "text": "你好", "from": "server"}], _(
            'ada, in the room "小明的房间", should receive the announcement {"room": "小明的房间", "text": "你好", '
            '"from": "server"}: a room name is any text a URL can carry.')

    @pytest.mark.parametrize("key", [None, "", "wrong", TOKEN.upper(), TOKEN + "x", "tokén"],
                             ids=["no-key", "empty", "wrong", "upper-case", "longer", "non-ascii"])
    @pytest.mark.rule("key-required")
    def test_without_the_key_401(self, app, client, key):
        (ada,) = in_room(app, "lobby", "ada")
        body = expect_error(self.announce(client, key=key), 401)
        assert body["error"] == "unauthorized", _('A 401 is the error "unauthorized"; the body was {body}.').format(
            body=repr(body))
        expect_silence(_("an announcement without the right X-API-Key"), ada=ada)

    @pytest.mark.rule("key-checked-first")
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
    @pytest.mark.rule("bad-body-400")
    def test_bad_bodies_400(self, app, client, data, content_type):
        (ada,) = in_room(app, "lobby", "ada")
        response = client.post("/rooms/lobby/announce", data=data, headers={"X-API-Key": TOKEN, "Content-Type": content_type})
        expect_error(response, 400)
        expect_silence(_("an announcement with a bad body"), ada=ada)

    @pytest.mark.rule("never-500")
    def test_any_request_gets_no_500_and_json_errors(self, client):
        requests = st.tuples(fuzz.path_segments(), fuzz.json_bodies({"text": fuzz.TEXT}),
                             st.one_of(st.just(TOKEN), fuzz.header_values()))
        fuzz.probe(lambda request: client.post(f"/rooms/{request[0]}/announce", data=request[1], headers={
            "X-API-Key": request[2], "Content-Type": "application/json"}), requests, json_errors=True)

    @pytest.mark.parametrize("room", ["x" * 65, "%20%20", "a%0Ab", "%00"], ids=["65-chars", "blank", "line-break", "nul"])
    @pytest.mark.rule("bad-room-400")
    def test_bad_rooms_400(self, client, room):
        expect_error(self.announce(client, room=room), 400)
