"""A FlaskForm on its own: fields, validators, the errors they give, and the values it keeps."""
from flask import Flask
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class EntryForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=40)])
    message = TextAreaField("Message", validators=[DataRequired(), Length(max=500)])


app = Flask(__name__)
app.config.update(SECRET_KEY="dev", WTF_CSRF_ENABLED=False)  # the token is section 7's subject

with app.test_request_context():
    for sent in ({"name": "Ada", "message": "Hello!"}, {"name": "   ", "message": ""}, {"name": "A" * 41, "message": "Hi"}):
        form = EntryForm(formdata=MultiDict(sent))
        print(f"{str(sent)[:40]:42} valid={form.validate()!s:5} errors={form.errors}")
    print(form.name(), "<- the widget keeps what was typed")
