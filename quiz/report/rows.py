"""One attempt as a gradebook line: its score, skills, points, certainty-based mark and verdicts.

Every mark here is the one the engine recorded in the attempt file; nothing
is graded again.

A report holds a whole class at once, and keeps each attempt in a form
Python's cycle collector does not walk: the attempt's own fields (who, when,
which pack) as an Attempt without answers, and each answer as a tuple of
plain values (`kept_answer`). The collector stops looking at a tuple that
holds only text and numbers, so its passes cost about as much per attempt for a
class of 10,000 as for one of 100; with every answer an object of its own,
each pass walked a quarter of a million of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Mapping, Sequence

from quiz.engine import SignalDetection, verdict_signal
from quiz.model import VERDICTS, Answer, Attempt, Pack, Question

# An answer as the report keeps it: the values of Answer's fields, in their
# order, with a list response as ("multi", text, ...) and a mapping as
# ("match", item, category, item, category, ...), the keys the item analysis
# counts by. Flat, because the collector lets go of one level of tuples in
# tuples at each pass: the class's answers, each answer, its response.
KeptAnswer = tuple
ANSWER_FIELDS = tuple(f.name for f in fields(Answer))
QUESTION, SKILL, RESPONSE, SCORE, MAX, HINTED, SECONDS, CONFIDENCE, CBM = map(
    ANSWER_FIELDS.index,
    ("question", "skill", "response", "score", "max", "hinted", "seconds", "confidence", "cbm"),
)
_answer_values = attrgetter(*ANSWER_FIELDS)


def kept_answer(answer: Answer) -> KeptAnswer:
    """`answer` as the report keeps it (see KeptAnswer); `answer_of` gives it back."""
    values = _answer_values(answer)
    response = values[RESPONSE]
    if type(response) is str or response is None:
        return values
    if isinstance(response, (list, tuple)):
        response = ("multi", *response)
    elif isinstance(response, dict):
        response = ("match", *chain.from_iterable(response.items()))
    return values[:RESPONSE] + (response,) + values[RESPONSE + 1 :]


def answer_of(kept: KeptAnswer) -> Answer:
    """The Answer that `kept_answer` kept, equal to the one read."""
    response = kept[RESPONSE]
    if type(response) is tuple:
        if response[0] == "multi":
            response = list(response[1:])
        else:
            response = dict(zip(response[1::2], response[2::2]))
        kept = kept[:RESPONSE] + (response,) + kept[RESPONSE + 1 :]
    return Answer(*kept)


@dataclass(frozen=True)
class QuestionInfo:
    """What the report knows of one question: from the pack if it is installed, else from answers."""

    id: str
    skill: str
    type: str  # "" when neither the pack nor the answers tell
    max: float
    prompt: str = ""
    question: Question | None = None  # the pack's question, when the exact version is installed

    @property
    def claim(self) -> str:
        """The claim the question is about, as the pack quotes it; "" without the pack or a claim.

        Every verdict question asks the same thing, so the claim is what tells them apart.
        """
        return self.question.claim if self.question is not None else ""


@dataclass(frozen=True)
class Row:
    """One attempt in the gradebook."""

    header: Attempt  # the attempt without its answers: who, when, which pack, the clock
    answers: tuple[KeptAnswer, ...]  # its answers, as the report keeps them
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
    def attempt(self) -> Attempt:
        """The attempt whole, answers and all, built anew on each call: read
        `header` for anything but the answers."""
        return replace(self.header, answers=tuple(map(answer_of, self.answers)))

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max else 0.0

    @property
    def student(self) -> str:
        return self.header.student

    @property
    def group(self) -> str:
        return self.header.group


def when(stamp: str | None) -> datetime | None:
    """An attempt's ISO time, made comparable: a time with no offset is taken as UTC."""
    if not stamp:
        return None
    try:
        # Python 3.10 does not read a trailing "Z".
        moment = datetime.fromisoformat(stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def student_key(attempt: Attempt) -> tuple[str, str]:
    """Who made an attempt: "Sam Lee" and "sam lee " are one student; the same name in two groups is not."""
    return (" ".join(attempt.student.split()).casefold(), attempt.group.strip().casefold())


@dataclass(frozen=True)
class Layout:
    """What every attempt on one pack version shares, worked out once for all of them."""

    questions: Mapping[str, QuestionInfo]
    skills: Mapping[str, tuple[str, ...]]  # skill -> its question ids
    skill_max: Mapping[str, float]  # skill -> its max, when every question was asked
    verdict_ids: frozenset[str] | None  # None without the pack: verdicts known by their response

    @classmethod
    def of(cls, questions: Sequence[QuestionInfo], pack: Pack | None) -> "Layout":
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


_question_and_score = itemgetter(QUESTION, SCORE)
_cbm = itemgetter(CBM)


def row(
    path: Path | None,
    header: Attempt,
    answers: tuple[KeptAnswer, ...],
    started: datetime | None,
    layout: Layout,
) -> Row:
    """One attempt's gradebook line, from its header and its answers as the report keeps them.

    Built from `map` and comprehensions rather than one loop with many steps:
    a class report reads tens of thousands of answers and these run at C speed.
    """
    points = dict(map(_question_and_score, answers))
    score = sum(points.values())
    info = layout.questions
    if len(points) == len(info):
        skill_max = layout.skill_max
    else:
        # Not every question answered: count those that were asked, unanswered ones as 0, as in Moodle.
        asked = set(points).union(header.order)
        skill_max = {s: sum([info[q].max for q in ids if q in asked]) for s, ids in layout.skills.items()}
    skills = {
        s: 100.0 * sum([points.get(q, 0.0) for q in layout.skills[s]]) / m
        for s, m in skill_max.items() if m
    }
    marks = [m for m in map(_cbm, answers) if m is not None]
    # With the pack, verdicts are known by the question's type; without, the engine knows them
    # by their response, so only answers "fair" or "misleading" can be verdicts.
    if layout.verdict_ids is not None:
        verdicts = [a for a in answers if a[QUESTION] in layout.verdict_ids]
    else:
        verdicts = [a for a in answers if a[RESPONSE] in VERDICTS]
    finished = when(header.finished)
    return Row(
        header=header,
        answers=answers,
        path=path,
        started=started,
        finished=finished,
        score=round(score, 4),
        max=round(sum(skill_max.values()), 4),
        minutes=(finished - started).total_seconds() / 60 if started and finished else None,
        skills=skills,
        points=points,
        cbm=sum(marks) if marks else None,
        verdicts=verdict_signal(map(answer_of, verdicts)),
    )
