"""A tour of the response object: status, headers, mimetype, cookies, body, make_response."""
from flask import Flask, make_response

app = Flask(__name__)

with app.test_request_context():
    # make_response turns anything a view may return into a Response, which you can then edit.
    response = make_response({"id": 7}, 201)
    print("status      ", response.status, "|", response.status_code)
    print("mimetype    ", response.mimetype, "|", response.headers["Content-Type"])
    print("get_data()  ", response.get_data(), "| as text:", response.get_data(as_text=True).strip())

    response = make_response("<h1>hi</h1>")
    response.status_code = 202
    response.headers["X-Request-Id"] = "abc123"
    response.mimetype = "text/plain"           # rewrites Content-Type, keeps the charset
    response.set_cookie("theme", "dark", max_age=3600, httponly=True, samesite="Lax")
    print("status      ", response.status)
    print("headers     ")
    for name, value in response.headers.items():
        print("   ", f"{name}: {value}")
    response.data = b"replaced"                 # setting data also updates Content-Length
    print("data        ", response.data, "| Content-Length:", response.content_length)
