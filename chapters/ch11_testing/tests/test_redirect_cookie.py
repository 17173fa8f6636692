"""Exercise `redirect_cookie`: GET /login, its redirect and its cookie.

`/login?next=PATH` sets the cookie `seen=1` with HttpOnly and redirects (302) to PATH when it
is a path on this site, else to /todos. The grader runs this module on the correct app (every
test must pass and run an `assert`) and on eleven broken apps; at least one test must fail on each:
- an open redirect: `next=https://evil.example` sends the browser to the other site; one that
  lets `//evil.example` through; one that lets `/\\evil.example` through; one that refuses
  `javascript:` but lets any http(s) URL through; one that refuses other hosts but not `javascript:`;
- a local `next` is ignored; it is followed with 301; an unsafe one is answered with 301;
- /login sets no `seen` cookie; sets it without HttpOnly, so scripts in the page can read it;
  sets it with path=/login, so the other pages never receive it.
"""
from http.cookies import SimpleCookie

import pytest


def test_login_sets_an_httponly_seen_cookie(client):
    """The response sets `seen=1` with HttpOnly, and the client sends it back afterwards."""
    # TODO(redirect_cookie): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(redirect_cookie)")


def test_login_goes_back_to_a_local_next(client):
    """`next=/todos/7` -> 302 with `Location: /todos/7`."""
    # TODO(redirect_cookie): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(redirect_cookie)")


@pytest.mark.parametrize("target", ["https://evil.example"])  # TODO(redirect_cookie): more ways out
def test_login_never_leaves_the_site(client, target):
    """A `next` that leads to another site -> 302 to /todos instead."""
    # TODO(redirect_cookie): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(redirect_cookie)")


def test_following_the_redirect_lands_on_the_list(client):
    """With `follow_redirects=True` the client ends on GET /todos, one redirect later."""
    # TODO(redirect_cookie): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(redirect_cookie)")
