"""The gradebook and the item analysis as CSV, for a spreadsheet.

Numbers are written as quiz.display writes them for people (marks to at most
two decimals, percentages whole, both rounded half up) and stay numbers a
spreadsheet can add up; only the JSON keeps full precision. Text that came
from people (names, groups, pack text, responses) is guarded against running
as a formula.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from typing import Iterable, Iterator, Sequence

from quiz import display
from quiz.report.gather import Report, Section
from quiz.report.items import ItemStats

GRADEBOOK_COLUMNS = (
    "student", "group", "pack", "pack version", "mode", "started", "finished",
    "minutes", "score", "max", "percent",
)
CBM_COLUMN = "certainty-based score"
# Only when some attempt has them: the class list's ID, and the clock of a timed test.
ID_COLUMN = "student id"
CLOCK_COLUMNS = ("minutes allowed", "ran out of time")
# The gradebook says what the signal-detection numbers mean; "hits", "false alarms",
# "d′" and "c" stay in the JSON and the docs, where a reader looks them up.
VERDICT_COLUMNS = ("Spotted misleading claims", "Called fair claims misleading", "Judgement (d′)", "Doubt or trust (c)")
ITEM_COLUMNS = (
    "pack", "pack version", "question", "prompt", "claim", "skill", "type", "max", "answered",
    "facility", "sd", "discrimination", "discriminative efficiency", "mean seconds",
    "hints used", "most common wrong answer", "responses", "flag",
)

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula (OWASP's quote prefix)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def cell(value: float | None, places: int = 2) -> str:
    """A number cell: as display.number writes it, empty when there is none."""
    text = display.number(value, places)
    return "" if text == display.NO_NUMBER else text


def stamp(moment: datetime | None) -> str:
    """"2026-11-27 10:02": what a spreadsheet reads as a date and time; the offset stays in the JSON."""
    return moment.isoformat(" ", "minutes")[:16] if moment else ""


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(h) for h in header])
    writer.writerows(rows)
    # The byte-order mark tells Excel the file is UTF-8, so accents show right.
    return buffer.getvalue().encode("utf-8-sig")


def _gradebook_layout(
    sections: Sequence[Section], verdicts: bool = True
) -> tuple[list[str], list[str], list[tuple[str, str]], bool, bool, bool, bool]:
    """The variable columns: skills, questions (pack, id), and whether CBM, verdicts,
    the student's ID and the clock of a timed test apply."""
    skills = list(dict.fromkeys(s for sec in sections for s, _ in sec.skills))
    questions = list(dict.fromkeys((sec.pack_id, q.id) for sec in sections for q in sec.asked))
    maxes: dict[tuple[str, str], set[float]] = defaultdict(set)
    for sec in sections:
        for q in sec.asked:
            maxes[(sec.pack_id, q.id)].add(q.max)
    several = len({sec.pack_id for sec in sections}) > 1
    names = []
    for key in questions:
        name = f"Q {key[0]}:{key[1]}" if several else f"Q {key[1]}"
        # Moodle writes each question's max in its heading; when versions disagree, it is left off.
        if len(maxes[key]) == 1:
            name += f" /{cell(next(iter(maxes[key])))}"
        names.append(name)
    rows = [r for sec in sections for r in sec.rows]
    has_cbm = any(r.cbm is not None for r in rows)
    has_verdicts = verdicts and any(r.verdicts is not None for r in rows)
    has_ids = any(r.header.student_id for r in rows)
    has_clock = any(r.header.time_limit is not None for r in rows)
    header = list(GRADEBOOK_COLUMNS)
    if has_ids:
        header.insert(1, ID_COLUMN)
    if has_clock:
        at = header.index("minutes") + 1
        header[at:at] = CLOCK_COLUMNS
    header += [f"{s} %" for s in skills] + names
    if has_cbm:
        header.append(CBM_COLUMN)
    if has_verdicts:
        header += VERDICT_COLUMNS
    return header, skills, questions, has_cbm, has_verdicts, has_ids, has_clock


def gradebook_header(report: Report) -> list[str]:
    """The gradebook's column names, in order."""
    return _gradebook_layout(report.sections)[0]


def gradebook_csv(report: Report, *, verdicts: bool = True) -> bytes:
    """One row an attempt: who, when, the score, each skill (percent), each question (points).

    `verdicts=False` leaves out the class-analysis columns of VERDICT_COLUMNS,
    as a student's own copy does.
    """
    header, skills, questions, has_cbm, has_verdicts, has_ids, has_clock = _gradebook_layout(report.sections, verdicts)
    rows = _gradebook_rows(report.sections, skills, questions, has_cbm, has_verdicts, has_ids, has_clock)
    return _csv_bytes(header, rows)


def _gradebook_rows(
    sections: Sequence[Section],
    skills: Sequence[str],
    questions: Sequence[tuple[str, str]],
    has_cbm: bool,
    has_verdicts: bool,
    has_ids: bool = False,
    has_clock: bool = False,
) -> Iterator[list[str]]:
    # A class's numbers repeat (the same marks, scores, percents): format each once.
    memo: dict[tuple[float | None, int], str] = {}

    def num(value: float | None, places: int = 2) -> str:
        text = memo.get((value, places))
        if text is None:
            text = memo[(value, places)] = cell(value, places)
        return text

    for sec in sections:
        marks: dict[float | None, str] = {
            v: cell(v) for v in {p for r in sec.rows for p in r.points.values()}
        }
        marks[None] = ""  # not answered, or a question of another pack
        columns = [qid if pack_id == sec.pack_id else "" for pack_id, qid in questions]
        label = csv_text(sec.version_label)
        for r in sec.rows:
            a = r.header
            points = r.points
            cells = [
                csv_text(a.student), csv_text(a.group), csv_text(a.pack_id), label, csv_text(a.mode),
                stamp(r.started), stamp(r.finished), num(r.minutes, 1),
                num(r.score), num(r.max), num(r.percent, 0),
            ]
            if has_ids:
                cells.insert(1, csv_text(a.student_id))
            if has_clock:
                allowed = (a.time_limit + a.extra_time) / 60 if a.time_limit is not None else None
                at = 9 if has_ids else 8  # after "minutes"
                cells[at:at] = [num(allowed, 1), "yes" if a.timed_out else ""]
            cells += [num(r.skills.get(s), 0) for s in skills]
            cells += map(marks.__getitem__, map(points.get, columns))
            if has_cbm:
                cells.append(num(r.cbm))
            if has_verdicts:
                v = r.verdicts
                cells += (
                    [str(v.hits), str(v.false_alarms), num(v.d_prime), num(v.c)]
                    if v else ["", "", "", ""]
                )
            yield cells


def responses_cell(item: ItemStats) -> str:
    """Every response with its count, right ones marked ✓: "✓ The council: 3; The library: 2"."""
    return "; ".join(f"{'✓ ' if rc.right else ''}{rc.text}: {rc.count}" for rc in item.responses)


def items_csv(report: Report) -> bytes:
    """Item analysis: one row a question, with Moodle's statistics and what the class answered."""
    rows = []
    for sec in report.sections:
        for it in sec.items:
            wrong = it.most_common_wrong
            rows.append([
                csv_text(sec.pack_id), csv_text(sec.version_label), csv_text(it.id),
                csv_text(it.info.prompt), csv_text(it.info.claim), csv_text(it.info.skill), csv_text(it.info.type),
                cell(it.info.max), str(it.answered), cell(it.facility), cell(it.sd),
                cell(it.discrimination), cell(it.efficiency), cell(it.mean_seconds, 1),
                str(it.hints), csv_text(f"{wrong.text} ({wrong.count})" if wrong else ""),
                csv_text(responses_cell(it)), csv_text(it.flag),
            ])
    return _csv_bytes(ITEM_COLUMNS, rows)
