"""Grades for a school's system: a CSV that Moodle's or Canvas's gradebook import maps as it stands.

One row a student, matched by the ID from the class list (`student_id` in the
attempt file), and one grade column a pack: the percentage of the attempt
the report counts (last, first or best), so a new grade item or assignment
out of 100 takes it unchanged. A student without an ID cannot be matched by
the school's system, so they are left out and named in `left_out`: the
import would otherwise stop at their row (Moodle) or ask about each one
(Canvas).

Moodle (Grades > Import > CSV file): the identifier column is headed "Email
address" when every ID is an email address, else "ID number"; those are
the names of Moodle's own fields, so its "Map from" and "Map to" choose them
by themselves. Each pack's column is "<title> (Real)", the heading Moodle's
own export writes, which it maps to the grade item of that name.

Canvas (Grades > Import): the columns Canvas's own export begins with,
"Student, ID, SIS User ID, SIS Login ID, Section", a "Points Possible" row,
then one column a pack named "<title> (<pack id>)": Canvas makes an
assignment of that name on the first import and matches it by name after.
An ID that is an email address goes under SIS Login ID, any other under SIS
User ID.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Callable

from quiz.model import Attempt
from quiz.report.gather import Report, ReportError
from quiz.report.rows import Row, student_key
from quiz.report.to_csv import cell, csv_text

SYSTEMS = ("moodle", "canvas")
MOODLE_EMAIL = "Email address"
MOODLE_ID_NUMBER = "ID number"
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "    Points Possible"  # as Canvas's own export writes it


@dataclass(frozen=True)
class SchoolGrades:
    """The file's bytes, and what a teacher must hear about it."""

    data: bytes
    system: str
    identifier: str  # the column the school's system matches students by
    students: int
    packs: int
    left_out: tuple[str, ...]  # "Sam Lee (10B)": counted attempts without an ID
    untitled: tuple[str, ...] = ()  # packs not installed here, so their columns are named by id


@dataclass
class _Column:
    pack_id: str
    title: str
    grades: dict[str, tuple[Row, tuple[float, float]]]  # ID (folded) -> the counted row, its order key


def check_system(system: str, attempts: str) -> None:
    """Raise ReportError unless `system` is known and one attempt a student counts."""
    if system not in SYSTEMS:
        raise ReportError(f"--for must be one of {', '.join(SYSTEMS)} (got {system!r}).")
    if attempts == "all":
        raise ReportError(
            f"--for {system} writes one grade a student on each pack: use --attempts last, first or best, not all."
        )


def school_csv(report: Report, system: str, *, ids: Callable[[Attempt], str] | None = None) -> SchoolGrades:
    """The report's grades as `system` ("moodle" or "canvas") imports them.

    `ids` gives an attempt's ID when its file has none (from a class list
    given to `quiz report`); by default the file's `student_id` alone.
    """
    check_system(system, report.selection)

    def id_of(attempt: Attempt) -> str:
        return attempt.student_id or (ids(attempt) if ids is not None else "")

    columns: dict[str, _Column] = {}
    names: dict[str, tuple[str, str, str]] = {}  # folded ID -> (ID as written, name, group)
    left_out: dict[tuple[str, str], str] = {}
    for sec in report.sections:
        column = columns.setdefault(sec.pack_id, _Column(sec.pack_id, sec.title or sec.pack_id, {}))
        for r in sec.rows:
            student_id = " ".join(id_of(r.attempt).split())
            if not student_id:
                who = r.student or "(no name)"
                left_out[student_key(r.header)] = f"{who} ({r.header.group})" if r.header.group else who
                continue
            key = student_id.casefold()
            names.setdefault(key, (student_id, r.student, r.header.group))
            order = _order(r, report.selection)
            held = column.grades.get(key)
            # A pack changed between attempts has one section a version; still one grade a student.
            if held is None or order > held[1]:
                column.grades[key] = (r, order)
    if not names:
        raise ReportError(
            "None of the attempts counted has a student ID, so the school's system could not match any "
            "of them. Give the class list with an id column: `quiz report --roster class.csv`, or "
            "`--roster` when the class plays."
        )
    packs = list(columns.values())
    emails = all("@" in student_id for student_id, _, _ in names.values())
    rows: list[list[str]] = []
    if system == "moodle":
        identifier = MOODLE_EMAIL if emails else MOODLE_ID_NUMBER
        header = ["Full name", identifier] + [f"{p.title} (Real)" for p in packs]
        for key, (student_id, name, _group) in names.items():
            rows.append([csv_text(name), student_id] + [_grade(p, key) for p in packs])
    else:
        identifier = "SIS Login ID" if emails else "SIS User ID"
        header = list(CANVAS_COLUMNS) + [_canvas_title(p) for p in packs]
        rows.append([CANVAS_POINTS_ROW, "", "", "", ""] + ["100" for _ in packs])
        for key, (student_id, name, group) in names.items():
            sis_user, sis_login = ("", student_id) if emails else (student_id, "")
            rows.append([csv_text(name), "", sis_user, sis_login, csv_text(group)] + [_grade(p, key) for p in packs])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SchoolGrades(
        # Plain UTF-8 without a byte-order mark: both importers read it; the file is for them, not Excel.
        data=buffer.getvalue().encode("utf-8"),
        system=system,
        identifier=identifier,
        students=len(names),
        packs=len(packs),
        left_out=tuple(sorted(left_out.values(), key=str.casefold)),
        untitled=tuple(p.pack_id for p in packs if p.title == p.pack_id),
    )


def _order(r: Row, selection: str) -> tuple[float, float]:
    """Which of a student's counted rows (one a pack version) wins: the latest, earliest or best."""
    started = r.started.timestamp() if r.started is not None else -math.inf
    if selection == "first":
        return (-started, 0.0)
    if selection == "best":
        return (round(r.percent, 6), -started)  # of equal scores, the earlier one
    return (started, 0.0)


def _grade(column: _Column, key: str) -> str:
    held = column.grades.get(key)
    return cell(held[0].percent) if held is not None else ""


def _canvas_title(column: _Column) -> str:
    # Canvas reads "(digits)" at the end as its own assignment number, so an all-digit pack id is left off.
    title = " ".join(column.title.split())
    if column.pack_id.isdigit() or title == column.pack_id:
        return title
    return f"{title} ({column.pack_id})"


def untitled_sentence(grades: SchoolGrades) -> str:
    """The warning for packs named by their id, or "" when every title was known."""
    if not grades.untitled:
        return ""
    return (
        f"{', '.join(grades.untitled)}: not installed on this computer, so the column is named by the "
        "pack's id rather than its title. Make the report where the packs are installed to keep "
        "the column the same from one import to the next."
    )


def left_out_sentence(grades: SchoolGrades) -> str:
    """The warning for students left out, or "" when there are none."""
    if not grades.left_out:
        return ""
    count = len(grades.left_out)
    return (
        f"{count} student{'s have' if count != 1 else ' has'} no ID and {'are' if count != 1 else 'is'} left out, "
        f"since {grades.system.capitalize()} could not match them: {', '.join(grades.left_out)}. "
        "Add them to the class list with an ID and give it to quiz report with --roster."
    )
