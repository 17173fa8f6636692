"""Chapter 12 for real: the solution served by `python -m track run 12`, clients over a real WebSocket.

The grader (tests/test_ch12_realtime.py) uses Flask-SocketIO's test client, which has no
network and no transport. Here the course's own gevent server serves the chapter in a
subprocess, configured through the environment as a deployment would be, and
python-socketio clients talk to it with `transports=["websocket"]`: the handshake offers
WebSocket to the configured origin only; raw frames show Engine.IO and Socket.IO at work;
no token or a foreign origin is refused; welcome, echo acknowledgements, a room broadcast
between two clients, ticks from the background task and the HTTP bridge all travel over
WebSocket; undecodable packets leave the connection standing; and client.py runs clean.
"""
import importlib
import json
import sys

import pytest
import requests
import socketio
import websocket

from track.model.course import chapter
from track.walkthrough.live import live_server, load_walkthrough
from track.walkthrough.stepper import run_walkthrough

CHAPTER = chapter(12)
TOKEN = "live-test-token"
PAGE = "http://chat.test"   # the one web origin the server is configured to accept
FOREIGN = "http://evil.test"
WAIT_S = 10                 # hang guard for raw WebSocket reads, not a speed limit
CLOSE_WAIT_S = 5            # hang guard: a server that closes does so within milliseconds


@pytest.fixture(scope="module")
def url():
    """The chapter's solution on the course's gevent server, configured from the environment."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FLASK_CHAT_TOKEN", TOKEN)
        env.setenv("FLASK_SOCKETIO_CORS_ORIGINS", json.dumps([PAGE]))
        command = [sys.executable, "-m", "track", "run", str(CHAPTER.number), "--solution", "--port", "0"]
        with live_server(command) as base_url:
            yield base_url


@pytest.fixture(scope="module")
def client_class():
    """The walkthrough's ChatClient (chapters/ch12_realtime/client.py): python-socketio plus an inbox."""
    return importlib.import_module(f"chapters.{CHAPTER.package}.client").ChatClient


@pytest.fixture
def clients(url, client_class):
    """`join(name, room=None, **options)`: a client connected (and in `room`); all disconnected afterwards."""
    made = []

    def join(name, room=None, **options):
        client = client_class(name, **options)
        made.append(client)
        client.connect(url)
        assert client.expect("welcome") == {"name": name}
        if room:
            client.call("join", {"room": room})
        return client

    yield join
    for client in made:
        client.sio.disconnect()


def next_events(client, event, count=1):
    """The payloads of the client's next `count` events, each of which must be `event`."""
    return [client.expect(event) for _ in range(count)]


def test_the_handshake_offers_websocket_to_the_configured_origin_only(url):
    handshake = f"{url}/socket.io/?EIO=4&transport=polling"
    opened = requests.get(handshake, headers={"Origin": PAGE}, timeout=WAIT_S)
    assert opened.status_code == 200 and opened.headers.get("Access-Control-Allow-Origin") == PAGE
    assert json.loads(opened.text[1:])["upgrades"] == ["websocket"], opened.text
    assert requests.get(handshake, headers={"Origin": FOREIGN}, timeout=WAIT_S).status_code == 400
    assert requests.get(handshake, headers={"Origin": "http://127.0.0.1:5000"}, timeout=WAIT_S).status_code == 400, (
        "FLASK_SOCKETIO_CORS_ORIGINS should replace the default origins"
    )


def test_a_raw_websocket_speaks_engine_io_and_socket_io(url):
    """The frames themselves: open, connect with auth, welcome, an event with an ack."""
    ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     origin=PAGE, timeout=WAIT_S)
    try:
        assert ws.getstatus() == 101
        assert ws.recv().startswith('0{"sid"')                       # Engine.IO open
        ws.send("40" + json.dumps({"token": TOKEN, "name": "raw"}))   # Socket.IO connect + auth
        frames = [ws.recv(), ws.recv()]
        assert '42["welcome",{"name":"raw"}]' in frames and any(f.startswith('40{"sid"') for f in frames), frames
        ws.send('421["echo","over the wire"]')                        # event with ack id 1
        assert ws.recv() == '431["over the wire"]'                    # ack 1
    finally:
        ws.close()


@pytest.mark.parametrize("auth", [None, {"name": "mallory"}, {"token": "wrong", "name": "mallory"}],
                         ids=["no-auth", "no-token", "wrong-token"])
def test_refused_without_the_token_and_told_why(url, client_class, auth):
    client = client_class("mallory", origin=PAGE)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=WAIT_S)
    client.sio.disconnect()
    assert client.refusal["data"]["error"] == "unauthorized", client.refusal


def test_the_server_closes_the_connection_after_the_closing_handshake(url):
    ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     origin=PAGE, timeout=CLOSE_WAIT_S)
    try:
        ws.recv()                # Engine.IO open
        ws.send("1")             # Engine.IO close: the server ends the session and sends a close frame
        ws.send_close()          # our half of the WebSocket closing handshake
        try:
            while ws.sock.recv(65536):
                pass             # the server's close frame, then end of stream
        except TimeoutError:
            pytest.fail(f"{CLOSE_WAIT_S} s after the closing handshake the server still held the TCP connection "
                        "open (RFC 6455 7.1.1: the server closes it first)", pytrace=False)
    finally:
        ws.sock.close()


def test_refused_from_a_foreign_origin(url, client_class):
    client = client_class("ada", origin=FOREIGN)
    with pytest.raises(AssertionError):
        client.connect(url)


def test_welcome_and_echo_over_a_real_websocket(clients):
    ada = clients("ada", origin=PAGE)
    assert ada.sio.transport() == "websocket", "the client fell back to long-polling"
    for value in ("hello", None, [1, {"two": 2}], 3.5):
        assert ada.call("echo", value) == value


def test_room_broadcast_between_two_clients(clients, url):
    ada, bob = clients("ada", "lobby"), clients("bob", "lobby")
    carol = clients("carol", "kitchen")
    next_events(ada, "status", 2)
    next_events(bob, "status")
    next_events(carol, "status")
    ada.sio.emit("message", {"room": "lobby", "text": "hi"})
    for client in (ada, bob):
        assert client.expect("message") == {"room": "lobby", "text": "hi", "from": "ada"}
    # Carol's next event is the kitchen's: had the lobby message reached her, it would come first.
    requests.post(f"{url}/rooms/kitchen/announce", json={"text": "soup"}, headers={"X-API-Key": TOKEN}, timeout=WAIT_S)
    assert carol.expect("message") == {"room": "kitchen", "text": "soup", "from": "server"}


def test_ticks_from_the_background_task(clients):
    ada, bob = clients("ada"), clients("bob")
    ada.sio.emit("ticker", {"count": 3})
    assert bob.call("echo", "served meanwhile") == "served meanwhile"
    assert next_events(ada, "tick", 3) == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert bob.inbox.empty(), "ticks go to the caller only"


def test_the_http_bridge_reaches_the_room(clients, url):
    ada = clients("ada", "lobby")
    next_events(ada, "status")
    announce = f"{url}/rooms/lobby/announce"
    assert requests.post(announce, json={"text": "from HTTP"}, timeout=WAIT_S).status_code == 401
    response = requests.post(announce, json={"text": "from HTTP"}, headers={"X-API-Key": TOKEN}, timeout=WAIT_S)
    assert response.status_code == 202
    assert ada.expect("message") == {"room": "lobby", "text": "from HTTP", "from": "server"}


def test_packets_too_deep_or_too_big_to_decode_leave_the_connection_standing(clients):
    ada = clients("ada")
    for packet in ('2["echo",' + "[" * 5000 + "]" * 5000 + "]", '2["ticker",{"count":' + "9" * 5000 + "}]"):
        ada.sio.eio.send(packet)   # an Engine.IO message that Socket.IO cannot decode: dropped and logged
    assert ada.call("echo", "still here") == "still here"
    assert ada.inbox.empty()


def test_the_walkthrough_runs_clean(url, capsys):
    assert run_walkthrough(load_walkthrough(CHAPTER), url), capsys.readouterr().err
