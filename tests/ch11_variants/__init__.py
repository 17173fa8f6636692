"""What tests/test_ch11_testing.py needs to grade the learner's tests of chapter 11.

- variants.py: the broken to-do apps, as patches of the reference todo.py, one bug each;
- probe_fixtures.py: the grader's own tests of the learner's fixtures (exercise `fixtures`);
- harness.py: the pytest plugin of the nested session that runs the learner's tests on each app;
- session.py: starts that session (forked child or subprocess, with a hang guard) and reads its report;
- nested.ini: that session's pytest configuration.
"""
