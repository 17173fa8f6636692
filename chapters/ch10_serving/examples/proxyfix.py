"""Who is the client? request.remote_addr without and with ProxyFix(x_for=1)."""
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)


@app.get("/")
def whoami():
    return request.remote_addr


# The proxy (nginx) connects from 127.0.0.1 and appends the address it saw to what the
# client sent. A client can put anything it likes in front: here it claims to be 1.1.1.1.
headers = {"X-Forwarded-For": "1.1.1.1, 203.0.113.7"}
print("no ProxyFix:        ", app.test_client().get("/", headers=headers).text, "(the proxy, not the client)")
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
print("ProxyFix(x_for=1):  ", app.test_client().get("/", headers=headers).text, "(the last hop: what our proxy saw)")
app.wsgi_app = ProxyFix(app.wsgi_app.app, x_for=2)
print("ProxyFix(x_for=2):  ", app.test_client().get("/", headers=headers).text, "(trusts the client's own claim!)")
