"""The errors request parsing runs into, each triggered for real and printed as a learner sees it."""
import traceback

from flask import Flask, request
from werkzeug.exceptions import HTTPException

app = Flask(__name__)


@app.post("/name")
def name():
    return request.form["name"]   # a missing key raises BadRequestKeyError, a 400


@app.post("/json")
def echo_json():
    return {"got": request.get_json()}


def show(error):
    """What the last line of a traceback says: the exception's full name and its message."""
    print("".join(traceback.format_exception_only(error)))


# `request` outside a request: no request context is active, so there is nothing to read.
try:
    request.args
except RuntimeError as error:
    show(error)

client = app.test_client()
# A required form field that did not come. (In debug mode the message also names the key.)
print("POST /name, no field    ->", client.post("/name", data={}).status)
# JSON sent as a form, as with requests' data= instead of json=: the Content-Type is wrong.
wrong_type = client.post("/json", data='{"a": 1}', content_type="text/plain")
print("POST /json, text/plain  ->", wrong_type.status)
# JSON with the right Content-Type that is not JSON at all (single quotes are not JSON).
malformed = client.post("/json", data="{'a': 1}", content_type="application/json")
print("POST /json, bad JSON    ->", malformed.status)

# The descriptions Werkzeug put in those responses, as an error handler or debug page shows them.
with app.test_request_context("/json", method="POST", data="{'a': 1}", content_type="application/json"):
    try:
        request.get_json()
    except HTTPException as error:  # a BadRequest
        show(error)
with app.test_request_context("/json", method="POST", data="{}", content_type="text/plain"):
    try:
        request.get_json()
    except HTTPException as error:  # an UnsupportedMediaType
        show(error)
