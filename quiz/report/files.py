"""Writing the report to files, whole or not at all, and the student's own copy of one attempt.

A name already taken is refused unless the caller forces it; the file's
ending chooses the format (.csv, .json or .md). Failures come back as
ReportError with a message for a person; nothing here prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from quiz import store
from quiz.model import Attempt, Pack
from quiz.report.gather import Report, ReportError, build_report
from quiz.report.to_csv import gradebook_csv, items_csv
from quiz.report.to_json import report_json
from quiz.report.to_markdown import report_markdown
from quiz.report.to_school import SchoolGrades, school_csv

OUTPUT_SUFFIXES = (".csv", ".json", ".md")
COPY_SUFFIXES = (".csv", ".json")


def check_output(path: Path, *, items: bool = False, force: bool = False) -> None:
    """Raise ReportError if `path` cannot take the report (or, with `items`, the item analysis)."""
    _check_target(Path(path), (".csv",) if items else OUTPUT_SUFFIXES, force=force)


def _check_target(path: Path, suffixes: Sequence[str], *, force: bool) -> str:
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise ReportError(
            f"{path.name}: the file name must end in {' or '.join(suffixes)} "
            "so the report knows what to write."
        )
    if path.exists() and not force:
        raise ReportError(f"{path} already exists. Use --force to replace it, or choose another name.")
    if path.is_dir():
        raise ReportError(f"{path} is a folder; give a file name such as grades.csv.")
    return suffix


def _write(path: Path, data: bytes) -> Path:
    try:
        store.write_atomic(path, data)
    except OSError as exc:
        raise ReportError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    return path


def write_report(report: Report, path: Path, *, force: bool = False) -> Path:
    """The gradebook as .csv, everything as .json, or the summary as .md, whole or not at all."""
    path = Path(path)
    suffix = _check_target(path, OUTPUT_SUFFIXES, force=force)
    if suffix == ".csv":
        data = gradebook_csv(report)
    elif suffix == ".json":
        data = report_json(report)
    else:
        data = report_markdown(report).encode("utf-8")
    return _write(path, data)


def write_school(
    report: Report, path: Path, system: str, *, force: bool = False, ids: Callable[[Attempt], str] | None = None
) -> tuple[Path, SchoolGrades]:
    """The grades as `system` (moodle, canvas) imports them, as .csv, whole or not at all."""
    path = Path(path)
    _check_target(path, (".csv",), force=force)
    grades = school_csv(report, system, ids=ids)
    return _write(path, grades.data), grades


def write_items(report: Report, path: Path, *, force: bool = False) -> Path:
    """The item analysis as CSV, whole or not at all."""
    path = Path(path)
    _check_target(path, (".csv",), force=force)
    return _write(path, items_csv(report))


def attempt_copy(attempt: Attempt, suffix: str, *, pack: Pack | None = None) -> bytes:
    """The student's copy of one attempt as bytes: the gradebook's CSV row
    (suffix ".csv") or the report's JSON (".json"), without the verdict analysis.

    A served quiz hands these bytes to the browser; `export_attempt` writes them.
    """
    if suffix not in COPY_SUFFIXES:
        raise ReportError(f"A copy can be .csv or .json, not {suffix or 'a name without an ending'}.")
    # Built as a one-attempt report so the student's file has the teacher's columns,
    # all but the class analysis of verdicts (hits, false alarms, d′, c).
    report = build_report(
        [(None, attempt)],
        attempts="all",
        packs=[pack] if pack is not None else (),
        count_unfinished=True,
    )
    return gradebook_csv(report, verdicts=False) if suffix == ".csv" else report_json(report, student=True)


def export_attempt(attempt: Attempt, path: Path, *, force: bool = False, pack: Pack | None = None) -> Path:
    """The student's copy of one attempt, written to `path` (.csv or .json).

    Raises ReportError with a message to show the student (file exists, name
    not ending in .csv or .json, disk trouble).
    """
    path = Path(path)
    suffix = _check_target(path, COPY_SUFFIXES, force=force)
    return _write(path, attempt_copy(attempt, suffix, pack=pack))
