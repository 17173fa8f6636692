"""The two context errors, reproduced: current_app and request used where no context is active."""
from flask import Flask, current_app, request

app = Flask("errors_contexts_demo")


def first_line(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).splitlines()[0]}"


# A script, a thread or a test touches current_app with no application context pushed.
try:
    current_app.config["DEBUG"]
except RuntimeError as error:
    print(first_line(error))
with app.app_context():                       # the fix: push one (the `with` pops it again)
    print("inside app.app_context():", current_app.name)

# An application context is not a request: request needs a request context.
with app.app_context():
    try:
        request.path
    except RuntimeError as error:
        print(first_line(error))
with app.test_request_context("/hello?x=1"):  # the fix in a test or a script: a request context
    print("inside test_request_context():", request.full_path)
