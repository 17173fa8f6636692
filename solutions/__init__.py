"""Reference solutions: one package per chapter, the same layout as `chapters/`."""
