"""The Flask Learning Track course engine: `python -m track --help`.

Its packages, lowest first. Imports go one way: a package imports only from itself and the
packages above it in this list (tests/course/test_layout.py checks it, and that no import cycle
and no import of tests/ exists anywhere in track/, imports inside functions included):

    model/        The course as data: chapters and their manifests, typed results, the learner's language, the stubs.
                  bootstrap, course, i18n, inputs, regions, results, stubs, ui
    grading/      Grading runs: the engine, the graders' pytest plugin, the verdict store, the class-grading sandbox.
                  cache, checks, engine, explain, guard, plugin, probes, processes, sandbox, speedups, tripwires, zygote
    learner/      What the learner's verbs show: the verdict, hints, watching a chapter, serving it.
                  hints, server, verdict, watching
    walkthrough/  A chapter's client.py walkthrough: served live, stepped through, printed, recorded, written for Postman.
                  demo, live, postman, printer, recording, stepper
    classroom/    Grading a class: each student's run, integrity checks, the teacher's reports, Classroom 50.
                  autograder, class_report, classroom50, grade, integrity, student_run, verdicts
    web/          `python -m track web`: the course in the browser, itself a small Flask app (see app.py).
                  app, console, lesson, presenter, status
    maintainers/  Tools for the course's maintainers: new chapters, stubs, message catalogs, the exercise matrix, mistakes.
                  copies, lessons, matrix, messages, mistakes, scaffold

On top sit the front door, which no package imports: cli.py (every verb of `python -m track`,
dispatching to the packages), __main__.py (bootstrap, then cli), and the warm grader that
answers `check` from memory: warm_client.py (hands a `check` over, standard library only) and
warm_grader.py (the background process that runs cli in a fork of itself).
"""
PACKAGES = ('model', 'grading', 'learner', 'walkthrough', 'classroom', 'web', 'maintainers')
