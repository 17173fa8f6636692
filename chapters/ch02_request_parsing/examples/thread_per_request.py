"""Werkzeug's development server starts a new thread for every request; it keeps no thread pool."""
import logging
import threading
import urllib.request

from flask import Flask
from werkzeug.serving import make_server

app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log in the output


@app.get("/who")
def who():
    return threading.current_thread().name


server = make_server("127.0.0.1", 0, app, threaded=True)  # what app.run() and flask run start
threading.Thread(target=server.serve_forever, daemon=True).start()
names = [urllib.request.urlopen(f"http://127.0.0.1:{server.port}/who").read().decode() for _ in range(3)]
server.shutdown()

# socketserver.ThreadingMixIn: one new thread per request, gone when the response is sent.
print("threads that answered:", names)
assert len(set(names)) == 3, names
