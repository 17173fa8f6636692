"""Grader for chapter 8: Blueprints (see chapters/ch08_blueprints/README.md).

One exercise, one verdict: a test runs only its own exercise's code. The grader sets the scene:

- `factory` is graded on the app exactly as create_app builds it (`factory_app`); every other
  exercise on that app with `auth` and `user` mounted as the curriculum says (`app`), by the
  grader where create_app did not mount them;
- which `user_list.html` wins is rendered by the grader in a request for /user/user_list, not
  by the view (exercise `render`);
- the hooks of `scoped_hooks` are tried on pages whose views belong to other exercises: those
  views are replaced by the grader's stand-in, so a page answers whether or not they are written.
"""
import pytest
from flask import abort, g, render_template, template_rendered, url_for
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound

from tests import fuzz
from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_raises, expect_status
from tests.helpers import import_target, require
from track.model.i18n import _

USER_PAGES = ["/user/user_list", "/user/profile", "/user/links"]
OTHER_PAGES = ["/", "/login", "/api/v1/ping", "/missing-user", "/no-such-page", "/user/no-such-page"]
# The views of render, template_priority, url_for and nested, which scoped_hooks' tests request.
OTHER_EXERCISES_VIEWS = ["auth.login", "user.user_list", "user.profile", "user.links", "api.v1.ping"]
STAND_IN = "The grader's stand-in: this view belongs to another exercise."


@pytest.fixture(scope="module")
def auth_module(request, chapter):
    return import_target(request.config, chapter, "views.auth")


@pytest.fixture(scope="module")
def user_module(request, chapter):
    return import_target(request.config, chapter, "views.user")


@pytest.fixture
def factory_app(make_app):
    """The app exactly as create_app builds it: what exercise `factory` is graded on."""
    return make_app()


@pytest.fixture
def app(factory_app, auth_module, user_module):
    """create_app's app with `auth` at / and `user` at /user: mounted by the grader where
    create_app did not, so the other exercises do not wait on `factory`."""
    for module, prefix in ((auth_module, None), (user_module, "/user")):
        blueprint = require(module, "bp")
        if blueprint.name not in factory_app.blueprints:
            factory_app.register_blueprint(blueprint, url_prefix=prefix)
    return factory_app


@pytest.fixture
def stand_ins(app):
    """The other exercises' views answering the grader's text (scoped_hooks' pages)."""
    for endpoint in OTHER_EXERCISES_VIEWS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = lambda: STAND_IN


@pytest.fixture
def rendered(app):
    """Every (template, context) the app renders during the test, in order."""
    seen = []

    def record(sender, template, context, **extra):
        seen.append((template, context))

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def rule_of(app, endpoint: str) -> str | None:
    return next((rule.rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint), None)


def build(app, endpoint: str) -> str:
    with app.test_request_context():
        try:
            return url_for(endpoint)
        except Exception as error:  # BuildError: no such endpoint (a blueprint not registered)
            pytest.fail(_("url_for({endpoint}) failed: {error}").format(endpoint=repr(endpoint), error=error), pytrace=False)


def only_template(rendered, path: str) -> tuple:
    names = [template.name for template, _context in rendered]
    assert len(names) == 1, _("GET {path} should render exactly one template, it rendered {names}.").format(
        path=path, names=names or _("none"))
    return rendered[0]


def source_line(text: str) -> str | None:
    """The `class="source"` line of a template or a page: which file it says it is."""
    return next((line.strip() for line in text.splitlines() if 'class="source"' in line), None)


@pytest.mark.exercise("factory")
class TestFactory:
    @pytest.mark.parametrize("name", ["auth", "user"])
    @pytest.mark.rule("registers-auth-and-user")
    def test_blueprint_is_registered(self, factory_app, name):
        assert name in factory_app.blueprints, _(
            "create_app() should register the blueprint {name}; the app has {blueprints}."
        ).format(name=repr(name), blueprints=sorted(factory_app.blueprints))

    @pytest.mark.parametrize(
        ("endpoint", "expected"), [("auth.login", "/login"), ("user.user_list", "/user/user_list"), ("user.links", "/user/links")]
    )
    @pytest.mark.rule("user-prefix")
    def test_rules_carry_the_prefix(self, factory_app, endpoint, expected):
        found = rule_of(factory_app, endpoint)
        assert found == expected, _(
            "The endpoint {endpoint} should be served at {expected}, found {found}: "
            "auth has no prefix, user is registered with url_prefix=\"/user\"."
        ).format(endpoint=endpoint, expected=expected, found=found or _("no such endpoint"))
        built = build(factory_app, endpoint)
        assert built == expected, _("url_for({endpoint}) built {built}, expected {expected}.").format(
            endpoint=repr(endpoint), built=repr(built), expected=repr(expected))

    @pytest.mark.rule("independent-apps")
    def test_two_calls_build_two_independent_apps(self, chapter_module, factory_app):
        other = require(chapter_module, "create_app")({"TESTING": True})
        assert other is not factory_app and set(other.blueprints) >= {"auth", "user"}, _(
            "A second create_app() should give another app with the same blueprints; it has {blueprints}."
        ).format(blueprints=sorted(other.blueprints))
        factory_app.add_url_rule("/only-in-the-first", "grader_only", lambda: "x")
        expect_status(other.test_client().get("/only-in-the-first"), 404)


@pytest.mark.exercise("render")
class TestRender:
    @pytest.mark.rule("login-template")
    def test_login_renders_login_html_with_the_default_msg(self, client, rendered):
        response = client.get("/login")
        expect_status(response, 200)
        template, context = only_template(rendered, "/login")
        assert template.name == "login.html", _("GET /login rendered {template}, expected login.html.").format(
            template=template.name)
        assert context.get("msg") == "Please log in.", _("login.html got msg={msg}, expected 'Please log in.'.").format(
            msg=repr(context.get("msg")))
        assert "Please log in." in response.get_data(as_text=True), _(
            "GET /login should show the message 'Please log in.'; the page was:\n{body}"
        ).format(body=response.get_data(as_text=True))

    @pytest.mark.parametrize(
        ("msg", "shown"), [("Welcome back", "Welcome back"), ("<b>hi</b>", "&lt;b&gt;hi&lt;/b&gt;"), ("你好", "你好")]
    )
    @pytest.mark.rule("msg-from-query")
    def test_login_shows_msg_from_the_query_escaped(self, client, rendered, msg, shown):
        response = client.get("/login", query_string={"msg": msg})
        expect_status(response, 200)
        body = response.get_data(as_text=True)
        assert shown in body, _("GET /login?msg={msg} should show {shown} (Jinja escapes it); the page was:\n{body}").format(
            msg=msg, shown=repr(shown), body=body)
        assert "<b>" not in body, _("A tag from the query string came back unescaped: let Jinja escape `msg`.")

    @pytest.mark.rule("user-list-template")
    def test_user_list_renders_user_list_html_with_every_user(self, client, rendered, user_module):
        response = client.get("/user/user_list")
        expect_status(response, 200)
        template, context = only_template(rendered, "/user/user_list")
        assert template.name == "user_list.html", _("GET /user/user_list rendered {template}, expected user_list.html.").format(
            template=template.name)
        users = list(require(user_module, "USERS"))
        assert list(context.get("users") or []) == users, _("user_list.html got users={got}, expected {expected}.").format(
            got=repr(context.get("users")), expected=repr(users))
        body = response.get_data(as_text=True)
        missing = [name for name in users if name not in body]
        assert not missing, _("GET /user/user_list should list every user; missing {missing}.").format(missing=missing)

    @pytest.mark.rule("never-500")
    def test_any_msg_gets_no_500(self, client):
        fuzz.probe(lambda msg: client.get("/login?" + fuzz.query_string(msg=msg)), fuzz.TEXT)


@pytest.mark.exercise("template_priority")
class TestTemplatePriority:
    @pytest.mark.rule("blueprint-template-folder")
    def test_user_blueprint_has_a_template_folder(self, app):
        assert app.blueprints["user"].jinja_loader is not None, _(
            "The user blueprint has no template folder: Blueprint(..., template_folder=\"templates\") "
            "points it at views/templates/."
        )

    @pytest.mark.rule("global-template-wins")
    def test_the_global_user_list_wins(self, app, user_module):
        blueprint = app.blueprints["user"]
        assert blueprint.jinja_loader is not None, _(
            "The user blueprint needs its template folder first: Blueprint(..., template_folder=\"templates\")."
        )
        global_line = source_line(app.jinja_loader.get_source(app.jinja_env, "user_list.html")[0])
        blueprint_line = source_line(blueprint.jinja_loader.get_source(app.jinja_env, "user_list.html")[0])
        # Rendered as the view would (exercise `render`), in a request the user blueprint handles.
        with app.test_request_context("/user/user_list"):
            shown = source_line(render_template("user_list.html", users=require(user_module, "USERS")))
        assert shown == global_line, _(
            "Both templates/user_list.html and views/templates/user_list.html exist; the global one should win. "
            "Rendering user_list.html for GET /user/user_list should show {global_line}, not {blueprint_line}; "
            "it showed {shown}."
        ).format(global_line=repr(global_line), blueprint_line=repr(blueprint_line), shown=repr(shown))

    @pytest.mark.parametrize(("name", "shown"), [(None, "alice"), ("bob", "bob"), ("<i>eve", "&lt;i&gt;eve")])
    @pytest.mark.rule("profile-from-blueprint")
    def test_profile_comes_from_the_blueprint_folder(self, client, rendered, name, shown):
        response = client.get("/user/profile", query_string={"name": name} if name else None)
        expect_status(response, 200)
        template, context = only_template(rendered, "/user/profile")
        assert template.name == "profile.html", _("GET /user/profile rendered {template}, expected profile.html.").format(
            template=template.name)
        where = (template.filename or "").replace("\\", "/")
        assert where.endswith("views/templates/profile.html"), _(
            "profile.html should come from views/templates/, came from {where}."
        ).format(where=where)
        assert f"Profile of {shown}" in response.get_data(as_text=True), _(
            "The profile page should say 'Profile of {shown}'; the page was:\n{body}"
        ).format(shown=shown, body=response.get_data(as_text=True))

    @pytest.mark.rule("never-500")
    def test_any_name_gets_no_500(self, client):
        fuzz.probe(lambda name: client.get("/user/profile?" + fuzz.query_string(name=name)), fuzz.TEXT)


@pytest.mark.exercise("url_for")
class TestUrlFor:
    @pytest.mark.rule("links")
    def test_links_answers_the_built_urls(self, app, client):
        expected = {"list": build(app, "user.user_list"), "login": build(app, "auth.login")}
        expect_json_equal(client.get("/user/links"), expected)

    @pytest.mark.rule("relative-endpoint")
    def test_relative_name_follows_the_mount_point(self, app, client, user_module):
        # The same blueprint mounted a second time, under another name and prefix: a
        # relative ".user_list" must now point at /people/user_list; "auth.login" stays.
        app.register_blueprint(require(user_module, "bp"), name="people", url_prefix="/people")
        expected = {"list": build(app, "people.user_list"), "login": build(app, "auth.login")}
        data = expect_json(client.get("/people/links"))
        assert data == expected, _(
            "The grader mounted the user blueprint again at /people; GET /people/links answered {got}, "
            "expected {expected}. Build the list URL with the relative name '.user_list', not by hand."
        ).format(got=repr(data), expected=repr(expected))


@pytest.mark.exercise("scoped_hooks")
@pytest.mark.usefixtures("stand_ins")
class TestScopedHooks:
    @pytest.mark.parametrize("path", USER_PAGES)
    @pytest.mark.rule("marks-user-responses")
    def test_user_responses_are_marked(self, client, path):
        expect_header(client.get(path), "X-Blueprint", "user")

    @pytest.mark.parametrize("path", OTHER_PAGES)
    @pytest.mark.rule("only-user-responses")
    def test_other_responses_are_not_marked(self, client, path):
        response = client.get(path)
        assert "X-Blueprint" not in response.headers, _(
            "GET {path} is not served by the user blueprint, yet it carries X-Blueprint: {value}. "
            "Register the hooks on the blueprint (bp.before_request), not on the app."
        ).format(path=path, value=response.headers["X-Blueprint"])

    @pytest.mark.rule("name-on-g")
    def test_before_request_keeps_the_name_on_g(self, client):
        with client:
            expect_status(client.get("/user/links"), 200)
            found = g.get("blueprint")
        assert found == "user", _("After GET /user/links, g.blueprint should be 'user', found {found}.").format(
            found=repr(found))

    @pytest.mark.rule("auth-404-handler")
    def test_auth_views_get_the_blueprint_404(self, app, client):
        rule = _("The view behind /missing-user must abort(404) (raise NotFound), so the auth blueprint's 404 handler answers it.")
        with app.test_request_context("/missing-user"), expect_raises(NotFound, rule) as raised:
            app.view_functions["auth.missing_user"]()
        body = expect_error(client.get("/missing-user"), 404)
        expected = {"error": "user_not_found", "message": raised.value.description}
        assert body == expected, _(
            "GET /missing-user should be handled by the auth blueprint's 404 handler: expected {expected}, got {got}."
        ).format(expected=repr(expected), got=repr(body))

    @pytest.mark.rule("never-500")
    def test_any_unknown_url_gets_no_500_and_json_errors(self, client):
        paths = st.tuples(st.sampled_from(["/", "/user/", "/api/v1/"]), fuzz.path_segments()).map("".join)
        fuzz.probe(client.get, paths, json_errors=True)

    @pytest.mark.parametrize("path", ["/no-such-page", "/user/no-such-page", "/grader-abort"])
    @pytest.mark.rule("other-404s-app-handler")
    def test_other_404s_get_the_app_handler(self, app, client, path):
        app.add_url_rule("/grader-abort", "grader_abort", lambda: abort(404, description="from the grader"))
        body = expect_error(client.get(path), 404)
        assert body.get("error") != "user_not_found", _(
            "GET {path} is not an auth view, yet the auth blueprint's handler answered it: use bp.errorhandler, "
            "not bp.app_errorhandler."
        ).format(path=path)


@pytest.mark.exercise("nested")
class TestNested:
    @pytest.mark.rule("ping-pong")
    def test_ping_answers_pong(self, client):
        response = client.get("/api/v1/ping")
        expect_status(response, 200, None if "api.v1" in client.application.blueprints else _(
            "No blueprint api.v1 is registered: nest v1 inside api with `bp.register_blueprint(v1)` in views/api.py; "
            "the app registers api, and v1 comes with it under /api/v1."))
        expect_json_equal(response, {"pong": True})

    @pytest.mark.rule("endpoint-api-v1-ping")
    def test_endpoint_is_api_v1_ping(self, app):
        found = rule_of(app, "api.v1.ping")
        assert found == "/api/v1/ping", _("The endpoint api.v1.ping should be served at /api/v1/ping, found {found}.").format(
            found=found or _("no such endpoint"))
        built = build(app, "api.v1.ping")
        assert built == "/api/v1/ping", _("url_for('api.v1.ping') built {built}, expected '/api/v1/ping'.").format(
            built=repr(built))

    @pytest.mark.rule("create-app-twice")
    def test_create_app_twice_still_serves_it(self, chapter_module, client):
        expect_status(client.get("/api/v1/ping"), 200)
        second = require(chapter_module, "create_app")({"TESTING": True})
        expect_json_equal(second.test_client().get("/api/v1/ping"), {"pong": True})
