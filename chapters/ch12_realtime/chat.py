"""The chat's Socket.IO events: one `on_<event>` method each, on a class-based namespace.

Flask-SocketIO calls the method for each event a client emits, inside a request context of
that client's connection: `request.sid` names the caller, `emit()` (the function) answers
the caller alone unless given `to=`, and what the method returns is the acknowledgement.
"""
from flask import current_app, request
from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room, leave_room, rooms

from .payloads import ChatError, clean_count, clean_name, clean_room, clean_text, field, room_key, same_secret


class ChatNamespace(Namespace):
    """The namespace "/" of one app; `names` maps each connection's sid to its user's name."""

    def __init__(self):
        super().__init__("/")
        self.names: dict[str, str] = {}

    def on_connect(self, auth):
        """Exercise `connect`: let a client in only with auth {"token": CHAT_TOKEN, "name": ...}.

        The token must equal `CHAT_TOKEN` (`same_secret`), the name pass `clean_name` (1..32
        printable characters, not "server"). Otherwise refuse: raise ChatError("unauthorized",
        ...) for the token (clean_name raises "bad_name"); the client reads that body in its
        `connect_error`. Once in: remember the name in `self.names` under `request.sid` and
        emit `welcome` {"name": name} to this client only.

        The exercise also sets up the SocketIO object in create_app (app.py) from the config.

        Rules:
        - [welcome] the right token and a name get in and receive `welcome` {"name": name}.
        - [names-1-to-32] names of 1 to 32 characters (Chinese, spaces inside) are welcome.
        - [welcome-newcomer-only] the welcome goes to the newcomer only.
        - [token-required] without the right token (none, wrong, not a dict) no way in.
        - [bad-names-refused] a missing, blank, non-string, 33-character, multi-line, NUL or
          lone-surrogate name, or "server" in any case and spacing, is refused.
        - [refusal-says-why] the refusal carries {"error", "message"}: "unauthorized" for the
          token, "bad_name" for the name.
        - [never-crashes] no auth payload, however odd, lets a client in or refuses it without
          that body.
        - [async-mode-from-config] SocketIO's async mode is the config's SOCKETIO_ASYNC_MODE.
        - [token-from-config] the token is the config's CHAT_TOKEN (FLASK_CHAT_TOKEN in the
          environment), never the development token written in the code.
        - [allowed-origins] the default origins (and a client without Origin) may connect;
          any other origin's handshake is a 400.
        - [origins-from-config] SOCKETIO_CORS_ORIGINS from test_config or
          FLASK_SOCKETIO_CORS_ORIGINS replaces the default origins.
        """
        # TODO(connect): refuse a missing or wrong token and a bad name, then send `welcome`.
        # Until then anyone who sends a name gets in, unchecked:
        self.names[request.sid] = str(field(auth, "name"))

    def on_disconnect(self, reason):
        """Not an exercise: forget the name (Socket.IO takes the client out of its rooms)."""
        self.names.pop(request.sid, None)

    def on_echo(self, value=None):
        """Exercise `echo`: the acknowledgement carries back exactly the value sent (any JSON).

        The return value becomes the ack's arguments: a tuple spreads into several, and None
        into none at all — yet an echo of null must come back as null too.

        Rules:
        - [ack-returns-value] the acknowledgement is exactly the value sent, of the same type
          (null, numbers, strings, lists, objects, deep or long ones), and nothing else is emitted.
        """
        # TODO(echo): write this part; the docstring above has the contract. Stuck? `python -m track hint 12`
        raise NotImplementedError("TODO(echo)")

    def on_join(self, data=None):
        """Exercise `rooms`: join {"room": 1..64 chars} → the room gets `status` "<name> joined".

        `clean_room(field(data, "room"))` checks the name; the Socket.IO room is
        `room_key(room)`. The status {"room": room, "message": "<name> joined"} goes to
        everyone in the room, the newcomer included.

        The rules of `join` and `leave`:

        Rules:
        - [join-announced] `status` "<name> joined" reaches everyone in the room, the newcomer
          included.
        - [room-only] nobody outside the room hears it.
        - [room-names] room names of up to 64 characters, Chinese and spaces included, work.
        - [leave-announced] `status` "<name> left" reaches the room, and the one who left gets
          nothing more from it.
        - [bad-room-error] a missing, blank, 65-character, non-string, multi-line or
          lone-surrogate room, or no payload, gets the caller an `error` event
          {"error", "message"} and nobody else hears a thing.
        - [only-members-leave] leaving a room one is not in is an `error` for the caller.
        - [room-not-a-sid] a room named like a client's sid is not that client's own line.
        - [never-crashes] no payload crashes the handler: bad input is an `error` event.
        """
        # TODO(rooms): write this part; the docstring above has the contract. Stuck? `python -m track hint 12`
        raise NotImplementedError("TODO(rooms)")

    def on_leave(self, data=None):
        """Exercise `rooms`: leave {"room"} → the room gets `status` "<name> left".

        Only a member can leave (`self.require_member(room)`): anyone else would announce a
        departure to a room they are not in.
        """
        # TODO(rooms): write this part; the docstring above has the contract. Stuck? `python -m track hint 12`
        raise NotImplementedError("TODO(rooms)")

    def on_message(self, data=None):
        """Exercise `broadcast`: message {"room", "text"} from a member → everyone in the room.

        Each member, the sender included, receives `message` {"room", "text", "from": name}.
        A bad room or text (`clean_text`: 1..500 characters) or a sender who is not a member
        → ChatError.

        Rules:
        - [members-receive] every member, the sender included, receives `message`; nobody else.
        - [from-connected-name] "from" is the name the sender connected with.
        - [texts-up-to-500] texts of 1 to 500 characters arrive unchanged (Chinese, line
          breaks, spaces around).
        - [members-only-write] a sender who is not (or no longer) in the room gets an `error`
          and nobody receives the message.
        - [bad-text-error] a missing, blank, 501-character, non-string or lone-surrogate text
          is an `error` for the sender alone.
        - [bad-room-error] a bad room, or no payload, is an `error` for the sender alone.
        - [never-crashes] no payload crashes the handler: bad input is an `error` event.
        """
        # TODO(broadcast): write this part; the docstring above has the contract. Stuck? `python -m track hint 12`
        raise NotImplementedError("TODO(broadcast)")

    def on_ticker(self, data=None):
        """Exercise `background`: ticker {"count": 1..20} starts `tick` as a background task.

        The handler returns at once: `self.socketio.start_background_task(...)` runs the
        ticks while this and every other client go on being served.

        Rules:
        - [ticks-1-to-count] the caller receives `tick` {"n": 1} to {"n": count}, then no more.
        - [returns-at-once] the handler returns before the first tick.
        - [one-at-a-time] ticks arrive one at a time, `TICK_SECONDS` apart, not all at once.
        - [caller-only] only the caller receives the ticks.
        - [bad-count-error] a count that is not a whole number from 1 to 20 (0, 21, 1.5, "3",
          true, a list), or no count, is an `error` event.
        - [never-crashes] no payload crashes the handler: bad input is an `error` event.
        """
        # TODO(background): write this part; the docstring above has the contract. Stuck? `python -m track hint 12`
        raise NotImplementedError("TODO(background)")

    def tick(self, sid: str, count: int, interval: float) -> None:
        """Exercise `background`: emit `tick` {"n": 1..count} to `sid`, one every `interval` s.

        This runs outside any request: there is no `request` and no caller for `emit()` to
        answer, so `self.socketio.emit(..., to=sid)` names the client. Wait with
        `self.socketio.sleep`, which lets gevent serve others meanwhile; `time.sleep` would
        stop the whole server.
        """
        # TODO(background): write this part; the docstring above has the contract. Stuck? `python -m track hint 12`
        raise NotImplementedError("TODO(background)")

    def require_member(self, room: str) -> None:
        """ChatError unless the caller is in `room`."""
        if room_key(room) not in rooms():
            raise ChatError("not_a_member", f'Join the room "{room}" first.')


def report_error(error: Exception) -> None:
    """Flask-SocketIO's default error handler: what a handler raised goes back to its caller.

    A ChatError carries its own body; anything else is a bug, logged here and answered
    without details. During `connect` there is no connection to answer on yet, so the error
    refuses it: an exception must never let a client in.
    """
    if isinstance(error, ChatError):
        body = error.body
    else:
        current_app.logger.error("The %r handler failed", request.event["message"], exc_info=error)
        body = {"error": "internal_error", "message": "Something went wrong on our side."}
    if request.event["message"] == "connect":
        raise ConnectionRefusedError(body["message"], body)
    emit("error", body)
