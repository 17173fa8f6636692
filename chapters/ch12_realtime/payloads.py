"""What a client may send: names, rooms, message texts and tick counts; ChatError for the rest.

Each check returns the clean value or raises ChatError. The chat answers a ChatError with an
`error` event to the caller (or refuses the connection); the HTTP bridge answers it with a 400.
"""
import hmac

NAME_MAX = 32
ROOM_MAX = 64
TEXT_MAX = 500
TICKS_MAX = 20
# The HTTP bridge speaks as "server": a user under that name could forge announcements.
RESERVED_NAMES = {"server"}


class ChatError(Exception):
    """A request the chat refuses; `body` is the course's error shape."""

    def __init__(self, error: str, message: str):
        super().__init__(message)
        self.body = {"error": error, "message": message}


def field(payload, key: str):
    """`payload[key]` (None when absent); ChatError when the payload is not a JSON object."""
    if not isinstance(payload, dict):
        raise ChatError("bad_request", f'Send a JSON object with "{key}", such as {{"{key}": ...}}.')
    return payload.get(key)


def label(value, what: str, limit: int) -> str:
    """A name or a room: 1..limit printable characters once surrounding spaces are dropped."""
    if not isinstance(value, str) or not value.strip():
        raise ChatError(f"bad_{what}", f"The {what} must be a non-blank string.")
    value = value.strip()
    if len(value) > limit:
        raise ChatError(f"bad_{what}", f"The {what} is longer than {limit} characters.")
    if not value.isprintable():
        # Control characters (a line break would forge chat lines) and lone surrogates
        # (not encodable as UTF-8) are never part of a name.
        raise ChatError(f"bad_{what}", f"The {what} contains control characters or invalid Unicode.")
    return value


def clean_name(value) -> str:
    name = label(value, "name", NAME_MAX)
    if name.casefold() in RESERVED_NAMES:
        raise ChatError("bad_name", f'The name "{name}" is reserved for the server\'s announcements.')
    return name


def clean_room(value) -> str:
    return label(value, "room", ROOM_MAX)


def clean_text(value) -> str:
    """A chat message: 1..TEXT_MAX characters, not blank, valid Unicode (line breaks allowed)."""
    if not isinstance(value, str) or not value.strip():
        raise ChatError("bad_text", "The text must be a non-blank string.")
    if len(value) > TEXT_MAX:
        raise ChatError("bad_text", f"The text is longer than {TEXT_MAX} characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800": valid JSON, not text
        raise ChatError("bad_text", "The text is not valid Unicode.") from None
    return value


def clean_count(value) -> int:
    # bool is a subclass of int: `true` must not count as 1.
    if type(value) is not int or not 1 <= value <= TICKS_MAX:
        raise ChatError("bad_count", f"The count must be a whole number from 1 to {TICKS_MAX}.")
    return value


def same_secret(given, expected: str) -> bool:
    """Whether `given` is the secret `expected`, compared in constant time; never raises."""
    if not isinstance(given, str):
        return False
    # compare_digest refuses non-ASCII str; as bytes, "surrogatepass" encodes any str and
    # keeps two different strings different.
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def room_key(room: str) -> str:
    """The Socket.IO room behind the chat room `room`.

    Socket.IO also puts every client alone in a room named after its sid. With a prefix, a
    chat room named like somebody's sid cannot reach that client's private events.
    """
    return f"room:{room}"
