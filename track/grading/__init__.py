"""Grading runs: the engine, the graders' pytest plugin, the verdict store, the class-grading sandbox."""
