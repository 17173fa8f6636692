"""Chapter 6: class-based views: View, MethodView, as_view, methods, decorators and endpoints.

Run it with `make chapter-6 run` (gevent) or `flask --app chapters.ch06_class_views.app run --debug`.
/private needs `X-API-Key: <API_KEY>`; out of the box the key is `dev-api-key` (a
development default the lesson documents; tests and deployments pass their own).
"""
import functools
import hmac

from flask import Flask, Response, current_app, json, jsonify, request, url_for
from flask.views import MethodView, View
from werkzeug.exceptions import HTTPException

DEV_API_KEY = "dev-api-key"


def error_response(status: int, error: str, message: str) -> Response:
    """The course's JSON error body with `status` as the response code."""
    response = jsonify(error=error, message=message)
    response.status_code = status
    return response


def http_error_as_json(error: HTTPException) -> Response:
    """404, 405, ... with their own status and headers (405 keeps `Allow`), as JSON."""
    response = error.get_response()
    response.set_data(json.dumps({"error": error.name.lower(), "message": error.description}))
    response.mimetype = "application/json"
    return response


class UserStore:
    """The users of one app, in memory: {id: name}. Each create_app() makes its own."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.next_id = 1

    def add(self, name: str) -> dict:
        user_id, self.next_id = self.next_id, self.next_id + 1
        self.names[user_id] = name
        return {"id": user_id, "name": name}

    def get(self, user_id: int) -> dict | None:
        name = self.names.get(user_id)
        return None if name is None else {"id": user_id, "name": name}

    def all(self) -> list[dict]:
        return [{"id": user_id, "name": name} for user_id, name in sorted(self.names.items())]

    def rename(self, user_id: int, name: str) -> dict:
        self.names[user_id] = name
        return {"id": user_id, "name": name}

    def remove(self, user_id: int) -> bool:
        """True when the user existed."""
        return self.names.pop(user_id, None) is not None


def is_utf8_text(text: str) -> bool:
    """False for a lone surrogate ("\\ud800"): valid JSON, but no UTF-8 response can carry it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def name_from_body() -> str | None:
    """The stripped `name` of a JSON object body, or None when absent, blank, not text or not JSON."""
    try:
        data = request.get_json(silent=True)  # silent: a non-JSON body is None, not a 415
    except RecursionError:  # "[" × 5,000 exhausts the parser; silent=True catches only ValueError
        data = None
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip() or not is_utf8_text(name):
        return None
    return name.strip()


def bad_name() -> Response:
    return error_response(400, "bad request", 'send a JSON object with a non-blank string "name" of valid Unicode text')


def no_such_user(user_id: int) -> Response:
    return error_response(404, "not found", f"there is no user {user_id}")


class HelloView(View):
    """Exercise `view`: GET /hello answers `Hello from a View`.

    A `View` subclass overrides `dispatch_request()`: Flask calls it for every request to
    the rule, whatever the method (only GET is allowed here, the default).

    Rules:
    - [hello-from-a-view] GET /hello answers `Hello from a View`.
    - [view-class-endpoint-hello] /hello is served by a `View` subclass under the endpoint `hello`.
    - [get-only] POST, PUT and DELETE /hello are a 405 JSON error.
    """

    def dispatch_request(self):
        # SOLUTION view
        return "Hello from a View"
        # END SOLUTION


class UserAPI(MethodView):
    """Exercise `method_view`: /users and /users/<int:user_id> over one in-memory store.

    MethodView's dispatch_request calls the method named like the HTTP method (`get`,
    `post`, ...). One class serves two endpoints: `users` (the collection: GET, POST)
    and `user` (one item: GET, PUT, DELETE). The store reaches __init__ through as_view.

    Rules:
    - [crud] the list starts empty and holds every user created, in order; PUT renames one
      and GET /users/<id> then answers the new name.
    - [created-201-location] POST answers 201 with the new {"id", "name"} and a `Location`
      that answers the same user.
    - [delete-204] DELETE answers 204; the user is then a 404, and so is deleting it again.
    - [unknown-404] GET, PUT or DELETE of an unknown id is a 404 JSON error.
    - [bad-name-400] a body that is not a JSON object (a list, a form, broken or deeply
      nested JSON), or a missing, non-string, blank or unencodable (lone surrogate) name,
      is a 400 JSON error that changes nothing.
    - [names-stripped] names are stored without surrounding spaces.
    - [methods-per-endpoint] PUT or DELETE /users and POST /users/<id> are 405, /users/abc 404.
    - [one-class-two-endpoints] both endpoints `users` and `user` are views of this one class.
    - [store-per-app] each app built by create_app has its own store.
    - [never-500] no body and no id makes it answer 500; every error is the JSON error body.
    """

    def __init__(self, store: UserStore) -> None:
        self.store = store

    def get(self, user_id: int | None = None):
        """GET /users: the list of users. GET /users/<id>: that user, or a 404 JSON error."""
        # SOLUTION method_view
        if user_id is None:
            return self.store.all()
        user = self.store.get(user_id)
        return user if user is not None else no_such_user(user_id)
        # END SOLUTION

    def post(self):
        """POST /users with JSON {"name": str}: 201, the new user, `Location: /users/<id>`.

        A body that is not a JSON object, or a missing or blank name: 400 JSON error.
        """
        # SOLUTION method_view
        name = name_from_body()
        if name is None:
            return bad_name()
        user = self.store.add(name)
        return user, 201, {"Location": url_for("user", user_id=user["id"])}
        # END SOLUTION

    def put(self, user_id: int):
        """PUT /users/<id> with JSON {"name": str}: the updated user; 404 unknown; 400 bad name."""
        # SOLUTION method_view
        if self.store.get(user_id) is None:
            return no_such_user(user_id)
        name = name_from_body()
        if name is None:
            return bad_name()
        return self.store.rename(user_id, name)
        # END SOLUTION

    def delete(self, user_id: int):
        """DELETE /users/<id>: 204 with no body; 404 when there is no such user."""
        # SOLUTION method_view
        if not self.store.remove(user_id):
            return no_such_user(user_id)
        return "", 204
        # END SOLUTION


class ReadOnlyView(View):
    """Exercise `methods_attr`: /readonly answers GET; any other method gets 405.

    `methods` on the class is what `as_view` hands to the rule: Flask refuses every other
    method with 405 (and an `Allow` header) before the view runs.

    Rules:
    - [get-served] GET /readonly answers 200.
    - [others-405] POST, PUT, PATCH and DELETE are a 405 JSON error.
    - [methods-on-the-class] the allowed methods come from the class's `methods` attribute.
    """

    # SOLUTION methods_attr
    methods = ["GET"]
    # STUB
    # methods = ["GET", "POST"]  # TODO(methods_attr): this resource is read-only: allow GET alone
    # END SOLUTION

    def dispatch_request(self):
        return "This resource is read-only."


def require_api_key(view):
    """Exercise `decorators_attr`: only requests with `X-API-Key` equal to API_KEY reach `view`.

    Anything else (no header, another key, no API_KEY configured) gets a 401 JSON error.
    `hmac.compare_digest` compares in constant time, so response timing does not reveal
    how much of a guessed key was right.
    """

    @functools.wraps(view)
    def checked(*args, **kwargs):
        # SOLUTION decorators_attr
        expected = current_app.config.get("API_KEY") or ""
        given = request.headers.get("X-API-Key", "")
        # Compare bytes: compare_digest refuses str with non-ASCII characters.
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return error_response(401, "unauthorized", "send the header X-API-Key with the API key")
        # END SOLUTION
        return view(*args, **kwargs)

    return checked


class PrivateView(MethodView):
    """Exercise `decorators_attr`: every method of /private needs the API key.

    `decorators` wraps the function `as_view` builds, so GET, POST and HEAD all pass
    through `require_api_key`. Flask answers the automatic OPTIONS itself, before them.

    Rules:
    - [401-without-the-key] GET, POST and HEAD without the exact key (none, empty, wrong, in
      another case, longer, a prefix, non-ASCII, in another header) are a 401 JSON error
      {"error": "unauthorized", ...}.
    - [key-opens-every-method] with the key, GET answers 200, POST 201, HEAD 200.
    - [no-configured-key] with no API_KEY configured, nothing opens /private.
    - [decorators-on-the-class] the guard comes from the class's `decorators` attribute.
    - [never-500] no X-API-Key makes it answer 500; every error is the JSON error body.
    """

    # SOLUTION decorators_attr
    decorators = [require_api_key]
    # STUB
    # decorators = []  # TODO(decorators_attr): protect every method with require_api_key
    # END SOLUTION

    def get(self):
        return {"secret": "the private resource"}

    def post(self):
        return {"secret": "stored"}, 201


class GreetingView(View):
    """Exercise `as_view_args`: one class, two registrations: /greeting/en and /greeting/zh.

    `as_view(name, greeting=...)` keeps the extra arguments and passes them to
    `__init__` whenever it builds the view for a request.

    Rules:
    - [greetings] GET /greeting/en answers `Hello`, GET /greeting/zh `你好`.
    - [one-class-two-endpoints] both endpoints `greeting_en` and `greeting_zh` are views of
      this one class.
    - [as-view-arguments] the class answers the greeting `as_view` passed: registered again
      with `greeting="Bonjour"`, it answers `Bonjour`.
    """

    def __init__(self, greeting: str) -> None:
        # SOLUTION as_view_args
        self.greeting = greeting
        # END SOLUTION

    def dispatch_request(self):
        # SOLUTION as_view_args
        return self.greeting
        # END SOLUTION


def log_calls(view):
    """Exercise `wraps`: log each call of `view` with `current_app.logger`, then call it.

    Without `functools.wraps`, every decorated function is called `wrapper`: Flask names
    the endpoint after the function, so a second decorated view collides with the first
    (`View function mapping is overwriting an existing endpoint function: wrapper`).

    Rules:
    - [two-views-register] two views decorated with `log_calls` register without naming
      their endpoints.
    - [views-keep-names] the decorated /a and /b keep their names (endpoints `a`, `b`) and
      still answer `view a` and `view b`.
    - [logs-each-call] each call is logged through `current_app.logger` (INFO) with the
      view's name, and answered by the view.
    """

    # SOLUTION wraps
    @functools.wraps(view)  # copies __name__, __doc__, ... and sets __wrapped__
    # STUB
    # # TODO(wraps): keep the decorated view's name (and docstring): functools.wraps
    # END SOLUTION
    def wrapper(*args, **kwargs):
        current_app.logger.info("calling view %s", view.__name__)
        return view(*args, **kwargs)

    return wrapper


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass their API_KEY)."""
    app = Flask(__name__)
    app.config.from_mapping(API_KEY=DEV_API_KEY)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # let 你好 travel as itself in JSON
    app.register_error_handler(HTTPException, http_error_as_json)

    # --8<-- [start:hello]
    app.add_url_rule("/hello", view_func=HelloView.as_view("hello"))
    # --8<-- [end:hello]
    register_users(app, UserStore())
    app.add_url_rule("/readonly", view_func=ReadOnlyView.as_view("readonly"))
    app.add_url_rule("/private", view_func=PrivateView.as_view("private"))
    # --8<-- [start:greetings]
    app.add_url_rule("/greeting/en", view_func=GreetingView.as_view("greeting_en", greeting="Hello"))
    app.add_url_rule("/greeting/zh", view_func=GreetingView.as_view("greeting_zh", greeting="你好"))
    # --8<-- [end:greetings]
    register_logged_views(app)
    return app


def register_users(app: Flask, store: UserStore) -> None:
    """Two endpoints over one class; `methods=` keeps PUT off the collection and POST off an item."""
    app.add_url_rule("/users", view_func=UserAPI.as_view("users", store), methods=["GET", "POST"])
    app.add_url_rule("/users/<int:user_id>", view_func=UserAPI.as_view("user", store),
                     methods=["GET", "PUT", "DELETE"])


def register_logged_views(app: Flask) -> None:
    # SOLUTION wraps
    @app.get("/a")
    # STUB
    # @app.get("/a", endpoint="a")  # TODO(wraps): with functools.wraps in log_calls, endpoint= is not needed
    # END SOLUTION
    @log_calls
    def a():
        """Logged by log_calls; its endpoint is `a`."""
        return "view a"

    # SOLUTION wraps
    @app.get("/b")
    # STUB
    # @app.get("/b", endpoint="b")  # TODO(wraps): ...and neither is this one
    # END SOLUTION
    @log_calls
    def b():
        """Logged by log_calls; its endpoint is `b`."""
        return "view b"
