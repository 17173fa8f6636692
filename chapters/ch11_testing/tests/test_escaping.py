"""Exercise `escaping`: GET /hello/<name> must show the name as text, never as HTML.

The grader runs this module on the correct app (every test must pass and run an `assert`)
and on one broken app, where the test must fail:

Rules:
- [catches-unescaped] /hello/<name> echoes the name unescaped: `<b>` comes back as a real tag
  (an XSS hole).
- [sound-on-correct-app] on the correct app every test passes and runs at least one `assert`.
"""
import pytest


@pytest.mark.parametrize(("name", "shown"), [("Ada", "Hello, Ada!")])  # TODO(escaping): names with HTML in them
def test_hello_shows_the_name_as_text(client, name, shown):
    """The body is exactly `Hello, <name>!` with `<`, `>`, `&` and `"` escaped."""
    # TODO(escaping): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(escaping)")
