"""Subdomains need subdomain_matching=True and SERVER_NAME; what happens to other hosts."""
import warnings

from flask import Flask


def build(server_name):
    app = Flask("subdomain_demo", subdomain_matching=True)
    app.config["SERVER_NAME"] = server_name

    @app.get("/")
    def root():
        return "root"

    @app.get("/", subdomain="<username>")
    def user_home(username):
        return f"home of {username}"

    return app


client = build("example.test").test_client()
for host in ("alice.example.test", "example.test"):
    print(f"SERVER_NAME=example.test, Host: {host:20} -> {client.get('/', base_url=f'http://{host}').text!r}")

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    response = client.get("/", base_url="http://127.0.0.1:5000")
print(f"SERVER_NAME=example.test, Host: 127.0.0.1:5000       -> {response.status_code}, {response.text!r}")
print("  Werkzeug warned:", caught[0].message if caught else "(nothing)")
# The host did not fit SERVER_NAME, so Werkzeug set the subdomain to "<invalid>" and the
# <username> rule took it as a name. The chapter's solution refuses anything that is not a
# DNS label; TRUSTED_HOSTS is the setting that refuses unknown hosts outright (400).

client = build(None).test_client()
print("no SERVER_NAME, Host: alice.example.test ->", repr(client.get("/", base_url="http://alice.example.test").text))
