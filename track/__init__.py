"""The Flask Learning Track course engine: `python -m track --help`."""
