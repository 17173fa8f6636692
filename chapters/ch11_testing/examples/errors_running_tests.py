"""Two ways a test run fails before any test runs: a fixture pytest cannot find, a relative import.

Run: python chapters/ch11_testing/examples/errors_running_tests.py
"""
import subprocess
import sys
import tempfile
from pathlib import Path

USES_CLIENT = "def test_home(client):\n    assert client.get('/').status_code == 200\n"
RELATIVE_IMPORT = "from .conftest import helper\n"


def last_lines(done: subprocess.CompletedProcess, count: int) -> str:
    return "\n".join((done.stdout + done.stderr).strip().splitlines()[-count:])


with tempfile.TemporaryDirectory() as folder:
    tests = Path(folder) / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    (tests / "test_home.py").write_text(USES_CLIENT)  # and no conftest.py defining `client`
    (tests / "test_crud.py").write_text(RELATIVE_IMPORT)

    found = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_home.py"],
                           cwd=folder, capture_output=True, text=True, timeout=60)
    print("$ pytest tests/test_home.py   (no conftest.py)")
    print(next(line for line in found.stdout.splitlines() if "not found" in line))

    direct = subprocess.run([sys.executable, "tests/test_crud.py"], cwd=folder, capture_output=True, text=True, timeout=60)
    print("$ python tests/test_crud.py")
    print(last_lines(direct, 1))
