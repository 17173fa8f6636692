"""The chapter's blueprints, one module each: `auth`, `user` and `api` (with `v1` nested inside).

Each module builds its blueprint once, at import time. A blueprint is only a record of
routes, hooks and handlers; `create_app` replays that record onto every app it builds.
"""
