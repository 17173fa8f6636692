"""Which error handler answers: the status code's handlers first (blueprint, then app), then the class's."""
from flask import Blueprint, Flask, abort
from werkzeug.exceptions import HTTPException

app = Flask("handler_lookup_demo")
shop = Blueprint("shop", __name__)


@shop.get("/shop/missing")
def missing():
    abort(404)


@shop.errorhandler(HTTPException)  # a class with no code of its own: looked at in the second round
def shop_http_error(error):
    return {"handler": "blueprint, HTTPException"}, error.code


app.register_blueprint(shop)


@app.errorhandler(404)  # the same slot as @app.errorhandler(NotFound): a handler for a code
def app_not_found(error):
    return {"handler": "app, 404"}, 404


@app.errorhandler(Exception)
def app_any_error(error):
    return {"handler": "app, Exception"}, 500


@app.get("/teapot")
def teapot():
    abort(418)  # no handler for 418 anywhere, so the class round decides


client = app.test_client()
# Round one looks for 404 in the blueprint, then the app: the app's 404 handler wins over the
# blueprint's HTTPException handler, although the blueprint's is "closer" to the view.
print("GET /shop/missing ->", client.get("/shop/missing").json)
# Round two walks the exception's classes (ImATeapot, HTTPException, Exception, ...) in each map:
# no blueprint here, and the app has Exception only, so Exception catches the 418.
print("GET /teapot       ->", client.get("/teapot").json)
assert client.get("/shop/missing").json == {"handler": "app, 404"}
assert client.get("/teapot").json == {"handler": "app, Exception"}
