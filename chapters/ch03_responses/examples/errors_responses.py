"""The errors building a response runs into, each triggered for real and printed as a learner sees it."""
import io
import traceback

from flask import Flask, request, send_file

app = Flask(__name__)
app.testing = True  # let exceptions reach this script instead of becoming a 500 page
app.config["MAX_CONTENT_LENGTH"] = 1024


@app.get("/count")
def count():
    return 42   # an int is not a response


@app.get("/save")
def save():
    print("saved")   # forgot the return: the view hands Flask None


@app.get("/report")
def report():
    return send_file(io.BytesIO(b"%PDF-1.7"))   # a buffer has no name to guess a type from


@app.post("/upload")
def upload():
    return f"{len(request.get_data())} bytes"   # reading the body is what enforces the limit


def show(error):
    """What the last line of a traceback says: the exception's full name and its message."""
    print("".join(traceback.format_exception_only(error)))


client = app.test_client()
for url in ["/count", "/save", "/report"]:
    try:
        client.get(url)
    except TypeError as error:
        show(error)

too_big = client.post("/upload", data=b"x" * 2048)
print("POST /upload, 2 KiB ->", too_big.status)
