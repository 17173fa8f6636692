"""Exercise `redirect_cookie`: GET /login, its redirect and its cookie.

`/login?next=PATH` sets the cookie `seen=1` with HttpOnly and redirects (302) to PATH when it
is a path on this site, else to /todos. The grader runs this module on the correct app (every
test must pass and run an `assert`) and on eleven broken apps; at least one test must fail on each:

Rules:
- [catches-open-redirect] an open redirect: /login?next=https://evil.example sends the browser
  to the other site.
- [catches-next-ignored] /login ignores a local `next` and always redirects to /todos.
- [catches-next-301] /login sends the browser to a local `next` with 301, a redirect browsers
  cache.
- [catches-away-301] /login answers an unsafe `next` with 301 instead of 302: browsers cache the
  redirect.
- [catches-double-slash-open] an open redirect: /login?next=//evil.example is followed (a path
  that starts with // names another host).
- [catches-backslash-open] an open redirect: /login?next=/\\evil.example is followed (browsers
  read /\\ as //).
- [catches-https-open] an open redirect: /login?next=https://evil.example is followed (the check
  refuses script URLs such as javascript:, but lets http and https URLs to any host through).
- [catches-javascript-open] /login?next=javascript:alert(1) is followed (the check refuses other
  hosts, but not a script URL, which runs in the page).
- [catches-cookie-path] /login sets the `seen` cookie with path=/login, so the browser never
  sends it to the other pages.
- [catches-cookie-missing] /login sets no `seen` cookie.
- [catches-cookie-not-httponly] /login sets the `seen` cookie without HttpOnly, so scripts in
  the page can read it.
- [sound-on-correct-app] on the correct app every test passes and runs at least one `assert`.
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
