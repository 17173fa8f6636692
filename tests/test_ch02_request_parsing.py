"""Grader for chapter 2: reading the request (see chapters/ch02_request_parsing/README.md)."""
import io

import pytest
from hypothesis import strategies as st
from werkzeug.utils import secure_filename

from tests import fuzz
from tests.expect import expect_error, expect_json, expect_json_equal
from track.model.i18n import _

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24  # enough to stand for an image: nothing opens it
UPLOAD_FIELDS = {"id": "7", "name": "holiday"}
PAGES = st.one_of(st.integers().map(str), fuzz.HUGE_NUMBERS.map(str), fuzz.TEXT)


def form_body(pairs: list[tuple[str, str]]) -> str:
    """A form-encoded body with repeated keys kept, as a browser sends a multi-select."""
    return "&".join(fuzz.query_string(**{name: value}) for name, value in pairs)


def upload(client, filename="photo.png", content=PNG_BYTES, mimetype="image/png", **fields):
    """POST /demo the way Postman's form-data tab does: a file part plus text fields."""
    data = {**UPLOAD_FIELDS, **fields}
    if filename is not None:
        data["file"] = (io.BytesIO(content), filename, mimetype)
    return client.post("/demo", data=data, content_type="multipart/form-data")


@pytest.mark.exercise("query")
class TestQuery:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [("q=flask&page=2", {"q": "flask", "page": 2}),
         ("", {"q": "", "page": 1}),
         ("q=hello+world", {"q": "hello world", "page": 1}),
         ("page=12&q=%E5%B0%8F%E6%98%8E", {"q": "小明", "page": 12}),
         ("q=", {"q": "", "page": 1}),
         ("page=007", {"q": "", "page": 7}),
         ("page=1", {"q": "", "page": 1}),
         ("page=" + "9" * 18, {"q": "", "page": 10**18 - 1})],
    )
    @pytest.mark.rule("reads-q-and-page")
    def test_reads_q_and_page(self, client, query, expected):
        expect_json_equal(client.get(f"/search?{query}"), expected)

    @pytest.mark.parametrize(
        "page",
        ["", "abc", "0", "-3", "1.5", "+3", " 2", "1e3", "0x10", "%D9%A1%D9%A2", "99999999999999999999x",
         "1" + "0" * 18],
        ids=["empty", "letters", "zero", "negative", "decimal", "plus-sign", "space", "exponent", "hex",
             "arabic-indic-digits", "trailing-junk", "nineteen-digits"],
    )
    @pytest.mark.rule("bad-page-400")
    def test_a_bad_page_is_400_not_a_silent_default(self, client, page):
        response = client.get(f"/search?q=x&page={page}")
        error = expect_error(response, 400, _(
            "A bad page came back as a page: request.args.get(\"page\", 1, type=int) turns what it cannot convert into "
            "the default without a word. Read the raw text, check it, and raise BadRequest.")
            if (response.get_json(silent=True) or {}).get("page") == 1 else None)
        assert error["message"], _("The 400 should say what is wrong with page.")

    @pytest.mark.rule("long-page-400")
    def test_a_page_of_5000_digits_is_400_not_a_crash(self, crash_as_500, client):
        response = client.get("/search?page=" + "9" * 5000)
        assert response.status_code != 500, _(
            "An integer with 5,000 digits must be a 400, not a crash: int() raises ValueError past "
            "4,300 digits, so check the length of page before converting it."
        )
        expect_error(response, 400)

    @pytest.mark.rule("never-500")
    def test_any_query_gets_no_500_and_json_errors(self, client):
        queries = st.fixed_dictionaries({}, optional={"q": fuzz.TEXT, "page": PAGES})
        fuzz.probe(lambda query: client.get("/search?" + fuzz.query_string(**query)), queries, json_errors=True)


@pytest.mark.exercise("form")
class TestForm:
    @pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
    @pytest.mark.rule("name-and-tags")
    def test_reads_name_and_every_tag_in_order(self, client, content_type):
        data = {"name": "Ada", "tags": ["python", "flask", "web", "flask"]}
        response = client.post("/form", data=data, content_type=content_type)
        expect_json_equal(response, {"name": "Ada", "tags": ["python", "flask", "web", "flask"]}, cause=_(
            "A field sent several times holds several values: request.form.get() and request.form[...] give only the "
            "first; request.form.getlist(\"tags\") gives them all, in order."))

    @pytest.mark.rule("name-and-tags")
    def test_no_tags_is_an_empty_list(self, client):
        expect_json_equal(client.post("/form", data={"name": "小明"}), {"name": "小明", "tags": []})

    @pytest.mark.parametrize(
        "data",
        [{}, {"name": ""}, {"name": "   "}, {"name": "\t\n"}, {"tags": ["a", "b"]}],
        ids=["missing", "empty", "spaces", "tab-newline", "tags-only"],
    )
    @pytest.mark.rule("blank-name-400")
    def test_a_missing_or_blank_name_is_400(self, client, data):
        expect_error(client.post("/form", data=data), 400)

    @pytest.mark.rule("form-fields-only")
    def test_name_in_the_query_string_is_not_a_form_field(self, client):
        expect_error(client.post("/form?name=Ada", data={"tags": "a"}), 400)

    @pytest.mark.rule("form-fields-only")
    def test_a_json_body_is_not_a_form(self, client):
        expect_error(client.post("/form", json={"name": "Ada"}), 400)

    @pytest.mark.rule("get-405")
    def test_get_is_405_json(self, client):
        expect_error(client.get("/form"), 405)

    @pytest.mark.rule("never-500")
    def test_any_form_gets_no_500_and_json_errors(self, client):
        pairs = st.lists(st.tuples(st.sampled_from(["name", "tags", "other"]), fuzz.TEXT), max_size=5)
        fuzz.probe(lambda form: client.post("/form", data=form_body(form),
                                            content_type="application/x-www-form-urlencoded"),
                   pairs, json_errors=True)


@pytest.mark.exercise("json")
class TestJson:
    @pytest.mark.parametrize(
        "payload",
        [{"b": 1, "a": [1, 2], "c": {"nested": True}}, {}, {"名字": "小明", "emoji": "🙂"}, {"x": None}],
        ids=["mixed", "empty-object", "unicode", "null-value"],
    )
    @pytest.mark.rule("echo-object-and-keys")
    def test_echoes_the_object_and_its_sorted_keys(self, client, payload):
        response = client.post("/json", json=payload)
        empty = payload and (response.get_json(silent=True) or {}).get("received") == {}
        expect_json_equal(response, {"received": payload, "keys": sorted(payload)}, cause=_(
            "The object arrived empty: request.form holds only form-encoded fields, never a JSON body. "
            "Read JSON with request.get_json().") if empty else None)

    @pytest.mark.parametrize(
        ("body", "content_type"),
        [(b'{"a": 1', "application/json"),
         (b"[1, 2, 3]", "application/json"),
         (b'"just a string"', "application/json"),
         (b"42", "application/json"),
         (b"null", "application/json"),
         (b"", "application/json"),
         (b"\xff\xfe{", "application/json"),
         (b'{"a": 1}', "text/plain"),
         (b'{"a": 1}', None),
         (b"a=1", "application/x-www-form-urlencoded"),
         (b"[" * 100_000 + b"]" * 100_000, "application/json")],
        ids=["broken", "list", "string", "number", "null", "empty", "not-utf8", "text-plain-type",
             "no-content-type", "form-encoded", "nested-too-deep"],
    )
    @pytest.mark.rule("object-only-400")
    def test_anything_but_a_json_object_is_400(self, client, body, content_type):
        headers = {"Content-Type": content_type} if content_type else {}
        expect_error(client.post("/json", data=body, headers=headers), 400)

    @pytest.mark.parametrize(
        "body",
        [b'{"a": 1e999}', b'{"a": -1e999}', b'{"a": NaN}', b'{"a": Infinity}', b'{"a": {"b": [1, -Infinity]}}'],
        ids=["overflowing-number", "overflowing-negative", "nan", "infinity", "nested-infinity"],
    )
    @pytest.mark.rule("finite-numbers-400")
    def test_numbers_json_cannot_carry_are_400(self, client, body):
        response = client.post("/json", data=body, content_type="application/json")
        assert response.status_code != 200, _(
            "POST /json with {body} answered 200 with {answer}: "
            "NaN and Infinity are not JSON (1e999 is read as inf), so echoing them sends invalid JSON. "
            "Refuse such a body with a 400, e.g. check json.dumps(data, allow_nan=False)."
        ).format(body=body.decode(), answer=repr(response.get_data(as_text=True)[:200]))
        expect_error(response, 400)

    @pytest.mark.rule("get-405")
    def test_get_is_405_json(self, client):
        expect_error(client.get("/json"), 405)

    @pytest.mark.rule("never-500")
    def test_any_body_gets_no_500_and_json_errors(self, client):
        bodies = fuzz.json_bodies({"a": fuzz.NUMBERS, "名字": fuzz.TEXT})
        fuzz.probe(lambda body: client.post("/json", data=body.encode("utf-8", "surrogatepass"),
                                            content_type="application/json"),
                   bodies, json_errors=True)


@pytest.mark.exercise("upload")
class TestUpload:
    @pytest.mark.rule("reports-upload")
    def test_reports_the_postman_demo_upload(self, client):
        expected = {**UPLOAD_FIELDS, "filename": "photo.png", "size": len(PNG_BYTES), "content_type": "image/png"}
        expect_json_equal(upload(client), expected)

    @pytest.mark.rule("part-mimetype")
    def test_reports_the_parts_mimetype_not_a_guess(self, client):
        expect_json_equal(upload(client, "notes.png", b"plain words", "text/plain"),
                          {**UPLOAD_FIELDS, "filename": "notes.png", "size": 11, "content_type": "text/plain"})

    @pytest.mark.rule("fields-stay-strings")
    def test_id_and_name_stay_strings(self, client):
        expect_json_equal(upload(client, content=b"", id="007", name="小明"),
                          {"id": "007", "name": "小明", "filename": "photo.png", "size": 0, "content_type": "image/png"})

    @pytest.mark.parametrize(
        "filename",
        ["../../evil.png", "/etc/passwd", "..\\..\\evil.png", "C:\\Windows\\system32\\evil.png",
         "café.png", "my cat.png", ".bashrc"],
        ids=["dot-dot", "absolute", "windows-separators", "windows-absolute", "unicode", "space", "dotfile"],
    )
    @pytest.mark.rule("secure-filename")
    def test_reports_the_secured_file_name(self, client, filename):
        expected = {**UPLOAD_FIELDS, "filename": secure_filename(filename), "size": len(PNG_BYTES), "content_type": "image/png"}
        response = upload(client, filename)
        expect_json_equal(response, expected, cause=_(
            "The file name came back as the client sent it: a client chooses it, `../` and all. "
            "Answer secure_filename(upload.filename).") if filename in response.get_data(as_text=True) else None)

    @pytest.mark.parametrize(
        ("filename", "fields"),
        [(None, {}), ("", {}), ("..", {}), ("../../", {}), ("照片", {}),
         ("photo.png", {"id": ""}), ("photo.png", {"name": "   "})],
        ids=["no-file-part", "empty-filename", "dot-dot-only", "only-separators", "nothing-ascii",
             "blank-id", "blank-name"],
    )
    @pytest.mark.rule("bad-upload-400")
    @pytest.mark.rule("missing-fields-400")
    def test_bad_uploads_are_400(self, client, filename, fields):
        expect_error(upload(client, filename, **fields), 400)

    @pytest.mark.rule("missing-fields-400")
    def test_missing_text_fields_are_400(self, client):
        data = {"file": (io.BytesIO(PNG_BYTES), "photo.png", "image/png")}
        expect_error(client.post("/demo", data=data, content_type="multipart/form-data"), 400)

    @pytest.mark.rule("too-big-413")
    def test_an_oversized_body_is_413_json(self, app, client):
        too_big = b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        response = upload(client, content=too_big)
        try:
            expect_error(response, 413)
        finally:  # the test client spooled the big body to a temp file and leaves it open
            response.request.environ["wsgi.input"].close()

    @pytest.mark.rule("bad-upload-400")
    def test_a_json_body_is_400(self, client):
        expect_error(client.post("/demo", json=UPLOAD_FIELDS), 400)

    @pytest.mark.rule("never-500")
    def test_any_upload_gets_no_500_and_json_errors(self, client):
        fields = st.fixed_dictionaries({"filename": fuzz.multipart_text()},
                                       optional={"id": fuzz.multipart_text(), "name": fuzz.multipart_text()})
        fuzz.probe(lambda sent: upload(client, **sent), fields, json_errors=True)


@pytest.mark.exercise("headers")
class TestHeaders:
    @pytest.mark.rule("describes-request")
    def test_describes_the_request(self, client):
        client.set_cookie("theme", "dark")
        client.set_cookie("lang", "zh-CN")
        response = client.get("/whoami", headers={"User-Agent": "grader/1.0", "Auth-Token": "s3cr3t"})
        expect_json_equal(response, {
            "user_agent": "grader/1.0", "auth_token": "s3cr3t", "ip": "127.0.0.1",
            "method": "GET", "path": "/whoami", "cookies": {"theme": "dark", "lang": "zh-CN"},
        })

    @pytest.mark.rule("absent-null")
    def test_absent_headers_are_null(self, client):
        client.environ_base.pop("HTTP_USER_AGENT", None)  # the test client sends one by default
        expect_json_equal(client.get("/whoami"), {
            "user_agent": None, "auth_token": None, "ip": "127.0.0.1",
            "method": "GET", "path": "/whoami", "cookies": {},
        })

    @pytest.mark.rule("ip-socket")
    def test_ip_is_the_socket_address_without_a_proxy_header(self, client):
        response = client.get("/whoami", environ_base={"REMOTE_ADDR": "192.0.2.44"})
        ip = expect_json(response).get("ip")
        assert ip == "192.0.2.44", _(
            "Without X-Forwarded-For, ip should be the socket address 192.0.2.44, got {ip}.").format(ip=repr(ip))

    @pytest.mark.parametrize(
        ("forwarded_for", "expected"),
        [("1.1.1.1, 203.0.113.7", "203.0.113.7"),
         ("203.0.113.9", "203.0.113.9"),
         ("6.6.6.6, 7.7.7.7, 198.51.100.3", "198.51.100.3"),
         ("2001:db8::1", "2001:db8::1")],
        ids=["client-spoofed-first", "one-hop", "several-spoofed", "ipv6"],
    )
    @pytest.mark.rule("one-proxy-hop")
    def test_trusts_exactly_one_proxy_hop(self, client, forwarded_for, expected):
        response = client.get("/whoami", headers={"X-Forwarded-For": forwarded_for},
                              environ_base={"REMOTE_ADDR": "10.0.0.2"})  # the proxy's own address
        ip = expect_json(response).get("ip")
        assert ip == expected, _(
            "Behind one proxy, X-Forwarded-For {forwarded_for} means the client is {expected}; got {ip}. "
            "Only the last hop was written by our proxy: the earlier ones came from the client."
        ).format(forwarded_for=repr(forwarded_for), expected=repr(expected), ip=repr(ip)) + (
            " " + _("request.remote_addr is still the proxy's own address: wrap the app in "
                    "ProxyFix(app.wsgi_app, x_for=1) so it reads the last X-Forwarded-For hop.") if ip == "10.0.0.2" else "")

    @pytest.mark.rule("post-405")
    def test_post_is_405_json(self, client):
        expect_error(client.post("/whoami"), 405)

    @pytest.mark.rule("never-500")
    def test_any_header_gets_no_500_and_json_errors(self, client):
        names = st.sampled_from(["User-Agent", "Auth-Token", "X-Forwarded-For", "Cookie"])
        headers = st.dictionaries(names, fuzz.header_values(), max_size=4)
        fuzz.probe(lambda sent: client.get("/whoami", headers=sent), headers, json_errors=True)


@pytest.mark.exercise("values")
class TestValues:
    @pytest.mark.parametrize(
        ("method", "url", "form", "expected"),
        [("GET", "/values?id=1", None, {"id": "1", "source": "args"}),
         ("POST", "/values", {"id": "2"}, {"id": "2", "source": "form"}),
         ("POST", "/values?id=1", {"id": "2"}, {"id": "1", "source": "args"}),
         ("POST", "/values?other=x", {"other": "y"}, {"id": None, "source": None}),
         ("GET", "/values", None, {"id": None, "source": None}),
         ("GET", "/values?id=", None, {"id": "", "source": "args"})],
        ids=["args", "form", "both-args-win", "neither-post", "neither-get", "empty-id"],
    )
    @pytest.mark.rule("value-and-source")
    def test_reports_the_value_and_its_source(self, client, method, url, form, expected):
        expect_json_equal(client.open(url, method=method, data=form), expected, cause=_(
            "request.values looks in the query string first, then in the form: when both carry `id`, the query "
            "string wins. Read request.values.get(\"id\") rather than the two by hand.") if form and "?id=" in url else None)

    @pytest.mark.rule("put-405")
    def test_put_is_405_json(self, client):
        expect_error(client.put("/values?id=1"), 405)

    @pytest.mark.rule("never-500")
    def test_any_id_gets_no_500_and_json_errors(self, client):
        def send(sent):
            query = fuzz.query_string(**{"id": sent["query"]} if "query" in sent else {})
            return client.post("/values?" + query, data=fuzz.query_string(**{"id": sent["form"]} if "form" in sent else {}),
                               content_type="application/x-www-form-urlencoded")
        ids = st.fixed_dictionaries({}, optional={"query": fuzz.TEXT, "form": fuzz.TEXT})
        fuzz.probe(send, ids, json_errors=True)
