"""Two different functions under one endpoint name: Flask refuses at registration time."""
from flask import Flask

app = Flask(__name__)


@app.route("/a", endpoint="same")
def first():
    return "a"


try:
    @app.route("/b", endpoint="same")
    def second():
        return "b"
except AssertionError as error:
    print("Flask refused the second view:")
    print("   ", error)

# The *same* function may serve several rules under one endpoint: that is what
# chapter 1's `add_url_rule` exercise does with /test and /test2.
app.add_url_rule("/c", endpoint="same", view_func=first)
# Note that /b is in the map too: the rule was added before the check failed. An app that
# raised during set-up is half-built, which is why the error must stop start-up.
print("endpoint 'same' serves:", sorted(r.rule for r in app.url_map.iter_rules() if r.endpoint == "same"))
