"""`python -m track web`: the course in the browser, itself a small Flask app (see app.py)."""
from track.web.app import create_app, shutdown

__all__ = ["create_app", "shutdown"]
