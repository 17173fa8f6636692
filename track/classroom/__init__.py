"""Grading a class: each student's run, integrity checks, the teacher's reports, Classroom 50."""
