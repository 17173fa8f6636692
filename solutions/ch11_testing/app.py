"""Chapter 11's entry point for the course's tools: `make chapter-11 run`, check, demo.

The app under test lives in todo.py. This module only re-exports its factory, because every
chapter of the course is started through `<chapter>/app.py:create_app`; the lesson and your
tests use todo.py directly (`flask --app chapters.ch11_testing.todo init-db`).
"""
from .todo import create_app

__all__ = ["create_app"]
