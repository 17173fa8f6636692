"""abort() raises and never returns; redirect() only builds a response with a status and Location."""
from flask import Flask, abort, redirect
from werkzeug.exceptions import HTTPException

app = Flask(__name__)

with app.test_request_context():
    try:
        abort(404, "There is no user 42.")
        print("this line never runs")
    except HTTPException as error:
        print(f"abort raised {type(error).__name__}: code={error.code}, description={error.description!r}")

    for code in (301, 302, 303, 307, 308):
        response = redirect("/new", code=code)
        print(f"redirect(code={code}) -> {response.status:24} Location: {response.headers['Location']}")
