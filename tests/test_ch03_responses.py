"""Grader for chapter 3: responses (see chapters/ch03_responses/README.md)."""
import io
import os
from pathlib import Path

import pytest

from tests import fuzz
from tests.expect import expect_error, expect_header, expect_json, expect_json_equal, expect_status, expect_text, expected_answer
from track.model.i18n import _

# Enough of each format's signature to stand for an image; the app checks names, not pixels.
IMAGE_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
MIMETYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}


@pytest.fixture
def upload_folder(tmp_path) -> Path:
    # Two levels below tmp_path, so "../../evil.png" would land in tmp_path if it escaped.
    return tmp_path / "jail" / "uploads"


@pytest.fixture
def app_config(upload_folder):
    return {"TESTING": True, "UPLOAD_FOLDER": str(upload_folder)}


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def echo(client, filename, content=IMAGE_BYTES, mimetype="application/octet-stream"):
    """POST /echo-image and read the whole answer: a send_file response must be closed."""
    data = {} if filename is None else {"file": (io.BytesIO(content), filename, mimetype)}
    response = client.post("/echo-image", data=data, content_type="multipart/form-data")
    response.get_data()
    response.close()
    return response


@pytest.mark.exercise("text")
class TestText:
    @pytest.mark.parametrize(
        ("path", "content_type"),
        [("/text", "text/html; charset=utf-8"), ("/plain", "text/plain; charset=utf-8")],
    )
    @pytest.mark.rule("text-html-and-plain")
    def test_same_body_two_content_types(self, client, path, content_type):
        response = client.get(path)
        expect_text(response, "Hello, World!")
        expect_header(response, "Content-Type", content_type)


@pytest.mark.exercise("json")
class TestJson:
    @pytest.mark.rule("item-object")
    def test_item_is_a_json_object(self, client):
        expect_json_equal(client.get("/item"), {"id": 1, "name": "flask"})

    @pytest.mark.rule("items-list")
    def test_items_is_a_json_list_of_two_items(self, client):
        data = expect_json(client.get("/items"))
        assert isinstance(data, list) and len(data) == 2, _(
            "GET /items should answer a JSON list of 2 items, got {data}.").format(data=repr(data))
        assert all(isinstance(item, dict) and set(item) == {"id", "name"} for item in data), _(
            'Each item should be an object {{"id": int, "name": str}}; got {data}.'
        ).format(data=repr(data))
        assert data[0] == {"id": 1, "name": "flask"}, _(
            "The first item should be the one /item answers; got {item}.").format(item=repr(data[0]))

    @pytest.mark.rule("items-are-the-store")
    def test_every_listed_item_is_served_at_its_url(self, client):
        for item in expect_json(client.get("/items")):
            expect_json_equal(client.get(f"/items/{item['id']}"), item)


@pytest.mark.exercise("status")
class TestStatus:
    @pytest.mark.rule("created-201-location")
    def test_created_with_201_and_location(self, client):
        response = client.post("/items", json={"name": "jinja"})
        expect_status(response, 201, _("A new resource is a 201: return the tuple (body, status, headers), such as "
                                       "`return item, 201, {\"Location\": ...}`; a body without a status is a 200."))
        data = expect_json(response, 201)
        assert isinstance(data.get("id"), int) and data.get("name") == "jinja", _(
            'POST /items should answer {{"id": <new int id>, "name": "jinja"}}, got {data}.'
        ).format(data=repr(data))
        expect_header(response, "Location", f"/items/{data['id']}")
        expect_json_equal(client.get(response.headers["Location"]), data)

    @pytest.mark.rule("new-ids")
    def test_each_item_gets_a_new_id(self, client):
        ids = [expect_json(client.post("/items", json={"name": name}), 201)["id"] for name in ("a", "b", "c")]
        assert len(set(ids)) == 3 and 1 not in ids, _(
            "Three new items should get three new ids, got {ids}.").format(ids=ids)

    @pytest.mark.parametrize(
        ("body", "content_type"),
        [(b"{}", "application/json"), (b'{"name": ""}', "application/json"), (b'{"name": "   "}', "application/json"),
         (b'{"name": 123}', "application/json"), (b'{"name": null}', "application/json"),
         (b'{"name": ["x"]}', "application/json"), (b'[{"name": "x"}]', "application/json"),
         (b'{"name": "x"', "application/json"), (b'{"name": "x"}', "text/plain"), (b"name=x", "application/x-www-form-urlencoded"),
         (b"[" * 100_000 + b"]" * 100_000, "application/json")],
        ids=["no-name", "empty-name", "blank-name", "number-name", "null-name", "list-name", "list-body",
             "broken-json", "text-plain-type", "form-encoded", "nested-too-deep"],
    )
    @pytest.mark.rule("bad-body-400")
    def test_bad_bodies_are_400(self, client, body, content_type):
        expect_error(client.post("/items", data=body, headers={"Content-Type": content_type}), 400)

    @pytest.mark.rule("never-500")
    def test_any_body_gets_no_500_and_json_errors(self, client):
        fuzz.probe(lambda body: client.post("/items", data=body.encode("utf-8", "surrogatepass"),
                                            content_type="application/json"),
                   fuzz.json_bodies({"name": fuzz.TEXT}), json_errors=True)


@pytest.mark.exercise("cookie")
class TestCookie:
    @pytest.mark.rule("answer-42-httponly-lax")
    def test_sets_answer_42_httponly_lax(self, client):
        response = client.get("/cookie")
        expect_text(response, "This document carries a cookie!")
        set_cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("answer=")]
        assert len(set_cookies) == 1, _(
            "GET /cookie should set one cookie `answer`; Set-Cookie headers: {headers}"
        ).format(headers=response.headers.getlist("Set-Cookie"))
        attributes = {part.strip().lower() for part in set_cookies[0].split(";")}
        for needed in ("answer=42", "httponly", "samesite=lax"):
            assert needed in attributes, _("The cookie should carry {needed}; Set-Cookie was {header}.").format(
                needed=repr(needed), header=repr(set_cookies[0]))
        cookie = client.get_cookie("answer")
        assert cookie is not None and cookie.value == "42", _("The client should now hold the cookie answer=42.")

    @pytest.mark.rule("clear-expires")
    def test_clear_expires_it(self, client):
        client.get("/cookie")
        response = client.get("/cookie/clear")
        expect_status(response, 200)
        cleared = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("answer=")]
        assert cleared, _("GET /cookie/clear should send a Set-Cookie for `answer` that expires it.")
        assert client.get_cookie("answer") is None, _(
            "After /cookie/clear the client still holds the cookie ({header}).").format(header=repr(cleared[0]))

    @pytest.mark.rule("clear-same-attributes")
    def test_clear_says_so_with_the_same_attributes(self, client):
        response = client.get("/cookie/clear")
        expect_text(response, "The cookie is gone.")
        cleared = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("answer=")]
        attributes = {part.strip().lower() for part in cleared[0].split(";")} if cleared else set()
        for needed in ("httponly", "samesite=lax"):
            assert needed in attributes, _(
                "The Set-Cookie that expires `answer` should carry {needed} as the one that set it did; "
                "got {cleared}. Pass the same httponly/samesite to delete_cookie."
            ).format(needed=repr(needed), cleared=repr(cleared))


@pytest.mark.exercise("send_file")
class TestSendFile:
    @pytest.mark.parametrize("filename", ["cat.png", "cat.jpg", "cat.jpeg", "cat.gif", "CAT.PNG", "Cat.JpEg"])
    @pytest.mark.rule("echoes-image")
    def test_echoes_the_image_with_its_mimetype(self, client, upload_folder, filename):
        response = echo(client, filename)
        expect_status(response, 200)
        extension = filename.rpartition(".")[2].lower()
        assert response.mimetype == MIMETYPES[extension], _("{filename} should come back as {expected}, got {got}.").format(
            filename=filename, expected=MIMETYPES[extension], got=response.mimetype)
        assert response.data == IMAGE_BYTES, _("The response body should be the uploaded bytes.")
        saved = files_under(upload_folder)
        assert [p.name for p in saved] == [filename], _(
            "The upload should be saved as {filename} in UPLOAD_FOLDER; found {saved}.").format(filename=filename, saved=saved)
        assert saved[0].read_bytes() == IMAGE_BYTES, _("The saved file should hold the uploaded bytes.")

    @pytest.mark.parametrize(
        "filename",
        ["../../evil.png", "../../../../../../tmp/evil.png", "/tmp/evil.png", "..\\..\\evil.png",
         "C:\\Windows\\evil.png", "照片.png", "café.gif", "../.png"],
        ids=["dot-dot", "deep-dot-dot", "absolute", "windows-separators", "windows-absolute", "unicode",
             "accents", "dot-dot-no-stem"],
    )
    @pytest.mark.rule("stays-in-folder")
    def test_hostile_names_stay_inside_the_folder(self, client, tmp_path, upload_folder, filename):
        response = echo(client, filename)
        expect_status(response, 200)
        outside = [p for p in files_under(tmp_path) if upload_folder not in p.parents]
        assert not outside, _("Uploading {filename} wrote outside UPLOAD_FOLDER: {outside}. Use secure_filename.").format(
            filename=repr(filename), outside=outside)
        saved = files_under(upload_folder)
        assert len(saved) == 1 and saved[0].parent == upload_folder, _(
            "Expected one file directly in UPLOAD_FOLDER, found {saved}.").format(saved=saved)
        assert not os.path.exists("/tmp/evil.png") or Path("/tmp/evil.png").read_bytes() != IMAGE_BYTES, _(
            "/tmp/evil.png holds the upload: the file name was used as a path."
        )

    @pytest.mark.parametrize(
        ("filename", "status"),
        [(None, 400), ("", 400), ("evil.exe", 415), ("photo.png.exe", 415), ("photo", 415), ("photo.svg", 415),
         ("shell.php", 415), ("photo.png ", 415), ("../../evil.sh", 415), ("png", 415)],
        ids=["no-file-part", "empty-filename", "exe", "double-extension", "no-extension", "svg", "php",
             "trailing-space", "dot-dot-script", "extension-word-without-dot"],
    )
    @pytest.mark.rule("bad-upload-400-415")
    def test_bad_uploads_are_refused(self, client, tmp_path, filename, status):
        expect_error(echo(client, filename), status)
        assert files_under(tmp_path) == [], _("A refused upload should save nothing; found {saved}.").format(
            saved=files_under(tmp_path))

    @pytest.mark.rule("long-name-400")
    def test_a_name_too_long_for_the_file_system_is_400(self, crash_as_500, client, tmp_path):
        filename = "A" * 252 + ".png"  # 256 characters: past the 255-byte limit of most file systems
        response = echo(client, filename)
        assert response.status_code != 500, _(
            "Uploading a file named {length} characters long crashed: secure_filename does not shorten "
            "names, and open() refuses a name over 255 bytes. Refuse a safe name longer than 255 characters with a 400."
        ).format(length=len(filename))
        expect_error(response, 400)
        assert files_under(tmp_path) == [], _("A refused upload should save nothing; found {saved}.").format(
            saved=files_under(tmp_path))

    @pytest.mark.rule("long-name-400")
    def test_a_name_of_255_characters_is_saved(self, client, upload_folder):
        filename = "A" * 251 + ".png"
        expect_status(echo(client, filename), 200)
        saved = [p.name for p in files_under(upload_folder)]
        assert saved == [filename], _(
            "A 255-character name fits the file system: expected it saved as is, found {saved}.").format(saved=saved)

    @pytest.mark.rule("too-big-413")
    def test_oversized_upload_is_413(self, app, client, tmp_path):
        assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024, _("MAX_CONTENT_LENGTH should default to 2 MiB.")
        too_big = b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        response = client.post("/echo-image", data={"file": (io.BytesIO(too_big), "big.png")}, content_type="multipart/form-data")
        try:
            expect_error(response, 413)
        finally:  # the test client spooled the big body to a temp file and leaves it open
            response.request.environ["wsgi.input"].close()
        assert files_under(tmp_path) == [], _("An oversized upload should save nothing.")

    @pytest.mark.parametrize(("filename", "saved_as"), [("照片.png", "upload.png"), ("../.GIF", "upload.gif")])
    @pytest.mark.rule("no-stem-upload")
    def test_a_name_with_no_usable_stem_is_saved_as_upload(self, client, upload_folder, filename, saved_as):
        expect_status(echo(client, filename), 200)
        saved = [p.name for p in files_under(upload_folder)]
        assert saved == [saved_as], _(
            "Nothing usable is left of {filename} once made safe: expected it saved as {saved_as}, found {saved}."
        ).format(filename=repr(filename), saved_as=saved_as, saved=saved)

    @pytest.mark.rule("existing-folder")
    def test_a_second_upload_goes_into_the_existing_folder(self, client, upload_folder):
        for filename in ("one.png", "two.png"):
            expect_status(echo(client, filename), 200)
        saved = [p.name for p in files_under(upload_folder)]
        assert saved == ["one.png", "two.png"], _(
            "Two uploads should both be saved in UPLOAD_FOLDER, found {saved}: the second must not fail "
            "because the folder already exists (os.makedirs(..., exist_ok=True))."
        ).format(saved=saved)

    @pytest.mark.rule("get-405")
    def test_get_is_405_json(self, client):
        expect_error(client.get("/echo-image"), 405)

    @pytest.mark.rule("never-500")
    def test_any_upload_gets_no_500_and_json_errors(self, crash_as_500, client):
        # crash_as_500: an OSError from the file system answers 500, which the probe reports as such
        fuzz.probe(lambda filename: echo(client, filename), fuzz.multipart_text(), json_errors=True)


@pytest.mark.exercise("download")
class TestDownload:
    @pytest.fixture
    def stored(self, upload_folder, tmp_path):
        upload_folder.mkdir(parents=True)
        (upload_folder / "report.png").write_bytes(IMAGE_BYTES)
        # Files next to and above the folder, that no URL may reach.
        (upload_folder.parent / "secret.txt").write_text("the jail's secret")
        (tmp_path / "secret.txt").write_text("the top secret")
        return upload_folder / "report.png"

    @pytest.mark.rule("attachment")
    def test_sends_an_attachment(self, client, stored):
        response = client.get(f"/download/{stored.name}")
        data = response.get_data()
        response.close()
        expect_status(response, 200)
        assert data == stored.read_bytes(), _("GET /download/<name> should send the file's bytes.")
        disposition = expect_header(response, "Content-Disposition")
        assert disposition.startswith("attachment") and f"filename={stored.name}" in disposition, _(
            "Expected Content-Disposition: attachment; filename={name}, got {disposition}."
        ).format(name=stored.name, disposition=repr(disposition))

    @pytest.mark.parametrize(
        "path",
        ["/download/missing.png", "/download/..%2Fsecret.txt", "/download/..%2F..%2Fsecret.txt",
         "/download/%2E%2E%2Fsecret.txt", "/download/..", "/download/..%5Csecret.txt", "/download/%2Fetc%2Fpasswd",
         "/download/secret.txt"],
        ids=["missing", "dot-dot", "dot-dot-twice", "encoded-dots", "parent", "backslash", "absolute", "sibling-name"],
    )
    @pytest.mark.rule("missing-or-escaping-404")
    def test_missing_or_escaping_names_are_404(self, client, stored, path):
        with expected_answer(_("a 404 (send_from_directory answers it for a missing file or a name that leaves the folder)")):
            response = client.get(path)
        response.get_data()
        response.close()
        expect_error(response, 404)
        assert b"secret" not in response.data, _("{path} leaked a file from outside UPLOAD_FOLDER.").format(path=path)

    @pytest.mark.rule("never-500")
    def test_any_name_gets_no_500_and_json_errors(self, client, stored):
        def send(name):
            response = client.get("/download/" + name)
            response.get_data()
            response.close()
            return response
        fuzz.probe(send, fuzz.path_segments(), json_errors=True)
