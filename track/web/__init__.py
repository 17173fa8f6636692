"""`python -m track web`: the course in the browser, itself a small Flask app (see app.py)."""
