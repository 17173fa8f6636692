"""What a teacher reads after grading a class: the CSV, the class JSON, Markdown and HTML.

A row is one student: points per chapter and per exercise, a status, the reasons a part
could not be graded, the integrity flags, how their code was isolated (the sandbox, or why
not), the seconds their grading took, and each exercise they lost with its first failure.
A flagged student's row counts in no pass rate. Re-grading some students replaces their rows and
keeps everyone else's (the CSV, the JSON and the summaries are merged, never rebuilt from
this run alone). The class JSON holds rows only, no per-test output or test code: a class
of 30 stays a few hundred KB at most (a student's full results.json comes from `grade`
in their clone).
"""
from __future__ import annotations

import csv
import html
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import NamedTuple, TextIO

from track.model.course import Chapter
from track.model.i18n import _, language
from track.classroom.integrity import alike
from track.model.results import Status

BASE_COLUMNS = ("student", "path", "score", "max_score", "status", "reason", "integrity", "sandbox", "seconds", "lost")
REPORT_NAMES = ("class-report.md", "class-report.html", "class.json")


def exercise_column(chapter: Chapter, exercise_id: str) -> str:
    return f"{chapter.package}:{exercise_id}"


def columns(chapters: list[Chapter]) -> list[str]:
    """The CSV's header: the student, then one column per chapter, then one per exercise."""
    return [*BASE_COLUMNS, *(c.package for c in chapters),
            *(exercise_column(c, e.id) for c in chapters for e in c.exercises)]


@dataclass
class LostExercise:
    """An exercise that earned a student nothing, and its first failure (or why it was not graded)."""

    exercise: str  # its column: `package:exercise`
    points: int
    message: str


@dataclass
class ClassRow:
    """One student: what the CSV, the class JSON and the summaries say of them."""

    student: str
    path: str
    score: int
    max_score: int
    status: Status  # the whole run's: pass, fail, or error (part of it could not be graded)
    reason: list[str]  # why part of their work could not be graded
    integrity: list[str]  # the integrity flags (and notes that cost no points)
    flagged: bool  # a chapter of theirs was flagged: the row counts in no pass rate
    lost: list[LostExercise]
    graded: bool  # anything of theirs was graded at all
    seconds: float
    sandbox: str  # how their code was isolated
    chapters: dict[str, int]  # chapter package -> points
    exercises: dict[str, int]  # exercise column -> points

    @classmethod
    def from_json(cls, entry: dict) -> ClassRow:
        """A row of a class JSON; rows of older gradings may lack the later fields."""
        known = {f.name for f in fields(cls)}
        return cls(**{**{k: v for k, v in entry.items() if k in known}, "status": Status(entry["status"]),
                      "lost": [LostExercise(**lost) for lost in entry.get("lost", [])],
                      "flagged": entry.get("flagged", bool(entry["integrity"])), "graded": entry.get("graded", True),
                      "seconds": entry.get("seconds", 0.0), "sandbox": entry.get("sandbox", "-")})

    def csv_fields(self) -> dict:
        """The row as the CSV writes it: chapters and exercises as columns, lists joined."""
        return {"student": self.student, "path": self.path, "score": self.score, "max_score": self.max_score,
                "status": self.status, "reason": "; ".join(self.reason), "integrity": "; ".join(self.integrity),
                "sandbox": self.sandbox, "seconds": self.seconds,
                "lost": "\n".join(f"{lost.exercise}: {lost.message}" for lost in self.lost),  # one a line
                **self.chapters, **self.exercises}


class CsvSink:
    """The class CSV, written as students finish: kept rows first, then each new one, flushed."""

    def __init__(self, path: Path, chapters: list[Chapter], regraded: set[str]):
        self.path = path
        kept = []
        if path.exists():
            with path.open(newline="", encoding="utf-8") as old:
                kept = [r for r in csv.DictReader(old) if r.get("student") not in regraded]
        self.handle: TextIO = path.open("w", newline="", encoding="utf-8")
        self.writer = csv.DictWriter(self.handle, columns(chapters), extrasaction="ignore", restval="")
        self.writer.writeheader()
        self.writer.writerows(kept)
        self.handle.flush()

    def write(self, row: ClassRow) -> None:
        self.writer.writerow(row.csv_fields())
        self.handle.flush()

    def close(self) -> None:
        """Rows in the students' order at the end, so two gradings of a class give the same file."""
        self.handle.close()
        with self.path.open(newline="", encoding="utf-8") as written:
            reader = csv.DictReader(written)
            header, rows = reader.fieldnames, sorted(reader, key=lambda row: row["student"])
        with self.path.open("w", newline="", encoding="utf-8") as output:
            writer = csv.DictWriter(output, header)
            writer.writeheader()
            writer.writerows(rows)


@dataclass
class ClassData:
    """Every student's row and the similarity hints: what the JSON holds and the summaries show."""

    rows: dict[str, ClassRow] = field(default_factory=dict)
    similarity: list[dict] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path | None) -> ClassData:
        if path is None or not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = {key: ClassRow.from_json(entry) for key, entry in data.get("students", {}).items()}
        return cls(rows, data.get("similarity", []))

    def merge(self, rows: dict[str, ClassRow], similarity: list[dict], compared: set[str]) -> None:
        """This run's rows replace those students' old rows; `similarity` holds the hints among
        the `compared` students, and older hints about anyone else are kept."""
        self.rows.update(rows)
        self.similarity = [h for h in self.similarity if not set(h["students"]) <= compared] + similarity

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        students = {key: asdict(row) for key, row in sorted(self.rows.items())}
        payload = {"version": 1, "students": students, "similarity": self.similarity}
        path.write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")


def pass_rates(data: ClassData, chapters: list[Chapter]) -> list[tuple[str, str, float]]:
    """(exercise column, title, share of the unflagged students who pass it), hardest first."""
    counted = [row for row in data.rows.values() if not row.flagged]
    rates = []
    for chapter in chapters:
        for exercise in chapter.exercises:
            column = exercise_column(chapter, exercise.id)
            passed = sum(1 for row in counted if row.exercises.get(column) == exercise.points)
            rates.append((column, _(exercise.title), passed / len(counted) if counted else 0.0))
    return sorted(rates, key=lambda rate: (rate[2], rate[0]))


class Section(NamedTuple):
    """A heading and its table (`rows` None: a heading over the sections that follow)."""

    level: int
    title: str
    header: list[str]
    rows: list[list[str]] | None


def student_cells(key: str, row: ClassRow) -> list[str]:
    return [key, f"{row.score}/{row.max_score}", row.status.label, "; ".join(row.integrity) or "-",
            row.sandbox, f"{row.seconds:.1f}", "; ".join(row.reason) or "-"]


def lost_sections(data: ClassData) -> list[Section]:
    """Per student who lost points: each exercise lost, its points and its first failure."""
    header = [_("exercise"), _("points"), _("first failure")]
    return [Section(3, f"{key} ({row.score}/{row.max_score})", header,
                    [[lost.exercise, str(lost.points), lost.message or "-"] for lost in row.lost])
            for key, row in sorted(data.rows.items()) if row.lost]


def sections(data: ClassData, chapters: list[Chapter]) -> list[Section]:
    """The summary's headings and tables; the Markdown and the HTML render these."""
    students = [student_cells(key, row) for key, row in sorted(data.rows.items())]
    left_out = sum(1 for row in data.rows.values() if row.flagged)
    rates = [[column, title, f"{share:.0%}"] for column, title, share in pass_rates(data, chapters)]
    flags = [[key, flag] for key, row in sorted(data.rows.items()) for flag in row.integrity]
    similar = [[_(" and ").join(h["students"]), h["file"], alike(h["students"], h["ratio"])] for h in data.similarity]
    lost = lost_sections(data)
    return [
        Section(2, _("Students"), [_("student"), _("points"), _("status"), _("integrity"), _("sandbox"), _("seconds"),
                                   _("errors")], students),
        Section(2, _("Exercises, hardest first ({count} flagged students left out)").format(count=left_out),
                [_("exercise"), _("title"), _("pass rate")], rates),
        Section(2, _("Integrity flags (the flagged chapter earns nothing)"), [_("student"), _("file:line")], flags),
        Section(2, _("Similarity hints (not a verdict: compare the files)"), [_("students"), _("file"), _("alike")], similar),
        Section(2, _("Points lost, student by student (each exercise's first failure)"), [], None if lost else []),
        *lost,
    ]


def markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(data: ClassData, chapters: list[Chapter]) -> str:
    lines = ["# " + _("Class report"), "", _("{count} students.").format(count=len(data.rows))]
    for level, title, header, rows in sections(data, chapters):
        lines += ["", f"{'#' * level} {title}"]
        if rows is None:
            continue
        lines.append("")
        if not rows:
            lines.append(_("None."))
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


STYLE = ("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eee}")


def html_page(data: ClassData, chapters: list[Chapter]) -> str:
    """One self-contained page: inline style, no scripts, no external assets."""
    title, count = html.escape(_("Class report")), html.escape(_("{count} students.").format(count=len(data.rows)))
    lang = "zh-CN" if language() == "zh_CN" else "en"
    parts = [f"<!doctype html><html lang={lang}><meta charset=utf-8><title>{title}</title><style>{STYLE}</style>",
             f"<h1>{title}</h1><p>{count}</p>"]
    for level, title, header, rows in sections(data, chapters):
        parts.append(f"<h{level}>{html.escape(title)}</h{level}>")
        if rows is None:
            continue
        if not rows:
            parts.append(f"<p>{html.escape(_('None.'))}</p>")
            continue
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        parts.append(f"<table><tr>{head}</tr>{body}</table>")
    return "".join(parts) + "</html>\n"


def write_summaries(folder: Path, data: ClassData, chapters: list[Chapter]) -> list[Path]:
    """class-report.md, class-report.html and class.json (which the next re-grade merges into)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / name for name in REPORT_NAMES]
    written[0].write_text(markdown(data, chapters), encoding="utf-8")
    written[1].write_text(html_page(data, chapters), encoding="utf-8")
    data.write(written[2])
    return written
