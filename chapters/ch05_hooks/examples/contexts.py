"""current_app and g need a context: what "working outside of application context" means."""
from flask import Flask, current_app, g

app = Flask("contexts_demo")
app.extensions["request_count"] = 0

# 1. No request is running and no context was pushed: current_app has nothing to point at.
try:
    current_app.name
except RuntimeError as error:
    print("outside any context:", str(error).splitlines()[0])

# 2. Push an application context yourself, as a script, a background job or a test does (a `flask` command gets one pushed).
with app.app_context():
    print("inside app.app_context():", current_app.name)
    g.note = "set inside the context"
    print("g.note =", g.note)

# The same, by hand: push() must be paired with pop(), which is why `with` is preferred.
ctx = app.app_context()
ctx.push()
print("after push(): g has note?", "note" in g)   # a new context, a new, empty g
ctx.pop()


# 3. g lives for one request (one application context): nothing carries over.
@app.get("/visit")
def visit():
    seen = g.get("visits", 0)
    g.visits = seen + 1
    return {"g.visits before this request": seen}


client = app.test_client()
print(client.get("/visit").json, client.get("/visit").json)

# 4. before_first_request was removed in Flask 2.3: start-up work goes in the factory.
print("before_first_request, removed in 2.3, still there?", hasattr(app, "before_first_request"))
