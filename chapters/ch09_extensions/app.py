"""Chapter 9: a small notes API on Flask-SQLAlchemy, Flask-Bcrypt and Flask-JWT-Extended.

Run it with `make chapter-9 run` or `flask --app chapters.ch09_extensions.app run --debug`.
The database is a SQLite file in the instance folder unless DATABASE_URL names another one
(`postgresql+psycopg://user:password@host/dbname`). Make the first admin with
`flask --app chapters.ch09_extensions.app create-admin NAME`.
"""
import os

import click
from flask import Flask
from flask_bcrypt import Bcrypt
from flask_jwt_extended import JWTManager
from werkzeug.exceptions import HTTPException, InternalServerError

from . import views
from .models import User, db, find_user
from .security import CredentialError, check_new_password, clean_username, hash_password

# Only for a laptop: anyone who reads this file can forge tokens for an app that uses it.
# At least 32 bytes, or PyJWT warns (InsecureKeyLengthWarning) about a weak HMAC key.
DEV_JWT_SECRET = "dev-only-jwt-secret--never-use-it-in-production"


def database_uri(instance_path: str) -> str:
    """DATABASE_URL from the environment, else a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "ch09_extensions.sqlite")
    # Hosting platforms hand out postgres:// or postgresql:// URLs; SQLAlchemy would pick
    # psycopg2 for those, while this course installs psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app: config, the three extensions, the routes, the CLI, the tables."""
    app = Flask(__name__)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.ensure_ascii = False
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=database_uri(app.instance_path),
        # hide_parameters: SQL errors and SQL logging never show the values sent (hashes).
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True, "pool_pre_ping": True},
        JWT_SECRET_KEY=os.environ.get("JWT_SECRET_KEY"),
        BCRYPT_LOG_ROUNDS=12,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["JWT_SECRET_KEY"]:
        app.config["JWT_SECRET_KEY"] = DEV_JWT_SECRET
        app.logger.warning("JWT_SECRET_KEY is not set: using the development key. Set it in the environment.")

    db.init_app(app)
    app.extensions["bcrypt"] = Bcrypt(app)
    init_jwt(app)
    register_error_handlers(app)
    register_commands(app)
    app.register_blueprint(views.bp)

    @app.get("/health")
    def health():
        """Not an exercise: the app is up and its database answers."""
        db.session.execute(db.select(1))
        return {"status": "ok", "database": db.engine.dialect.name}

    # TODO(models): create the tables (db.create_all() needs an app context).
    return app


def error(status: int, name: str, message: str, **headers: str):
    """The course's JSON error body with its status (and optional headers)."""
    return {"error": name, "message": message}, status, headers


def init_jwt(app: Flask) -> JWTManager:
    """Flask-JWT-Extended for this app, with its error answers in the course's shape.

    Exercise `me`: its defaults answer {"msg": ...} with 401 (missing, expired) or 422
    (malformed, bad signature). Register `unauthorized_loader`, `invalid_token_loader` and
    `expired_token_loader` so that each answers 401 with {"error", "message"} and
    `WWW-Authenticate: Bearer`.

    Rules:
    - [bad-token-401] no token, another scheme, a malformed, expired or forged token (another
      key, `alg: none`, a tampered payload): 401 with the JSON error body and
      `WWW-Authenticate: Bearer`.
    - [error-names] the body's "error" says which: `unauthorized` (no token), `invalid_token`
      (not a valid token), `token_expired` (expired).
    """
    jwt = JWTManager(app)
    # TODO(me): register unauthorized_loader, invalid_token_loader and expired_token_loader.
    return jwt


def register_error_handlers(app: Flask) -> None:
    """Every HTTP error as JSON; an unexpected exception as a JSON 500 without its text."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError):
        # Flask has logged the traceback already; the client learns nothing about it. The
        # session's uncommitted work is rolled back by Flask-SQLAlchemy's teardown.
        return error(500, "internal_server_error", "Something went wrong on our side.")


def register_commands(app: Flask) -> None:
    """`flask --app ... create-admin NAME [--password PW]`: the modern Flask-Script Manager."""

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--password", help="Password of a new user; asked for (hidden) when left out.")
    def create_admin(username: str, password: str | None) -> None:
        """Exercise `admin`: create the user USERNAME as an admin, or make an existing user one.

        Idempotent: running it again changes nothing. A new user without --password is asked
        for a hidden password (typed twice). An existing user keeps their password. Never
        prints a password or a hash. A bad USERNAME or password: click's usage error (exit 2).

        Rules:
        - [prompts-hidden-password] without --password, a new user is asked for a hidden
          password (the prompt says `Password`), never echoed, and stored as an admin with
          its hash.
        - [password-twice] the password is typed twice: two different ones store nothing.
        - [says-what-it-did] it prints what it did (created, promoted, already an admin),
          naming the user, a different line for each.
        - [idempotent] running it again succeeds and changes nothing; neither run prints the
          password or its hash.
        - [promotes-existing] an existing user, named in any letter case, becomes an admin and
          keeps their password.
        - [bad-input-refused] a blank, 81-character or multi-line USERNAME, or a password over
          72 bytes (given or typed): click's usage error (exit 2) naming USERNAME or
          --password, no crash, no user added.
        """
        # TODO(admin): write this part; the docstring above has the contract. Stuck? `python -m track hint 9`
        raise NotImplementedError("TODO(admin)")
