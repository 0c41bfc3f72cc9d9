"""The class report: gradebook, item analysis and class summary over attempt files.

This module owns `quiz report`: which attempts count (filters, and which of a
student's attempts), the statistics Moodle's quiz reports give (facility,
standard deviation, discrimination index, discriminative efficiency), the
class's signal detection over verdicts, and writing all of it as CSV, JSON or
Markdown. It also owns `export_attempt`, the student's own copy of one
attempt, so the results screen and the teacher's gradebook share one format.

Pure Python: nothing here imports Textual. The dashboard in
`quiz/ui/report_app.py` only shows a `Report` built here, and is imported
lazily so a piped or `--out` report never loads it.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import cached_property, lru_cache
from itertools import compress, repeat
from operator import attrgetter, mul, sub
from pathlib import Path
from statistics import median
from typing import IO, Any, Iterable, Mapping, Sequence

from quiz import store
from quiz.engine import (
    ConfidenceLevel,
    SignalDetection,
    normalise_text,
    number_is_right,
    parse_number,
    signal_detection,
    verdict_outcome,
)
from quiz.model import CBM_MARKS, DEFAULT_SKILLS, VERDICTS, Answer, Attempt, Pack, Question

# Reading a class makes hundreds of thousands of objects and no cycles; the
# collector walking them again and again made the time grow faster than the class.
from contextlib import nullcontext as no_garbage_collection  # the collector is left alone

REPORT_FORMAT = "quiz-report/1"
SELECTIONS = ("last", "first", "best", "all")
OUTPUT_SUFFIXES = (".csv", ".json", ".md")

# Moodle's rule of thumb for items worth a second look.
TOO_HARD = 0.2
TOO_EASY = 0.95

# Score bands of the class histogram, as in Moodle's overview report.
BANDS = tuple(f"{lo}–{lo + 9}%" if lo < 90 else "90–100%" for lo in range(0, 100, 10))

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_SELECTION_WORDS = {
    "last": "each student's last finished attempt",
    "first": "each student's first finished attempt",
    "best": "each student's best finished attempt",
    "all": "every finished attempt",
}


class ReportError(Exception):
    """Something the teacher must fix (a bad date, a file in the way); the message says what."""


# --------------------------------------------------------------------------
# What a report holds
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInfo:
    """What the report knows of one question: from the pack if it is installed, else from answers."""

    id: str
    skill: str
    type: str  # "" when neither the pack nor the answers tell
    max: float
    prompt: str = ""
    question: Question | None = None  # the pack's question, when the exact version is installed


@dataclass(frozen=True)
class Row:
    """One attempt in the gradebook."""

    attempt: Attempt
    path: Path | None
    started: datetime | None
    finished: datetime | None
    score: float
    max: float
    minutes: float | None
    skills: Mapping[str, float]  # skill -> percent
    points: Mapping[str, float]  # question -> points, answered questions only
    cbm: float | None  # total certainty-based mark, when confidence was asked
    verdicts: SignalDetection | None

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max else 0.0

    @property
    def student(self) -> str:
        return self.attempt.student


@dataclass(frozen=True)
class ResponseCount:
    """How many gave one response; `right` is None when the file alone cannot tell."""

    text: str
    count: int
    right: bool | None


@dataclass(frozen=True)
class ItemStats:
    """One question across the class, as Moodle's quiz statistics report shows it."""

    info: QuestionInfo
    answered: int  # attempts that were asked it (unanswered counts as 0 marks, as in Moodle)
    facility: float | None  # mean score / max, 0..1
    sd: float | None  # standard deviation of the score / max
    discrimination: float | None  # Pearson r of item score with the rest of the test
    efficiency: float | None  # discriminative efficiency: r against the best r possible
    mean_seconds: float | None
    hints: int
    responses: tuple[ResponseCount, ...]

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.facility is not None and self.facility < TOO_HARD:
            out.append(f"facility {self.facility:.2f} is under {TOO_HARD}")
        if self.facility is not None and self.facility > TOO_EASY:
            out.append(f"facility {self.facility:.2f} is over {TOO_EASY}")
        if self.discrimination is not None and self.discrimination < 0:
            out.append(f"discrimination {self.discrimination:.2f} is below 0")
        return tuple(out)

    @property
    def flag(self) -> str:
        return f"check the answer key: {'; '.join(self.flags)}" if self.flags else ""

    @property
    def most_common_wrong(self) -> ResponseCount | None:
        wrong = [r for r in self.responses if r.right is False and r.count]
        return max(wrong, key=lambda r: r.count) if wrong else None


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


@dataclass(frozen=True)
class Section:
    """The attempts on one version of one pack: versions are never mixed in a statistic.

    The gradebook needs only the rows; the class summary and the item
    analysis are worked out the first time something asks for them, so a
    teacher who wants the gradebook alone does not wait for statistics.
    """

    pack_id: str
    version: str
    sha256: str
    title: str
    version_label: str  # the version, with the checksum when two versions share a number
    asked: tuple[QuestionInfo, ...]  # in the pack's order; without the pack, types are ""
    skills: tuple[tuple[str, str], ...]  # (skill id, label) in the pack's order
    rows: tuple[Row, ...]
    unfinished: tuple[Row, ...]

    @cached_property
    def items(self) -> tuple[ItemStats, ...]:
        return _items(self.asked, self.rows)

    @cached_property
    def questions(self) -> tuple[QuestionInfo, ...]:
        """The questions, with the types the responses gave away where the pack is not installed."""
        return tuple(it.info for it in self.items)

    @cached_property
    def summary(self) -> ClassSummary:
        return _summary(self.rows, self.asked, self.skills)

    @property
    def heading(self) -> str:
        if self.title:
            return f"{self.title} ({self.pack_id}, version {self.version_label})"
        return f"{self.pack_id} (version {self.version_label})"


@dataclass(frozen=True)
class Report:
    sections: tuple[Section, ...]
    selection: str = "last"
    filters: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # files skipped, each with its reason
    notes: tuple[str, ...] = ()  # things a teacher should know about the numbers
    generated: str = ""
    files_read: int = 0

    @property
    def attempt_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    @property
    def unfinished_count(self) -> int:
        return sum(len(s.unfinished) for s in self.sections)

    @property
    def counting(self) -> str:
        """What the numbers count, in words: "each student's last finished attempt"."""
        return _SELECTION_WORDS.get(self.selection, self.selection)


# --------------------------------------------------------------------------
# Reading and choosing attempts
# --------------------------------------------------------------------------


def parse_since(text: str | None) -> date | None:
    """`--since` as a date; raises ReportError with an example if it is not YYYY-MM-DD."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(
            f"--since needs a date written year-month-day, like 2026-09-01 (got {text!r})."
        ) from None


def _when(stamp: str | None) -> datetime | None:
    """An attempt's ISO time, made comparable: a time with no offset is taken as UTC."""
    if not stamp:
        return None
    try:
        # Python 3.10 does not read a trailing "Z".
        when = datetime.fromisoformat(stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _student_key(attempt: Attempt) -> tuple[str, str]:
    # "Sam Lee" and "sam lee " are the same student; the same name in two groups is not.
    return (" ".join(attempt.student.split()).casefold(), attempt.group.strip().casefold())


def installed_packs() -> list[Pack]:
    """The packs this machine knows, for titles and answer keys; none if they cannot be read.

    A report must come out from attempt files alone, so any failure here
    (no packs, a broken one, the packs module missing) is no failure at all.
    """
    try:
        from quiz.packs import discover

        return [found.pack for found in discover().packs]
    except Exception:  # noqa: BLE001 - the packs only add titles; the report works without them
        return []


def load_report(
    paths: Sequence[Path],
    *,
    pack: str | None = None,
    group: str | None = None,
    since: date | None = None,
    attempts: str = "last",
    packs: Iterable[Pack] | None = None,
    now: datetime | None = None,
) -> Report:
    """Read every attempt file under `paths` and build the report."""
    known = installed_packs() if packs is None else packs
    with no_garbage_collection():
        found, warnings = store.read_attempts(paths)
        return build_report(
            found,
            pack=pack,
            group=group,
            since=since,
            attempts=attempts,
            packs=known,
            warnings=warnings,
            now=now,
        )


def build_report(
    found: Iterable[tuple[Path | None, Attempt]],
    *,
    pack: str | None = None,
    group: str | None = None,
    since: date | None = None,
    attempts: str = "last",
    packs: Iterable[Pack] = (),
    warnings: Sequence[str] = (),
    now: datetime | None = None,
    count_unfinished: bool = False,
) -> Report:
    """Filter, choose and analyse attempts; one section per pack version.

    `count_unfinished` is for a student's own copy of an attempt they left
    early; a class report never counts unfinished attempts.
    """
    if attempts not in SELECTIONS:
        raise ReportError(f"--attempts must be one of {', '.join(SELECTIONS)} (got {attempts!r}).")
    found = list(found)
    by_version = {(p.id, p.sha256): p for p in packs}
    titles = {p.id: p.title for p in by_version.values()}
    wanted_group = group.strip().casefold() if group else None

    groups: dict[tuple[str, str], list[tuple[Path | None, Attempt, datetime | None]]] = defaultdict(list)
    for path, attempt in found:
        if pack is not None and attempt.pack_id != pack:
            continue
        if wanted_group is not None and attempt.group.strip().casefold() != wanted_group:
            continue
        started = _when(attempt.started)
        if since is not None and (started is None or started.date() < since):
            continue
        groups[(attempt.pack_id, attempt.pack_sha256)].append((path, attempt, started))

    def first_started(key: tuple[str, str]) -> tuple[str, float]:
        times = [s.timestamp() for _, _, s in groups[key] if s is not None]
        return (key[0], min(times) if times else math.inf)

    keys = sorted(groups, key=first_started)
    versions_of: dict[str, list[str]] = defaultdict(list)
    for pack_id, sha in keys:
        versions_of[pack_id].append(groups[(pack_id, sha)][0][1].pack_version)

    sections = []
    for pack_id, sha in keys:
        members = groups[(pack_id, sha)]
        version = members[0][1].pack_version
        label = version or "unknown"
        if versions_of[pack_id].count(version) > 1:
            label = f"{label} ({sha[:8] or 'no checksum'})"
        sections.append(
            _section(
                pack_id, version, sha, label, members, attempts,
                by_version.get((pack_id, sha)), titles.get(pack_id, ""), count_unfinished,
            )
        )

    notes = [
        f"Counting {_SELECTION_WORDS[attempts]} on each pack; "
        "unfinished attempts are listed but not counted."
    ]
    for pack_id, versions in versions_of.items():
        if len(versions) > 1:
            shown = ", ".join(s.version_label for s in sections if s.pack_id == pack_id)
            notes.append(
                f"Pack {pack_id} changed between attempts ({len(versions)} versions: {shown}). "
                "Each version is reported apart, because scores on a changed pack do not compare."
            )
            if len(set(versions)) < len(versions):
                notes.append(
                    f"Pack {pack_id} was edited without a new version number; its versions "
                    "are told apart by the file's checksum (the code in brackets)."
                )
    asked = (("pack", pack), ("group", group), ("since", since.isoformat() if since else None))
    filters = {name: value for name, value in asked if value}
    return Report(
        sections=tuple(sections),
        selection=attempts,
        filters=filters,
        warnings=tuple(warnings),
        notes=tuple(notes),
        generated=(now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        files_read=len(found),
    )


def _choose(
    members: list[tuple[Path | None, Attempt, datetime | None]], attempts: str
) -> list[tuple[Path | None, Attempt, datetime | None]]:
    """Which finished attempts count, in the files' order."""
    if attempts == "all":
        return members
    by_student: dict[tuple[str, str], list] = defaultdict(list)
    for m in members:
        by_student[_student_key(m[1])].append(m)

    def when(m) -> float:
        return m[2].timestamp() if m[2] is not None else -math.inf

    chosen = []
    for mine in by_student.values():
        if attempts == "last":
            chosen.append(max(mine, key=when))
        elif attempts == "first":
            chosen.append(min(mine, key=when))
        else:  # best: the highest score; of equal scores, the earlier one
            chosen.append(max(mine, key=lambda m: (round(m[1].score, 4), -when(m))))
    # Keep the files' order, so the gradebook reads the same on every run.
    position = {id(m[1]): i for i, m in enumerate(members)}
    return sorted(chosen, key=lambda m: position[id(m[1])])


# --------------------------------------------------------------------------
# One pack version: gradebook rows, class summary, item analysis
# --------------------------------------------------------------------------


def _questions(pack: Pack | None, attempts: Sequence[Attempt]) -> tuple[QuestionInfo, ...]:
    """The questions in the pack's order if it is installed, else as the first attempt met them.

    Without the pack, a question's type is left "" here; the item analysis
    guesses it from the responses once it has counted them.
    """
    seen: dict[str, list] = {}  # id -> [skill, max], empty until an answer tells
    unknown = 0  # how many of `seen` are still empty
    for attempt in attempts:
        for qid in attempt.order:
            if qid not in seen:
                seen[qid] = []
                unknown += 1
        # Most attempts add nothing new: only read answers while something is unknown.
        if unknown:
            for a in attempt.answers:
                info = seen.get(a.question)
                if not info:
                    unknown -= info is not None  # an asked question now known; an unasked one was never counted
                    seen[a.question] = [a.skill, a.max]
    seen = {qid: info or ["", 0.0] for qid, info in seen.items()}
    if pack is None:
        return tuple(QuestionInfo(qid, skill, "", top) for qid, (skill, top) in seen.items())
    known = {q.id for q in pack.questions}
    out = [QuestionInfo(q.id, q.skill, q.type, float(q.points), q.prompt, q) for q in pack.questions]
    # Answers to questions the pack no longer has still belong in the report.
    out += [QuestionInfo(qid, skill, "", top) for qid, (skill, top) in seen.items() if qid not in known]
    return tuple(out)


def _skills(pack: Pack | None, questions: Sequence[QuestionInfo]) -> tuple[tuple[str, str], ...]:
    used = [q.skill for q in questions if q.skill]
    labels = dict(DEFAULT_SKILLS)
    if pack is not None:
        labels.update(pack.skills)
    order = [s for s in labels if s in used] + [s for s in dict.fromkeys(used) if s not in labels]
    return tuple((s, labels.get(s, s)) for s in order)


@dataclass(frozen=True)
class _Layout:
    """What every attempt on one pack version shares, worked out once for all of them."""

    questions: Mapping[str, QuestionInfo]
    skills: Mapping[str, tuple[str, ...]]  # skill -> its question ids
    skill_max: Mapping[str, float]  # skill -> its max, when every question was asked
    verdict_ids: frozenset[str] | None  # None without the pack: verdicts known by their response

    @classmethod
    def of(cls, questions: Sequence[QuestionInfo], pack: Pack | None) -> "_Layout":
        by_skill: dict[str, list[str]] = defaultdict(list)
        for q in questions:
            by_skill[q.skill].append(q.id)
        info = {q.id: q for q in questions}
        return cls(
            questions=info,
            skills={s: tuple(ids) for s, ids in by_skill.items()},
            skill_max={s: sum(info[q].max for q in ids) for s, ids in by_skill.items()},
            verdict_ids=frozenset(q.id for q in pack.questions if q.type == "verdict") if pack else None,
        )


_question_and_score = attrgetter("question", "score")
_cbm = attrgetter("cbm")
_zeros = repeat(0.0)  # map(points.get, ids, _zeros) is points.get(id, 0.0) for each id


def _row(path: Path | None, attempt: Attempt, started: datetime | None, layout: _Layout) -> Row:
    """One attempt's gradebook line.

    Built from `map` and comprehensions rather than one loop with many steps:
    a class report reads tens of thousands of answers and these run at C speed.
    """
    answers = attempt.answers
    points = dict(map(_question_and_score, answers))
    score = sum(points.values())
    info = layout.questions
    if len(points) == len(info):
        skill_max = layout.skill_max
    else:
        # Not every question answered: count those that were asked, unanswered ones as 0, as in Moodle.
        asked = set(points).union(attempt.order)
        skill_max = {s: sum([info[q].max for q in ids if q in asked]) for s, ids in layout.skills.items()}
    top = sum(skill_max.values())
    skills = {
        s: 100.0 * sum(map(points.get, layout.skills[s], _zeros)) / m
        for s, m in skill_max.items() if m
    }
    marks = [m for m in map(_cbm, answers) if m is not None]
    # As engine.verdict_signal: with the pack, verdicts are known by type; without, by response.
    verdicts = [a for a in answers if type(a.response) is str and a.response in VERDICTS]
    if layout.verdict_ids is not None:
        verdicts = [a for a in verdicts if a.question in layout.verdict_ids]
    signal = None
    if verdicts:
        outcomes = {"hit": 0, "miss": 0, "false alarm": 0, "correct rejection": 0}
        for a in verdicts:
            outcomes[verdict_outcome(a)] += 1
        signal = _signal(*outcomes.values())
    finished = _when(attempt.finished)
    return Row(
        attempt=attempt,
        path=path,
        started=started,
        finished=finished,
        score=round(score, 4),
        max=round(top, 4),
        minutes=(finished - started).total_seconds() / 60 if started and finished else None,
        skills=skills,
        points=points,
        cbm=sum(marks) if marks else None,
        verdicts=signal,
    )


# A class has few distinct verdict counts, and each d′ costs two inverse normals.
_signal = lru_cache(maxsize=4096)(signal_detection)


def _section(
    pack_id: str,
    version: str,
    sha: str,
    label: str,
    members: list[tuple[Path | None, Attempt, datetime | None]],
    attempts: str,
    pack: Pack | None,
    title: str,
    count_unfinished: bool = False,
) -> Section:
    questions = _questions(pack, [m[1] for m in members])
    layout = _Layout.of(questions, pack)
    finished = [m for m in members if m[1].is_finished or count_unfinished]
    rows = tuple(_row(*m, layout) for m in _choose(finished, attempts))
    unfinished = tuple(
        _row(*m, layout) for m in members if not (m[1].is_finished or count_unfinished)
    )
    return Section(
        pack_id=pack_id,
        version=version,
        sha256=sha,
        title=title,
        version_label=label,
        asked=questions,
        skills=_skills(pack, questions),
        rows=rows,
        unfinished=unfinished,
    )


def _summary(rows: Sequence[Row], questions: Sequence[QuestionInfo], skills) -> ClassSummary:
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
        _student_key(r.attempt) for r in judged
        if r.verdicts.called_all_misleading and r.verdicts.false_alarms + r.verdicts.correct_rejections
    }

    marks = [r.cbm for r in rows if r.cbm is not None]
    calibration: tuple[ConfidenceLevel, ...] = ()
    if marks:
        # A right answer earns a positive mark at every level, a wrong one 0 or less:
        # count +level for right and -level for wrong.
        seen = Counter([
            a.confidence if a.cbm > 0 else -a.confidence
            for r in rows for a in r.attempt.answers if a.cbm is not None and a.confidence
        ])
        calibration = tuple(
            ConfidenceLevel(level, seen[level] + seen[-level], seen[level]) for level in CBM_MARKS
        )
    return ClassSummary(
        count=len(rows),
        max=max((r.max for r in rows), default=float(sum(q.max for q in questions))),
        mean=sum(scores) / len(scores) if scores else None,
        median=median(scores) if scores else None,
        sd=_sample_sd(scores),
        bands=tuple(bands),
        skills=tuple(skill_means),
        verdicts=pooled,
        verdict_students=len({_student_key(r.attempt) for r in judged}),
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


_NO_ANSWER = "(no answer)"


_score = attrgetter("score")
_seconds = attrgetter("seconds")
_hinted = attrgetter("hinted")
_response = attrgetter("response")


class _Tally:
    """What the item analysis gathers for one question before its statistics.

    Every list is made by `map` over the question's answers: this runs for
    every answer in the class, and a getter mapped in C is several times a
    comprehension's speed.
    """

    __slots__ = ("xs", "ys", "seconds", "timed", "hints", "counts", "earned")

    def __init__(
        self, answers: list[Answer], totals: list[float], unanswered: list[float], *, judge: bool
    ) -> None:
        # x: the item's marks; y: the rest of the test (total minus the item).
        # Asked but not answered scores 0, as in Moodle.
        self.xs = list(map(_score, answers)) + [0.0] * len(unanswered)
        self.ys = list(map(sub, totals, self.xs)) + unanswered
        self.seconds = sum(map(_seconds, answers))
        self.timed = len(answers)
        self.hints = sum(map(_hinted, answers))
        keys, self.counts = _count_responses(list(map(_response, answers)))
        if unanswered:
            self.counts[None] += len(unanswered)
        # Responses that earned marks: only needed to judge them when the pack is not at hand.
        # Marks are never negative, so a mark is "true" exactly when it is above 0.
        self.earned = set(compress(keys, self.xs)) if judge else set()


def _count_responses(responses: list[Any]) -> tuple[list[Any], Counter[Any]]:
    """Each response as a dictionary key (a list or an object becomes a tagged
    tuple), and how many gave each.

    Most questions' responses are all text, which are keys as they stand;
    otherwise one comprehension, and a file edited by hand with lists inside
    lists takes the slow road.
    """
    if set(map(type, responses)) <= _TEXT_OR_NOTHING:
        return responses, Counter(responses)
    keys = [
        r if type(r) is str
        else ("multi", tuple(r)) if type(r) is list
        else ("match", tuple(r.items())) if type(r) is dict
        else r if r is None
        else str(r)
        for r in responses
    ]
    try:
        return keys, Counter(keys)
    except TypeError:
        keys = [_hashable(r) for r in responses]
        return keys, Counter(keys)


_TEXT_OR_NOTHING = {str, type(None)}


def _hashable(response: Any) -> Any:
    """One response as a dictionary key, whatever a hand-edited file put in it."""
    if response is None or type(response) is str:
        return response
    if isinstance(response, list):
        key: Any = ("multi", tuple(response))
    elif isinstance(response, dict):
        key = ("match", tuple(response.items()))
    else:
        return str(response)
    try:
        hash(key)
    except TypeError:
        return str(response)
    return key


def _items(questions: Sequence[QuestionInfo], rows: Sequence[Row]) -> tuple[ItemStats, ...]:
    """Every question's statistics over the counted attempts.

    One walk sorts the answers by question; the statistics are then
    comprehensions over each question's list, which run at C speed.
    """
    answers: dict[str, list[Answer]] = {q.id: [] for q in questions}
    totals: dict[str, list[float]] = {q.id: [] for q in questions}
    unanswered: dict[str, list[float]] = {q.id: [] for q in questions}
    for r in rows:
        total = r.score
        for a in r.attempt.answers:
            mine = answers.get(a.question)
            if mine is not None:
                mine.append(a)
                totals[a.question].append(total)
        if len(r.points) < len(r.attempt.order):
            for qid in r.attempt.order:
                if qid not in r.points and qid in unanswered:
                    unanswered[qid].append(total)
    return tuple(
        _item(q, _Tally(answers[q.id], totals[q.id], unanswered[q.id], judge=q.question is None))
        for q in questions
    )


def _item(info: QuestionInfo, t: _Tally) -> ItemStats:
    """Moodle's item statistics for one question.

    x = the item's marks, y = the rest of the test (total minus this item).
    Facility is mean(x) / max; SD is the sample SD of x over max; the
    discrimination index is Pearson's r(x, y); the discriminative efficiency
    is cov(x, y) over the largest covariance the same marks could have
    (both sorted), as Moodle's question/classes/statistics/questions/calculator.php does.
    """
    xs, ys = t.xs, t.ys
    n = len(xs)
    facility = sd = disc = eff = None
    if n and info.max:
        facility = sum(xs) / n / info.max
    if n > 1:
        mx, my = sum(xs) / n, sum(ys) / n
        dx = [x - mx for x in xs]
        dy = [y - my for y in ys]
        # Moodle divides each by n - 1; the factor cancels in r and in the efficiency.
        var_x = sum(map(mul, dx, dx)) / (n - 1)
        var_y = sum(map(mul, dy, dy)) / (n - 1)
        cov = sum(map(mul, dx, dy)) / (n - 1)
        if info.max:
            sd = math.sqrt(var_x) / info.max
        if var_x * var_y > 0:
            disc = cov / math.sqrt(var_x * var_y)
        # The same deviations, each list sorted: the best pairing these marks allow.
        cov_max = sum(map(mul, sorted(dx), sorted(dy))) / (n - 1)
        if cov_max > 0:
            eff = cov / cov_max

    if not info.type:
        info = replace(info, type=_guess_type(t.counts))
    counts = t.counts
    if info.question is not None and info.question.type in ("number", "text"):
        counts = _same_answers_together(info.question, counts)
    tally: dict[str, list] = {}  # text -> [count, right]
    for key, count in counts.items():
        for text, right in _responses(info, key, key in t.earned):
            entry = tally.setdefault(text, [0, right])
            entry[0] += count
            if right:
                entry[1] = True
    q = info.question
    options = _all_options(q) if q is not None else []
    # Options nobody chose matter too: a distractor no one falls for does no work.
    for text in options:
        tally.setdefault(text, [0, _option_right(q, text)])
    order = {text: i for i, text in enumerate(options)}
    responses = sorted(
        (ResponseCount(text, count, right) for text, (count, right) in tally.items()),
        key=lambda rc: (-rc.count, order.get(rc.text, len(order)), rc.text),
    )
    return ItemStats(
        info=info,
        answered=n,
        facility=facility,
        sd=sd,
        discrimination=disc,
        efficiency=eff,
        mean_seconds=t.seconds / t.timed if t.timed else None,
        hints=t.hints,
        responses=tuple(responses),
    )


def _same_answers_together(q: Question, counts: Mapping[Any, int]) -> dict[Any, int]:
    """Typed answers that mean the same ("500", "500%"; "The Council", "the council")
    counted as one, under the spelling most students used."""
    groups: dict[Any, dict[Any, int]] = defaultdict(dict)
    for key, count in counts.items():
        if isinstance(key, str):
            same = parse_number(key) if q.type == "number" else normalise_text(key)
            groups[key.strip() if same is None else same][key] = count
        else:
            groups[key][key] = count
    merged = {}
    for spellings in groups.values():
        # Ties go to the spelling met first, so the report reads the same every run.
        shown = max(spellings, key=lambda k: spellings[k])
        merged[shown] = sum(spellings.values())
    return merged


def _guess_type(counts: Mapping[Any, int]) -> str:
    """Without the pack, a list, an object, or only fair/misleading give a question's type away."""
    kinds = set()
    for key in counts:
        if key is None:
            continue
        if isinstance(key, tuple):
            kinds.add(key[0])
        else:
            kinds.add("verdict" if key in VERDICTS else "")
    return kinds.pop() if len(kinds) == 1 else ""


def _all_options(q: Question) -> list[str]:
    if q.type in ("choice", "multi", "phrase"):
        return [o.text for o in q.options]
    if q.type == "verdict":
        return list(VERDICTS)
    return []


def _option_right(q: Question, text: str) -> bool | None:
    if q.type in ("choice", "multi", "phrase"):
        return any(o.text == text and o.correct for o in q.options)
    if q.type == "verdict":
        return text == q.verdict
    return None


def _responses(info: QuestionInfo, key: Any, earned: bool) -> list[tuple[str, bool | None]]:
    """One response in words, split into what is counted, and whether each part is right.

    `key` is the response as `_hashable` made it; `earned` whether it earned
    marks. Right is None when the attempt file alone cannot tell.
    """
    q = info.question
    if key is None:
        return [(_NO_ANSWER, False)]
    if isinstance(key, tuple) and key[0] == "multi":  # count every option picked
        if not key[1]:
            return [("(nothing chosen)", False)]
        return [(str(text), _option_right(q, str(text)) if q else None) for text in key[1]]
    if isinstance(key, tuple):  # match: count every item sorted into a category
        answers = {i.text: i.answer for i in q.items} if q else {}
        return [(f"{item} → {cat}", (answers.get(item) == cat) if q else None) for item, cat in key[1]]
    if q is None:
        # Choice, phrase, number, text and verdict have no partial marks, so any mark means right.
        return [(key, earned)]
    if q.type == "number":
        value = parse_number(key)
        return [(key, value is not None and number_is_right(q, value))]
    if q.type == "text":
        return [(key, normalise_text(key) in {normalise_text(a) for a in q.accept})]
    return [(key, _option_right(q, key))]


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------

GRADEBOOK_COLUMNS = (
    "student", "group", "pack", "pack version", "mode", "started", "finished",
    "minutes", "score", "max", "percent",
)
CBM_COLUMN = "certainty-based score"
VERDICT_COLUMNS = ("hits", "false alarms", "d′", "c")
ITEM_COLUMNS = (
    "pack", "pack version", "question", "prompt", "skill", "type", "max", "answered",
    "facility", "sd", "discrimination", "discriminative efficiency", "mean seconds",
    "hints used", "most common wrong answer", "responses", "flag",
)


def csv_text(value: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula (OWASP's quote prefix)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _number(value: float | None, places: int) -> str:
    """A number as a spreadsheet reads it: no trailing zeros, never "-0"."""
    if value is None or not math.isfinite(value):
        return ""
    rounded = round(value, places)
    if rounded == int(rounded):
        return str(int(rounded))
    return repr(rounded)  # the shortest form that reads back the same: 0.67, not 0.67000000001


def _stamp(when: datetime | None) -> str:
    # "2026-11-27 10:02" is what a spreadsheet reads as a date and time; the offset stays in the JSON.
    return when.isoformat(" ", "minutes")[:16] if when else ""


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(h) for h in header])
    writer.writerows(rows)
    # The byte-order mark tells Excel the file is UTF-8, so accents show right.
    return buffer.getvalue().encode("utf-8-sig")


def _gradebook_layout(
    sections: Sequence[Section],
) -> tuple[list[str], list[str], list[tuple[str, str]], bool, bool]:
    """The variable columns: skills, questions (pack, id), and whether CBM and verdicts apply."""
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
            name += f" /{_number(next(iter(maxes[key])), 2)}"
        names.append(name)
    rows = [r for sec in sections for r in sec.rows]
    has_cbm = any(r.cbm is not None for r in rows)
    has_verdicts = any(r.verdicts is not None for r in rows)
    header = list(GRADEBOOK_COLUMNS) + [f"{s} %" for s in skills] + names
    if has_cbm:
        header.append(CBM_COLUMN)
    if has_verdicts:
        header += VERDICT_COLUMNS
    return header, skills, questions, has_cbm, has_verdicts


def gradebook_header(report: Report) -> list[str]:
    """The gradebook's column names, in order."""
    return _gradebook_layout(report.sections)[0]


def gradebook_csv(report: Report) -> bytes:
    """One row an attempt: who, when, the score, each skill (percent), each question (points)."""
    header, skills, questions, has_cbm, has_verdicts = _gradebook_layout(report.sections)
    return _csv_bytes(header, _gradebook_rows(report.sections, skills, questions, has_cbm, has_verdicts))


def _gradebook_rows(sections, skills, questions, has_cbm, has_verdicts):
    # A class's numbers repeat (the same marks, scores, percents): format each once.
    memo: dict[tuple[float | None, int], str] = {}

    def num(value: float | None, places: int) -> str:
        text = memo.get((value, places))
        if text is None:
            text = memo[(value, places)] = _number(value, places)
        return text

    for sec in sections:
        marks = {v: _number(v, 2) for v in {p for r in sec.rows for p in r.points.values()}}
        marks[None] = ""  # not answered, or a question of another pack
        columns = [qid if pack_id == sec.pack_id else "" for pack_id, qid in questions]
        label = csv_text(sec.version_label)
        for r in sec.rows:
            a = r.attempt
            points = r.points
            cells = [
                csv_text(a.student), csv_text(a.group), csv_text(a.pack_id), label, csv_text(a.mode),
                _stamp(r.started), _stamp(r.finished), num(r.minutes, 1),
                num(r.score, 2), num(r.max, 2), num(r.percent, 1),
            ]
            cells += [num(r.skills.get(s), 1) for s in skills]
            cells += map(marks.__getitem__, map(points.get, columns))
            if has_cbm:
                cells.append(num(r.cbm, 2))
            if has_verdicts:
                v = r.verdicts
                cells += (
                    [str(v.hits), str(v.false_alarms), num(v.d_prime, 2), num(v.c, 2)]
                    if v else ["", "", "", ""]
                )
            yield cells


def _responses_cell(item: ItemStats) -> str:
    parts = []
    for rc in item.responses:
        mark = "✓ " if rc.right else ""
        parts.append(f"{mark}{rc.text}: {rc.count}")
    return "; ".join(parts)


def items_csv(report: Report) -> bytes:
    """Item analysis: one row a question, with Moodle's statistics and what the class answered."""
    rows = []
    for sec in report.sections:
        for it in sec.items:
            wrong = it.most_common_wrong
            rows.append([
                csv_text(sec.pack_id), csv_text(sec.version_label), csv_text(it.id),
                csv_text(it.info.prompt), csv_text(it.info.skill), csv_text(it.info.type),
                _number(it.info.max, 2), str(it.answered), _number(it.facility, 3), _number(it.sd, 3),
                _number(it.discrimination, 3), _number(it.efficiency, 3), _number(it.mean_seconds, 1),
                str(it.hints), csv_text(f"{wrong.text} ({wrong.count})" if wrong else ""),
                csv_text(_responses_cell(it)), csv_text(it.flag),
            ])
    return _csv_bytes(ITEM_COLUMNS, rows)


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


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


def _row_dict(row: Row) -> dict[str, Any]:
    return {
        "file": str(row.path) if row.path else None,
        "student": row.attempt.student,
        "group": row.attempt.group,
        "score": row.score,
        "max": row.max,
        "percent": row.percent,
        "minutes": _finite(row.minutes),
        "skills": dict(row.skills),
        "points": dict(row.points),
        "certainty_based_score": row.cbm,
        "verdicts": _signal_dict(row.verdicts),
        "attempt": store.to_dict(row.attempt),
    }


def report_dict(report: Report) -> dict[str, Any]:
    """Everything in the report, as plain JSON types, for other tools."""
    sections = []
    for sec in report.sections:
        s = sec.summary
        sections.append({
            "pack": {"id": sec.pack_id, "version": sec.version, "sha256": sec.sha256, "title": sec.title},
            "version_label": sec.version_label,
            "questions": [
                {"id": q.id, "skill": q.skill, "type": q.type, "max": q.max, "prompt": q.prompt}
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
            "attempts": [_row_dict(r) for r in sec.rows],
            "unfinished": [_row_dict(r) for r in sec.unfinished],
        })
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


def report_json(report: Report) -> bytes:
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Markdown and plain words
# --------------------------------------------------------------------------


def printable(text: str) -> str:
    """Text safe to show in a terminal or a message: control characters become spaces.

    A student's name is typed by a student; an escape sequence in it must not
    reach the teacher's terminal.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _md(text: str) -> str:
    """Text in Markdown as typed: no accidental bold, links or broken tables."""
    out = printable(text)
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def fmt(value: float | None, places: int = 1) -> str:
    """A number for people: "7.5", "7", or "–" when there is none."""
    return _number(value, places) or "–"


def bar(fraction: float, width: int) -> str:
    """A bar of block characters, with eighths for the last cell, `width` cells at full."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def histogram_lines(summary: ClassSummary, width: int = 30) -> list[str]:
    top = max(summary.bands, default=0) or 1
    return [f"{label:>7} {bar(n / top, width)} {n}" if n else f"{label:>7} {n}"
            for label, n in zip(BANDS, summary.bands)][::-1]


def verdict_sentence(summary: ClassSummary) -> str:
    """The class's verdicts in words: d′, c, what they called misleading, and who doubted all."""
    v = summary.verdicts
    if v is None:
        return ""
    fair = v.false_alarms + v.correct_rejections
    bad = v.hits + v.misses
    called = []
    if bad:
        called.append(f"{v.hits} of {bad} misleading claims misleading")
    if fair:
        called.append(f"{v.false_alarms} of {fair} fair claims misleading")
    text = f"Class d′ {v.d_prime:.2f}, c {v.c:.2f}: the class called {' and '.join(called)}. "
    if v.c < -0.25:
        text += "A negative c means the class leans towards doubting everything. "
    elif v.c > 0.25:
        text += "A positive c means the class leans towards trusting what it reads. "
    if fair:  # with no fair claim to judge, calling every claim misleading was simply right
        students = "student" if summary.all_misleading == 1 else "students"
        text += f"{summary.all_misleading} {students} called every claim misleading."
    return text.strip()


def report_markdown(report: Report) -> str:
    """A summary a teacher can paste into a message."""
    lines = ["# Quiz report", ""]
    lines.append(f"Counting {report.counting} on each pack.")
    if report.filters:
        lines.append("Only attempts matching " + ", ".join(f"{k} {v}" for k, v in report.filters.items()) + ".")
    if report.warnings:
        lines.append(f"{len(report.warnings)} file(s) could not be read and were skipped (listed at the end).")
    lines.append("")
    for sec in report.sections:
        lines += _section_markdown(sec)
    notes = report.notes[1:]  # the first note is the counting rule, said above
    if notes:
        lines += ["## Notes", ""] + [f"- {_md(n)}" for n in notes] + [""]
    if report.warnings:
        lines += ["## Files skipped", ""] + [f"- {_md(w)}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _section_markdown(sec: Section) -> list[str]:
    s = sec.summary
    lines = [f"## {_md(sec.heading)}", ""]
    if not s.count:
        lines += ["No finished attempts yet.", ""]
    else:
        lines.append(
            f"{s.count} attempt{'s' if s.count != 1 else ''}. Mean {fmt(s.mean)} / {fmt(s.max)} "
            f"({fmt(s.percent(s.mean), 0)}%), median {fmt(s.median)} ({fmt(s.percent(s.median), 0)}%), "
            f"standard deviation {fmt(s.sd)}."
        )
        lines += ["", "```"] + histogram_lines(s) + ["```", ""]
        if s.skills:
            lines += ["| Skill | Class mean |", "|---|---:|"]
            lines += [f"| {_md(m.label)} | {m.percent:.0f}% |" for m in s.skills] + [""]
        if s.verdicts:
            lines += ["**Fair or misleading:** " + _md(verdict_sentence(s)), ""]
        if s.cbm_mean is not None:
            lines.append(f"Mean certainty-based score {fmt(s.cbm_mean)}. Right answers at each level of confidence:")
            lines += [
                f"- {c.level} ({['guess', 'fairly sure', 'certain'][c.level - 1]}): {c.correct} of {c.answered}"
                for c in s.calibration if c.answered
            ] + [""]
        flagged = [it for it in sec.items if it.flags]
        if flagged:
            lines += ["### Questions to check", ""]
            for it in flagged:
                lines.append(f"- **{_md(it.id)}**: {_md(it.flag)}.")
        wrong = [(it, it.most_common_wrong) for it in sec.items if it.most_common_wrong]
        if wrong:
            lines += ["", "### Most common wrong answers", ""]
            for it, w in wrong:
                lines.append(f"- **{_md(it.id)}**: “{_md(w.text)}” ({w.count})")
        if s.count < 10:
            lines += ["", f"With only {s.count} attempt(s), the question statistics are a rough guide."]
        lines += ["", "### Gradebook", "", "| Student | Group | Score | % | Finished |", "|---|---|---:|---:|---|"]
        for r in sorted(sec.rows, key=lambda r: (-r.percent, r.student.casefold())):
            lines.append(
                f"| {_md(r.student) or '(no name)'} | {_md(r.attempt.group)} | {fmt(r.score)} / {fmt(r.max)} "
                f"| {r.percent:.0f}% | {_stamp(r.finished)} |"
            )
        lines.append("")
    if sec.unfinished:
        lines += ["### Unfinished (not counted)", ""]
        for r in sec.unfinished:
            group = f" ({_md(r.attempt.group)})" if r.attempt.group else ""
            lines.append(
                f"- {_md(r.student) or '(no name)'}{group}: started {_stamp(r.started)}, "
                f"{len(r.attempt.answers)} of {len(r.attempt.order)} answered"
            )
        lines.append("")
    return lines


# --------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------


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


def write_items(report: Report, path: Path, *, force: bool = False) -> Path:
    """The item analysis as CSV, whole or not at all."""
    path = Path(path)
    _check_target(path, (".csv",), force=force)
    return _write(path, items_csv(report))


def attempt_copy(attempt: Attempt, suffix: str, *, pack: Pack | None = None) -> bytes:
    """The student's copy of one attempt as bytes: the gradebook's CSV row
    (suffix ".csv") or the report's JSON (".json").

    A served quiz hands these bytes to the browser; `export_attempt` writes them.
    """
    # Build it as a one-attempt report so the student's file has the teacher's columns.
    report = build_report(
        [(None, attempt)],
        attempts="all",
        packs=[pack] if pack is not None else (),
        count_unfinished=True,
    )
    if suffix == ".csv":
        return gradebook_csv(report)
    if suffix == ".json":
        return report_json(report)
    raise ReportError(f"A copy can be .csv or .json, not {suffix or 'a name without an ending'}.")


def export_attempt(attempt: Attempt, path: Path, *, force: bool = False, pack: Pack | None = None) -> Path:
    """The student's copy of one attempt, written to `path` (.csv or .json).

    Raises ReportError with a message to show the student (file exists, name
    not ending in .csv or .json, disk trouble).
    """
    path = Path(path)
    suffix = _check_target(path, (".csv", ".json"), force=force)
    return _write(path, attempt_copy(attempt, suffix, pack=pack))


# --------------------------------------------------------------------------
# `quiz report`
# --------------------------------------------------------------------------


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
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """`quiz report`: 0 when a report came out, 1 when there was nothing to report, 2 for bad input."""
    try:
        since_date = parse_since(since)
        if attempts not in SELECTIONS:
            raise ReportError(f"--attempts must be one of {', '.join(SELECTIONS)} (got {attempts!r}).")
        # Refuse before reading anything: a teacher should not wait to hear a name is taken.
        if out is not None:
            check_output(Path(out), force=force)
        if items is not None:
            check_output(Path(items), items=True, force=force)
    except ReportError as exc:
        print(exc, file=stderr)
        return 2

    # The collector stays off while the report is built and written: a class's
    # attempts are tens of thousands of objects with no cycles, and a pass over
    # them when it came back on cost more than writing the CSV. The report is
    # dropped inside the pause, so by then there is nothing left to scan.
    with no_garbage_collection():
        code, dashboard = _report_files(
            paths, pack, group, since_date, attempts, out, items, force, interactive, stdout, stderr
        )
    if dashboard is not None:
        from quiz.ui.report_app import make_report_app  # Textual only loads for the dashboard

        gc.freeze()  # the report lives as long as the dashboard: keep the collector off it
        make_report_app(dashboard).run()
    return code


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
    stdout: IO[str],
    stderr: IO[str],
) -> tuple[int, Report | None]:
    """Read, report and write; the report comes back only when the dashboard should show it."""
    from quiz.locations import results_dir

    folders = [Path(p) for p in paths] or [results_dir()]
    missing = [p for p in folders if not p.exists()]
    for p in missing:
        print(f"{p}: not found.", file=stderr)
    report = load_report(folders, pack=pack, group=group, since=since, attempts=attempts)
    for warning in report.warnings:
        print(f"Warning: {warning}", file=stderr)

    where = ", ".join(str(p) for p in folders)
    if not report.files_read:
        print(f"No attempt files were found in {where}. Nothing to report yet.", file=stderr)
        return 1, None
    if not report.sections:
        asked = ", ".join(f"{k} {v}" for k, v in report.filters.items())
        print(
            f"None of the {report.files_read} attempt(s) in {where} match {asked}. Nothing to report.",
            file=stderr,
        )
        return 1, None

    try:
        if out is not None:
            written = write_report(report, Path(out), force=force)
            print(f"Wrote the report of {report.attempt_count} attempt(s) to {written}.", file=stdout)
        if items is not None:
            written = write_items(report, Path(items), force=force)
            questions = sum(len(s.items) for s in report.sections)
            print(f"Wrote the analysis of {questions} question(s) to {written}.", file=stdout)
    except ReportError as exc:
        print(exc, file=stderr)
        return 1, None

    if out is None:
        if interactive:
            return 0, report
        stdout.write(report_markdown(report))
    return 0, None
