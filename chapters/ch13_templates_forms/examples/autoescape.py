"""Autoescape: what a user sent stays text, unless a template marks it safe (an XSS hole)."""
from flask import Flask, render_template_string
from markupsafe import Markup, escape

app = Flask(__name__)
name = '<img src=x onerror="alert(document.cookie)">'  # what an attacker types as a "name"

with app.app_context():
    print(render_template_string("<h1>Hello, {{ name }}!</h1>", name=name))       # text: &lt;img ...
    print(render_template_string("<h1>Hello, {{ name|safe }}!</h1>", name=name))  # a real <img>: the browser runs onerror
    print(render_template_string("<h1>Hello, {{ name }}!</h1>", name=Markup(name)))  # Markup means "already safe": same hole
    print(escape(name), "|", escape(name) + "<b>!</b>")  # escape() returns Markup; adding a str escapes it too
