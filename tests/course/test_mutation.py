"""`make mutation`'s mutator and runner: mutants only inside SOLUTION blocks, messages counted
apart, and one real mutant of chapter 1 killed by its grader while the solution passes."""
from __future__ import annotations

from benchmarks.mutants import mutants, signatures
from benchmarks.mutation import SURVIVED, chapter_mutants, grade_packages, package_files
from track.model.course import chapter

SOURCE = '''\
def create_app():
    app = make("outside", debug=True)

    @app.get("/item/<int:item_id>")
    def item(item_id):
        """The item, or a 404."""
        # SOLUTION item
        if item_id > 0 and not hidden:
            return {"id": item_id}
        return error(404, "missing", f"No item {item_id}.")
        # STUB
        # return {"id": 0}
        # END SOLUTION

    return app


def error(status: int, name: str, message: str):
    return {"error": name, "message": message}, status
'''


def found(source: str = SOURCE) -> dict[tuple[int, str, str, str], bool]:
    """(line, operator, original, mutated) -> message-only, for every mutant of `source`."""
    return {(m.line, m.operator, m.original, m.mutated): m.message_only
            for m in mutants(source, "app.py", signatures({"app.py": source}))}


def test_mutants_are_made_only_inside_solution_blocks():
    assert set(found()) == {
        (8, "statement", "if item_id > 0 and not hidden: return {\"id\": item_id}", "pass"),
        (8, "boolean", "item_id > 0 and not hidden", "item_id > 0 or not hidden"),
        (8, "comparison", "item_id > 0", "item_id >= 0"),
        (8, "number", "0", "1"),
        (8, "not-removed", "not hidden", "hidden"),
        (9, "statement", "return {\"id\": item_id}", "pass"),
        (9, "return-none", "{\"id\": item_id}", "None"),
        (9, "string", "\"id\"", "''"),
        (9, "string", "\"id\"", "'XX' + 'id'"),
        (10, "statement", "return error(404, \"missing\", f\"No item {item_id}.\")", "pass"),
        (10, "return-none", "error(404, \"missing\", f\"No item {item_id}.\")", "None"),
        (10, "number", "404", "405"),
        (10, "string", "\"missing\"", "''"),
        (10, "string", "\"missing\"", "'XX' + 'missing'"),
        (10, "string", "f\"No item {item_id}.\"", "''"),
        (10, "string", "f\"No item {item_id}.\"", "'XX' + f'No item {item_id}.'"),
    }


def test_a_change_to_a_message_only_is_counted_apart():
    kinds = found()
    assert kinds[(10, "string", "f\"No item {item_id}.\"", "''")]  # the helper's `message` parameter
    assert not kinds[(10, "string", "\"missing\"", "''")]  # its `name`: the error's name is contract
    logged = found('# SOLUTION log\napp.logger.info("saved %s", name)\nprint("done")\nraise BadRequest("bad")\n'
                   'body = {"error": "e", "message": "text"}\nstatus = {"room": "r", "message": "joined"}\n'
                   'description = "why"\nmessage = "shown"\ncase = pytest.param("/x", id="slash")\n# END SOLUTION\n')
    messages = {original for (_line, operator, original, _mutated), message in logged.items() if message}
    assert messages == {'"saved %s"', '"done"', '"bad"', '"text"', '"why"', '"slash"', 'pytest.param("/x", id="slash")'}


def test_the_grader_kills_a_changed_route_and_passes_the_solution():
    ch01 = chapter(1)
    files = package_files(ch01)
    route = next(m for m in chapter_mutants(ch01, files) if m.operator == "converter")
    assert route.original == '"/post/<int:post_id>"' and route.mutated == "'/post/<post_id>'"
    solution, mutant = grade_packages(ch01, [files, {**files, route.file: route.source.encode()}], jobs=2)
    assert solution == SURVIVED, f"the unmutated chapter 1 solution should pass its grader, got: {solution}"
    assert mutant.startswith("killed by TestPost::"), f"/post/<post_id> should fail the `post` tests, got: {mutant}"
