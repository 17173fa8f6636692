"""gunicorn settings for chapter 14, on a laptop and in the container.

    gunicorn -c chapters/ch14_shipping/gunicorn.conf.py 'chapters.ch14_shipping.app:create_app()'

Exercise `container`: gunicorn.conf.py, Dockerfile and Dockerfile.dockerignore.

`bind` is 127.0.0.1:8000 on the host (the loopback rule), and 0.0.0.0:8000 only where the
environment variable BIND_HOST says so: the Dockerfile sets `ENV BIND_HOST=0.0.0.0`, because
inside a container loopback is unreachable from outside. `workers` is WEB_CONCURRENCY (2 when
unset). The Dockerfile starts from an official python:3.X-slim image pinned by its tag,
installs requirements.txt before it copies the code, runs as a non-root USER with
APP_ENV=production, EXPOSEs 8000, has a HEALTHCHECK on /healthz and starts gunicorn with this
file in an exec-form CMD. Dockerfile.dockerignore leaves out .git, .venv, instance and __pycache__.

Rules:
- [bind-loopback-on-host] without BIND_HOST, gunicorn binds 127.0.0.1:8000; with BIND_HOST=0.0.0.0, 0.0.0.0:8000
- [workers-from-env] workers is WEB_CONCURRENCY when set, 2 otherwise
- [check-config] `gunicorn --check-config` loads the app with this file in production
- [base-image-pinned] FROM an official python:3.X-slim image with its version in the tag
- [requirements-before-code] requirements.txt is copied and installed before the chapter's code is copied
- [non-root-user] a USER that is not root (nor 0) runs the app
- [production-env] ENV APP_ENV=production and ENV BIND_HOST=0.0.0.0
- [expose-8000] EXPOSE 8000
- [healthcheck] a HEALTHCHECK that asks /healthz
- [exec-form-cmd] CMD is a JSON list (exec form) running gunicorn with -c and this file
- [dockerignore] Dockerfile.dockerignore leaves out .git, .venv, instance and __pycache__ (anywhere)
"""
import os

# SOLUTION container
# Loopback on a laptop; the container says otherwise through its environment.
bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:8000"
# The platform sizes the container and tells us how many processes fit (Heroku's convention).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# STUB
# bind = "127.0.0.1:8000"  # TODO(container): BIND_HOST decides the host (0.0.0.0 only in the container)
# workers = 1  # TODO(container): WEB_CONCURRENCY, 2 when unset
# END SOLUTION
# gthread: each process also serves a few requests at once on threads; no monkey-patching.
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 10
# No access log: the app writes its own JSON line per request (with the request id).
accesslog = None
# The app's lines and gunicorn's own errors go to stdout/stderr: the container runtime collects them.
errorlog = "-"
