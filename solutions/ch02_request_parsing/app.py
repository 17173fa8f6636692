"""Chapter 2: reading the request: args, form, values, files, JSON, headers and cookies.

Run it with `make chapter-2 run` (gevent) or `flask --app chapters.ch02_request_parsing.app run --debug`.
`request` looks like a global, but it is a context-local: each request gets its own while
a view runs, and using it outside a request raises `RuntimeError: Working outside of request context`.
"""
import json

from flask import Flask, request
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import secure_filename

# Not in the contract, but an upload endpoint without a size limit lets anyone fill the
# server's memory or disk: Werkzeug answers 413 once a body is larger than this.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PAGE_DIGITS = 18  # any page a 64-bit database OFFSET can reach


# --8<-- [start:errors]
def json_error(error: HTTPException):
    """Every HTTP error of this app as {"error": <short name>, "message": <human text>}.

    Werkzeug's own pages are HTML; an API client wants JSON. `get_response()` keeps the
    headers an error carries, such as `Allow` on a 405.
    """
    response = error.get_response()
    response.set_data(json.dumps({"error": error.name, "message": error.description}))
    response.content_type = "application/json"
    return response
# --8<-- [end:errors]


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (the tests pass TESTING=True)."""
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES)
    if test_config:
        app.config.update(test_config)
    app.register_error_handler(HTTPException, json_error)

    # SOLUTION headers
    # The app sits behind exactly one reverse proxy: trust one X-Forwarded-For hop (the
    # address our proxy saw), never the first value, which any client can write.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
    # STUB
    # # TODO(headers): this app sits behind one reverse proxy; wrap app.wsgi_app so that
    # # request.remote_addr is the client address the proxy saw (werkzeug's ProxyFix).
    # END SOLUTION

    @app.get("/search")
    def search():
        """Exercise `query`: GET /search?q=<str>&page=<int> answers {"q": q or "", "page": page or 1}.

        A `page` that is present but not a positive whole number (empty, `abc`, `0`, `-3`,
        `1.5`) or longer than 18 digits is a 400 JSON error. `request.args.get("page", 1,
        type=int)` would silently turn `abc` into 1 and hide the client's mistake.

        Rules:
        - [reads-q-and-page] answers {"q": q or "", "page": page or 1}, page a JSON number
          (`007` is 7, 18 digits still work).
        - [bad-page-400] a page that is empty or not a positive whole number in ASCII digits
          (`abc`, `0`, `-3`, `1.5`, `+3`, ` 2`, `1e3`) is a 400 JSON error with a message.
        - [long-page-400] a page longer than 18 digits (even 5,000) is a 400, not a crash.
        - [never-500] no query string makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION query
        raw_page = request.args.get("page")
        if raw_page is None:
            page = 1
        # isascii(): "١٢" (Arabic-Indic digits) passes isdigit() and int() accepts it.
        # The length first: int() raises ValueError past 4,300 digits, and no page is that far.
        elif raw_page.isascii() and raw_page.isdigit() and len(raw_page) <= MAX_PAGE_DIGITS and int(raw_page) > 0:
            page = int(raw_page)
        else:
            raise BadRequest(f"page must be a positive whole number, got {raw_page!r}.")
        return {"q": request.args.get("q", ""), "page": page}
        # END SOLUTION

    @app.post("/form")
    def form():
        """Exercise `form`: POST /form (form-encoded or multipart) with `name` and any number of `tags`.

        Answers {"name": name, "tags": [every tags value, in order]}. A missing, empty or
        whitespace-only `name` is a 400 JSON error. `request.form["tags"]` would give only
        the first tag: a repeated key needs `getlist`.

        Rules:
        - [name-and-tags] answers {"name", "tags"} with every `tags` value in order ([] for
          none), for a form-encoded and for a multipart body.
        - [blank-name-400] a missing, empty or whitespace-only `name` is a 400 JSON error.
        - [form-fields-only] only the form counts: `?name=` in the query string or a JSON body
          is a 400.
        - [get-405] GET /form is a 405 with the JSON error body.
        - [never-500] no form makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION form
        name = request.form.get("name", "")
        if not name.strip():
            raise BadRequest("The form field 'name' is required and must not be blank.")
        return {"name": name, "tags": request.form.getlist("tags")}
        # END SOLUTION

    @app.post("/json")
    def json_body():
        """Exercise `json`: POST /json with a JSON object answers {"received": <it>, "keys": [sorted keys]}.

        A body sent without a JSON Content-Type, that does not parse, or that is not an
        object (a list, a number, null) is a 400 JSON error, not Werkzeug's 415/400 page;
        so is an object holding `NaN` or a number too large for a float (`1e999`).

        Rules:
        - [echo-object-and-keys] answers {"received": <the object>, "keys": <its keys, sorted>}.
        - [object-only-400] no JSON Content-Type, a body that does not parse, or JSON that is
          not an object (a list, a number, null, too deeply nested) is a 400 JSON error.
        - [finite-numbers-400] an object holding `NaN`, `Infinity` or `1e999` is a 400.
        - [get-405] GET /json is a 405 with the JSON error body.
        - [never-500] no body makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION json
        if not request.is_json:
            raise BadRequest("Send the body as JSON with the header Content-Type: application/json.")
        try:
            # silent=True: None instead of an exception when the body does not parse...
            data = request.get_json(silent=True)
        except RecursionError:  # ...except for "[[[[...]]]]" nested too deep for the parser
            data = None
        if not isinstance(data, dict):
            raise BadRequest('The body must be a JSON object, such as {"a": 1}.')
        # Python reads NaN and 1e999 (as inf) but would echo them as NaN/Infinity: not JSON.
        try:
            json.dumps(data, allow_nan=False)
        except ValueError:
            raise BadRequest("Numbers must be finite: JSON has no NaN or Infinity.") from None
        return {"received": data, "keys": sorted(data)}
        # END SOLUTION

    @app.post("/demo")
    def demo_upload():
        """Exercise `upload`: POST /demo multipart with `file`, `id` and `name` (the source's Postman demo).

        Answers {"id": id, "name": name, "filename": secure_filename(the upload's name),
        "size": <bytes>, "content_type": <the part's mimetype>}; `id` and `name` are the
        strings sent. No file part, an empty filename, a filename with nothing safe left in
        it, or a missing/blank `id` or `name` is a 400 JSON error. Nothing is saved here.

        Rules:
        - [reports-upload] answers {"id", "name", "filename", "size", "content_type"} for the upload.
        - [part-mimetype] `content_type` is the mimetype the part was sent with, not a guess
          from the file name.
        - [fields-stay-strings] `id` and `name` are the strings sent (`007` stays "007").
        - [secure-filename] `filename` is `secure_filename()` of the upload's name.
        - [bad-upload-400] no file part, an empty filename, a name with nothing safe left in
          it, or a JSON body instead of multipart is a 400 JSON error.
        - [missing-fields-400] a missing or blank `id` or `name` is a 400 JSON error.
        - [too-big-413] a body over 2 MiB (MAX_CONTENT_LENGTH, set in create_app) is a 413 JSON error.
        - [never-500] no upload makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION upload
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise BadRequest("Attach a file in the multipart field 'file'.")
        # The name is whatever the client wrote, "../../etc/passwd" included.
        filename = secure_filename(upload.filename)
        if not filename:
            raise BadRequest(f"The file name {upload.filename!r} has no usable characters.")
        fields = {key: request.form.get(key, "") for key in ("id", "name")}
        blank = [key for key, value in fields.items() if not value.strip()]
        if blank:
            raise BadRequest(f"The form field(s) {', '.join(blank)} are required.")
        size = len(upload.read())  # bounded: MAX_CONTENT_LENGTH caps the whole body
        return {**fields, "filename": filename, "size": size, "content_type": upload.mimetype}
        # END SOLUTION

    @app.get("/whoami")
    def whoami():
        """Exercise `headers`: GET /whoami describes the request.

        {"user_agent": <User-Agent or null>, "auth_token": <Auth-Token or null>,
         "ip": <client IP>, "method": str, "path": str, "cookies": {name: value}}.
        Behind one proxy, `ip` is the last X-Forwarded-For address (see create_app).

        Rules:
        - [describes-request] answers the six keys from the request's headers, cookies,
          method, path and client address.
        - [absent-null] a missing User-Agent or Auth-Token is null, no cookies is {}.
        - [ip-socket] without X-Forwarded-For, `ip` is the socket's address.
        - [one-proxy-hop] with X-Forwarded-For, `ip` is its last address (the one our single
          proxy wrote), IPv6 too; earlier ones came from the client.
        - [post-405] POST /whoami is a 405 with the JSON error body.
        - [never-500] no header makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION headers
        return {
            # headers.get gives None for a missing header; request.user_agent.string gives "".
            "user_agent": request.headers.get("User-Agent"),
            "auth_token": request.headers.get("Auth-Token"),
            "ip": request.remote_addr,
            "method": request.method,
            "path": request.path,
            "cookies": request.cookies.to_dict(),
        }
        # END SOLUTION

    @app.route("/values", methods=["GET", "POST"])
    def values():
        """Exercise `values`: GET|POST /values answers {"id": request.values id, "source": "args"|"form"|null}.

        When both the query string and the form carry `id`, the query string wins.

        Rules:
        - [value-and-source] answers the `id` from the query string or the form (the query
          string wins) and where it came from; {"id": null, "source": null} without one.
        - [put-405] PUT /values is a 405 with the JSON error body.
        - [never-500] no id makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION values
        # request.values chains args before form, so the first `id` found is the query's.
        # (For GET it holds args only: Werkzeug ignores a GET request's form body there.)
        value = request.values.get("id")
        source = "args" if "id" in request.args else "form" if value is not None else None
        return {"id": value, "source": source}
        # END SOLUTION

    return app
