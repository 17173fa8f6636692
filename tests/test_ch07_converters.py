"""Grader for chapter 7: URL converters (see chapters/ch07_converters/README.md)."""
import uuid
import warnings
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from flask import url_for
from hypothesis import strategies as st

from tests import fuzz
from tests.expect import expect_error, expect_header, expect_json_equal, expect_status, expect_text, expected_answer
from track.model.i18n import _

SERVER_NAME = "example.test"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# What a client may put where a converter reads: numbers of any size, and any text.
NUMBER_TEXT = st.one_of(st.integers().map(str), st.floats().map(str), fuzz.HUGE_NUMBERS.map(str))
SEGMENTS = st.one_of(NUMBER_TEXT, fuzz.path_segments())


def build(app, endpoint, **values) -> str:
    with app.test_request_context():
        try:
            return url_for(endpoint, **values)
        except Exception as error:  # BuildError, or a to_url that raises
            pytest.fail(_("url_for({endpoint}, {values}) failed: {error}").format(
                endpoint=repr(endpoint), values=values, error=repr(error)), pytrace=False)


def expect_redirect(response, status: int, path: str) -> None:
    expect_status(response, status)
    location = urlsplit(expect_header(response, "Location")).path
    assert location == path, _("The redirect should lead to {path}, Location was {location}.").format(
        path=path, location=repr(response.headers["Location"]))


@pytest.mark.exercise("builtin")
class TestBuiltin:
    @pytest.mark.parametrize(("path", "value", "kind"), [
        ("/int/42", 42, "int"), ("/int/-7", -7, "int"), ("/int/0", 0, "int"),
        ("/float/1.5", 1.5, "float"), ("/float/0.25", 0.25, "float"),
        ("/path/a/b/c.txt", "a/b/c.txt", "str"), ("/path/one", "one", "str"),
        ("/lang/en", "en", "str"), ("/lang/zh", "zh", "str"),
    ])
    @pytest.mark.rule("converted-values")
    def test_converted_values(self, client, path, value, kind):
        expect_json_equal(client.get(path), {"value": value, "type": kind})

    @pytest.mark.rule("converted-values")
    def test_uuid(self, client):
        value = uuid.uuid4()
        expect_json_equal(client.get(f"/uuid/{value}"), {"value": str(value), "type": "UUID"})

    @pytest.mark.parametrize("path", [
        "/int/abc", "/int/1.5", "/int/", "/float/1", "/float/abc", "/uuid/not-a-uuid", "/uuid/1234",
        "/lang/fr", "/lang/EN", "/lang/en-us", "/path/",
    ])
    @pytest.mark.rule("non-matching-404")
    def test_non_matching_is_404(self, client, path):
        expect_error(client.get(path), 404)

    @pytest.mark.rule("huge-float-404")
    def test_a_float_too_large_is_404_not_infinity(self, client):
        response = client.get("/float/" + "9" * 400 + ".5")
        assert response.status_code != 200, _(
            "/float/<400 digits>.5 answered 200 with {body}: float() turns it into "
            "inf, and Infinity is not JSON. A number too large for a float names nothing: 404."
        ).format(body=repr(response.get_data(as_text=True)))
        expect_error(response, 404)

    @pytest.mark.rule("never-500")
    def test_any_path_gets_no_500_and_json_errors(self, client):
        paths = st.tuples(st.sampled_from(["/int/", "/float/", "/path/", "/uuid/", "/lang/"]), SEGMENTS)
        fuzz.probe(lambda path: client.get("".join(path)), paths, json_errors=True)


@pytest.mark.exercise("regex")
class TestRegex:
    @pytest.mark.parametrize("nid", ["888-999", "1-2", "0012-34"])
    @pytest.mark.rule("matches-the-pattern")
    def test_matching(self, client, nid):
        expect_json_equal(client.get(f"/index/{nid}"), {"nid": nid})

    @pytest.mark.parametrize("nid", ["888", "888-", "-999", "a-b", "888-999-1", "888_999"])
    @pytest.mark.rule("non-matching-404")
    def test_non_matching_is_404(self, client, nid):
        expect_error(client.get(f"/index/{nid}"), 404)

    @pytest.mark.rule("url-for")
    def test_url_for(self, app):
        built = build(app, "index", nid="888-999")
        assert built == "/index/888-999", _(
            'url_for("index", nid="888-999") built {built}, expected \'/index/888-999\'.').format(built=repr(built))

    @pytest.mark.rule("pattern-from-the-rule")
    def test_the_pattern_comes_from_the_rule(self, app):
        app.add_url_rule('/grader/<regex("[a-z]{3}"):word>', "grader_word", lambda word: {"word": word})
        client = app.test_client()
        expect_json_equal(client.get("/grader/abc"), {"word": "abc"})
        expect_status(client.get("/grader/abcd"), 404)

    @pytest.mark.rule("slash-spans-segments")
    def test_a_pattern_with_a_slash_spans_segments(self, app):
        app.add_url_rule(r'/grader/<regex("\w+/\w+"):pair>/end', "grader_pair", lambda pair: {"pair": pair})
        response = app.test_client().get("/grader/ab/cd/end")
        assert response.status_code == 200, _(
            "The grader added the rule /grader/<regex(\"\\w+/\\w+\"):pair>/end; GET /grader/ab/cd/end answered {status}, "
            "expected 200: a pattern that can match \"/\" must see more than one path segment. "
            "Set part_isolating to False for such a pattern."
        ).format(status=response.status_code)
        expect_json_equal(response, {"pair": "ab/cd"})

    @pytest.mark.rule("never-500")
    def test_any_nid_gets_no_500_and_json_errors(self, client):
        fuzz.probe(lambda nid: client.get("/index/" + nid), SEGMENTS, json_errors=True)


@pytest.mark.exercise("list")
class TestList:
    @pytest.mark.parametrize("nums", [[1, 2, 3], [7], [10, -4, 0]])
    @pytest.mark.rule("sums")
    def test_sums(self, client, nums):
        text = ",".join(map(str, nums))
        with expected_answer(_("a list of ints for the view to sum: ListConverter.to_python turns each item into "
                               "an int (`int(item)`); the matched text is a str")):
            response = client.get(f"/sum/{text}")
        expect_json_equal(response, {"nums": nums, "sum": sum(nums)})

    @pytest.mark.parametrize("text", ["1,x,3", "a", "1,,2", "1,2,", ",1", "1.5,2", "1;2"])
    @pytest.mark.rule("non-integers-404")
    def test_non_integers_are_404(self, client, text):
        expect_error(client.get(f"/sum/{text}"), 404)

    @pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])  # every method the rule allows
    @pytest.mark.rule("max-item-digits")
    def test_an_item_past_4300_digits_is_404_not_a_crash(self, crash_as_500, client, method):
        response = client.open("/sum/1," + "9" * 4301, method=method)
        assert response.status_code == 404, _(
            "{method} /sum/1,<an integer of 4,301 digits> answered {status}, expected 404: int() "
            "raises ValueError past 4,300 digits, and the router calls to_python for every method it allows. Check each "
            "item's length (MAX_ITEM_DIGITS) and raise ValidationError, as for any item that is not an integer."
        ).format(method=method, status=response.status_code)
        if method == "GET":  # a HEAD answer has no body to check
            expect_error(response, 404)

    @pytest.mark.rule("max-item-digits")
    def test_a_sum_past_4300_digits_is_404_not_a_crash(self, crash_as_500, client):
        response = client.get("/sum/" + ",".join(["9" * 4300] * 10))
        assert response.status_code == 404, _(
            "/sum/ with ten items of 4,300 digits answered {status}, expected 404: their sum has "
            "4,301 digits, which str() refuses when the answer is written as JSON. Refuse items of more than "
            "MAX_ITEM_DIGITS digits in to_python with ValidationError."
        ).format(status=response.status_code)
        expect_error(response, 404)

    @pytest.mark.rule("max-item-digits")
    def test_items_of_max_item_digits_are_summed(self, client):
        big = 10 ** 4000 - 1  # 4,000 nines: MAX_ITEM_DIGITS
        expect_json_equal(client.get(f"/sum/{big},1"), {"nums": [big, 1], "sum": big + 1})

    @pytest.mark.rule("max-item-digits")
    def test_the_minus_sign_is_not_a_digit(self, client):
        low = -(10 ** 4000 - 1)  # "-" and 4,000 nines: 4,000 digits, within MAX_ITEM_DIGITS
        response = client.get(f"/sum/{low},1")
        assert response.status_code == 200, _(
            "/sum/-<4,000 nines>,1 answered {status}, expected 200: the item has 4,000 digits (MAX_ITEM_DIGITS); "
            "its minus sign is not a digit. Count the digits without the sign."
        ).format(status=response.status_code)
        expect_json_equal(response, {"nums": [low, 1], "sum": low + 1})

    @pytest.mark.rule("never-500")
    def test_any_list_gets_no_500_and_json_errors(self, client):
        items = st.one_of(NUMBER_TEXT, st.just("9" * 4000), fuzz.TEXT)
        lists = st.lists(items, min_size=1, max_size=12).map(",".join).map(fuzz.percent_encoded)
        requests = st.tuples(st.sampled_from(["GET", "OPTIONS"]), lists)
        fuzz.probe(lambda request: client.open("/sum/" + request[1], method=request[0]), requests, json_errors=True)

    @pytest.mark.parametrize("nums", [[4, 5], [42], [1, -2]])
    @pytest.mark.rule("url-for")
    def test_url_for_with_a_list(self, app, nums):
        built = build(app, "sum_numbers", nums=nums)
        expected = "/sum/" + ",".join(map(str, nums))
        assert built == expected, _("url_for('sum_numbers', nums={nums}) built {built}, expected {expected}.").format(
            nums=nums, built=repr(built), expected=repr(expected))


@pytest.mark.exercise("date")
class TestDate:
    @pytest.mark.parametrize("day", [date(2024, 2, 29), date(2000, 1, 1), date(1999, 12, 31), date.today()])
    @pytest.mark.rule("real-dates")
    def test_real_dates(self, client, day):
        expect_json_equal(client.get(f"/archive/{day.isoformat()}"),
                          {"day": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]})

    @pytest.mark.parametrize("text", [
        "2023-02-29", "2024-2-9", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01",
        "20240229", "2024-02-29T00:00", "yesterday",
    ])
    @pytest.mark.rule("not-a-date-404")
    def test_not_a_date_is_404(self, client, text):
        with expected_answer(_("a 404: in to_python, turn the ValueError of a day that does not exist into "
                               "`raise ValidationError()`, Werkzeug's \"this rule does not match\"")):
            response = client.get(f"/archive/{text}")
        expect_error(response, 404)

    @pytest.mark.rule("url-for")
    def test_url_for_with_a_date(self, app):
        day = date.today() - timedelta(days=3)
        built = build(app, "archive", day=day)
        expected = f"/archive/{day.isoformat()}"
        assert built == expected, _("url_for('archive', day={day}) built {built}, expected {expected}.").format(
            day=repr(day), built=repr(built), expected=repr(expected))

    @pytest.mark.rule("never-500")
    def test_any_day_gets_no_500_and_json_errors(self, client):
        shaped = st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True).map(fuzz.percent_encoded)
        fuzz.probe(lambda day: client.get("/archive/" + day), st.one_of(shaped, SEGMENTS), json_errors=True)


@pytest.mark.exercise("route_options")
class TestRouteOptions:
    @pytest.mark.rule("strict-slashes")
    def test_docs_with_slash(self, client):
        expect_text(client.get("/docs/"), "docs")

    @pytest.mark.rule("strict-slashes")
    def test_docs_without_slash_redirects(self, client):
        expect_redirect(client.get("/docs"), 308, "/docs/")

    @pytest.mark.parametrize("nid", [1, 42])
    @pytest.mark.rule("redirect-to")
    def test_legacy_redirects_home(self, client, nid):
        expect_redirect(client.get(f"/legacy/{nid}"), 308, f"/home/{nid}")
        expect_json_equal(client.get(f"/legacy/{nid}", follow_redirects=True), {"home": nid})

    @pytest.mark.rule("redirect-to")
    def test_legacy_needs_an_int(self, client):
        expect_error(client.get("/legacy/abc"), 404)

    @pytest.mark.rule("legacy-endpoint")
    def test_legacy_keeps_its_endpoint(self, app):
        built = build(app, "legacy", nid=7)
        assert built == "/legacy/7", _(
            "url_for('legacy', nid=7) built {built}, expected '/legacy/7': the old URL keeps an endpoint named "
            "'legacy' (add_url_rule's endpoint=), so the app can still build it."
        ).format(built=repr(built))

    @pytest.mark.rule("never-500")
    def test_any_page_gets_no_500_and_json_errors(self, client):
        paths = st.tuples(st.sampled_from(["/legacy/", "/page/", "/docs/"]), SEGMENTS)
        fuzz.probe(lambda path: client.get("".join(path), follow_redirects=True), paths, json_errors=True)

    @pytest.mark.parametrize(("path", "num"), [("/page/", 1), ("/page/2", 2), ("/page/10", 10)])
    @pytest.mark.rule("defaults")
    def test_pages(self, client, path, num):
        expect_json_equal(client.get(path), {"page": num})

    @pytest.mark.rule("defaults")
    def test_page_one_redirects_to_the_default_url(self, client):
        expect_redirect(client.get("/page/1"), 308, "/page/")

    @pytest.mark.rule("one-page-endpoint")
    def test_one_view_for_both_page_rules(self, app):
        rules = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/page/")}
        assert rules == {"/page/": "page", "/page/<int:num>": "page"}, _(
            "/page/ and /page/<int:num> should both be the endpoint 'page'; found {rules}."
        ).format(rules=rules)
        built = build(app, "page"), build(app, "page", num=3)
        assert built == ("/page/", "/page/3"), _(
            "url_for('page') and url_for('page', num=3) built {built}, expected ('/page/', '/page/3')."
        ).format(built=built)


@pytest.mark.exercise("subdomain")
class TestSubdomain:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SERVER_NAME": SERVER_NAME}

    @pytest.mark.parametrize("user", ["alice", "bob", "user-42"])
    @pytest.mark.rule("username-subdomain")
    def test_username_subdomain(self, client, user):
        response = client.get("/", base_url=f"http://{user}.{SERVER_NAME}")
        assert response.get_data(as_text=True) != "root", _(
            "GET http://{user}.{server}/ was answered by the rule without a subdomain: Flask matches subdomains only "
            "when the app is built with Flask(__name__, subdomain_matching=True) and SERVER_NAME is set.").format(
            user=user, server=SERVER_NAME)
        expect_text(response, user)

    @pytest.mark.rule("root")
    def test_bare_server_name_is_root(self, client):
        expect_text(client.get("/", base_url=f"http://{SERVER_NAME}"), "root")

    @pytest.mark.parametrize("host", [f"a.b.{SERVER_NAME}", f"-x.{SERVER_NAME}"])
    @pytest.mark.rule("plain-label-only")
    def test_not_a_plain_label_is_404(self, client, host):
        expect_error(client.get("/", base_url=f"http://{host}"), 404)

    @pytest.mark.rule("foreign-host-404")
    def test_foreign_host_is_404(self, client):
        with pytest.warns(UserWarning, match="server name"):  # Werkzeug warns about the mismatch
            response = client.get("/", base_url="http://other.example")
        expect_error(response, 404)

    @pytest.mark.rule("never-500")
    def test_any_host_gets_no_500_and_json_errors(self, client):
        def send(label):
            with warnings.catch_warnings():  # Werkzeug warns of a host it cannot read, then answers 404
                warnings.filterwarnings("ignore", "Current server name", UserWarning)
                return client.get("/", headers={"Host": f"{label}.{SERVER_NAME}"})

        fuzz.probe(send, fuzz.header_values(), json_errors=True)

    @pytest.mark.rule("other-routes")
    def test_other_routes_still_work_on_the_server_name(self, client):
        expect_json_equal(client.get("/home/3", base_url=f"http://{SERVER_NAME}"), {"home": 3})

    @pytest.mark.rule("root")
    def test_without_server_name_root_works(self, chapter_module):
        app = chapter_module.create_app({"TESTING": True})
        assert app.subdomain_matching, _(
            "create_app() built an app without subdomain matching: build it with Flask(__name__, subdomain_matching=True)."
        )
        expect_text(app.test_client().get("/"), "root")
