"""Exercise `escaping`: GET /hello/<name> must show the name as text, never as HTML.

The grader runs this module on the correct app (every test must pass and run an `assert`)
and on one broken app, where the test must fail:

Rules:
- [catches-unescaped] /hello/<name> echoes the name unescaped: `<b>` comes back as a real tag
  (an XSS hole).
- [sound-on-correct-app] on the correct app every test passes and runs at least one `assert`.
"""
import pytest


# SOLUTION escaping
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Ada", "Hello, Ada!"),
        ("<b>Ada", "Hello, &lt;b&gt;Ada!"),
        ("<img src=x onerror=alert(1)>", "Hello, &lt;img src=x onerror=alert(1)&gt;!"),
        ('"Ada" & co', "Hello, &#34;Ada&#34; &amp; co!"),
    ],
)
# STUB
# @pytest.mark.parametrize(("name", "shown"), [("Ada", "Hello, Ada!")])  # TODO(escaping): names with HTML in them
# END SOLUTION
def test_hello_shows_the_name_as_text(client, name, shown):
    """The body is exactly `Hello, <name>!` with `<`, `>`, `&` and `"` escaped."""
    # SOLUTION escaping
    response = client.get(f"/hello/{name}")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == shown
    # END SOLUTION
