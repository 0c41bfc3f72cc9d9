"""The class at a glance: mean, median, spread, score bands, skills, verdicts and calibration."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median
from typing import Sequence

from quiz.engine import ConfidenceLevel, SignalDetection, saved_calibration, signal_detection
from quiz.report.rows import CBM, QuestionInfo, Row, answer_of, student_key

# Score bands of the class histogram, as in Moodle's overview report.
BANDS = tuple(f"{lo}–{lo + 9}%" if lo < 90 else "90–100%" for lo in range(0, 100, 10))


@dataclass(frozen=True)
class SkillMean:
    skill: str
    label: str
    percent: float  # the class mean of each attempt's percent on this skill
    attempts: int


@dataclass(frozen=True)
class ClassSummary:
    count: int
    max: float
    mean: float | None
    median: float | None
    sd: float | None  # sample standard deviation (n - 1), as Moodle gives it
    bands: tuple[int, ...]  # attempts in each of BANDS
    skills: tuple[SkillMean, ...]
    verdicts: SignalDetection | None  # the class's counts pooled, then d′ and c
    verdict_students: int
    all_misleading: int  # students who called every claim misleading
    cbm_mean: float | None
    calibration: tuple[ConfidenceLevel, ...] = ()

    def percent(self, points: float | None) -> float | None:
        if points is None:
            return None
        return 100.0 * points / self.max if self.max else 0.0


def class_summary(
    rows: Sequence[Row], questions: Sequence[QuestionInfo], skills: Sequence[tuple[str, str]]
) -> ClassSummary:
    scores = [r.score for r in rows]
    bands = [0] * len(BANDS)
    for r in rows:
        bands[min(int(round(r.percent, 6) // 10), len(BANDS) - 1)] += 1
    skill_means = []
    for skill, label in skills:
        got = [r.skills[skill] for r in rows if skill in r.skills]
        if got:
            skill_means.append(SkillMean(skill, label, sum(got) / len(got), len(got)))

    # The class's verdicts pooled: every student's hits, misses... added up, then d′ and c.
    judged = [r for r in rows if r.verdicts is not None]
    pooled = None
    if judged:
        pooled = signal_detection(
            sum(r.verdicts.hits for r in judged),
            sum(r.verdicts.misses for r in judged),
            sum(r.verdicts.false_alarms for r in judged),
            sum(r.verdicts.correct_rejections for r in judged),
        )
    # Doubting everything only shows where there was a fair claim to trust.
    doubters = {
        student_key(r.header) for r in judged
        if r.verdicts.called_all_misleading and r.verdicts.false_alarms + r.verdicts.correct_rejections
    }

    marks = [r.cbm for r in rows if r.cbm is not None]
    calibration: tuple[ConfidenceLevel, ...] = ()
    if marks:
        # The engine's rule, over the answers that were given a certainty-based mark.
        calibration = saved_calibration(answer_of(a) for r in rows for a in r.answers if a[CBM] is not None)
    return ClassSummary(
        count=len(rows),
        max=max((r.max for r in rows), default=float(sum(q.max for q in questions))),
        mean=sum(scores) / len(scores) if scores else None,
        median=median(scores) if scores else None,
        sd=_sample_sd(scores),
        bands=tuple(bands),
        skills=tuple(skill_means),
        verdicts=pooled,
        verdict_students=len({student_key(r.header) for r in judged}),
        all_misleading=len(doubters),
        cbm_mean=sum(marks) / len(marks) if marks else None,
        calibration=calibration,
    )


def _sample_sd(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n - 1), as Moodle gives it; None below two values.

    statistics.stdev is exact but works in fractions, far slower for a big class.
    """
    n = len(values)
    if n < 2:
        return None
    m = sum(values) / n
    return math.sqrt(sum([(v - m) ** 2 for v in values]) / (n - 1))
