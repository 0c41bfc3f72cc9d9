"""`quiz report`: the gradebook and item analysis of a class's attempts.

quiz.report works the report out and writes its files; this module reads the
command line's wishes, says what happened on stdout and stderr, chooses the
exit code, and opens the dashboard when a person is at the terminal.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Sequence, TextIO

from quiz.cli.output import EXIT_OK, EXIT_PROBLEMS, plural
from quiz.display import printable
from quiz.report import (
    Report,
    ReportError,
    check_output,
    check_selection,
    check_system,
    left_out_sentence,
    load_report,
    parse_since,
    report_markdown,
    untitled_sentence,
    write_items,
    write_report,
    write_school,
)

EXIT_NOTHING = 1  # no attempt files, or none matching: nothing to report yet


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.locations import results_dir

    paths = args.paths or [results_dir(getattr(args, "results", None))]
    interactive = out.isatty() and args.out is None and args.items is None
    roster = None
    if getattr(args, "roster", None) is not None:
        from quiz.roster import RosterError, read_roster

        try:
            roster = read_roster(args.roster)
        except RosterError as exc:
            for problem in exc.problems:
                _say(problem, err)
            _say("The class list could not be read; nothing was written.", err)
            return EXIT_PROBLEMS
    return run_report(
        paths,
        pack=args.pack,
        group=args.group,
        since=args.since,
        attempts=args.attempts,
        out=args.out,
        items=args.items,
        force=args.force,
        interactive=interactive,
        stdout=out,
        stderr=err,
        system=getattr(args, "system", None),
        roster=roster,
    )


def run_report(
    paths: Sequence[Path],
    pack: str | None,
    group: str | None,
    since: str | None,
    attempts: str,
    out: Path | None,
    items: Path | None,
    force: bool,
    interactive: bool,
    stdout: TextIO,
    stderr: TextIO,
    *,
    system: str | None = None,
    roster=None,
) -> int:
    """`quiz report`: 0 when a report came out, 1 when there was nothing to report, 2 for bad input.

    With `system` (moodle, canvas) the file at `out` is the grades as that
    system imports them; `roster` (a quiz.roster.Roster) gives IDs to
    attempts whose files have none.
    """
    try:
        since_date = parse_since(since)
        check_selection(attempts)
        if system is not None:
            check_system(system, attempts)
            if out is None or Path(out).suffix.lower() != ".csv":
                raise ReportError(f"--for {system} writes a CSV file for {system.capitalize()}: add --out grades.csv.")
        # Refuse before reading anything: a teacher should not wait to hear a name is taken.
        if out is not None:
            check_output(Path(out), force=force)
        if items is not None:
            check_output(Path(items), items=True, force=force)
    except ReportError as exc:
        _say(exc, stderr)
        return EXIT_PROBLEMS

    code, dashboard = _report_files(
        paths, pack, group, since_date, attempts, out, items, force, interactive, stdout, stderr,
        system=system, roster=roster,
    )
    if dashboard is not None:
        from quiz.ui.report_app import make_report_app  # Textual only loads for the dashboard

        make_report_app(dashboard).run()
    return code


def _say(message: object, stream: TextIO) -> None:
    # Paths, file names and filters can hold anything; none of it may drive the terminal.
    print(printable(str(message)), file=stream)


def _report_files(
    paths: Sequence[Path],
    pack: str | None,
    group: str | None,
    since: date | None,
    attempts: str,
    out: Path | None,
    items: Path | None,
    force: bool,
    interactive: bool,
    stdout: TextIO,
    stderr: TextIO,
    *,
    system: str | None = None,
    roster=None,
) -> tuple[int, Report | None]:
    """Read, report and write; the report comes back only when the dashboard should show it."""
    from quiz.locations import results_dir

    folders = [Path(p) for p in paths] or [results_dir()]
    for p in folders:
        if not p.exists():
            _say(f"{p}: not found.", stderr)
    report = load_report(folders, pack=pack, group=group, since=since, attempts=attempts)
    for warning in report.warnings:
        _say(f"Warning: {warning}", stderr)

    where = ", ".join(str(p) for p in folders)
    if not report.files_read:
        _say(f"No attempt files were found in {where}. Nothing to report yet.", stderr)
        return EXIT_NOTHING, None
    if not report.sections:
        asked = ", ".join(f"{k} {v}" for k, v in report.filters.items())
        _say(f"None of the {plural(report.files_read, 'attempt')} in {where} match {asked}. Nothing to report.", stderr)
        return EXIT_NOTHING, None

    try:
        if out is not None and system is not None:
            ids = None
            if roster is not None:
                def ids(attempt, _roster=roster) -> str:
                    found = _roster.entry(attempt.student)
                    return found.id if found is not None else ""
            written, grades = write_school(report, Path(out), system, force=force, ids=ids)
            for warning in (left_out_sentence(grades), untitled_sentence(grades)):
                if warning:
                    _say(f"Warning: {warning}", stderr)
            _say(
                f"Wrote the grades of {plural(grades.students, 'student')} on {plural(grades.packs, 'pack')} for "
                f"{system.capitalize()} to {written}, matched by {grades.identifier}. "
                "docs/reports.md says how to import it.",
                stdout,
            )
        elif out is not None:
            written = write_report(report, Path(out), force=force)
            _say(f"Wrote the report of {plural(report.attempt_count, 'attempt')} to {written}.", stdout)
        if items is not None:
            written = write_items(report, Path(items), force=force)
            questions = sum(len(s.items) for s in report.sections)
            _say(f"Wrote the analysis of {plural(questions, 'question')} to {written}.", stdout)
    except ReportError as exc:
        _say(exc, stderr)
        return EXIT_NOTHING, None

    if out is None and items is None:
        if interactive:
            return EXIT_OK, report
        # The Markdown shows every name and response through display.one_line already.
        stdout.write(report_markdown(report))
    # A file was asked for: the line saying where it went is all the terminal gets.
    return EXIT_OK, None
