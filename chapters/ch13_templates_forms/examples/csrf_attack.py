"""The attack a CSRF token stops: another site's page posts to us, and the browser adds our cookie.

The victim opened the guestbook (so the browser holds its session cookie), then visits
evil.example, whose page holds a hidden form that posts to the guestbook by itself:

    <form action="http://127.0.0.1:5000/guestbook" method="post">
      <input name="name" value="Mallory"><input name="message" value="I love spam">
    </form>
    <script>document.forms[0].submit()</script>

The browser sends the cookie with that POST. What the other site cannot do is read our page,
so it cannot know the token hidden in the form: only a token check tells the two POSTs apart.
"""
from flask import Flask, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf


def guestbook_app(protected: bool) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="dev", WTF_CSRF_ENABLED=protected)
    CSRFProtect(app)
    entries = []

    @app.route("/guestbook", methods=["GET", "POST"])
    def guestbook():
        if request.method == "POST":
            entries.append(request.form["name"])
        session["visited"] = True
        return f'<input type="hidden" name="csrf_token" value="{generate_csrf()}"> entries: {entries}'

    return app


for protected in (False, True):
    browser = guestbook_app(protected).test_client()
    browser.get("/guestbook")  # the victim's visit: the browser now holds the session cookie
    forged = browser.post("/guestbook", data={"name": "Mallory", "message": "I love spam"})  # cookie, no token
    print(f"CSRFProtect {'on ' if protected else 'off'}: the forged POST answered {forged.status}")
