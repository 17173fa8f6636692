"""Flask's `session` is a signed cookie, not an encrypted one: anyone can read it, nobody can forge it."""
import json
import zlib

from flask import Flask, session
from itsdangerous import BadSignature, base64_decode, base64_encode

app = Flask(__name__)
app.secret_key = "dev-only-not-secret"


@app.get("/login")
def login():
    session["user"] = "ann"
    session["is_admin"] = False
    return "logged in"


@app.get("/whoami")
def whoami():
    return dict(session)


client = app.test_client()
client.get("/login")
cookie = client.get_cookie("session").value
print("the cookie:           ", cookie)
print("the server reads:     ", client.get("/whoami").get_json())

# payload.timestamp.signature; a leading "." means the payload was zlib-compressed.
payload, timestamp, signature = cookie.lstrip(".").split(".")
raw = base64_decode(payload)
print("anyone reads, no key: ", json.loads(zlib.decompress(raw) if cookie.startswith(".") else raw))

# Make ourselves admin: the payload is easy to rewrite, but the old signature no longer fits it.
forged_payload = base64_encode(json.dumps({"is_admin": True, "user": "ann"}, separators=(",", ":")))
forged = ".".join([forged_payload.decode(), timestamp, signature])
client.set_cookie("session", forged)
print("forged cookie, server:", client.get("/whoami").get_json(), "(an empty session, no error)")

# What Flask did underneath: the serializer refused the signature and Flask started afresh.
try:
    app.session_interface.get_signing_serializer(app).loads(forged)
except BadSignature as error:
    print("itsdangerous said:    ", type(error).__name__, "-", error)
