"""The graders' command-line options.

They live in the root conftest because pytest reads options before it decides which test
paths to collect: a bare `pytest --target solutions` would not know `tests/conftest.py` yet.
"""


def pytest_addoption(parser):
    group = parser.getgroup("flask learning track")
    group.addoption(
        "--target", default="chapters",
        help="what to grade: chapters (the learner's copy, default), solutions, or a PATH to a folder of chapter packages",
    )
    group.addoption("--results-json", metavar="FILE", help="write an exercism/GitHub Classroom style results.json")
