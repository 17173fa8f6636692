"""The learner's copy of the course: one package per chapter. Edit these; `python -m track check N` grades them."""
