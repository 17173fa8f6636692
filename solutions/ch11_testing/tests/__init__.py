"""Your tests of the to-do app (todo.py). Run them with `pytest chapters/ch11_testing/tests`.

This folder is a package (it has this file) so that pytest imports its modules under their
full names, `chapters.ch11_testing.tests.test_crud`: they never collide with the course's
own `tests` package, and conftest.py can import the app with `from ..todo import create_app`.
"""
