"""What the learner's verbs show: the verdict, hints, watching a chapter, serving it."""
