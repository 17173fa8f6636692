"""A session needs SECRET_KEY: the one production reads from FLASK_SECRET_KEY.

Run: python chapters/ch10_serving/examples/errors_secret_key.py
"""
from flask import Flask, session

app = Flask(__name__)
app.config["TESTING"] = True  # let the exception reach us instead of a 500 page


@app.get("/")
def visit():
    session["seen"] = True
    return "ok"


try:
    app.test_client().get("/")
except RuntimeError as error:
    print(f"RuntimeError: {error}")

app.config.from_mapping(SECRET_KEY="from FLASK_SECRET_KEY in production")
print("with a SECRET_KEY:", app.test_client().get("/").status)
