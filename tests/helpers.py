"""What the graders share besides fixtures (tests/conftest.py) and assertions (tests/expect.py):
the graded chapter's modules and names, and the requests several chapters send.

Grader modules import these from here, never from the conftest: a conftest holds fixtures.

PYTEST_DONT_REWRITE: no asserts here, so pytest need not rewrite (and re-parse) this module.
"""
from __future__ import annotations

from track.grading.plugin import import_target, require

__all__ = ["bearer", "import_target", "require"]


def bearer(token: str) -> dict:
    """The `Authorization` header that carries `token` as a bearer token."""
    return {"Authorization": f"Bearer {token}"}
