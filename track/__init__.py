"""The Flask Learning Track course engine: `python -m track --help`.

Its packages, in the order their imports go (each imports only itself and those before it):
web, the dashboard, is the only one yet; the rest of the engine is top-level modules, which
import each other in one direction (tests/course/test_layout.py checks both).
"""
PACKAGES = ("web",)
