"""Flask-SQLAlchemy asks current_app which engine to use: outside an app context there is none.

Run: python chapters/ch09_extensions/examples/errors_app_context.py
"""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///:memory:"
db.init_app(app)

try:
    db.create_all()  # at module level, as the source material's manage.py did
except RuntimeError as error:
    print(f"{type(error).__name__}: {str(error).splitlines()[0]}")

with app.app_context():
    db.create_all()
    print("inside `with app.app_context():` it works, on", db.engine.dialect.name)
