"""A tour of the request object: what Flask parsed out of one HTTP request."""
import io

from flask import Flask, request

app = Flask(__name__)


@app.post("/upload/<kind>")
def upload(kind):  # only here so that the request below matches a rule and has an endpoint
    return kind


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
    print("endpoint    ", request.endpoint)      # the matched rule's endpoint: the view's name here
    print("scheme      ", request.scheme, "| host", request.host, "| is_secure", request.is_secure)
    assert (request.endpoint, request.scheme, request.host, request.is_secure) == ("upload", "http", "127.0.0.1:5000", False)

with app.test_request_context("/nowhere", base_url="https://example.com:8443"):
    # No rule matched: no endpoint. https makes is_secure True; host keeps a non-default port.
    print("endpoint    ", request.endpoint, "| scheme", request.scheme, "| host", request.host, "| is_secure", request.is_secure)
    assert (request.endpoint, request.is_secure) == (None, True)

with app.test_request_context("/", method="PUT", data=b"raw body", content_type="application/octet-stream"):
    # get_data() reads the body as bytes (cached); form parsing never touches this type.
    print("get_data()  ", request.get_data(), "| form:", request.form.to_dict())
