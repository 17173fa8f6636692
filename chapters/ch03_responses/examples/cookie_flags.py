"""Werkzeug's set_cookie adds no flags unless asked, and `requests` keeps a Secure cookie off plain HTTP."""
import requests
from werkzeug.wrappers import Response

# The defaults: secure=False, httponly=False, samesite=None. Every flag is your choice.
plain, flagged = Response(), Response()
plain.set_cookie("answer", "42")
flagged.set_cookie("answer", "42", httponly=True, samesite="Lax")
print("set_cookie defaults:        ", plain.headers["Set-Cookie"])
print("httponly=True, samesite=Lax:", flagged.headers["Set-Cookie"])
assert "HttpOnly" not in plain.headers["Set-Cookie"] and "SameSite" not in plain.headers["Set-Cookie"]

# A requests.Session holding a Secure cookie for 127.0.0.1: which requests carry it?
http = requests.Session()
http.cookies.set("token", "s3cret", domain="127.0.0.1", path="/", secure=True)
for url in ("http://127.0.0.1:5000/", "https://127.0.0.1:5000/"):
    sent = http.prepare_request(requests.Request("GET", url)).headers.get("Cookie")
    print(f"{url:24} Cookie: {sent}")
# http.cookiejar sends a Secure cookie over https only. Current browsers are more lenient:
# they treat http://localhost and 127.0.0.1 as a secure context and do send it there.
assert http.prepare_request(requests.Request("GET", "http://127.0.0.1:5000/")).headers.get("Cookie") is None
