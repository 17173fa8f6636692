"""`python -m track ...`: the course CLI, with or without make.

Only the standard library is imported before `ensure_venv`, so a plain `python` can
create `.venv`, install the pinned requirements and hand over to the venv's interpreter,
or hand a `check` to the warm grader (track/warm_client.py) without starting the venv's.
"""
import sys

from track.model.bootstrap import ensure_venv
from track.warm_client import forward

forward(sys.argv[1:])  # answered by this checkout's warm grader, if one runs (exits then)
ensure_venv()

from track.cli import main  # noqa: E402  (needs the venv's packages)

raise SystemExit(main())
