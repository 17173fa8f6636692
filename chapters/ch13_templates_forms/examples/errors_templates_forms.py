"""The errors the lesson's "Common errors" quotes, reproduced: run it and read the output."""
from flask import Flask, render_template, render_template_string
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from jinja2 import DictLoader, TemplateError

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"
app.jinja_loader = DictLoader({"guestbook.html": "{{ form.name() }}"})
CSRFProtect(app)


@app.post("/guestbook")
def guestbook():
    return "stored"


with app.test_request_context():
    for attempt in (lambda: render_template("guestbok.html"),           # a typo in the name
                    lambda: render_template("guestbook.html"),          # form= forgotten
                    lambda: render_template_string("{{ name|initals }}")):  # a filter never registered
        try:
            attempt()
        except TemplateError as error:
            print(f"{type(error).__module__}.{type(error).__name__}: {error}")

# A POST without the form page's csrf_token: Flask-WTF's reason is in the 400's description.
response = app.test_client().post("/guestbook", data={"name": "Ada"})
print(response.status, "-", "The CSRF token is missing." if b"The CSRF token is missing." in response.data else response.data)

no_key = Flask(__name__)
with no_key.test_request_context(method="POST"):
    try:
        FlaskForm().validate_on_submit()
    except (KeyError, RuntimeError) as error:
        print(f"{type(error).__name__}: {error}")
