"""Chapter 3: responses: text, JSON, (body, status, headers), make_response, cookies, send_file, uploads.

Run it with `make chapter-3 run` (gevent) or `flask --app chapters.ch03_responses.app run --debug`.
Uploads go to UPLOAD_FOLDER, by default `uploads/` in the app's instance folder (git-ignored).
"""
import json
import os

from flask import Flask, make_response, request, send_file, send_from_directory
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, UnsupportedMediaType
from werkzeug.utils import secure_filename

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # 2 MiB: Werkzeug answers 413 for a bigger request body
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
MAX_FILENAME_LENGTH = 255  # most file systems' limit, in bytes: secure_filename's ASCII names are 1 byte a character


# --8<-- [start:errors]
def json_error(error: HTTPException):
    """Every HTTP error of this app (400, 404, 405, 413, 415...) as {"error": ..., "message": ...}.

    `get_response()` keeps the headers an error carries, such as `Allow` on a 405.
    """
    response = error.get_response()
    response.set_data(json.dumps({"error": error.name, "message": error.description}))
    response.content_type = "application/json"
    return response
# --8<-- [end:errors]


def create_app(test_config: dict | None = None) -> Flask:
    """Build a fresh app; `test_config` overrides the defaults (tests point UPLOAD_FOLDER at a temp dir)."""
    app = Flask(__name__)
    app.config.from_mapping(
        UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),  # created on first save, not here
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
    )
    if test_config:
        app.config.update(test_config)
    app.register_error_handler(HTTPException, json_error)
    # Each app has its own store: two apps (two tests) never see each other's items.
    items = {1: {"id": 1, "name": "flask"}, 2: {"id": 2, "name": "werkzeug"}}

    @app.get("/text")
    def text():
        """Exercise `text`: GET /text answers `Hello, World!` as text/html; charset=utf-8."""
        # SOLUTION text
        return "Hello, World!"  # a str becomes a 200 text/html response
        # END SOLUTION

    @app.get("/plain")
    def plain():
        """Exercise `text`: GET /plain answers `Hello, World!` as text/plain; charset=utf-8.

        Rules:
        - [text-html-and-plain] GET /text and GET /plain both answer `Hello, World!`, the first
          as `text/html; charset=utf-8`, the second as `text/plain; charset=utf-8`.
        """
        # SOLUTION text
        # A (body, headers) tuple: the headers replace the defaults Flask would send.
        return "Hello, World!", {"Content-Type": "text/plain; charset=utf-8"}
        # END SOLUTION

    @app.get("/item")
    def item():
        """Exercise `json`: GET /item answers the JSON object {"id": 1, "name": "flask"}, returned as a dict."""
        # SOLUTION json
        return items[1]
        # END SOLUTION

    @app.get("/items")
    def list_items():
        """Exercise `json`: GET /items answers a JSON list of the items (two in a fresh app), returned as a list.

        Rules:
        - [item-object] GET /item answers the JSON object {"id": 1, "name": "flask"}.
        - [items-list] GET /items answers a JSON list of the 2 items {"id", "name"}, item 1 first.
        - [items-are-the-store] each listed item is what GET /items/<id> answers: list the
          app's `items`, not a copy written by hand.
        """
        # SOLUTION json
        return list(items.values())
        # END SOLUTION

    @app.get("/items/<int:item_id>")
    def show_item(item_id: int):
        """One item, or a 404: the URL that POST /items names in its Location header."""
        if item_id not in items:
            raise NotFound(f"There is no item {item_id}.")
        return items[item_id]

    @app.post("/items")
    def create_item():
        """Exercise `status`: POST /items with JSON {"name": str} creates an item.

        Answers 201 with {"id": <new int id>, "name": name} and `Location: /items/<new id>`,
        as one (body, status, headers) tuple. A body that is not a JSON object, or a missing,
        non-string or blank `name`, is a 400 JSON error.

        Rules:
        - [created-201-location] answers 201 {"id", "name"} with `Location: /items/<id>`, and
          GET on that Location answers the same item.
        - [new-ids] each new item gets a new id, never 1 or one already used.
        - [bad-body-400] a body that is not a JSON object (a list, broken JSON, text/plain, a
          form, nested too deep), or a missing, non-string or blank `name`, is a 400 JSON error.
        - [never-500] no body makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION status
        try:
            data = request.get_json(silent=True)  # None for a non-JSON type or a broken body
        except RecursionError:  # "[[[[...]]]]" nested deeper than the parser goes
            data = None
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise BadRequest('Send a JSON object with a non-blank string "name", such as {"name": "jinja"}.')
        new_id = max(items) + 1
        items[new_id] = {"id": new_id, "name": name}
        return items[new_id], 201, {"Location": f"/items/{new_id}"}
        # END SOLUTION

    @app.get("/cookie")
    def set_cookie():
        """Exercise `cookie`: GET /cookie answers `This document carries a cookie!` and sets answer=42.

        Build the response with `make_response`; the cookie is HttpOnly (no JavaScript access)
        and SameSite=Lax (not sent on cross-site POSTs).

        Rules:
        - [answer-42-httponly-lax] GET /cookie answers `This document carries a cookie!` and
          sets one cookie `answer=42` with HttpOnly and SameSite=Lax.
        """
        # SOLUTION cookie
        response = make_response("This document carries a cookie!")
        response.set_cookie("answer", "42", httponly=True, samesite="Lax")
        return response
        # END SOLUTION

    @app.get("/cookie/clear")
    def clear_cookie():
        """Exercise `cookie`: GET /cookie/clear expires the `answer` cookie.

        Rules:
        - [clear-expires] GET /cookie/clear answers 200 with a Set-Cookie that removes `answer`
          from the client.
        - [clear-same-attributes] it answers `The cookie is gone.`, and that Set-Cookie carries
          HttpOnly and SameSite=Lax as the one that set it did.
        """
        # SOLUTION cookie
        response = make_response("The cookie is gone.")
        # An expiry date in the past (and Max-Age=0) makes the browser drop the cookie.
        response.delete_cookie("answer", httponly=True, samesite="Lax")
        return response
        # END SOLUTION

    @app.post("/echo-image")
    def echo_image():
        """Exercise `send_file`: POST /echo-image multipart `file` saves the image and sends it back.

        png, jpg, jpeg or gif in any letter case; saved under UPLOAD_FOLDER with
        `secure_filename`, answered with `send_file`, the image's mimetype and 200.
        No file (or an empty filename) → 400; another extension → 415; a safe name longer
        than MAX_FILENAME_LENGTH → 400; a body over MAX_CONTENT_LENGTH → 413 (Werkzeug
        raises it; the JSON handler above shapes it).
        `../../evil.png` must land inside UPLOAD_FOLDER, never outside.

        Rules:
        - [echoes-image] answers 200 with the uploaded bytes and the image's mimetype, and
          saves them as the file's name in UPLOAD_FOLDER (any letter case of the extension).
        - [stays-in-folder] a hostile name (`../../evil.png`, `/tmp/evil.png`, `..\\evil.png`,
          `C:\\...`) is answered 200 and saved inside UPLOAD_FOLDER, never outside.
        - [bad-upload-400-415] no file part or an empty filename is a 400; another extension
          (exe, svg, none, `photo.png.exe`) is a 415; both with the JSON error body.
        - [long-name-400] a safe name longer than MAX_FILENAME_LENGTH (255) is a 400; one of
          exactly 255 characters is saved.
        - [too-big-413] a body over MAX_CONTENT_LENGTH is a 413 JSON error.
        - [no-stem-upload] a name with nothing ASCII left before the extension (`照片.png`)
          is saved as `upload.<extension>`.
        - [existing-folder] a second upload goes into the folder the first one created.
        - [get-405] GET /echo-image is a 405 with the JSON error body.
        - [never-500] no file name makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION send_file
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise BadRequest("Attach an image in the multipart field 'file'.")
        extension = upload.filename.rpartition(".")[2].lower() if "." in upload.filename else ""
        if extension not in IMAGE_TYPES:
            raise UnsupportedMediaType(f"Only {', '.join(IMAGE_TYPES)} files are accepted.")
        # Never build the path from the client's name: "../../x.png" would climb out.
        filename = secure_filename(upload.filename)
        if not filename.lower().endswith(f".{extension}"):  # nothing ASCII was left, e.g. "照片.png"
            filename = f"upload.{extension}"
        if len(filename) > MAX_FILENAME_LENGTH:  # secure_filename does not shorten: open() would fail
            raise BadRequest(f"The file name must be at most {MAX_FILENAME_LENGTH} characters once made safe.")
        folder = app.config["UPLOAD_FOLDER"]
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, filename)
        upload.save(path)
        return send_file(path, mimetype=IMAGE_TYPES[extension])
        # END SOLUTION

    @app.get("/download/<name>")
    def download(name: str):
        """Exercise `download`: GET /download/<name> sends that file of UPLOAD_FOLDER as an attachment.

        `Content-Disposition: attachment; filename=...`; a missing file or a name that would
        escape the folder is a 404. `send_from_directory` checks both.

        Rules:
        - [attachment] answers 200 with the file's bytes and `Content-Disposition: attachment;
          filename=<name>`.
        - [missing-or-escaping-404] a missing file or a name that would leave the folder
          (`..`, `%2e%2e`, `\\`, an absolute path, a sibling folder's name) is a 404 JSON error.
        - [never-500] no name makes it answer 500; every error is the JSON error body.
        """
        # SOLUTION download
        return send_from_directory(app.config["UPLOAD_FOLDER"], name, as_attachment=True)
        # END SOLUTION

    return app
