"""Two malformed requests, sent over a raw socket to gevent's pywsgi: what does it answer?

For comparison, gunicorn's HTTP parser reads the same bytes (no server needed for that).

Run: python chapters/ch10_serving/examples/pywsgi_leniency.py
"""
import gevent
from gevent import socket
from gevent.pywsgi import WSGIServer
from gunicorn.config import Config
from gunicorn.http.errors import ParseException
from gunicorn.http.parser import RequestParser

MALFORMED = {
    "a header line without a colon": (
        b"GET / HTTP/1.1\r\nHost: localhost\r\nThisLineHasNoColon\r\nX-After: seen?\r\n\r\n"),
    "Content-Length: 3 and Transfer-Encoding: chunked": (
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n"
        b"\r\n5\r\nhello\r\n0\r\n\r\n"),
}


def echo(environ, start_response):
    """Answer with the headers and the body the server handed to the app."""
    headers = sorted(key[5:] for key in environ if key.startswith("HTTP_"))
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"headers {headers}, body {body!r}".encode()]


def send(port: int, raw: bytes) -> str:
    """The status line and body of the answer (pywsgi sends a Content-Length for one chunk)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(raw)
        answer = client.makefile("rb")
        status = answer.readline().decode().strip()
        length = 0
        while (line := answer.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            length = int(value) if name.lower() == "content-length" else length
        return f"{status} | {answer.read(length).decode()}"


def gunicorn_verdict(raw: bytes) -> str:
    """What gunicorn's parser makes of the bytes: a request, or the error it answers 400 for."""
    try:
        next(RequestParser(Config(), iter([raw]), ("127.0.0.1", 0)))
        return "accepted"
    except ParseException as error:
        return f"refused: {type(error).__name__}: {error}"


server = WSGIServer(("127.0.0.1", 0), echo, log=None)
server.start()
try:
    for what, raw in MALFORMED.items():
        print(f"{what}:\n  pywsgi:   {gevent.spawn(send, server.server_port, raw).get(timeout=10)}")
        print(f"  gunicorn: {gunicorn_verdict(raw)}")
finally:
    server.stop()
