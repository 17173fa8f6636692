"""The `api` blueprint at /api, with the `v1` blueprint nested inside it (/api/v1/...)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
v1 = Blueprint("v1", __name__, url_prefix="/v1")


@v1.get("/ping")
def ping():
    """Exercise `nested`: GET /api/v1/ping answers `{"pong": true}`; its endpoint is `api.v1.ping`.

    Rules:
    - [ping-pong] GET /api/v1/ping answers {"pong": true}.
    - [endpoint-api-v1-ping] it is the endpoint `api.v1.ping` (url_for builds /api/v1/ping).
    - [create-app-twice] a second create_app() serves it too.
    """
    # SOLUTION nested
    return {"pong": True}
    # END SOLUTION


# SOLUTION nested
# Nesting happens here, once, when the module is imported. Doing it inside create_app
# would fail on the second call: a blueprint that has been registered on an app
# refuses any further setup ("can no longer be called").
bp.register_blueprint(v1)
# STUB
# # TODO(nested): nest the v1 blueprint inside api (a blueprint can register another).
# END SOLUTION
