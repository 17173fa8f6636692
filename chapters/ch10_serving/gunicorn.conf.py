"""gunicorn settings for chapter 10: `make chapter-10 serve-prod` runs

    python -m gunicorn -c chapters/ch10_serving/gunicorn.conf.py 'chapters.ch10_serving.app:create_app()'

gunicorn reads this file as Python and takes every module-level name it knows as a setting
(`gunicorn --print-config` lists them). It runs behind one reverse proxy (nginx, Caddy),
so it binds loopback only: the proxy is the one thing that talks to the outside world.
"""
import os

# Loopback only; PORT from the environment so a process manager can choose it.
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# TODO(production): the sync worker serves one request at a time per process; use gevent.
worker_class = "sync"

# Processes use the cores (this course's machine has 2); greenlets handle the waiting.
workers = 2
# Open connections per gevent worker before it stops accepting more.
worker_connections = 1000
# A request that takes longer than this kills the worker: a hung request must not stay forever.
timeout = 30
graceful_timeout = 5

# Access log to stdout: in production the process manager (systemd, Docker) collects it.
accesslog = "-"
# Debug stays off: gunicorn never runs the Werkzeug debugger, and nothing here turns Flask's on.
