"""Grader for chapter 6: class-based views (see chapters/ch06_class_views/README.md)."""
import logging
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.views import MethodView, View
from hypothesis import strategies as st

from tests import fuzz
from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_status, expect_text, expected_answer
from tests.helpers import bearer, require
from track.model.i18n import _

API_KEY = "grader-key-123"
BAD_NAME_BODIES = [
    pytest.param({"json": {}}, id="missing name"),
    pytest.param({"json": {"name": ""}}, id="empty name"),
    pytest.param({"json": {"name": "   "}}, id="blank name"),
    pytest.param({"json": {"name": 42}}, id="name not a string"),
    pytest.param({"json": {"name": None}}, id="name null"),
    pytest.param({"json": ["ada"]}, id="a list, not an object"),
    pytest.param({"data": "name=ada"}, id="form body, not JSON"),
    pytest.param({"data": "{not json", "content_type": "application/json"}, id="malformed JSON"),
    pytest.param({}, id="no body"),
]


@pytest.fixture
def app_config():
    return {"TESTING": True, "API_KEY": API_KEY}


def view_class_of(app, endpoint):
    view = app.view_functions.get(endpoint)
    assert view is not None, _("No endpoint {endpoint}: register the class with as_view({endpoint}).").format(
        endpoint=repr(endpoint))
    return getattr(view, "view_class", None)


def allowed(response) -> set[str]:
    return {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}


@pytest.mark.exercise("view")
class TestView:
    @pytest.mark.rule("hello-from-a-view")
    def test_hello(self, client):
        expect_text(client.get("/hello"), "Hello from a View")

    @pytest.mark.rule("view-class-endpoint-hello")
    def test_is_a_view_class_under_endpoint_hello(self, app):
        cls = view_class_of(app, "hello")
        assert cls is not None and issubclass(cls, View), (
            _("The endpoint 'hello' should be built by SomeView.as_view('hello'), found {found}.").format(found=repr(cls))
        )
        with app.test_request_context():
            built = url_for("hello")
        assert built == "/hello", _("url_for('hello') built {built}, expected '/hello'.").format(built=repr(built))

    @pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
    @pytest.mark.rule("get-only")
    def test_other_methods_405(self, client, method):
        expect_error(client.open("/hello", method=method), 405)


def create(client, name):
    return client.post("/users", json={"name": name})


@pytest.mark.exercise("method_view")
class TestMethodView:
    @pytest.mark.rule("crud")
    def test_starts_empty(self, client):
        expect_json_equal(client.get("/users"), [])

    @pytest.mark.rule("created-201-location")
    def test_create_answers_201_with_location(self, client):
        response = create(client, "ada")
        data = expect_json(response, 201)
        assert isinstance(data, dict) and isinstance(data.get("id"), int) and data.get("name") == "ada", (
            _('POST /users {{"name": "ada"}} should answer {{"id": <int>, "name": "ada"}}, got {got}.').format(got=repr(data))
        )
        location = urlsplit(expect_header(response, "Location")).path
        assert location == f"/users/{data['id']}", _("Location should be /users/{id}, got {location}.").format(
            id=data["id"], location=repr(location))
        expect_json_equal(client.get(location), data)

    @pytest.mark.rule("crud")
    def test_list_holds_what_was_created(self, client):
        created = [expect_json(create(client, name), 201) for name in ("ada", "grace", "linus")]
        expect_json_equal(client.get("/users"), created)
        assert len({user["id"] for user in created}) == 3, _("Each user needs its own id: {created}").format(
            created=repr(created))

    @pytest.mark.rule("crud")
    def test_put_updates(self, client):
        user = expect_json(create(client, "ada"), 201)
        expect_json_equal(client.put(f"/users/{user['id']}", json={"name": "Ada Lovelace"}),
                          {"id": user["id"], "name": "Ada Lovelace"})
        expect_json_equal(client.get(f"/users/{user['id']}"), {"id": user["id"], "name": "Ada Lovelace"})

    @pytest.mark.rule("delete-204")
    def test_delete_answers_204_then_404(self, client):
        user = expect_json(create(client, "ada"), 201)
        response = client.delete(f"/users/{user['id']}")
        expect_status(response, 204)
        assert response.data == b"", _("204 means no body; got {body}.").format(body=repr(response.data))
        expect_error(client.get(f"/users/{user['id']}"), 404)
        expect_error(client.delete(f"/users/{user['id']}"), 404)

    @pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
    @pytest.mark.rule("unknown-404")
    def test_unknown_id_is_404(self, client, method):
        expect_error(client.open("/users/999", method=method, json={"name": "x"}), 404)

    @pytest.mark.parametrize("kwargs", BAD_NAME_BODIES)
    @pytest.mark.rule("bad-name-400")
    def test_post_bad_name_is_400(self, client, kwargs):
        expect_error(client.post("/users", **kwargs), 400)
        expect_json_equal(client.get("/users"), [])

    @pytest.mark.parametrize("kwargs", BAD_NAME_BODIES)
    @pytest.mark.rule("bad-name-400")
    def test_put_bad_name_is_400(self, client, kwargs):
        user = expect_json(create(client, "ada"), 201)
        expect_error(client.put(f"/users/{user['id']}", **kwargs), 400)
        expect_json_equal(client.get(f"/users/{user['id']}"), user)

    @pytest.mark.parametrize("method", ["POST", "PUT"])
    @pytest.mark.rule("bad-name-400")
    def test_deeply_nested_json_is_400_not_a_crash(self, crash_as_500, client, method):
        user = expect_json(create(client, "ada"), 201)
        path = "/users" if method == "POST" else f"/users/{user['id']}"
        response = client.open(path, method=method, data="[" * 5000, content_type="application/json")
        assert response.status_code != 500, (
            _("{method} {path} with JSON nested 5,000 lists deep crashed: a body nested that deep must be a 400, not a "
              "crash. get_json() raises RecursionError on it, which silent=True does not catch: catch it too.").format(
                method=method, path=path)
        )
        expect_error(response, 400)
        expect_json_equal(client.get("/users"), [user])

    @pytest.mark.parametrize("method", ["POST", "PUT"])
    @pytest.mark.rule("bad-name-400")
    def test_a_name_with_a_lone_surrogate_is_400(self, crash_as_500, client, method):
        user = expect_json(create(client, "ada"), 201)
        path = "/users" if method == "POST" else f"/users/{user['id']}"
        response = client.open(path, method=method, data='{"name": "a\\ud800"}', content_type="application/json")
        assert response.status_code != 500, (
            _('{method} {path} with the name "a\\ud800" crashed: a lone surrogate is valid JSON but not text, and '
              "a response holding it cannot be encoded to UTF-8. A name with a lone surrogate must be a 400, not a "
              "crash.").format(method=method, path=path)
        )
        expect_error(response, 400)
        expect_json_equal(client.get("/users"), [user])

    @pytest.mark.rule("never-500")
    def test_any_body_gets_no_500_and_json_errors(self, client):
        user = expect_json(create(client, "ada"), 201)
        requests = st.tuples(st.sampled_from([("POST", "/users"), ("PUT", f"/users/{user['id']}")]),
                             fuzz.json_bodies({"name": fuzz.TEXT}))
        fuzz.probe(lambda request: client.open(request[0][1], method=request[0][0], data=request[1],
                                               content_type="application/json"), requests, json_errors=True)

    @pytest.mark.rule("never-500")
    def test_any_id_gets_no_500_and_json_errors(self, client):
        ids = st.one_of(st.integers().map(str), fuzz.HUGE_NUMBERS.map(str), fuzz.path_segments())
        requests = st.tuples(st.sampled_from(["GET", "PUT", "DELETE"]), ids)
        fuzz.probe(lambda request: client.open(f"/users/{request[1]}", method=request[0], json={"name": "x"}),
                   requests, json_errors=True)

    @pytest.mark.rule("names-stripped")
    def test_names_are_stripped(self, client):
        expect_json(create(client, "  ada  "), 201)
        names = [user.get("name") for user in expect_json(client.get("/users"))]
        assert names == ["ada"], _("Surrounding blanks should be stripped from the name; stored {names}.").format(
            names=repr(names))

    @pytest.mark.parametrize(("path", "method", "status"), [
        ("/users", "PUT", 405), ("/users", "DELETE", 405), ("/users/1", "POST", 405), ("/users/abc", "GET", 404),
    ])
    @pytest.mark.rule("methods-per-endpoint")
    def test_wrong_method_or_id(self, client, path, method, status):
        expect_status(create(client, "ada"), 201)
        with expected_answer(_("a {status}: give each rule the methods it serves, "
                               "add_url_rule(\"/users\", ..., methods=[\"GET\", \"POST\"])").format(status=status)):
            response = client.open(path, method=method, json={"name": "x"})
        expect_error(response, status)

    @pytest.mark.rule("one-class-two-endpoints")
    def test_two_endpoints_one_method_view_class(self, app):
        collection, item = view_class_of(app, "users"), view_class_of(app, "user")
        assert collection is not None and collection is item and issubclass(collection, MethodView), (
            _("Endpoints 'users' and 'user' should both come from one MethodView class; found {first} and {second}.").format(
                first=repr(collection), second=repr(item))
        )

    @pytest.mark.rule("store-per-app")
    def test_each_app_has_its_own_store(self, chapter_module, app_config, client):
        create(client, "ada")
        other = require(chapter_module, "create_app")(app_config).test_client()
        expect_json_equal(other.get("/users"), [])


@pytest.mark.exercise("methods_attr")
class TestMethodsAttr:
    @pytest.mark.rule("get-served")
    def test_get_is_served(self, client):
        expect_status(client.get("/readonly"), 200)

    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
    @pytest.mark.rule("others-405")
    def test_other_methods_are_405(self, client, method):
        response = client.open("/readonly", method=method)
        expect_error(response, 405)
        assert allowed(response) == {"GET", "HEAD", "OPTIONS"}, (
            _("Allow should list GET, HEAD, OPTIONS, got {allowed}.").format(allowed=sorted(allowed(response)))
        )

    @pytest.mark.rule("methods-on-the-class")
    def test_methods_come_from_the_class(self, app):
        cls = view_class_of(app, "readonly")
        methods = {m.upper() for m in (getattr(cls, "methods", None) or ())}
        assert methods == {"GET"}, _("The view class should say methods = ['GET']; it says {methods}.").format(
            methods=sorted(methods))


@pytest.mark.exercise("decorators_attr")
class TestDecoratorsAttr:
    @pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
    @pytest.mark.parametrize("headers", [
        pytest.param({}, id="no key"),
        pytest.param({"X-API-Key": ""}, id="empty key"),
        pytest.param({"X-API-Key": "wrong"}, id="wrong key"),
        pytest.param({"X-API-Key": API_KEY.upper()}, id="wrong case"),
        pytest.param({"X-API-Key": API_KEY + "4"}, id="longer key"),
        pytest.param({"X-API-Key": API_KEY[:-1]}, id="prefix of the key"),
        pytest.param({"X-API-Key": "clé"}, id="non-ASCII key"),
        pytest.param(bearer(API_KEY), id="key in another header"),
    ])
    @pytest.mark.rule("401-without-the-key")
    def test_refused_without_the_key(self, client, method, headers):
        response = client.open("/private", method=method, headers=headers)
        if method == "HEAD":
            expect_status(response, 401)
            return
        error = expect_error(response, 401)["error"]
        assert error == "unauthorized", _(
            'The 401\'s "error" should be "unauthorized", the status\'s reason phrase in lower case like the '
            'app\'s other errors ("not found", "bad request"); got {error}.'
        ).format(error=repr(error))

    @pytest.mark.parametrize(("method", "status"), [("GET", 200), ("POST", 201), ("HEAD", 200)])
    @pytest.mark.rule("key-opens-every-method")
    def test_the_key_opens_every_method(self, client, method, status):
        expect_status(client.open("/private", method=method, headers={"X-API-Key": API_KEY}), status)

    @pytest.mark.rule("no-configured-key")
    def test_no_configured_key_opens_nothing(self, chapter_module):
        client = require(chapter_module, "create_app")({"TESTING": True, "API_KEY": ""}).test_client()
        expect_error(client.get("/private", headers={"X-API-Key": ""}), 401)

    @pytest.mark.rule("never-500")
    def test_any_key_gets_no_500_and_json_errors(self, client):
        requests = st.tuples(st.sampled_from(["GET", "POST"]), fuzz.header_values())
        fuzz.probe(lambda request: client.open("/private", method=request[0], headers={"X-API-Key": request[1]}),
                   requests, json_errors=True)

    @pytest.mark.rule("decorators-on-the-class")
    def test_guard_comes_from_the_class_decorators(self, app):
        decorators = getattr(view_class_of(app, "private"), "decorators", None) or []
        assert decorators, _("The view class should list its guard in `decorators`.")


@pytest.mark.exercise("as_view_args")
class TestAsViewArgs:
    @pytest.mark.parametrize(("path", "text"), [("/greeting/en", "Hello"), ("/greeting/zh", "你好")])
    @pytest.mark.rule("greetings")
    def test_greetings(self, client, path, text):
        response = client.get(path)
        assert response.get_data(as_text=True) == text, _(
            "GET {path} answered {got}, expected {text}: each registration hands its own greeting to __init__ "
            "through as_view(name, greeting=...).").format(path=path, got=repr(response.get_data(as_text=True)), text=repr(text))
        expect_text(response, text)

    @pytest.mark.rule("one-class-two-endpoints")
    def test_one_class_two_endpoints(self, app):
        en, zh = view_class_of(app, "greeting_en"), view_class_of(app, "greeting_zh")
        assert en is not None and en is zh, _("greeting_en and greeting_zh should be one class; found {en} and {zh}.").format(
            en=repr(en), zh=repr(zh))

    @pytest.mark.rule("as-view-arguments")
    def test_the_class_answers_what_as_view_passed(self, app):
        cls = view_class_of(app, "greeting_en")
        app.add_url_rule("/greeting/fr", view_func=cls.as_view("greeting_fr", greeting="Bonjour"))
        expect_text(app.test_client().get("/greeting/fr"), "Bonjour")


@pytest.mark.exercise("wraps")
class TestWraps:
    @pytest.mark.rule("two-views-register")
    def test_two_decorated_views_register_without_endpoint_names(self, chapter_module):
        log_calls = require(chapter_module, "log_calls")
        app = Flask("grader")

        def first():
            """first's docstring"""
            return "first"

        def second():
            return "second"

        app.add_url_rule("/1", view_func=log_calls(first))
        try:
            app.add_url_rule("/2", view_func=log_calls(second))
        except AssertionError as error:
            pytest.fail(_("Registering a second view decorated with log_calls failed: {error}. "
                          "Both wrappers are named the same; functools.wraps keeps each view's name.").format(error=error),
                        pytrace=False)
        assert set(app.view_functions) >= {"first", "second"}, _(
            "The two views should be the endpoints 'first' and 'second'; the endpoints are {endpoints}.").format(
            endpoints=sorted(app.view_functions))
        assert log_calls(first).__doc__ == "first's docstring", _("log_calls should keep the docstring too (wraps).")

    @pytest.mark.parametrize("name", ["a", "b"])
    @pytest.mark.rule("views-keep-names")
    def test_views_keep_their_names(self, app, client, name):
        view = app.view_functions.get(name)
        assert view is not None and view.__name__ == name and hasattr(view, "__wrapped__"), (
            _("The endpoint {endpoint} should hold log_calls({name}) with __name__ {endpoint} "
              "and __wrapped__; found {found}.").format(endpoint=repr(name), name=name,
                                                         found=repr(getattr(view, "__name__", view)))
        )
        expect_text(client.get(f"/{name}"), f"view {name}")

    @pytest.mark.rule("logs-each-call")
    def test_calls_are_logged_and_answered(self, chapter_module, caplog):
        log_calls = require(chapter_module, "log_calls")
        app = Flask("grader_logging")

        def logged_view():
            return "done"

        app.add_url_rule("/x", view_func=log_calls(logged_view))
        with caplog.at_level(logging.INFO):
            expect_text(app.test_client().get("/x"), "done")
        assert any("logged_view" in record.getMessage() for record in caplog.records), (
            _("log_calls should log the call (with the view's name) through current_app.logger.")
        )
