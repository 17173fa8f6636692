"""Chapter 11: Testing: you write the tests of a finished to-do app."""
