"""Static files: the app's static/ folder, and a blueprint's own static_folder under its prefix."""
import tempfile
from pathlib import Path

from flask import Blueprint, Flask, url_for

with tempfile.TemporaryDirectory() as root:
    # The layout of the routing-internals tutorial (004): static/ next to the package's code.
    (Path(root) / "static").mkdir()
    (Path(root) / "static" / "site.css").write_text("body { margin: 0 }")
    (Path(root) / "views" / "user_static").mkdir(parents=True)
    (Path(root) / "views" / "user_static" / "avatar.svg").write_text("<svg/>")

    app = Flask("my_flask", root_path=root)  # static_folder="static" and /static/ by default
    us = Blueprint("us", "my_flask.views.user", root_path=str(Path(root) / "views"),
                   static_folder="user_static", static_url_path="/static", url_prefix="/user")
    # Without static_url_path the URL would take the folder's name: /user/user_static/...
    app.register_blueprint(us)

    with app.test_request_context():
        # The endpoints are `static` and `<blueprint>.static`; a blueprint's lives under its prefix.
        print("url_for('static')   ->", url_for("static", filename="site.css"))
        print("url_for('us.static') ->", url_for("us.static", filename="avatar.svg"))
    client = app.test_client()
    for path in ("/static/site.css", "/user/static/avatar.svg", "/static/../app.py"):
        response = client.get(path)
        print(f"GET {path:24} -> {response.status_code} {response.mimetype}")
        response.close()  # send_from_directory streams an open file
        assert response.status_code == (404 if ".." in path else 200)
