"""Grading a class: this repository's graders run against each student's `chapters/`.

Each student is graded in a temporary folder holding a copy of their `chapters/` only (their
`tests/` and `track/`, edited or not, are never used), by a child process of its own with a
deadline (track/grading/engine.py), `--jobs` at a time, with `track.grading.guard` keeping the reference and
the graders out of the student's reach. A student whose run dies or overruns is graded again
chapter by chapter, so one chapter's crash or hang costs that chapter only. An exercise's
first failing test ends it (`--first-failure-only`): the same points for far less work on
unfinished chapters. A chapter whose files are exactly those of one graded before (this
student's or a classmate's) reuses that verdict (track/grading/cache.py). Rows are printed and
written to the CSV as students finish (track/classroom/class_report.py).
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from track.grading import cache, engine, sandbox
from track.classroom import integrity, student_run
from track.classroom.class_report import ClassData, ClassRow, CsvSink, LostExercise, exercise_column, write_summaries
from track.model.course import Chapter, UsageError, chapters
from track.model.i18n import _
from track.model.results import ChapterError, ChapterResult, RunResult, Status, budget_spent
from track.classroom.verdicts import Verdict



@dataclass
class Student:
    key: str  # unique in the class: a roster name or the shortest distinguishing path suffix
    path: Path
    tree: Path | None = None  # the temporary copy of their chapters/
    flags: dict | None = None  # chapter package -> integrity flags (the chapter earns nothing)
    notes: list = field(default_factory=list)  # integrity flags that cost no points (edited graders, ignored)
    started: float = 0.0  # the clock of the row's seconds: from the student's first run, not while queued
    begun: bool = False
    known: dict[str, ChapterResult] = field(default_factory=dict)  # verdicts of chapters graded before, by content
    todo: list[Chapter] = field(default_factory=list)  # the chapters to grade now

    def begin(self) -> None:
        if not self.begun:
            self.begun, self.started = True, time.monotonic()

    @property
    def chapters_dir(self) -> Path:
        return self.path / "chapters"


def unique_keys(paths: list[Path]) -> list[str]:
    """`repo` for one folder named repo; `class1/repo` and `class2/repo` for two."""
    depth = dict.fromkeys(paths, 1)
    while True:
        keys = {path: "/".join(path.parts[-depth[path]:]) for path in paths}
        clashing = [p for p in paths if list(keys.values()).count(keys[p]) > 1 and depth[p] < len(p.parts)]
        if not clashing:
            return [keys[path] for path in paths]
        for path in clashing:
            depth[path] += 1


def read_roster(path: Path) -> list[Student]:
    """A `name,path` CSV (paths relative to the roster's folder)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"name", "path"} <= set(reader.fieldnames):
            raise UsageError(_("{path}: expected a header `name,path`, found {found}.").format(path=path, found=reader.fieldnames))
        students = [Student(row["name"].strip(), (path.parent / row["path"].strip()).resolve()) for row in reader]
    names = [s.key for s in students]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise UsageError(_("{path}: each name once; repeated: {names}.").format(path=path, names=", ".join(duplicates)))
    return students


def students_of(roots: list[str], roster: str | None, earlier: dict[Path, str]) -> list[Student]:
    """The roster's students, then one per other `--root`: named as in `earlier` (a folder graded
    before, under its roster name: re-grading it updates that row) or by its folder's name."""
    students = read_roster(Path(roster)) if roster else []
    paths = [Path(root).resolve() for root in roots]
    on_roster = {s.path for s in students}
    students += [Student(earlier.get(path, key), path) for key, path in zip(unique_keys(paths), paths) if path not in on_roster]
    names = [s.key for s in students]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise UsageError(_("Two students share a name: {names}; use distinct names in the roster.").format(
            names=", ".join(duplicates)))
    return students


# --- one student's verdict ---------------------------------------------------------------

def prepare(student: Student, graded: list[Chapter], reuse: bool) -> None:
    """The student's chapters/ copied to a temporary tree and scanned; with `reuse`, the verdicts
    of chapters whose files are exactly those of a chapter graded before (theirs or a classmate's)."""
    student.tree = Path(tempfile.mkdtemp(prefix=TREE_PREFIX))
    shutil.copytree(student.chapters_dir, student.tree / "chapters",
                    ignore=shutil.ignore_patterns("__pycache__", "instance", "*.pyc", ".*"))
    student.flags = integrity.scan(student.tree / "chapters", graded)
    student.notes = integrity.edited_machinery(student.path)
    found = {c.package: cache.class_lookup(c, student.tree / "chapters") for c in graded} if reuse else {}
    student.known = {package: result for package, result in found.items() if result is not None}
    student.todo = [c for c in graded if c.package not in student.known]


TREE_PREFIX = "track-class-"
# A student's temporary tree in a message (stored verdicts name the tree of their grading).
TREE = re.compile(rf"[^\s'\"(]*/{TREE_PREFIX}[^/\s]+/")


def clipped(text: str, limit: int) -> str:
    """`text` naming `chapters/...` rather than the temporary tree, and at most `limit` characters."""
    text = TREE.sub("", text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


REASON_MAX = 200  # characters of a chapter's error in the reason column: the import a guard refused fits


def chapter_reasons(result: ChapterResult, timeout_s: float) -> list[str]:
    """Why part of a chapter could not be graded: it does not load, a test ran out of time, or
    the chapter's tests spent their shared budget (the exercises after it were not run)."""
    number = result.chapter.number
    if result.error is not None:
        where = (result.error.where or "").split(f"{result.package}/", 1)[-1]
        if "does not parse" in result.error.message:
            return [_("chapter {n}: {reason}").format(n=number, reason=f"SyntaxError {where}")]
        first = result.error.message.split("\n")[0]
        return [_("chapter {n}: {reason}").format(n=number, reason=clipped(first, REASON_MAX))]
    budget = student_run.chapter_budget(timeout_s)
    spent = budget_spent(budget)
    hung = [t.exercise for t in result.tests if t.status == Status.ERROR and t.message != spent]
    skipped = [t.exercise for t in result.tests if t.status == Status.ERROR and t.message == spent and t.exercise not in hung]
    if skipped:
        return [_("chapter {n}: its time budget of {seconds} s was spent (timed out: {hung}; not run: {skipped})").format(
            n=number, seconds=f"{budget:g}", hung=", ".join(dict.fromkeys(hung)), skipped=", ".join(dict.fromkeys(skipped)))]
    return [_("chapter {n}: timed out after {seconds} s ({exercises})").format(
        n=number, seconds=f"{timeout_s:g}", exercises=", ".join(sorted(set(hung))))] if hung else []


def zero_flagged(run: RunResult, flags: dict) -> RunResult:
    """A chapter whose code reaches for the graders earns nothing, whatever its tests said."""
    chapters_out = []
    for result in run.chapters:
        if result.package in flags:
            message = _("integrity: ") + "; ".join(str(f) for f in flags[result.package])
            result = replace(result, exercises=[replace(e, status=Status.FAIL, message=message) for e in result.exercises])
        chapters_out.append(result)
    return RunResult(chapters_out, run.message)


LOST_MAX = 300  # characters of an exercise's first failure in the report: its first line


def first_line(message: str | None) -> str:
    return clipped(next((text.strip() for text in (message or "").splitlines() if text.strip()), ""), LOST_MAX)


def lost_exercises(run: RunResult, graded: list[Chapter], reasons: list[str]) -> list[LostExercise]:
    """Each exercise that earned nothing: its column, its points and its first failure, or for
    a chapter that left no result, why (its reason)."""
    found = {result.package: {e.id: e for e in result.exercises} for result in run.chapters}
    lost = []
    for chapter in graded:
        prefix = _("chapter {n}: {reason}").format(n=chapter.number, reason="")
        why = next((r for r in reasons if r.startswith(prefix)), "; ".join(reasons))
        for exercise in chapter.exercises:
            result = found.get(chapter.package, {}).get(exercise.id)
            if result is None or result.score < exercise.points:
                lost.append(LostExercise(exercise_column(chapter, exercise.id), exercise.points,
                                         first_line(result.message if result is not None else why)))
    return lost


def row_of(student: Student, run: RunResult, reasons: list[str], graded: list[Chapter], seconds: float,
           isolation: sandbox.Isolation) -> ClassRow:
    """A student's row; `isolation` is how their code ran."""
    run = zero_flagged(run, student.flags or {})
    reasons = [TREE.sub("", reason) for reason in reasons]  # say chapters/..., not the temporary copy
    lost = lost_exercises(run, graded, reasons)
    found = {result.package: result for result in run.chapters}
    status = Status.ERROR if reasons else run.status if run.chapters else Status.ERROR
    exercises = {}
    for chapter in graded:
        scored = {e.id: e.score for e in found[chapter.package].exercises} if chapter.package in found else {}
        exercises.update({exercise_column(chapter, e.id): scored.get(e.id, 0) for e in chapter.exercises})
    return ClassRow(
        student=student.key, path=str(student.path), score=run.score, max_score=sum(c.points for c in graded),
        status=status, reason=reasons,
        integrity=[str(flag) for flags in (student.flags or {}).values() for flag in flags] + [str(n) for n in student.notes],
        flagged=bool(student.flags), lost=lost, graded=bool(run.chapters), seconds=round(seconds, 2), sandbox=str(isolation),
        chapters={c.package: found[c.package].score if c.package in found else 0 for c in graded},
        exercises=exercises,
    )


# --- the class ---------------------------------------------------------------------------

SHOWN_HINTS = 10  # similarity hints printed; the report lists them all

@dataclass
class Options:
    roots: list[str]
    roster: str | None = None
    csv_path: str | None = None
    json_path: str | None = None
    report_dir: str | None = None
    jobs: int = os.cpu_count() or 1
    timeout_s: float = engine.GRADER_TIMEOUT_S
    fail_under: int | None = None
    reuse: bool = True  # verdicts of identical chapters from earlier gradings (--no-reuse: grade everything)
    sandboxed: bool = True  # --no-sandbox: student code runs unsandboxed (to measure the sandbox's cost)

    def isolation(self) -> sandbox.Isolation:
        return sandbox.probe() if self.sandboxed else sandbox.Isolation(False, "--no-sandbox")


class Grader:
    """Grades the students, `jobs` at a time; reports each row as it is done."""

    def __init__(self, options: Options, students: list[Student], graded: list[Chapter]):
        self.options, self.students, self.graded = options, students, graded
        self.isolation = options.isolation()
        self.sandbox_cpu_s = 0.0  # CPU time spent inside sandboxes, as their zygotes count it
        self.rows: dict[str, ClassRow] = {}
        self.verdicts: dict[str, RunResult] = {}  # each student's chapters, flagged ones zeroed, as the row counts them
        self.sink = CsvSink(Path(options.csv_path), graded, {s.key for s in students}) if options.csv_path else None

    def done(self, student: Student, row: ClassRow) -> None:
        self.rows[student.key] = row
        if self.sink is not None:
            self.sink.write(row)
        detail = f"  {'; '.join(row.reason)}" if row.reason else ""
        print(f"[{len(self.rows)}/{len(self.students)}] {student.key}  {row.score}/{row.max_score}  {row.seconds:.1f} s{detail}",
              flush=True)

    def run(self) -> None:
        ready = []
        for student in self.students:
            student.started = time.monotonic()
            if not student.chapters_dir.is_dir():
                self.done(student, row_of(student, RunResult(), [_("no chapters/ folder")], self.graded, 0.0, self.isolation))
                continue
            prepare(student, self.graded, self.options.reuse)
            ready.append(student)
        try:
            for student in [s for s in ready if not s.todo]:  # every chapter known: nothing to run
                self.finish(student, {})
            if todo := [s for s in ready if s.todo]:
                self.grade(todo)
        finally:
            for student in ready:
                shutil.rmtree(student.tree, ignore_errors=True)
            if self.sink is not None:
                self.sink.close()

    def grade(self, ready: list[Student]) -> None:
        """Each student's chapters in a zygote of their own (track/grading/zygote.py), sandboxed where the
        machine allows; `jobs` workers at once over the class. A student alone gets every core."""
        per_student = max(1, self.options.jobs // len(ready))
        at_once = max(1, self.options.jobs // per_student)
        expected = engine.collect(self.graded).ids
        queue, running = list(ready), []
        while queue or running:
            while queue and len(running) < at_once:
                student = queue.pop(0)
                student.begin()
                running.append(student_run.launch(student.tree, student.todo, expected, per_student,
                                                  self.options.timeout_s, self.isolation))
            time.sleep(0.02)
            for run in [r for r in running if r.poll()]:
                running.remove(run)
                self.sandbox_cpu_s += run.cpu_s if self.isolation.sandboxed else 0.0
                student = next(s for s in ready if s.tree == run.tree)
                self.finish(student, run.verdicts(expected))

    def finish(self, student: Student, verdicts: dict[str, Verdict]) -> None:
        """The student's row from the chapters graded now and the verdicts known before. Nothing
        of a student whose run tripped anything is stored: a chapter's verdict is only reused
        when no code of theirs did anything but be graded."""
        results, reasons, lost = list(student.known.values()), [], []
        suspect = bool(student.flags) or any(v.flags for v in verdicts.values())
        for chapter in sorted(student.todo, key=lambda c: c.number):
            verdict = verdicts[chapter.package]
            if verdict.flags:
                student.flags.setdefault(chapter.package, []).extend(verdict.flags)
            if verdict.result is None:
                reasons.append(_("chapter {n}: {reason}").format(n=chapter.number, reason=verdict.reason))
                lost.append(ChapterResult(chapter.package, [], [], ChapterError(verdict.reason)))
                continue
            results.append(verdict.result)
            reasons += chapter_reasons(verdict.result, self.options.timeout_s)
            if not suspect:
                cache.class_store(verdict.result, student.tree / "chapters")
                cache.note_cost(verdict.result)
        results.sort(key=lambda result: result.chapter.number)
        self.verdicts[student.key] = zero_flagged(RunResult(sorted(results + lost, key=lambda r: r.chapter.number)),
                                                  student.flags or {})
        self.done(student, row_of(student, RunResult(results), reasons, self.graded, time.monotonic() - student.started,
                                         self.isolation))


def exit_code(rows: list[ClassRow], fail_under: int | None) -> int:
    """2 a student could not be graded at all; else 0 when every student passes (or reaches
    `fail_under` points); else 1."""
    if any(not row.graded for row in rows):
        return 2
    if fail_under is not None:
        return 0 if all(row.score >= fail_under for row in rows) else 1
    return 0 if all(row.status == Status.PASS for row in rows) else 1


def class_hints(rows: dict[str, ClassRow], graded: list[Chapter], known: tuple[set[str], list[dict]]) -> tuple[set[str], list[dict]]:
    """(students compared, similarity hints among them): every student of `rows` whose folder is
    still there, so a re-graded student is compared with the whole class again. `known` is what
    this run already compared."""
    folders = {key: Path(row.path) / "chapters" for key, row in rows.items()}
    present = {key: folder for key, folder in folders.items() if folder.is_dir()}
    if set(present) == known[0]:
        return known
    return set(present), [asdict(hint) for hint in integrity.similarity(present, graded)]


def merged(path: Path, rows: dict[str, ClassRow], graded: list[Chapter], known: tuple[set[str], list[dict]]) -> ClassData:
    """The class data at `path` with this run's rows, and hints among everyone still on disk."""
    data = ClassData.read(path)
    compared, hints = class_hints({**data.rows, **rows}, graded, known)
    data.merge(rows, hints, compared)
    return data


def write_reports(options: Options, rows: dict[str, ClassRow], known: tuple[set[str], list[dict]], graded: list[Chapter]) -> None:
    """The class JSON and the summaries, each merged into what an earlier grading wrote."""
    if options.csv_path:
        print(_("Wrote {path}").format(path=options.csv_path))
    if options.json_path:
        merged(Path(options.json_path), rows, graded, known).write(Path(options.json_path))
        print(_("Wrote {path}").format(path=options.json_path))
    if options.report_dir:
        data = merged(Path(options.report_dir) / "class.json", rows, graded, known)
        for path in write_summaries(Path(options.report_dir), data, graded):
            print(_("Wrote {path}").format(path=path))


def earlier_names(options: Options) -> dict[Path, str]:
    """Each student folder an earlier grading wrote to these reports -> its name there."""
    names = {}
    for path in [Path(p) / "class.json" for p in [options.report_dir] if p] + [Path(p) for p in [options.json_path] if p]:
        names.update({Path(row.path): key for key, row in ClassData.read(path).rows.items()})
    if options.csv_path and Path(options.csv_path).exists():
        with Path(options.csv_path).open(newline="", encoding="utf-8") as handle:
            names.update({Path(row["path"]): row["student"] for row in csv.DictReader(handle) if row.get("path")})
    return names


def grade_students(options: Options) -> int:
    if options.jobs < 1:
        raise UsageError(_("--jobs {jobs}: grade at least one student at a time.").format(jobs=options.jobs))
    graded = list(chapters())
    students = students_of(options.roots, options.roster, earlier_names(options))
    grader = Grader(options, students, graded)
    started = time.monotonic()
    grader.run()
    print(_("Graded {count} students in {seconds} s.").format(count=len(students), seconds=f"{time.monotonic() - started:.1f}"))
    if grader.sandbox_cpu_s:
        print(_("CPU time inside the sandboxes: {seconds} s").format(seconds=f"{grader.sandbox_cpu_s:.2f}"))
    compared = {s.key: s.chapters_dir for s in students if s.chapters_dir.is_dir()}
    similar = integrity.similarity(compared, graded)
    for hint in similar[:SHOWN_HINTS]:
        print(_("  similar: {hint}").format(hint=hint))
    if len(similar) > SHOWN_HINTS:
        print(_("  ... and {count} more similarity hints in the report").format(count=len(similar) - SHOWN_HINTS))
    write_reports(options, grader.rows, (set(compared), [asdict(hint) for hint in similar]), graded)
    return exit_code(list(grader.rows.values()), options.fail_under)
