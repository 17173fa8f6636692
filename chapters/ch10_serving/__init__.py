"""Chapter 10: serving — WSGI itself, middleware, dev server vs gevent vs gunicorn, production settings."""
