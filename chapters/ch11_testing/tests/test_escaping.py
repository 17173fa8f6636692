"""Exercise `escaping`: GET /hello/<name> must show the name as text, never as HTML.

The grader runs this module on the correct app (every test must pass and run an `assert`)
and on one broken app, where the test must fail:
- the name is echoed unescaped, so `<img src=x onerror=alert(1)>` would run in the browser.
"""
import pytest


@pytest.mark.parametrize(("name", "shown"), [("Ada", "Hello, Ada!")])  # TODO(escaping): names with HTML in them
def test_hello_shows_the_name_as_text(client, name, shown):
    """The body is exactly `Hello, <name>!` with `<`, `>`, `&` and `"` escaped."""
    # TODO(escaping): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(escaping)")
