"""Everything in the report as JSON, at full precision, for other tools."""

from __future__ import annotations

import json
import math
from typing import Any

from quiz import store
from quiz.engine import SignalDetection
from quiz.report.gather import Report
from quiz.report.rows import Row
from quiz.report.summary import BANDS

REPORT_FORMAT = "quiz-report/1"


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _signal_dict(sd: SignalDetection | None) -> dict[str, Any] | None:
    if sd is None:
        return None
    return {
        "hits": sd.hits, "misses": sd.misses, "false_alarms": sd.false_alarms,
        "correct_rejections": sd.correct_rejections, "hit_rate": sd.hit_rate,
        "false_alarm_rate": sd.false_alarm_rate, "d_prime": sd.d_prime, "c": sd.c,
        "called_every_claim_misleading": sd.called_all_misleading,
    }


def _row_dict(row: Row, student: bool = False) -> dict[str, Any]:
    out = {
        "file": str(row.path) if row.path else None,
        "student": row.header.student,
        "student_id": row.header.student_id,
        "group": row.header.group,
        "score": row.score,
        "max": row.max,
        "percent": row.percent,
        "minutes": _finite(row.minutes),
        "ran_out_of_time": row.header.timed_out,
        "skills": dict(row.skills),
        "points": dict(row.points),
        "certainty_based_score": row.cbm,
        "verdicts": _signal_dict(row.verdicts),
        "attempt": store.to_dict(row.attempt),
    }
    if student:
        del out["verdicts"]
    return out


def report_dict(report: Report, *, student: bool = False) -> dict[str, Any]:
    """Everything in the report, as plain JSON types, for other tools.

    `student=True` is a student's own copy: the signal-detection numbers (hits,
    false alarms, d′, c), which are the teacher's analysis, are left out.
    """
    sections = []
    for sec in report.sections:
        s = sec.summary
        section: dict[str, Any] = {
            "pack": {"id": sec.pack_id, "version": sec.version, "sha256": sec.sha256, "title": sec.title},
            "version_label": sec.version_label,
            "questions": [
                {"id": q.id, "skill": q.skill, "type": q.type, "max": q.max, "prompt": q.prompt, "claim": q.claim}
                for q in sec.questions
            ],
            "skills": [{"id": k, "label": label} for k, label in sec.skills],
            "summary": {
                "count": s.count, "max": s.max, "mean": s.mean, "median": s.median, "sd": s.sd,
                "bands": dict(zip(BANDS, s.bands)),
                "skills": {m.skill: m.percent for m in s.skills},
                "verdicts": _signal_dict(s.verdicts),
                "verdict_students": s.verdict_students,
                "students_calling_every_claim_misleading": s.all_misleading,
                "certainty_based_mean": s.cbm_mean,
                "calibration": [
                    {"confidence": c.level, "answered": c.answered, "correct": c.correct} for c in s.calibration
                ],
            },
            "items": [
                {
                    "question": it.id, "skill": it.info.skill, "type": it.info.type, "max": it.info.max,
                    "answered": it.answered, "facility": it.facility, "sd": it.sd,
                    "discrimination": it.discrimination, "discriminative_efficiency": it.efficiency,
                    "mean_seconds": it.mean_seconds, "hints_used": it.hints,
                    "responses": [{"response": r.text, "count": r.count, "right": r.right} for r in it.responses],
                    "flags": list(it.flags),
                }
                for it in sec.items
            ],
            "attempts": [_row_dict(r, student) for r in sec.rows],
            "unfinished": [_row_dict(r, student) for r in sec.unfinished],
        }
        if student:
            for key in ("verdicts", "verdict_students", "students_calling_every_claim_misleading"):
                del section["summary"][key]
        sections.append(section)
    return {
        "format": REPORT_FORMAT,
        "generated": report.generated,
        "attempts": report.selection,
        "filters": dict(report.filters),
        "files_read": report.files_read,
        "warnings": list(report.warnings),
        "notes": list(report.notes),
        "sections": sections,
    }


def report_json(report: Report, *, student: bool = False) -> bytes:
    return (json.dumps(report_dict(report, student=student), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
