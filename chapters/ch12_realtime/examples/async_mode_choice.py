"""Which async mode Flask-SocketIO picks when it is given none, and why the chapter names one."""
import os

from flask import Flask
from flask_socketio import SocketIO

os.environ.pop("FLASK_RUN_FROM_CLI", None)  # start as a plain script does, whoever runs this one

# python-engineio tries its modes in this order and takes the first whose packages import.
print("order tried:", SocketIO(Flask("probe")).server.eio.async_modes())

# Here eventlet is not installed and gevent is: a plain SocketIO(app) runs in gevent mode,
# which needs a gevent server (the course's WSGIServer, or gunicorn -k gevent).
default = SocketIO(Flask("plain")).async_mode
print("no mode, outside `flask`:", default)

# Every `flask` command (flask run included) sets FLASK_RUN_FROM_CLI before it builds the app;
# Flask-SocketIO then falls back to threading, the mode Werkzeug's threaded server needs.
os.environ["FLASK_RUN_FROM_CLI"] = "true"
under_flask = SocketIO(Flask("cli")).async_mode
print("no mode, under `flask run`:", under_flask)

assert (default, under_flask) == ("gevent", "threading")
