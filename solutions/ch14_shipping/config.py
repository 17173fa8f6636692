"""Configuration per environment: one class each, chosen by APP_ENV in create_app.

The classes hold what differs between a laptop, the test suite and production. Secrets are
never written here: production reads them from the environment (FLASK_SECRET_KEY), and
create_app refuses to start without one.
"""

# Only for a laptop: anyone who reads this file knows it, so production refuses it.
DEV_SECRET_KEY = "dev-only-secret-key--never-use-it-in-production"


class Config:
    """What every environment shares."""

    APP_ENV = "development"
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SOLUTION hardening
    # A request body over 1 MiB is refused with 413 before the view reads it.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # STUB
    # # TODO(hardening): refuse request bodies over 1 MiB (MAX_CONTENT_LENGTH).
    # END SOLUTION


class DevelopmentConfig(Config):
    """`make chapter-14 run` and `flask run` on a laptop."""

    DEBUG = True


class TestingConfig(Config):
    """The test suite: TESTING on, tables made with create_all (no migrations to wait for)."""

    APP_ENV = "testing"
    TESTING = True


class ProductionConfig(Config):
    """Exercise `config`: behind a proxy, on HTTPS, with real secrets.

    DEBUG off; SESSION_COOKIE_SECURE on (the session cookie only travels over HTTPS).
    """

    APP_ENV = "production"
    # SOLUTION config
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    # STUB
    # # TODO(config): DEBUG off and SESSION_COOKIE_SECURE on.
    # END SOLUTION


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}
