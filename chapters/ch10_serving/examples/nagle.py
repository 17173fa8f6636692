"""Twenty requests on one keep-alive connection: plain WSGIServer vs TCP_NODELAY.

The server runs in a child process (this same file with `serve`), so the client here is an
ordinary blocking `http.client` connection, as a browser or `requests` would be.
"""
import http.client
import socket
import subprocess
import sys
import time

from gevent.pywsgi import WSGIServer

REQUESTS = 20


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


class NoDelay(WSGIServer):
    def handle(self, sock, address):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(sock, address)


def serve(nodelay: bool) -> None:
    server = (NoDelay if nodelay else WSGIServer)(("127.0.0.1", 0), hello, log=None)
    server.init_socket()
    print(server.server_port, flush=True)
    server.serve_forever()


def measure(nodelay: bool) -> float:
    child = subprocess.Popen([sys.executable, __file__, "serve", str(int(nodelay))], stdout=subprocess.PIPE, text=True)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", int(child.stdout.readline()))
        start = time.perf_counter()
        for _ in range(REQUESTS):
            connection.request("GET", "/")
            connection.getresponse().read()
        connection.close()
        return (time.perf_counter() - start) / REQUESTS * 1000
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2] == "1")
    else:
        print(f"{REQUESTS} requests on one keep-alive connection, per request:")
        print(f"  plain WSGIServer (Nagle on): {measure(False):6.2f} ms")
        print(f"  with TCP_NODELAY:            {measure(True):6.2f} ms")
