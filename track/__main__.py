"""`python -m track ...`: the course CLI, with or without make.

Only the standard library is imported before `ensure_venv`, so a plain `python` can
create `.venv`, install the pinned requirements and hand over to the venv's interpreter.
"""
from track.bootstrap import ensure_venv

ensure_venv()

from track.cli import main  # noqa: E402  (needs the venv's packages)

raise SystemExit(main())
