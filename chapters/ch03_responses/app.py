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
        # TODO(text): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(text)")

    @app.get("/plain")
    def plain():
        """Exercise `text`: GET /plain answers `Hello, World!` as text/plain; charset=utf-8."""
        # TODO(text): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(text)")

    @app.get("/item")
    def item():
        """Exercise `json`: GET /item answers the JSON object {"id": 1, "name": "flask"}, returned as a dict."""
        # TODO(json): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(json)")

    @app.get("/items")
    def list_items():
        """Exercise `json`: GET /items answers a JSON list of the items (two in a fresh app), returned as a list."""
        # TODO(json): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(json)")

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
        """
        # TODO(status): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(status)")

    @app.get("/cookie")
    def set_cookie():
        """Exercise `cookie`: GET /cookie answers `This document carries a cookie!` and sets answer=42.

        Build the response with `make_response`; the cookie is HttpOnly (no JavaScript access)
        and SameSite=Lax (not sent on cross-site POSTs).
        """
        # TODO(cookie): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(cookie)")

    @app.get("/cookie/clear")
    def clear_cookie():
        """Exercise `cookie`: GET /cookie/clear expires the `answer` cookie."""
        # TODO(cookie): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(cookie)")

    @app.post("/echo-image")
    def echo_image():
        """Exercise `send_file`: POST /echo-image multipart `file` saves the image and sends it back.

        png, jpg, jpeg or gif in any letter case; saved under UPLOAD_FOLDER with
        `secure_filename`, answered with `send_file`, the image's mimetype and 200.
        No file (or an empty filename) → 400; another extension → 415; a safe name longer
        than MAX_FILENAME_LENGTH → 400; a body over MAX_CONTENT_LENGTH → 413 (Werkzeug
        raises it; the JSON handler above shapes it).
        `../../evil.png` must land inside UPLOAD_FOLDER, never outside.
        """
        # TODO(send_file): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(send_file)")

    @app.get("/download/<name>")
    def download(name: str):
        """Exercise `download`: GET /download/<name> sends that file of UPLOAD_FOLDER as an attachment.

        `Content-Disposition: attachment; filename=...`; a missing file or a name that would
        escape the folder is a 404. `send_from_directory` checks both.
        """
        # TODO(download): write this part; the docstring above has the contract. Stuck? `python -m track hint 3`
        raise NotImplementedError("TODO(download)")

    return app
