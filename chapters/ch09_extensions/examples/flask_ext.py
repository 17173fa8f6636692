"""`flask.ext.sqlalchemy` was an import hook of Flask 0.8-0.10; Flask 1.0 removed it.

Run: python chapters/ch09_extensions/examples/flask_ext.py
"""
import importlib

for old, new in [("flask.ext.sqlalchemy", "flask_sqlalchemy"), ("flask.ext.jwt_extended", "flask_jwt_extended")]:
    try:
        importlib.import_module(old)  # how tutorial 003's era imported extensions
    except ModuleNotFoundError as error:
        print(f"import {old}: {type(error).__name__}: {error}")
    importlib.import_module(new)  # each extension is a package of its own since Flask 1.0
    print(f"import {new}: works")
