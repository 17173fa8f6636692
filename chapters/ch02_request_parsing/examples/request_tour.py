"""A tour of the request object: what Flask parsed out of one HTTP request."""
import io

from flask import Flask, request

app = Flask(__name__)

with app.test_request_context(
    "/upload/report?draft=1&tag=a&tag=b",
    base_url="http://127.0.0.1:5000",
    method="POST",
    data={"title": "Q3", "file": (io.BytesIO(b"hello"), "notes.txt")},
    headers={"User-Agent": "tour/1.0", "Cookie": "theme=dark"},
    environ_base={"REMOTE_ADDR": "192.0.2.10"},
):
    print("method      ", request.method)
    print("path        ", request.path)          # no query string
    print("full_path   ", request.full_path)     # path and query string
    print("url         ", request.url)           # scheme, host, path, query string
    print("args        ", request.args.to_dict(flat=False))
    print("form        ", request.form.to_dict())
    print("files       ", {name: f.filename for name, f in request.files.items()})
    print("values      ", request.values.to_dict(flat=False))   # args, then form
    print("headers     ", request.headers["User-Agent"], "|", request.headers.get("X-Missing"))
    print("cookies     ", request.cookies.to_dict())
    print("remote_addr ", request.remote_addr)   # the peer: a proxy's address when behind one
    print("mimetype    ", request.mimetype)      # content_type without its parameters

with app.test_request_context("/", method="PUT", data=b"raw body", content_type="application/octet-stream"):
    # get_data() reads the body as bytes (cached); form parsing never touches this type.
    print("get_data()  ", request.get_data(), "| form:", request.form.to_dict())
