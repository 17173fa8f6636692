"""Chapter 13's configuration, which is given (not an exercise): the secret key and its warning."""
import logging

from solutions.ch13_templates_forms.app import DEV_SECRET_KEY, create_app


def test_the_secret_key_comes_from_flask_secret_key(monkeypatch, caplog):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    with caplog.at_level(logging.WARNING):
        app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not caplog.records, "no warning when the key is set"


def test_the_development_key_is_used_with_a_warning(monkeypatch, caplog):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app()
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY and app.config["WTF_CSRF_ENABLED"] is True
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "FLASK_SECRET_KEY" in caplog.records[0].getMessage()


def test_a_test_config_wins_and_silences_the_warning(caplog):
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    assert app.config["WTF_CSRF_ENABLED"] is False and not caplog.records
