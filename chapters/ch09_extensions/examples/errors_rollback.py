"""After an IntegrityError the session refuses every statement until it is rolled back.

Run: python chapters/ch09_extensions/examples/errors_rollback.py
"""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.exc import IntegrityError, PendingRollbackError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///:memory:"
db.init_app(app)

with app.app_context():
    db.create_all()
    db.session.add(User(username="ada"))
    db.session.commit()
    db.session.add(User(username="ada"))
    try:
        db.session.commit()
    except IntegrityError as error:
        print(f"{type(error).__module__}.{type(error).__name__}: {str(error).splitlines()[0]}")
    try:
        db.session.scalars(db.select(User)).all()  # the same session, no rollback
    except PendingRollbackError as error:
        print(f"{type(error).__module__}.{type(error).__name__}: {str(error).splitlines()[0]}")
    db.session.rollback()
    print("after db.session.rollback():", [user.username for user in db.session.scalars(db.select(User))])
