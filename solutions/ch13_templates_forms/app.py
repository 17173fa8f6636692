"""Chapter 13: a guestbook rendered on the server with Jinja2 templates and Flask-WTF forms.

Run it with `make chapter-13 run` or `flask --app chapters.ch13_templates_forms.app run --debug`.
The pages live in templates/ (base.html and the pages that extend it), the stylesheet in static/.
Exercise `macros` is written in templates/_macros.html alone: `render_field(field)` draws one field.

Rules:
- [label-for] the field's `<label>`, whose `for` is the field's id
- [widget] the field's widget (its input or textarea, with the value the user typed)
- [errors-list] when the field has errors, `<ul class="errors">` with one `<li>` per error; none without
- [both-fields] guestbook.html imports it and renders both form fields through it
"""
from flask import Flask, flash, redirect, render_template, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from .forms import EntryForm

# Good enough on a laptop only: anyone who knows it can forge this app's session cookies (and
# so its flash messages and CSRF tokens). Set FLASK_SECRET_KEY anywhere else (chapter 14).
DEV_SECRET_KEY = "dev"


def thank(name: str) -> None:
    """Exercise `flash`: queue `Thanks, NAME!` with the category `success` for the next page.

    Rules:
    - [thanks-success] `thank(name)` flashes `Thanks, NAME!` with the category `success`
    - [shown-once] base.html's flash area shows each message on the next page rendered, once,
      as `<div class="flash CATEGORY">MESSAGE</div>`; the page after that shows none
    - [flash-escaped] a message is escaped like any other text (no `|safe`)
    """
    # SOLUTION flash
    flash(f"Thanks, {name}!", "success")
    # STUB
    # pass  # TODO(flash): flash the thanks with its category
    # END SOLUTION


def protect_forms(app: Flask) -> None:
    """Exercise `csrf`: every POST must carry the token of the page it comes from.

    Rules:
    - [token-required] `CSRFProtect` guards every POST: a missing or wrong `csrf_token` on
      POST /guestbook answers 400 and stores nothing
    - [error-page] the 400 is an HTML page, rendered from csrf_error.html by an
      `errorhandler(CSRFError)`, that quotes Flask-WTF's reason (`The CSRF token is missing.`)
    - [token-accepted] the hidden `csrf_token` input of the form page, sent with that page's
      session cookie, is accepted; with `WTF_CSRF_ENABLED=False` POSTs need no token
    """
    # SOLUTION csrf
    CSRFProtect(app)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        return render_template("csrf_error.html", reason=error.description), 400
    # STUB
    # pass  # TODO(csrf): CSRFProtect(app), and an errorhandler(CSRFError) answering csrf_error.html with 400
    # END SOLUTION


def add_error_pages(app: Flask) -> None:
    """Exercise `errors`: an unknown URL gets the guestbook's own 404 page.

    Rules:
    - [page-404] an unknown URL answers 404 rendered from 404.html by an `errorhandler(404)`;
      404.html's block `title` is `Not found`, so the page is titled `Not found · Guestbook`
    - [only-404] other errors keep Flask's status (a DELETE on /guestbook stays a 405)
    """
    # SOLUTION errors
    @app.errorhandler(404)
    def not_found(error):
        return render_template("404.html"), 404
    # STUB
    # pass  # TODO(errors): an errorhandler(404) rendering 404.html with the status 404
    # END SOLUTION


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh guestbook; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    # --8<-- [start:factory]
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY=DEV_SECRET_KEY, WTF_CSRF_ENABLED=True)
    app.config.from_prefixed_env()  # FLASK_SECRET_KEY=... becomes SECRET_KEY
    if test_config:
        app.config.update(test_config)
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not app.testing:
        app.logger.warning("SECRET_KEY is the development default %r: set FLASK_SECRET_KEY.", DEV_SECRET_KEY)
    # --8<-- [end:factory]
    # Drop the newline after a {% tag %} and the spaces before it: the HTML reads as written.
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    entries: list[dict[str, str]] = []  # this app's guestbook, newest first; gone when it stops

    @app.template_filter("initials")
    def initials(text: str) -> str:
        """Exercise `filters` (with templates/hello.html): the initials of `text`.

        Rules:
        - [hello-page] GET /hello/<name> answers 200 from hello.html with `<h1>Hello, NAME!</h1>`
        - [autoescape] NAME is autoescaped: `<b>` arrives as `&lt;b&gt;`, never as a tag (no `|safe`, no `Markup`)
        - [initials-filter] the filter `initials`: the first letter of each word, uppercased, each
          followed by a dot, no spaces (`ada lovelace` -> `A.L.`; no words -> empty), shown in
          `<p class="initials">`
        """
        # SOLUTION filters
        return "".join(f"{word[0].upper()}." for word in text.split())
        # END SOLUTION

    @app.get("/")
    def index():
        """Exercise `layout` is in templates/base.html and templates/index.html; this view is given.

        Rules:
        - [home-page] GET / answers 200 `text/html; charset=utf-8` from index.html, which extends
          base.html: `<title>Home · Guestbook</title>` and an `<h1>` `Guestbook`
        - [blocks] base.html defines the blocks `title` (the page's name before ` · Guestbook`)
          and `content`
        - [static-css] base.html links the stylesheet with `url_for('static', filename='style.css')`,
          and GET /static/style.css answers 200 `text/css`
        """
        return render_template("index.html")

    @app.get("/hello/<name>")
    def hello(name: str):
        """Given: hello.html and the filter `initials` are exercise `filters`."""
        return render_template("hello.html", name=name)

    @app.route("/guestbook", methods=["GET", "POST"])
    def guestbook():
        """Exercise `form` (with forms.py): show the form and the entries; store a valid entry.

        Rules:
        - [fields] EntryForm: `name` (StringField labelled `Name`, required, at most 40 characters)
          and `message` (TextAreaField labelled `Message`, required, at most 500); blank counts as missing
        - [page] GET /guestbook answers 200 with the form and the entries, newest first, each
          `<li class="entry"><strong>NAME</strong>: MESSAGE</li>` (escaped)
        - [prg-303] a valid POST stores the entry, calls `thank(name)` and answers 303 with
          `Location: /guestbook` (Post/Redirect/Get)
        - [invalid-422] an invalid POST answers 422 with the form again, the typed values kept,
          nothing stored
        """
        form = EntryForm()
        # SOLUTION form
        if form.validate_on_submit():
            entries.insert(0, {"name": form.name.data, "message": form.message.data})
            thank(form.name.data)
            # 303 See Other: the browser follows with a GET, so a reload cannot post twice.
            return redirect(url_for("guestbook"), code=303)
        status = 422 if form.is_submitted() else 200
        return render_template("guestbook.html", form=form, entries=entries), status
        # STUB
        # # TODO(form): store a valid entry, thank its author and redirect (303); 422 for an invalid one
        # return render_template("guestbook.html", form=form, entries=entries)
        # END SOLUTION

    protect_forms(app)
    add_error_pages(app)
    return app
