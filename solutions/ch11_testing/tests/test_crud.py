"""Exercise `crud`: create, list, complete and delete to-dos through the test client.

The grader runs these tests on the correct app (each must pass and run an `assert`) and on
eleven broken apps; at least one test must fail on each:

Rules:
- [catches-created-200] POST /todos answers 200 instead of 201 Created.
- [catches-no-commit] POST /todos forgets to commit: it answers 201, but the new to-do is gone
  on the next request.
- [catches-delete-405] DELETE /todos/<id> answers 405 Method Not Allowed: the route does not
  list DELETE in its methods.
- [catches-done-not-set] POST /todos/<id>/done answers 200 but never sets `done`.
- [catches-location-list] POST /todos answers `Location: /todos`, not the new item's URL.
- [catches-done-201] POST /todos/<id>/done answers 201 instead of 200.
- [catches-done-stale-item] POST /todos/<id>/done answers the item as it was before, with `done`
  still false.
- [catches-done-no-commit] POST /todos/<id>/done answers `done: true` but forgets to commit: the
  list still shows it not done.
- [catches-delete-200] DELETE /todos/<id> answers 200 instead of 204 No Content.
- [catches-done-unknown-400] POST /todos/<id>/done on an id that does not exist answers 400
  instead of 404.
- [catches-html-404] a 404 comes back as Werkzeug's HTML error page instead of the JSON body
  {"error", "message"}.
- [sound-on-correct-app] on the correct app every test passes and runs at least one `assert`.
"""


def create(client, title: str) -> dict:
    """POST a to-do and return the item the app answered."""
    return client.post("/todos", json={"title": title}).get_json()


def test_create_answers_201_with_the_item(client):
    """POST /todos {"title": ...} -> 201, the item as JSON and a Location header that points at it."""
    # SOLUTION crud
    response = client.post("/todos", json={"title": "Write tests"})
    assert response.status_code == 201
    item = response.get_json()
    assert item == {"id": item["id"], "title": "Write tests", "done": False}
    assert response.headers["Location"] == f"/todos/{item['id']}"
    # END SOLUTION


def test_created_items_are_listed(client):
    """After two POSTs, a new request to GET /todos lists both, oldest first."""
    # SOLUTION crud
    first = create(client, "Buy milk")
    second = create(client, "Call Ada")
    # A second request: what the first one wrote must have been committed to the database.
    assert client.get("/todos").get_json() == [first, second]
    # END SOLUTION


def test_done_marks_the_item_done(client):
    """POST /todos/<id>/done -> 200 with "done": true, and the list shows it done too."""
    # SOLUTION crud
    item = create(client, "Water the plants")
    response = client.post(f"/todos/{item['id']}/done")
    assert response.status_code == 200
    assert response.get_json() == {**item, "done": True}
    assert client.get("/todos").get_json() == [{**item, "done": True}]
    # END SOLUTION


def test_delete_removes_the_item(client):
    """DELETE /todos/<id> -> 204 without a body; the list no longer has it; a second DELETE is a 404."""
    # SOLUTION crud
    item = create(client, "Old idea")
    response = client.delete(f"/todos/{item['id']}")
    assert response.status_code == 204
    assert response.data == b""
    assert client.get("/todos").get_json() == []
    assert client.delete(f"/todos/{item['id']}").status_code == 404
    # END SOLUTION


def test_unknown_ids_are_404(client):
    """Completing or deleting an id that does not exist -> 404 with the JSON error body."""
    # SOLUTION crud
    for response in (client.post("/todos/999/done"), client.delete("/todos/999")):
        assert response.status_code == 404
        assert set(response.get_json()) == {"error", "message"}
    # END SOLUTION
