"""Chapter 7: URL converters, built-in and custom, route options and subdomains.

Run it with `make chapter-7 run` (gevent) or `flask --app chapters.ch07_converters.app run --debug`.
Subdomain routes need `SERVER_NAME` (the tests pass `example.test`); without it, which is
the default, every other route works and `/` answers `root` on any host.
"""
import math
import re
from datetime import date

from flask import Flask, Response, abort, json
from werkzeug.exceptions import HTTPException

from .converters import DateConverter, ListConverter, RegexConverter

# A subdomain is one DNS label. Werkzeug names a host outside SERVER_NAME "<invalid>":
# checking the label keeps that (and anything else odd) a 404.
DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def http_error_as_json(error: HTTPException) -> Response:
    """404, 405, ... with their own status and headers, as the course's JSON error body."""
    response = error.get_response()
    response.set_data(json.dumps({"error": error.name.lower(), "message": error.description}))
    response.mimetype = "application/json"
    return response


def describe(value) -> dict:
    """What a converter handed the view: the value (as JSON can carry it) and its type."""
    shown = value if isinstance(value, (int, float, str)) else str(value)
    return {"value": shown, "type": type(value).__name__}


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the subdomain tests pass SERVER_NAME)."""
    # SOLUTION subdomain
    # Subdomain matching is off by default: rules with subdomain= would never match.
    app = Flask(__name__, subdomain_matching=True)
    # STUB
    # app = Flask(__name__)  # TODO(subdomain): turn subdomain matching on
    # END SOLUTION
    if test_config:
        app.config.update(test_config)
    app.register_error_handler(HTTPException, http_error_as_json)
    # Converters are registered on the URL map before any rule that names them.
    app.url_map.converters.update(regex=RegexConverter, list=ListConverter, date=DateConverter)
    register_builtin(app)
    register_custom(app)
    register_route_options(app)
    register_subdomains(app)
    return app


def register_builtin(app: Flask) -> None:
    """Exercise `builtin`: each view answers `describe(<the converted value>)`.

    /int/<n> takes negative numbers too, /float/<x> needs a dot (/float/1 is a 404, and so
    is a number too large for a float),
    /path/<p> keeps slashes, /uuid/<u> hands over a uuid.UUID, /lang/ takes en or zh only.

    Rules:
    - [converted-values] /int/-7, /float/1.5, /path/a/b/c.txt, /uuid/<a uuid>, /lang/zh answer
      the converted value and its type name (`int`, `float`, `str`, `UUID`).
    - [non-matching-404] /int/abc, /int/1.5, /float/1, /uuid/1234, /lang/fr, /lang/EN, /path/
      are a 404 JSON error.
    - [huge-float-404] a float too large for a float (it would be inf) is a 404.
    - [never-500] no path makes it answer 500; every error is the JSON error body.
    """

    # SOLUTION builtin
    @app.get("/int/<int(signed=True):n>")
    # STUB
    # @app.get("/int/<n>")  # TODO(builtin): an int converter that also accepts negative numbers
    # END SOLUTION
    def int_value(n):
        return describe(n)

    # SOLUTION builtin
    @app.get("/float/<float:x>")
    # STUB
    # @app.get("/float/<x>")  # TODO(builtin): the float converter
    # END SOLUTION
    def float_value(x):
        # 400 digits and ".5" match the float rule, but float() makes them inf, which JSON cannot carry.
        if x == math.inf:
            abort(404, "That number is too large for a float.")
        return describe(x)

    # SOLUTION builtin
    @app.get("/path/<path:p>")
    # STUB
    # @app.get("/path/<p>")  # TODO(builtin): a converter that keeps the slashes
    # END SOLUTION
    def path_value(p):
        return describe(p)

    # SOLUTION builtin
    @app.get("/uuid/<uuid:u>")
    # STUB
    # @app.get("/uuid/<u>")  # TODO(builtin): the uuid converter
    # END SOLUTION
    def uuid_value(u):
        return describe(u)

    # SOLUTION builtin
    @app.get("/lang/<any(en, zh):lang>")
    # STUB
    # @app.get("/lang/<lang>")  # TODO(builtin): only en or zh (the any converter)
    # END SOLUTION
    def lang_value(lang):
        return describe(lang)


def register_custom(app: Flask) -> None:
    """The custom converters of converters.py at work (exercises `regex`, `list`, `date`)."""

    @app.get(r'/index/<regex("\d+-\d+"):nid>')
    def index(nid: str):
        """`/index/888-999` -> {"nid": "888-999"}; `/index/888` does not match: 404."""
        return {"nid": nid}

    @app.get("/sum/<list:nums>")
    def sum_numbers(nums: list[int]):
        """`/sum/1,2,3` -> {"nums": [1, 2, 3], "sum": 6}."""
        return {"nums": nums, "sum": sum(nums)}

    @app.get("/archive/<date:day>")
    def archive(day: date):
        """`/archive/2024-02-29` -> {"day": "2024-02-29", "weekday": "Thursday"}."""
        # A fixed English name: strftime("%A") would follow the server's locale.
        return {"day": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]}


def register_route_options(app: Flask) -> None:
    """Exercise `route_options`: strict_slashes, redirect_to and defaults.

    Rules:
    - [strict-slashes] GET /docs/ answers `docs`; /docs redirects (308) to /docs/.
    - [redirect-to] /legacy/<int:nid> redirects (308) to /home/<nid>; /legacy/abc is a 404.
    - [legacy-endpoint] `url_for("legacy", nid=7)` builds /legacy/7.
    - [defaults] /page/ answers {"page": 1}, /page/2 {"page": 2}; /page/1 redirects (308) to /page/.
    - [one-page-endpoint] /page/ and /page/<int:num> are both the endpoint `page`.
    - [never-500] no page makes it answer 500; every error is the JSON error body.
    """

    # SOLUTION route_options
    @app.get("/docs/")
    # STUB
    # @app.get("/docs/", strict_slashes=False)  # TODO(route_options): /docs should redirect (308) to /docs/
    # END SOLUTION
    def docs():
        """`/docs/` is the canonical URL; `/docs` is redirected to it by Werkzeug (308)."""
        return "docs"

    # SOLUTION route_options
    # The old URL answers 308 to the new one without a view: Werkzeug fills in <nid>.
    app.add_url_rule("/legacy/<int:nid>", endpoint="legacy", redirect_to="/home/<nid>")
    # STUB
    # # TODO(route_options): /legacy/<int:nid> answers 308 to /home/<nid> (add_url_rule's redirect_to)
    # END SOLUTION

    @app.get("/home/<int:nid>")
    def home(nid: int):
        return {"home": nid}

    # SOLUTION route_options
    @app.get("/page/", defaults={"num": 1})
    # STUB
    # # TODO(route_options): /page/ should serve page 1 through this same view (defaults=)
    # END SOLUTION
    @app.get("/page/<int:num>")
    def page(num: int):
        """`/page/` is page 1 (from `defaults`), `/page/<n>` any page; `/page/1` redirects to `/page/`."""
        return {"page": num}


def register_subdomains(app: Flask) -> None:
    """Exercise `subdomain`: `/` on `<username>.<SERVER_NAME>` answers the username,
    on `SERVER_NAME` itself (or on any host when SERVER_NAME is unset) `root`.

    Rules:
    - [username-subdomain] `/` on alice.<SERVER_NAME> answers `alice` (`user-42` too).
    - [root] `/` on SERVER_NAME answers `root`, and so does an app without SERVER_NAME
      (built with subdomain matching on).
    - [plain-label-only] a subdomain that is not one DNS label (`a.b`, `-x`) is a 404.
    - [foreign-host-404] another host is a 404.
    - [other-routes] the other routes still answer on SERVER_NAME.
    - [never-500] no Host makes it answer 500; every error is the JSON error body.
    """

    @app.get("/")
    def root():
        return "root"

    # SOLUTION subdomain
    @app.get("/", subdomain="<username>")
    def user_home(username: str):
        # The Host header is client input: only a plain DNS label (no "<", no dots) gets echoed.
        if not DNS_LABEL.fullmatch(username):
            abort(404)
        return username
    # STUB
    # # TODO(subdomain): a rule for "/" with subdomain="<username>" answering the username
    # END SOLUTION
