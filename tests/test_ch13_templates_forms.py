"""Grader for chapter 13: templates and forms (see chapters/ch13_templates_forms/README.md).

Pages are read with a real HTML parser (tests/page.py), never compared whole: a test asks for
"the `<h1>`'s text" or "the `<li class="entry">` elements", so spacing and markup the contract
leaves free do not matter. Forms are sent as a browser sends them: GET the page, take its
hidden `csrf_token`, POST it back with the same client (so with that page's session cookie).

One exercise, one verdict: `form` is graded with `thank()` replaced by a recorder (so it does
not wait on `flash`), `flash` with the grader's own route that flashes (so it does not wait on
`form`), and `macros` on the grader's own form (so its errors do not wait on `form`'s validators).
"""
import pytest
from flask import flash, get_flashed_messages, redirect, render_template_string, template_rendered, url_for
from flask_wtf import FlaskForm
from jinja2 import nodes
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import Length, Regexp

from tests.expect import expect_header, expect_status, request_line
from tests.helpers import import_target, require
from tests.page import Element, parse
from track.model.i18n import _

HTML = "text/html; charset=utf-8"
NAME_MAX, MESSAGE_MAX = 40, 500


@pytest.fixture(scope="module")
def forms_module(request, chapter):
    return import_target(request.config, chapter, "forms")


@pytest.fixture
def rendered(app):
    """The names of the templates rendered during the test, in order."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


@pytest.fixture
def thanked(monkeypatch, chapter_module):
    """`thank()` replaced by a recorder of the names it was called with (exercise `flash` writes it)."""
    names = []
    monkeypatch.setattr(chapter_module, "thank", names.append)
    return names


def read_page(response, status: int = 200) -> Element:
    """The parsed page, after checking its status and that it is HTML."""
    expect_status(response, status)
    assert response.content_type == HTML, _("{request} should answer {expected}, got {got}.").format(
        request=request_line(response), expected=HTML, got=response.content_type)
    return parse(response.get_data(as_text=True))


def texts(elements: list[Element]) -> list[str]:
    return [element.text() for element in elements]


def block_text(app, template_name: str, block: str) -> str:
    """What `{% block BLOCK %}` of a template renders on its own (its title, say)."""
    with app.test_request_context():
        template = app.jinja_env.get_template(template_name)
        assert block in template.blocks, _("{template} has no block `{block}`.").format(template=template_name, block=block)
        return "".join(template.blocks[block](template.new_context())).strip()


def parent(app, template_name: str) -> str | None:
    """The template that `template_name` extends, read from its `{% extends %}`."""
    source, _filename, _uptodate = app.jinja_env.loader.get_source(app.jinja_env, template_name)
    extends = app.jinja_env.parse(source).find(nodes.Extends)
    return extends.template.value if extends and isinstance(extends.template, nodes.Const) else None


def csrf_token(client) -> str:
    """The hidden csrf_token of the form page, as a browser would find it."""
    field = read_page(client.get("/guestbook")).find("input", name="csrf_token")
    assert field is not None and field.attrs.get("value"), _(
        "GET /guestbook should carry the form's hidden csrf_token input (`{{ form.csrf_token }}` in guestbook.html).")
    return field.attrs["value"]


def sign(client, **fields: str):
    """POST /guestbook as a browser does: the token of the form page, then the fields."""
    return client.post("/guestbook", data={"csrf_token": csrf_token(client), **fields})


def entries(client) -> list[Element]:
    return read_page(client.get("/guestbook")).find_all("li", class_="entry")


def expect_nothing_stored(client, after: str) -> None:
    assert entries(client) == [], _("After {after}, GET /guestbook lists entries: nothing should have been stored.").format(
        after=after)


@pytest.mark.exercise("layout")
class TestLayout:
    @pytest.mark.rule("home-page")
    def test_home_page(self, app, client, rendered):
        page = read_page(client.get("/"))
        assert rendered == ["index.html"] and parent(app, "index.html") == "base.html", _(
            "GET / should render index.html, which extends base.html; templates rendered: {names}.").format(names=rendered)
        title = page.find("title")
        assert title is not None and title.text() == "Home · Guestbook", _(
            "GET /: the <title> should read `Home · Guestbook`, got {got!r}. base.html writes "
            "`{{% block title %}}{{% endblock %}} · Guestbook`, index.html fills the block with `Home`.").format(
            got=title.text() if title else None)
        assert texts(page.find_all("h1")) == ["Guestbook"], _("GET /: expected one <h1> `Guestbook`, got {got}.").format(
            got=texts(page.find_all("h1")))

    @pytest.mark.rule("blocks")
    def test_base_defines_the_blocks(self, app):
        for block in ("title", "content"):
            block_text(app, "base.html", block)

    @pytest.mark.rule("blocks")
    def test_a_page_names_itself_in_the_title(self, client):
        title = read_page(client.get("/guestbook")).find("title")
        assert title is not None and title.text() == "Sign the guestbook · Guestbook", _(
            "GET /guestbook: the <title> should be its block `title` then ` · Guestbook`, got {got!r}.").format(
            got=title.text() if title else None)

    @pytest.mark.rule("static-css")
    def test_stylesheet_link_is_built_with_url_for(self, client):
        # Under a prefix (an app mounted at /gb behind a proxy), only url_for knows the right path.
        for prefix in ("", "/gb"):
            page = read_page(client.get("/", base_url=f"http://localhost{prefix}/"))
            links = [link.attrs.get("href") for link in page.find_all("link", rel="stylesheet")]
            expected = f"{prefix}/static/style.css"
            assert expected in links, _(
                "GET / mounted at {prefix!r}: expected a <link rel=\"stylesheet\" href=\"{expected}\">, got {links}. "
                "Build the address with url_for('static', filename='style.css') instead of writing the path.").format(
                prefix=prefix or "/", expected=expected, links=links)

    @pytest.mark.rule("static-css")
    def test_stylesheet_is_served(self, client):
        response = client.get("/static/style.css")
        expect_status(response, 200)
        assert response.mimetype == "text/css", _("GET /static/style.css should be text/css, got {got}.").format(
            got=response.mimetype)
        response.close()


@pytest.mark.exercise("filters")
class TestFilters:
    @pytest.mark.rule("hello-page")
    def test_hello_page(self, client, rendered):
        page = read_page(client.get("/hello/ada"))
        assert "hello.html" in rendered, _("GET /hello/ada should render hello.html.")
        assert texts(page.find_all("h1")) == ["Hello, ada!"], _(
            "GET /hello/ada: expected one <h1> `Hello, ada!`, got {got}.").format(got=texts(page.find_all("h1")))

    @pytest.mark.rule("autoescape")
    @pytest.mark.parametrize("name", ["<b>ada", "<script>alert(1)", "<i>x & y"])
    def test_the_name_is_escaped(self, client, name):
        page = read_page(client.get(f"/hello/{name}"))
        heading = page.find("h1")
        made = [str(element) for element in heading.elements()] if heading else []
        assert not made, _(
            "GET /hello/{name}: the name came back as real HTML elements {made}: it was not escaped. Did you add "
            "`|safe` (or wrap it in Markup) in hello.html? Autoescape turns `<` into `&lt;`; never mark what a "
            "user sent as safe: that is an XSS hole.").format(name=name, made=made)
        assert heading is not None and heading.text() == f"Hello, {name}!", _(
            "GET /hello/{name}: expected the <h1> to read `Hello, {name}!`, got {got!r}.").format(
            name=name, got=heading.text() if heading else None)

    @pytest.mark.rule("hello-page")
    @pytest.mark.parametrize("name", ["%00", "a" * 3000, "%ED%A0%80", "%F0%9F%98%80 smile", "%E4%B8%AD%E6%96%87"],
                             ids=["nul", "3000-characters", "invalid-utf-8", "emoji", "chinese"])
    def test_odd_names_are_greeted_never_a_500(self, client, name):
        page = read_page(client.get(f"/hello/{name}"))
        assert len(page.find_all("h1")) == 1 and len(page.find_all("p", class_="initials")) == 1, _(
            "GET /hello/{name}: expected one <h1> and one <p class=\"initials\">.").format(name=name[:40])

    @pytest.mark.rule("initials-filter")
    @pytest.mark.parametrize(("text", "expected"), [
        ("ada lovelace", "A.L."), ("grace  brewster murray hopper", "G.B.M.H."), ("x", "X."),
        ("élodie durand", "É.D."), ("  spaced   out  ", "S.O."), ("", ""), ("   ", ""),
    ])
    def test_initials(self, app, text, expected):
        initials = app.jinja_env.filters.get("initials")
        assert initials is not None, _(
            "No template filter `initials`: register it with `@app.template_filter(\"initials\")`.")
        got = initials(text)
        assert got == expected, _(
            "initials({text!r}) returned {got!r}, expected {expected!r}: the first letter of each word, "
            "uppercased, each followed by a dot, joined with no space between them.").format(
            text=text, got=got, expected=expected)

    @pytest.mark.rule("initials-filter")
    @pytest.mark.rule("autoescape")
    @pytest.mark.parametrize(("name", "expected"), [("ada lovelace", "A.L."), ("<b>ada", "<.")])
    def test_the_page_shows_the_initials(self, client, name, expected):
        shown = read_page(client.get(f"/hello/{name}")).find_all("p", class_="initials")
        assert texts(shown) == [expected], _(
            "GET /hello/{name}: expected one <p class=\"initials\"> reading {expected!r}, got {got}.").format(
            name=name, expected=expected, got=texts(shown))
        assert not list(shown[0].elements()), _(
            "GET /hello/{name}: the initials came back as HTML elements: did you add `|safe` or Markup?").format(name=name)


class ProbeForm(FlaskForm):
    """The grader's own form: its errors come from here, not from exercise `form`'s validators."""

    class Meta:
        csrf = False

    nickname = StringField("Nickname", validators=[Length(min=5, message="too short"), Regexp("^a", message="no a")])


def render_field(app, data: str) -> tuple[Element, ProbeForm]:
    with app.test_request_context():
        form = ProbeForm(formdata=MultiDict({"nickname": data}))
        form.validate()
        html = render_template_string(
            '{% from "_macros.html" import render_field %}<div id="out">{{ render_field(form.nickname) }}</div>', form=form)
    return parse(html), form


@pytest.mark.exercise("macros")
class TestMacros:
    @pytest.mark.rule("label-for")
    @pytest.mark.rule("both-fields")
    def test_each_field_has_its_label(self, client):
        page = read_page(client.get("/guestbook"))
        for name, tag in (("name", "input"), ("message", "textarea")):
            widget = page.find(tag, name=name)
            assert widget is not None, _("GET /guestbook should show the field {name} as a <{tag}>.").format(
                name=name, tag=tag)
            labels = page.find_all("label", **{"for": widget.attrs.get("id", "")})
            assert labels, _(
                "GET /guestbook: no <label for=\"{id}\"> for the field {name}. A label's `for` must be the field's id: "
                "`{{{{ field.label }}}}` writes it for you; render both fields through render_field.").format(
                id=widget.attrs.get("id"), name=name)

    @pytest.mark.rule("widget")
    def test_the_widget_keeps_the_value(self, app):
        page, _form = render_field(app, "ada lovelace")
        widget = page.find("input", name="nickname")
        assert widget is not None and widget.attrs.get("value") == "ada lovelace", _(
            "render_field(field) should draw the field's widget with the value typed (`{{{{ field() }}}}`), got {got}.").format(
            got=str(widget) if widget else None)

    @pytest.mark.rule("errors-list")
    def test_errors_under_each_field(self, app):
        page, form = render_field(app, "bob")
        lists = page.find_all("ul", class_="errors")
        assert len(lists) == 1 and texts(lists[0].find_all("li")) == form.nickname.errors, _(
            "render_field(field) for a field with the errors {errors}: expected one <ul class=\"errors\"> with one "
            "<li> per error, got {got}. Loop over `field.errors`.").format(
            errors=form.nickname.errors, got=[texts(found.find_all("li")) for found in lists])

    @pytest.mark.rule("errors-list")
    def test_no_error_list_without_errors(self, app):
        page, _form = render_field(app, "ada lovelace")
        assert page.find_all("ul", class_="errors") == [], _(
            "render_field(field) for a valid field should draw no <ul class=\"errors\">: wrap it in "
            "`{% if field.errors %}`.")


@pytest.mark.exercise("form")
class TestForm:
    @pytest.mark.rule("fields")
    @pytest.mark.parametrize(("name", "message", "valid"), [
        ("Ada", "Hello!", True), ("A" * NAME_MAX, "M" * MESSAGE_MAX, True), ("", "Hello!", False),
        ("Ada", "", False), ("   ", "Hello!", False), ("A" * (NAME_MAX + 1), "Hello!", False),
        ("Ada", "M" * (MESSAGE_MAX + 1), False),
    ], ids=["valid", "at-the-limits", "no-name", "no-message", "blank-name", "long-name", "long-message"])
    def test_fields(self, app, forms_module, name, message, valid):
        entry_form = require(forms_module, "EntryForm")
        with app.test_request_context():
            form = entry_form(formdata=MultiDict({"name": name, "message": message}), meta={"csrf": False})
            assert form.validate() is valid, _(
                "EntryForm with name {name!r} ({name_length} characters) and message {message!r} ({length} characters) "
                "should be {verdict}. Both fields are required (DataRequired), the name at most 40 characters "
                "and the message at most 500 (Length(max=...)); errors were {errors}.").format(
                name=name[:45], name_length=len(name), message=message[:20], length=len(message),
                verdict=_("valid") if valid else _("invalid"), errors=form.errors)

    @pytest.mark.rule("fields")
    def test_fields_are_labelled(self, app, forms_module):
        with app.test_request_context():
            form = require(forms_module, "EntryForm")(meta={"csrf": False})
            labels = {name: form[name].label.text for name in ("name", "message") if name in form}
        assert labels == {"name": "Name", "message": "Message"}, _(
            "EntryForm's fields should be `name` labelled `Name` and `message` labelled `Message` (the first "
            "argument of StringField / TextAreaField); got {labels}.").format(labels=labels)

    @pytest.mark.rule("prg-303")
    def test_valid_post_redirects_with_303(self, client, thanked):
        response = sign(client, name="Ada", message="Hello!")
        assert response.status_code != 302, _(
            "A valid POST /guestbook answered 302: redirect() sends 302 by default. Pass code=303 (See Other), "
            "so the browser follows with a GET.")
        assert response.status_code != 200, _(
            "A valid POST /guestbook answered 200 with a page: after storing, redirect (303) to /guestbook "
            "(Post/Redirect/Get), or a reload posts the entry again.")
        expect_status(response, 303)
        expect_header(response, "Location", "/guestbook")
        assert thanked == ["Ada"], _("A valid POST should call thank(name) once with the name sent; calls: {calls}.").format(
            calls=thanked)
        assert texts(entries(client)) == ["Ada: Hello!"], _(
            "After a valid POST, GET /guestbook should list the entry `Ada: Hello!`; got {got}.").format(
            got=texts(entries(client)))

    @pytest.mark.rule("invalid-422")
    def test_invalid_post_answers_422_and_keeps_the_values(self, client, thanked):
        response = sign(client, name="Ada", message="")
        assert response.status_code != 200, _(
            "An invalid POST /guestbook answered 200: return the form page with the status 422 "
            "(`return render_template(...), 422`), so a client sees it was refused.")
        page = read_page(response, 422)
        field = page.find("input", name="name")
        assert field is not None and field.attrs.get("value") == "Ada", _(
            "The 422 page should show the form again with the name typed (`Ada`) kept, got {got}.").format(
            got=str(field) if field else None)
        response = sign(client, name="", message="Kept message")
        area = read_page(response, 422).find("textarea", name="message")
        assert area is not None and area.text() == "Kept message", _(
            "The 422 page should keep the message typed, got {got}.").format(got=str(area) if area else None)
        assert thanked == [], _("An invalid POST must not call thank().")
        expect_nothing_stored(client, _("invalid POSTs"))

    @pytest.mark.rule("invalid-422")
    def test_too_long_is_refused(self, client, thanked):
        read_page(sign(client, name="A" * (NAME_MAX + 1), message="Hello!"), 422)
        expect_nothing_stored(client, _("a POST with a 41-character name"))

    @pytest.mark.rule("invalid-422")
    @pytest.mark.parametrize("fields", [
        {}, {"name": "Ada"}, {"message": "Hello!"}, {"name": "\u3000", "message": "Hello!"},
        {"name": "Ada", "message": "M" * 10_000}, {"name": "Ada", "message": " \n\t "},
    ], ids=["nothing", "no-message", "no-name", "ideographic-space", "10000-characters", "whitespace-message"])
    def test_odd_submissions_are_refused_with_422(self, client, thanked, fields):
        read_page(sign(client, **fields), 422)
        expect_nothing_stored(client, _("an invalid POST"))

    @pytest.mark.rule("page")
    def test_form_page(self, client):
        page = read_page(client.get("/guestbook"))
        form = page.find("form", method="post")
        assert form is not None and form.find("input", name="name") and form.find("textarea", name="message"), _(
            "GET /guestbook should show a <form method=\"post\"> with the input `name` and the textarea `message`.")

    @pytest.mark.rule("page")
    def test_entries_newest_first(self, client, thanked):
        for name, message in (("Ada", "first"), ("Grace", "second"), ("Linus", "third")):
            expect_status(sign(client, name=name, message=message), 303)
        listed = entries(client)
        assert texts(listed) == ["Linus: third", "Grace: second", "Ada: first"], _(
            "GET /guestbook should list the entries newest first; got {got}. Insert a new entry at the front "
            "(`entries.insert(0, ...)`) or reverse when showing them.").format(got=texts(listed))
        assert [texts(entry.find_all("strong")) for entry in listed] == [["Linus"], ["Grace"], ["Ada"]], _(
            "Each entry should be `<li class=\"entry\"><strong>NAME</strong>: MESSAGE</li>`.")

    @pytest.mark.rule("page")
    def test_entries_are_escaped(self, client, thanked):
        name, message = "<i>Eve</i>", "<script>alert('hi')</script>"
        expect_status(sign(client, name=name, message=message), 303)
        listed = entries(client)
        assert texts(listed) == [f"{name}: {message}"], _("GET /guestbook: expected the entry {expected!r}, got {got}.").format(
            expected=f"{name}: {message}", got=texts(listed))
        made = [element.tag for element in listed[0].elements() if element.tag != "strong"]
        assert not made, _("An entry's text came back as HTML elements {made}: did you add `|safe`?").format(made=made)

    @pytest.mark.rule("page")
    def test_each_app_starts_empty(self, make_app, client, thanked):
        expect_status(sign(client, name="Ada", message="Hello!"), 303)
        other = make_app().test_client()
        assert entries(other) == [], _(
            "A second create_app() already lists the first app's entries: keep the entries inside create_app "
            "(one list per app), not at module level.")


@pytest.mark.exercise("csrf")
class TestCsrf:
    @pytest.mark.rule("token-required")
    @pytest.mark.rule("error-page")
    @pytest.mark.parametrize(("token", "reason"), [
        (None, "The CSRF token is missing."), ("not-the-token", "The CSRF token is invalid."),
    ], ids=["missing", "wrong"])
    def test_a_post_without_the_token_is_refused(self, client, rendered, token, reason):
        csrf_token(client)  # the browser has the page, and so the session cookie
        data = {"name": "Mallory", "message": "sent from another site"} | ({"csrf_token": token} if token else {})
        response = client.post("/guestbook", data=data)
        assert not (response.status_code == 200 and "csrf_error.html" in rendered), _(
            "The CSRF error page came back with the status 200: an error handler returns the status too "
            "(`return render_template(\"csrf_error.html\", ...), 400`).")
        assert response.status_code != 422, _(
            "POST /guestbook without a valid csrf_token answered 422: only the form noticed. "
            "`CSRFProtect(app)` refuses it with 400 before the view runs.")
        page = read_page(response, 400)
        assert "csrf_error.html" in rendered, _(
            "The 400 should be rendered from csrf_error.html by an `@app.errorhandler(CSRFError)`; templates "
            "rendered: {names}.").format(names=rendered)
        assert reason in page.text(), _("The 400 page should say why: {reason!r} (error.description).").format(reason=reason)
        expect_nothing_stored(client, _("a POST without a valid csrf_token"))

    @pytest.mark.rule("token-required")
    def test_the_token_belongs_to_its_session(self, app, client):
        token = csrf_token(client)
        stranger = app.test_client()  # another browser: no session cookie of that page
        expect_status(stranger.post("/guestbook", data={"csrf_token": token, "name": "Eve", "message": "hi"}), 400)
        expect_nothing_stored(client, _("a POST with another session's token"))

    @pytest.mark.rule("token-accepted")
    def test_the_pages_token_is_accepted(self, client):
        response = sign(client, name="Ada", message="Hello!")
        assert response.status_code != 400, _(
            "POST /guestbook with the page's own csrf_token and cookie was refused with 400: {preview}").format(
            preview=response.get_data(as_text=True)[:200])

    @pytest.mark.rule("token-accepted")
    @pytest.mark.parametrize("app_config", [{"TESTING": True, "WTF_CSRF_ENABLED": False}])
    def test_no_token_needed_when_disabled(self, client):
        response = client.post("/guestbook", data={"name": "Ada", "message": "Hello!"})
        assert response.status_code != 400, _(
            "With WTF_CSRF_ENABLED=False a POST needs no token, but it was refused with 400.")


@pytest.fixture
def flash_route(app):
    """The grader's own page that flashes like a stored entry would, then redirects to /guestbook."""
    def flashing():
        flash("Thanks, <b>Ada</b>!", "success")
        return redirect(url_for("guestbook"), code=303)

    app.add_url_rule("/grader/flash", view_func=flashing)
    return "/grader/flash"


@pytest.mark.exercise("flash")
class TestFlash:
    @pytest.mark.rule("thanks-success")
    def test_thank_flashes_with_its_category(self, app, chapter_module):
        thank = require(chapter_module, "thank")
        with app.test_request_context():
            thank("Ada")
            got = get_flashed_messages(with_categories=True)
        assert got == [("success", "Thanks, Ada!")], _(
            "thank('Ada') should flash `Thanks, Ada!` with the category `success`; flashed {got}. "
            "A message without a category gets `message`: pass `\"success\"` as the second argument.").format(got=got)

    @pytest.mark.rule("shown-once")
    @pytest.mark.rule("flash-escaped")
    def test_the_next_page_shows_it_once(self, client, flash_route):
        client.get(flash_route)
        shown = read_page(client.get("/guestbook")).find_all("div", class_="flash")
        assert texts(shown) == ["Thanks, <b>Ada</b>!"], _(
            "After a message was flashed, the next page should show it once as "
            "<div class=\"flash success\">…</div> (in base.html, for every page); got {got}.").format(got=texts(shown))
        assert shown[0].classes == {"flash", "success"}, _(
            "The flash's class should be `flash success` (the category), got {got!r}: ask "
            "get_flashed_messages(with_categories=true).").format(got=shown[0].attrs.get("class"))
        assert not list(shown[0].elements()), _("The flash message came back as HTML elements: did you add `|safe`?")
        again = read_page(client.get("/guestbook")).find_all("div", class_="flash")
        assert again == [], _("The page after that should show no flash, got {got}.").format(got=texts(again))

    @pytest.mark.rule("shown-once")
    def test_no_flash_without_a_message(self, client):
        assert read_page(client.get("/guestbook")).find_all("div", class_="flash") == [], _(
            "GET /guestbook with nothing flashed should show no <div class=\"flash\">.")


@pytest.mark.exercise("errors")
class TestErrors:
    @pytest.mark.rule("page-404")
    @pytest.mark.parametrize("path", ["/no-such-page", "/hello", "/static/missing.css"])
    def test_unknown_url(self, app, client, rendered, path):
        response = client.get(path)
        assert not (response.status_code == 200 and "404.html" in rendered), _(
            "GET {path} rendered 404.html with the status 200: the handler returns the status too "
            "(`return render_template(\"404.html\"), 404`).").format(path=path)
        read_page(response, 404)
        assert "404.html" in rendered, _(
            "GET {path} should answer the page 404.html through an `@app.errorhandler(404)`; templates "
            "rendered: {names}.").format(path=path, names=rendered)
        assert block_text(app, "404.html", "title") == "Not found", _(
            "404.html's block `title` should be `Not found` (so the page reads `Not found · Guestbook`).")

    @pytest.mark.rule("only-404")
    @pytest.mark.parametrize(("method", "path"), [("DELETE", "/guestbook"), ("PUT", "/"), ("POST", "/hello/ada")])
    def test_other_errors_keep_their_status(self, client, method, path):
        response = client.open(path, method=method)
        assert response.status_code == 405, _(
            "{method} {path} answered {got}, expected Flask's 405: handle only 404, not every HTTPException.").format(
            method=method, path=path, got=response.status_code)
