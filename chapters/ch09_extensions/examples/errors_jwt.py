"""Flask-JWT-Extended's own answers, before the chapter's loaders replace them with 401s.

Run: python chapters/ch09_extensions/examples/errors_jwt.py
"""
from flask import Flask
from flask_jwt_extended import JWTManager, create_access_token, jwt_required


def make_app(secret: str) -> Flask:
    app = Flask(__name__)
    app.config["JWT_SECRET_KEY"] = secret
    JWTManager(app)  # no unauthorized/invalid-token loaders: the extension's defaults answer

    @app.get("/me")
    @jwt_required()
    def me():
        return {"ok": True}

    return app


app = make_app("the-server-key-of-at-least-32-bytes")
forger = make_app("another-key-someone-else-guessed!!")
with app.app_context():
    good = create_access_token(identity="1")
    # The source material's identity: a dict. PyJWT 2.10+ wants the "sub" claim to be a string.
    dict_identity = create_access_token(identity={"id": 1, "role": "user"})
with forger.app_context():
    forged = create_access_token(identity="1")

for label, token in [("no Authorization header", None), ("signed with another key", forged),
                     ("dict identity", dict_identity), ("a good token", good)]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = app.test_client().get("/me", headers=headers)
    print(f"{label + ':':<25} {response.status_code} {response.json.get('msg', response.json)}")
