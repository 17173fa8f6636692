"""The course as data: chapters and their manifests, typed results, the learner's language, the stubs."""
