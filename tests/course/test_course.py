"""The course is sound: every chapter complete, stubs current and failing, solutions passing live."""
import ast
import importlib
import sys
import types

import pytest
from flask.cli import ScriptInfo

from track.model.course import chapters
from track.grading.engine import grade
from track.walkthrough.live import chapter_server, load_walkthrough
from track.walkthrough.stepper import run_walkthrough
from track.model.stubs import has_markers, stale_stubs, stub_files, write_stubs

CHAPTERS = chapters()
BY_PACKAGE = pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.package)
PRISTINE = "pristine_stubs"


@pytest.fixture(scope="session")
def pristine_dir(tmp_path_factory):
    """The stubs exactly as generated from the solutions, whatever the learner did to chapters/."""
    folder = tmp_path_factory.mktemp("pristine") / "chapters"
    for chapter in CHAPTERS:
        write_stubs(chapter, folder / chapter.package)
    return folder


@pytest.fixture(scope="session")
def pristine_results(pristine_dir):
    return grade(CHAPTERS, target=str(pristine_dir))


@pytest.fixture(scope="session")
def pristine_package(pristine_dir):
    package = types.ModuleType(PRISTINE)
    package.__path__ = [str(pristine_dir)]
    sys.modules[PRISTINE] = package
    yield PRISTINE
    for name in [n for n in sys.modules if n == PRISTINE or n.startswith(PRISTINE + ".")]:
        del sys.modules[name]


@BY_PACKAGE
def test_chapter_has_every_part(chapter):
    for name in ("__init__.py", "app.py", "README.md", "README.zh-CN.md", "client.py", "chapter.toml"):
        assert (chapter.learner_dir / name).is_file(), f"chapters/{chapter.package}/{name} is missing"
    assert (chapter.solution_dir / "app.py").is_file(), f"solutions/{chapter.package}/app.py is missing"
    assert chapter.test_module.is_file(), f"tests/{chapter.test_module.name} is missing"


@BY_PACKAGE
def test_every_exercise_has_hints_and_a_todo(chapter):
    stub_text = "\n".join(content.decode("utf-8") for path, content in stub_files(chapter).items() if has_markers(path))
    for exercise in chapter.exercises:
        assert exercise.hints, f"{chapter.package}: exercise {exercise.id} has no hint"
        assert f"TODO({exercise.id})" in stub_text, f"{chapter.package}: no TODO({exercise.id}) marker in the stub"


@BY_PACKAGE
def test_stubs_are_generated_from_the_solution(chapter):
    assert stale_stubs(chapter) == [], "run `python -m track stubs` after editing a solution"


@BY_PACKAGE
def test_chapter_code_imports_only_relatively(chapter):
    """A chapter must work when graded from another folder (a student's clone)."""
    for path in [*chapter.solution_dir.rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in getattr(node, "names", [])] if isinstance(node, ast.Import) else []
            for name in names:
                assert name.split(".")[0] not in ("chapters", "solutions", "track", "tests"), (
                    f"{path}: imports {name}; use a relative import inside the chapter package"
                )


@BY_PACKAGE
@pytest.mark.timeout(900)  # a hang guard only: its fixture grades every chapter's stub, slow on a busy machine
def test_every_exercise_fails_on_the_pristine_stub(chapter, pristine_results):
    graded = pristine_results.chapter(chapter.package)
    assert graded is not None and graded.error is None, f"{chapter.package}: the stub could not be graded: {pristine_results.message or graded.error}"
    ran = {e.id: e for e in graded.exercises}
    for exercise in chapter.exercises:
        assert exercise.id in ran, f"{chapter.package}: exercise {exercise.id} has no grader test"
        # An exercise that needs another (manifest `requires`) is blocked on the stub, not run.
        allowed = {"fail", "blocked"} if exercise.requires else {"fail"}
        assert ran[exercise.id].status in allowed, (
            f"{chapter.package}: every test of exercise {exercise.id} passes on the untouched stub; "
            "a grader that passes a stub is a bug"
        )


@BY_PACKAGE
def test_pristine_stub_starts_and_serves(chapter, pristine_package, tmp_path):
    module = importlib.import_module(f"{pristine_package}.{chapter.package}.app")
    app = module.create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False})
    client = app.test_client()
    assert client.get("/no-such-page-in-any-chapter").status_code == 404
    for path, status in chapter.stub_serves:
        assert client.get(path).status_code == status, f"the stub should serve {path} with {status}"


@BY_PACKAGE
@pytest.mark.parametrize("copy", ["stub", "solution"])
def test_flask_cli_finds_the_factory(chapter, copy, pristine_package):
    """`flask --app chapters.chNN_x.app run --debug` loads the app through create_app()."""
    package = pristine_package if copy == "stub" else "solutions"
    app = ScriptInfo(app_import_path=f"{package}.{chapter.package}.app").load_app()
    # The app is named after the module that builds it: app.py, or one it imports (chapter 11's todo.py).
    assert app.name.startswith(f"{package}.{chapter.package}.")


@BY_PACKAGE
def test_client_runs_clean_against_the_live_solution(chapter, capsys):
    walkthrough = load_walkthrough(chapter)
    with chapter_server(chapter, solution=True) as url:
        assert run_walkthrough(walkthrough, url), capsys.readouterr().err


