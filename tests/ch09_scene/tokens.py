"""Access tokens for chapter 9's grader, minted in the app as the curriculum shapes them
(`create_access_token(identity=str(id), additional_claims={"role": role})`), never fetched
from /login, and the bad tokens every protected route must refuse."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt as pyjwt
from flask_jwt_extended import create_access_token

from tests.helpers import bearer

SECRET = "grader-secret-key-that-is-long-enough-for-hs256"
OTHER_SECRET = "an-attacker-key-that-is-also-32-bytes-or-more"


def token_for(app, user_id: int, role: str = "user", **options) -> str:
    """An access token as the curriculum shapes it, made by the app's JWTManager."""
    with app.app_context():
        return create_access_token(identity=str(user_id), additional_claims={"role": role}, **options)


def token_variants(app, user_id: int, good: str) -> dict[str, dict]:
    """Authorization headers that must all be refused with 401, by kind of bad token."""
    expired = token_for(app, user_id, expires_delta=timedelta(minutes=-5))
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user_id), "role": "admin", "type": "access", "iat": now, "nbf": now, "exp": now + timedelta(minutes=5), "jti": "x", "fresh": False}
    header, payload, signature = good.split(".")
    tampered_payload = pyjwt.utils.base64url_encode(pyjwt.api_jws.json.dumps({**pyjwt.decode(good, options={"verify_signature": False}), "role": "admin"}).encode()).decode()
    return {
        "missing": {},
        "empty bearer": {"Authorization": "Bearer"},
        "not a jwt": bearer("not-a-token"),
        "three garbage parts": bearer("a.b.c"),
        "basic auth": {"Authorization": "Basic YWxpY2U6cHc="},
        "wrong scheme": {"Authorization": f"Token {good}"},
        "expired": bearer(expired),
        "forged with another key": bearer(pyjwt.encode(claims, OTHER_SECRET, algorithm="HS256")),
        "alg none": bearer(pyjwt.encode(claims, None, algorithm="none")),
        "tampered payload": bearer(f"{header}.{tampered_payload}.{signature}"),
    }
