"""The class report: gradebook, item analysis and class summary over attempt files.

    gather       which attempts count (filters, which of a student's attempts),
                 the Report and its Sections, one per pack version
    rows         one attempt as a gradebook line
    summary      the class at a glance: mean, spread, bands, skills, d′ and c
    items        Moodle's item statistics, and what the class answered
    to_csv       the gradebook and the item analysis for a spreadsheet
    to_json      everything, at full precision, for other tools
    to_markdown  the summary in words, to paste into a message
    to_school    the grades as Moodle's or Canvas's gradebook import takes them
    files        writing any of them whole, and the student's own copy

Right and wrong are the engine's: the marks it recorded in each attempt, and
`engine.earns_marks` for each response when the pack is installed. Pure
Python: nothing here prints, exits or loads Textual; `quiz report` itself,
and the dashboard it opens, live in quiz.cli and quiz.ui.
"""

from __future__ import annotations

from quiz.report.files import (
    OUTPUT_SUFFIXES,
    attempt_copy,
    check_output,
    export_attempt,
    write_items,
    write_report,
    write_school,
)
from quiz.report.gather import (
    SELECTIONS,
    Report,
    ReportError,
    Section,
    build_report,
    check_selection,
    installed_packs,
    load_report,
    parse_since,
)
from quiz.report.items import FLAG_MIN_ATTEMPTS, TOO_EASY, TOO_HARD, ItemStats, ResponseCount, too_few_to_flag
from quiz.report.rows import QuestionInfo, Row
from quiz.report.summary import BANDS, ClassSummary, SkillMean
from quiz.report.to_csv import (
    CBM_COLUMN,
    GRADEBOOK_COLUMNS,
    ITEM_COLUMNS,
    VERDICT_COLUMNS,
    csv_text,
    gradebook_csv,
    gradebook_header,
    items_csv,
)
from quiz.report.to_json import REPORT_FORMAT, report_dict, report_json
from quiz.report.to_markdown import bar, histogram_lines, ran_out_of_time, report_markdown, verdict_sentence
from quiz.report.to_school import (
    SYSTEMS,
    SchoolGrades,
    check_system,
    left_out_sentence,
    school_csv,
    untitled_sentence,
)

__all__ = [
    "BANDS",
    "CBM_COLUMN",
    "FLAG_MIN_ATTEMPTS",
    "GRADEBOOK_COLUMNS",
    "ITEM_COLUMNS",
    "OUTPUT_SUFFIXES",
    "REPORT_FORMAT",
    "SELECTIONS",
    "SYSTEMS",
    "TOO_EASY",
    "TOO_HARD",
    "VERDICT_COLUMNS",
    "ClassSummary",
    "ItemStats",
    "QuestionInfo",
    "Report",
    "ReportError",
    "ResponseCount",
    "Row",
    "SchoolGrades",
    "Section",
    "SkillMean",
    "attempt_copy",
    "bar",
    "build_report",
    "check_output",
    "check_selection",
    "check_system",
    "csv_text",
    "export_attempt",
    "gradebook_csv",
    "gradebook_header",
    "histogram_lines",
    "installed_packs",
    "items_csv",
    "left_out_sentence",
    "load_report",
    "parse_since",
    "ran_out_of_time",
    "report_dict",
    "report_json",
    "report_markdown",
    "school_csv",
    "too_few_to_flag",
    "untitled_sentence",
    "verdict_sentence",
    "write_items",
    "write_report",
    "write_school",
]
