"""Exercise `crud`: create, list, complete and delete to-dos through the test client.

The grader runs these tests on the correct app (each must pass and run an `assert`) and on
eleven broken apps; at least one test must fail on each:
- POST /todos answers 200 instead of 201, or a `Location` that is not the new item's URL;
- POST /todos forgets to commit: the new to-do is gone on the next request;
- DELETE /todos/<id> answers 405 (DELETE is not in the route's methods), or 200 instead of 204;
- POST /todos/<id>/done answers, but never sets `done`; answers 201; answers the item as it was
  before; answers `done: true` but forgets to commit;
- POST /todos/<id>/done on an unknown id answers 400; a 404 comes back as an HTML page.
"""


def create(client, title: str) -> dict:
    """POST a to-do and return the item the app answered."""
    return client.post("/todos", json={"title": title}).get_json()


def test_create_answers_201_with_the_item(client):
    """POST /todos {"title": ...} -> 201, the item as JSON and a Location header that points at it."""
    # TODO(crud): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(crud)")


def test_created_items_are_listed(client):
    """After two POSTs, a new request to GET /todos lists both, oldest first."""
    # TODO(crud): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(crud)")


def test_done_marks_the_item_done(client):
    """POST /todos/<id>/done -> 200 with "done": true, and the list shows it done too."""
    # TODO(crud): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(crud)")


def test_delete_removes_the_item(client):
    """DELETE /todos/<id> -> 204 without a body; the list no longer has it; a second DELETE is a 404."""
    # TODO(crud): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(crud)")


def test_unknown_ids_are_404(client):
    """Completing or deleting an id that does not exist -> 404 with the JSON error body."""
    # TODO(crud): write this part; the docstring above has the contract. Stuck? `python -m track hint 11`
    raise NotImplementedError("TODO(crud)")
