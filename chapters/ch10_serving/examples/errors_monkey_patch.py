"""monkey.patch_all() after requests imported ssl: gevent warns, the early importers keep the old ssl.

Run: python chapters/ch10_serving/examples/errors_monkey_patch.py
"""
import warnings

import requests  # noqa: F401  imported before patching: urllib3 did `from ssl import ...`
from gevent import monkey

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    monkey.patch_all()
for warning in caught:
    print(f"{warning.category.__name__}: {str(warning.message)[:160]}...")
