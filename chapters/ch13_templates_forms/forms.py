"""The guestbook's form: its fields and validators, and (from FlaskForm) its CSRF token."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class EntryForm(FlaskForm):
    """Exercise `form`: one guestbook entry (the rules are in `guestbook()` in app.py)."""

    # TODO(form): both fields are required; name at most 40 characters, message at most 500
    name = StringField("Name")
    message = TextAreaField("Message")
