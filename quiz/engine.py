"""A running attempt: question order, answering, scoring, hints and summaries.

Every rule that decides a score lives here, as plain Python with no I/O and
no clock: the caller passes the time in. The Textual screens and the report
only show what this module decides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from quiz import display
from quiz.answers import normalise_text, parse_number, text_is_accepted
from quiz.model import (
    CBM_MARKS,
    MODES,
    VERDICTS,
    Answer,
    Attempt,
    MatchItem,
    Option,
    Pack,
    Question,
)

# Floating-point slack when comparing typed numbers with an answer.
_EPSILON = 1e-9


# An answer sent as the clock reaches zero still counts (a key pressed at 0:01 arrives at 0:00).
LATE_GRACE_SECONDS = 5.0
# Time left at which a timed test says how long is left, in seconds: 5 minutes and 1 minute.
TIME_WARNINGS = (300, 60)


class TimeUp(Exception):
    """The test's time ran out before this answer came: it is not recorded; the caller calls `time_up`."""


class AnswerError(ValueError):
    """A response the engine cannot take (unreadable number, unknown option...).

    The message is meant for the student: the UI shows it and asks again,
    without any penalty.
    """


# --------------------------------------------------------------------------
# Scoring one answer
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """How one match item was sorted."""

    item: MatchItem
    given: str | None
    right: bool


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: what was given, what it scored and why."""

    question: Question
    response: Any
    score: float
    max: float
    correct: bool  # every part right (before any hint penalty)
    fraction: float  # share of the points earned before the hint penalty, 0..1
    hinted: bool = False
    confidence: int | None = None
    cbm: float | None = None
    picked: tuple[str, ...] = ()  # option texts chosen (choice, multi, phrase)
    items: tuple[ItemResult, ...] = ()  # match
    value: float | None = None  # number: what the typed text was read as

    @property
    def chosen_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.question.options if o.text in self.picked)

    @property
    def partial(self) -> bool:
        return 0 < self.fraction < 1

    def to_answer(self, seconds: float, at: datetime | None = None) -> Answer:
        return Answer(
            question=self.question.id,
            skill=self.question.skill,
            response=self.response,
            score=self.score,
            max=self.max,
            hinted=self.hinted,
            seconds=round(max(0.0, seconds), 1),
            confidence=self.confidence,
            cbm=self.cbm,
            at=at.isoformat(timespec="seconds") if at is not None else None,
        )


def grade(
    question: Question,
    response: Any,
    *,
    hinted: bool = False,
    hint_penalty: float = 0.5,
    confidence: int | None = None,
) -> Grade:
    """Score one response to one question, exactly as the pack format's table says.

    Raises AnswerError for a response that cannot be read (the student is
    asked again; nothing is recorded).
    """
    kind = question.type
    picked: tuple[str, ...] = ()
    items: tuple[ItemResult, ...] = ()
    value: float | None = None

    if kind in ("choice", "phrase"):
        text = _known_option(question, response)
        picked = (text,)
        fraction = 1.0 if any(o.text == text and o.correct for o in question.options) else 0.0
        response = text
    elif kind == "multi":
        if isinstance(response, str) or not isinstance(response, Iterable):
            raise AnswerError("Pick one or more options.")
        chosen = [_known_option(question, r) for r in response]
        # Keep the pack's order so the stored response reads the same on every run.
        picked = tuple(o.text for o in question.options if o.text in chosen)
        correct = {o.text for o in question.options if o.correct}
        right = sum(1 for t in picked if t in correct)
        wrong = len(picked) - right
        fraction = max(0, right - wrong) / len(correct) if correct else 0.0
        response = list(picked)
    elif kind == "number":
        typed = str(response).strip()
        if not typed:
            raise AnswerError("Type a number first.")
        value = parse_number(typed, question.unit)
        if value is None:
            raise AnswerError(
                "That doesn't read as a number. Type digits, like 6, 500 or 291,273."
            )
        fraction = 1.0 if number_is_right(question, value) else 0.0
        response = typed
    elif kind == "text":
        typed = str(response).strip()
        if not normalise_text(typed):
            raise AnswerError("Type an answer first.")
        fraction = 1.0 if text_is_accepted(typed, question.accept, question.typos) else 0.0
        response = typed
    elif kind == "match":
        if not isinstance(response, Mapping):
            raise AnswerError("Sort each item into a category.")
        results = []
        for item in question.items:
            given = response.get(item.text)
            if given is not None and given not in question.categories:
                raise AnswerError(f"{given!r} is not one of the categories.")
            results.append(ItemResult(item, given, given == item.answer))
        items = tuple(results)
        right = sum(1 for r in items if r.right)
        fraction = right / len(items) if items else 0.0
        response = {r.item.text: r.given for r in items if r.given is not None}
    elif kind == "verdict":
        given = str(response).strip().lower()
        if given not in VERDICTS:
            raise AnswerError("Choose Fair or Misleading.")
        fraction = 1.0 if given == question.verdict else 0.0
        response = given
    else:
        raise AnswerError(f"Unknown question type {kind!r}.")

    points = float(question.points)
    factor = (1.0 - hint_penalty) if hinted else 1.0
    correct = fraction >= 1.0 - _EPSILON
    cbm = None
    if confidence is not None:
        if confidence not in CBM_MARKS:
            raise AnswerError("Say how sure you are: 1, 2 or 3.")
        cbm = certainty_mark(1.0 if correct else fraction, confidence)
    return Grade(
        question=question,
        response=response,
        score=round(points * fraction * factor, 4),
        max=points,
        correct=correct,
        fraction=fraction,
        hinted=hinted,
        confidence=confidence,
        cbm=cbm,
        picked=picked,
        items=items,
        value=value,
    )


def certainty_mark(fraction: float, confidence: int) -> float:
    """The certainty-based mark for an answer `fraction` right (0..1) at `confidence` 1, 2 or 3.

    Gardner-Medwin's marks (+1/0, +2/-2, +3/-6) for a right or a wrong answer,
    and in between a share of each: a fraction f earns f x right + (1 - f) x wrong,
    so certain and half right gives 1.5 - 3 = -1.5. The mark is straight in f,
    so the best level to claim still depends only on how much a student
    expects to get right (below 2/3 a guess, above 0.8 certain), as with
    whole answers; docs/confidence.md says why. The hint does not change it:
    the mark is about knowing, the hint penalty about points.
    """
    right_mark, wrong_mark = CBM_MARKS[confidence]
    share = min(1.0, max(0.0, fraction))
    return round(share * right_mark + (1.0 - share) * wrong_mark, 4)


def number_is_right(question: Question, value: float) -> bool:
    if question.low is not None and question.high is not None:
        return question.low - _EPSILON <= value <= question.high + _EPSILON
    if question.answer is None:
        return False
    return abs(value - question.answer) <= question.tolerance + _EPSILON


def earns_marks(question: Question, response: Any) -> bool:
    """Whether `response` earns any marks, as `grade` scores it; a response it cannot read earns none.

    The report asks this of each thing the class gave: a whole answer, one
    option of a multi (`[text]`) or one sorted item of a match (`{item: category}`).
    """
    try:
        return grade(question, response).fraction > 0
    except AnswerError:
        return False


def right_answer(question: Question) -> str:
    """The right answer in words, for feedback screens and reports."""
    kind = question.type
    if kind in ("choice", "phrase", "multi"):
        return "; ".join(o.text for o in question.correct_options)
    if kind == "number":
        # People write 200% but 27 people.
        unit = question.unit if question.unit == "%" else f" {question.unit}" if question.unit else ""
        if question.low is not None and question.high is not None:
            return f"between {_fmt(question.low)} and {_fmt(question.high)}{unit}"
        tol = f" (give or take {_fmt(question.tolerance)})" if question.tolerance else ""
        return f"{_fmt(question.answer or 0)}{unit}{tol}"
    if kind == "text":
        return question.accept[0] if question.accept else ""
    if kind == "match":
        return "; ".join(f"{i.text} → {i.answer}" for i in question.items)
    if kind == "verdict":
        return question.verdict.capitalize()
    return ""


def _fmt(x: float) -> str:
    # A number key is quoted as the pack wrote it (291,273 or 0.1234), not rounded like a score.
    return display.number(x, places=10, grouping=True)


def _known_option(question: Question, response: Any) -> str:
    if isinstance(response, int) and not isinstance(response, bool):
        if 0 <= response < len(question.options):
            return question.options[response].text
    if isinstance(response, str):
        for o in question.options:
            if o.text == response:
                return o.text
    raise AnswerError("Pick one of the options.")


# --------------------------------------------------------------------------
# Signal detection over verdicts, and confidence calibration
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalDetection:
    """Judgement versus doubt over verdict questions.

    A hit is a misleading claim called misleading; a false alarm is a fair
    claim called misleading. Rates use the log-linear correction (add 0.5 to
    each count and 1 to each total) so that 0 and 1 stay finite.
    """

    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int
    hit_rate: float
    false_alarm_rate: float
    d_prime: float
    c: float

    @property
    def total(self) -> int:
        return self.hits + self.misses + self.false_alarms + self.correct_rejections

    @property
    def called_all_misleading(self) -> bool:
        return self.total > 0 and self.misses == 0 and self.correct_rejections == 0


def signal_detection(
    hits: int, misses: int, false_alarms: int, correct_rejections: int
) -> SignalDetection:
    from statistics import NormalDist  # only the results need it; quiz play starts without

    z = NormalDist().inv_cdf
    hit_rate = (hits + 0.5) / (hits + misses + 1)
    fa_rate = (false_alarms + 0.5) / (false_alarms + correct_rejections + 1)
    zh, zf = z(hit_rate), z(fa_rate)
    return SignalDetection(
        hits=hits,
        misses=misses,
        false_alarms=false_alarms,
        correct_rejections=correct_rejections,
        hit_rate=hit_rate,
        false_alarm_rate=fa_rate,
        d_prime=zh - zf,
        c=-(zh + zf) / 2,
    )


def verdict_outcome(answer: Answer) -> str | None:
    """'hit', 'miss', 'false alarm' or 'correct rejection' for a verdict answer.

    Works from the attempt file alone: a verdict earns marks exactly when it is
    right (a pack's hint penalty is always below 1), so the truth follows.
    """
    if answer.response not in VERDICTS:
        return None
    said_misleading = answer.response == "misleading"
    truly_misleading = said_misleading == answer.earned
    if truly_misleading:
        return "hit" if said_misleading else "miss"
    return "false alarm" if said_misleading else "correct rejection"


def verdict_signal(answers: Iterable[Answer], pack: Pack | None = None) -> SignalDetection | None:
    """Signal detection over the verdict answers, or None if there were none.

    Without the pack, an answer counts as a verdict when its response is
    "fair" or "misleading"; with it, by the question's type.
    """
    counts = {"hit": 0, "miss": 0, "false alarm": 0, "correct rejection": 0}
    seen = False
    for a in answers:
        if pack is not None:
            try:
                if pack.question(a.question).type != "verdict":
                    continue
            except KeyError:
                continue
        outcome = verdict_outcome(a)
        if outcome:
            counts[outcome] += 1
            seen = True
    if not seen:
        return None
    return signal_detection(
        counts["hit"], counts["miss"], counts["false alarm"], counts["correct rejection"]
    )


def judgement_sentence(sd: SignalDetection) -> str:
    """One plain sentence on judgement versus doubt, for a student."""
    fair_total = sd.false_alarms + sd.correct_rejections
    misleading_total = sd.hits + sd.misses
    if sd.called_all_misleading and fair_total:
        return (
            "You called every claim misleading, including the fair ones: doubting "
            "everything is not the same as judging each claim."
        )
    if sd.total and sd.false_alarms == 0 and sd.misses == 0:
        return "You told the fair claims from the misleading ones every time."
    good_spotting = misleading_total and sd.hits / misleading_total >= 0.75
    good_trust = not fair_total or sd.correct_rejections / fair_total >= 0.75
    if good_spotting and good_trust:
        return "You told fair claims from misleading ones well."
    if good_spotting:
        return (
            "You spotted misleading claims well, but also called some fair claims "
            "misleading: check what the source actually says before doubting it."
        )
    if good_trust:
        return (
            "You trusted the fair claims, but missed some misleading ones: look for "
            "missing numbers, vague words and claims nobody is named for."
        )
    if sd.c > 0.25:
        return "You missed several misleading claims: you may be too ready to trust what you read."
    if sd.c < -0.25:
        return "You called many claims misleading, fair ones too: you may be too quick to doubt."
    return "Telling fair from misleading claims was hard this time: the explanations show what to look for."


@dataclass(frozen=True)
class ConfidenceLevel:
    level: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def calibration(grades: Iterable[Grade]) -> tuple[ConfidenceLevel, ...]:
    """Accuracy at each confidence level (1 guess, 2 fairly sure, 3 certain)."""
    table = {level: [0, 0] for level in CBM_MARKS}
    for g in grades:
        if g.confidence in table:
            table[g.confidence][0] += 1
            table[g.confidence][1] += int(g.correct)
    return tuple(ConfidenceLevel(level, n, k) for level, (n, k) in table.items())


def saved_calibration(answers: Iterable[Answer]) -> tuple[ConfidenceLevel, ...]:
    """`calibration` from saved answers, without the pack: `grade` gave the
    level's full certainty-based mark exactly when the answer was right
    (a partly right answer earns less, see `certainty_mark`)."""
    table = {level: [0, 0] for level in CBM_MARKS}
    for a in answers:
        if a.cbm is not None and a.confidence in table:
            table[a.confidence][0] += 1
            table[a.confidence][1] += a.cbm >= CBM_MARKS[a.confidence][0] - _EPSILON
    return tuple(ConfidenceLevel(level, n, k) for level, (n, k) in table.items())


# --------------------------------------------------------------------------
# A running attempt
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillScore:
    skill: str
    label: str
    score: float
    max: float
    answered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max else 0.0


@dataclass(frozen=True)
class Summary:
    score: float
    max: float
    answered: int
    total: int
    correct: int  # right in every part, hinted or not
    skills: tuple[SkillScore, ...]
    verdicts: SignalDetection | None
    cbm: float | None  # total certainty-based mark, when confidence was asked
    calibration: tuple[ConfidenceLevel, ...] = field(default=())
    right_with_hint: int = 0  # of `correct`, those answered after seeing the hint (fewer points)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max else 0.0


def shuffled(items: Sequence[Any], seed: int, salt: str) -> list[Any]:
    """A stable shuffle: one seed and salt always give one order."""
    out = list(items)
    random.Random(f"{seed}:{salt}").shuffle(out)
    return out


def question_order(pack: Pack, seed: int) -> tuple[str, ...]:
    """The order an attempt asks its questions in, the same for the same seed.

    Without sections every question is shuffled (`shuffle: all`, as packs
    always were) or kept in the pack's order (`none`). With sections, they
    come one after another, each drawing `draw` of its questions from the
    seed; then `within-sections` shuffles each section's questions, `all`
    shuffles everything drawn, and `none` keeps the pack's order.
    """
    rule = pack.shuffle_rule
    if not pack.sections:
        ids = [q.id for q in pack.questions]
        return tuple(ids if rule == "none" else shuffled(ids, seed, "questions"))
    order: list[str] = []
    for number, section in enumerate(pack.sections, 1):
        ids = list(section.questions)
        if section.draw is not None and section.draw < len(ids):
            chosen = set(random.Random(f"{seed}:draw:{number}").sample(ids, section.draw))
            ids = [q for q in ids if q in chosen]
        if rule == "within-sections":
            ids = shuffled(ids, seed, f"section:{number}")
        order.extend(ids)
    return tuple(shuffled(order, seed, "questions") if rule == "all" else order)


class Run:
    """One student working through one pack.

    Holds the pack and the attempt so far; every answer replaces `attempt`
    with a new frozen Attempt that the caller saves straight away.
    """

    def __init__(self, pack: Pack, attempt: Attempt, *, confidence: bool = False) -> None:
        self.pack = pack
        self.attempt = attempt
        self.confidence = confidence
        self._questions = {q.id: q for q in pack.questions}

    # -- starting and resuming --

    @classmethod
    def start(
        cls,
        pack: Pack,
        *,
        student: str,
        now: datetime,
        seed: int,
        group: str = "",
        mode: str = "practice",
        confidence: bool | None = None,
        attempt_id: str | None = None,
        student_id: str = "",
        time_limit: float | None = None,
        extra_time: float = 0.0,
    ) -> "Run":
        """A new attempt. `time_limit` and `extra_time` (seconds) time a test from `now`;
        a practice attempt is never timed, whatever they say."""
        if pack.mode:
            mode = pack.mode  # a pack that fixes its mode wins over the student's choice
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        order = question_order(pack, seed)
        timed = mode == "test" and time_limit is not None and time_limit > 0
        extra = max(0.0, float(extra_time)) if timed else 0.0
        attempt = Attempt(
            id=attempt_id or f"{random.Random(f'{seed}:{student}:{now.isoformat()}').getrandbits(64):016x}",
            student=student,
            group=group,
            pack_id=pack.id,
            pack_version=pack.version,
            pack_sha256=pack.sha256,
            mode=mode,
            seed=seed,
            started=now.isoformat(timespec="seconds"),
            order=order,
            student_id=student_id,
            time_limit=float(time_limit) if timed else None,
            extra_time=extra,
            deadline=(now + timedelta(seconds=time_limit + extra)).isoformat(timespec="seconds") if timed else None,
        )
        asked = pack.confidence if confidence is None else confidence
        return cls(pack, attempt, confidence=asked)

    @classmethod
    def resume(cls, pack: Pack, attempt: Attempt, *, confidence: bool | None = None) -> "Run":
        if attempt.pack_id != pack.id:
            raise ValueError(f"this attempt is on pack {attempt.pack_id!r}, not {pack.id!r}")
        known = {q.id for q in pack.questions}
        # A pack edited since the attempt began: keep what was answered, drop
        # questions that are gone, and ask new ones at the end, except in a
        # section that draws (its questions left out were left out on purpose).
        order = tuple(q for q in attempt.order if q in known)
        drawn_from = {qid for s in pack.sections if s.draw is not None for qid in s.questions}
        order += tuple(q.id for q in pack.questions if q.id not in order and q.id not in drawn_from)
        asked = confidence if confidence is not None else (pack.confidence or attempt.asked_confidence)
        return cls(pack, replace(attempt, order=order), confidence=asked)

    # -- where we are --

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions[q] for q in self.attempt.order if q in self._questions)

    @property
    def total(self) -> int:
        return len(self.attempt.order)

    @property
    def answered_ids(self) -> set[str]:
        return {a.question for a in self.attempt.answers}

    @property
    def current(self) -> Question | None:
        done = self.answered_ids
        for qid in self.attempt.order:
            if qid not in done:
                return self._questions[qid]
        return None

    @property
    def index(self) -> int:
        """0-based position of the current question (== total when all are answered)."""
        done = self.answered_ids
        for i, qid in enumerate(self.attempt.order):
            if qid not in done:
                return i
        return self.total

    @property
    def done(self) -> bool:
        return self.current is None

    def section_title(self, question: Question) -> str:
        """The title of the pack's section a question belongs to, "" when the pack has none."""
        section = self.pack.section_of(question.id)
        return section.title if section is not None else ""

    @property
    def feedback_now(self) -> bool:
        """Practice mode explains each answer at once; test mode waits for the end."""
        return self.attempt.mode == "practice"

    def options(self, question: Question) -> tuple[Option, ...]:
        if question.type == "phrase":
            # Phrases read best in the order they appear in the source.
            text = " ".join(self.pack.source.text.split()) if self.pack.source else ""
            return tuple(
                sorted(question.options, key=lambda o: _position(text, o.text))
            )
        return tuple(shuffled(question.options, self.attempt.seed, question.id))

    def items(self, question: Question) -> tuple[MatchItem, ...]:
        return tuple(shuffled(question.items, self.attempt.seed, question.id))

    # -- the clock of a timed test --

    @property
    def timed(self) -> bool:
        return self.deadline is not None

    @property
    def deadline(self) -> datetime | None:
        """When a timed test's clock reaches zero (start + limit + extra time); None if untimed."""
        stamp = self.attempt.deadline
        if not stamp:
            return None
        try:
            return datetime.fromisoformat(stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp)
        except ValueError:
            return None

    def time_left(self, now: datetime) -> float | None:
        """Seconds left on the clock at `now`, never below 0; None if the attempt is untimed.

        The clock runs from the start, also while the student is away: a test
        carried on later has what is left of its time, as in Moodle.
        """
        deadline = self.deadline
        if deadline is None:
            return None
        return max(0.0, (deadline - now).total_seconds())

    def expired(self, now: datetime) -> bool:
        """Whether a timed test's time has run out at `now`."""
        left = self.time_left(now)
        return left is not None and left <= 0

    def warning_due(self, now: datetime, told: set[int] | frozenset[int] = frozenset()) -> int | None:
        """The warning (seconds left, one of TIME_WARNINGS) to give at `now` that is not in `told`.

        Only the latest one passed: a student who comes back with 40 seconds
        left hears "1 minute", not "5 minutes" too.
        """
        left = self.time_left(now)
        if left is None or left <= 0:
            return None
        passed = [w for w in TIME_WARNINGS if left <= w]
        if not passed or min(passed) in told:
            return None
        return min(passed)

    def time_up(self, now: datetime) -> Attempt:
        """Finish a timed test whose time has run out, with what was answered: nothing is lost.

        It finishes at its deadline (not at `now`, which may be much later when
        a student comes back to an attempt left open).
        """
        deadline = self.deadline
        end = min(now, deadline) if deadline is not None else now
        self.attempt = replace(
            self.attempt,
            finished=end.isoformat(timespec="seconds"),
            timed_out=deadline is not None and not self.done,
        )
        return self.attempt

    # -- answering --

    def grade(self, response: Any, *, hinted: bool = False, confidence: int | None = None) -> Grade:
        """Score a response to the current question without recording it."""
        question = self.current
        if question is None:
            raise AnswerError("Every question has been answered.")
        if confidence is None and self.confidence:
            raise AnswerError("Say how sure you are: 1, 2 or 3.")
        return grade(
            question,
            response,
            hinted=hinted,
            hint_penalty=self.pack.hint_penalty,
            confidence=confidence if self.confidence else None,
        )

    def answer(
        self,
        response: Any,
        *,
        seconds: float,
        hinted: bool = False,
        confidence: int | None = None,
        now: datetime | None = None,
    ) -> Grade:
        """Record the answer to the current question; the caller then saves `attempt`.

        `now` is when it was given, kept beside `seconds`. In a timed test an
        answer that comes more than LATE_GRACE_SECONDS after the clock reached
        zero raises TimeUp and is not recorded.
        """
        result = self.grade(response, hinted=hinted, confidence=confidence)
        deadline = self.deadline
        if now is not None and deadline is not None:
            if (now - deadline).total_seconds() > LATE_GRACE_SECONDS:
                raise TimeUp("The time for this test ran out before that answer came.")
        self.attempt = replace(
            self.attempt, answers=self.attempt.answers + (result.to_answer(seconds, now),)
        )
        return result

    def finish(self, now: datetime) -> Attempt:
        """Finish the attempt at `now`; a timed test whose time has run out finishes as `time_up` does."""
        if self.expired(now) and not self.done:
            return self.time_up(now)
        self.attempt = replace(self.attempt, finished=now.isoformat(timespec="seconds"))
        return self.attempt

    # -- looking back --

    def grades(self) -> list[Grade]:
        """Every recorded answer graded again from its words, in question order."""
        out = []
        by_id = {a.question: a for a in self.attempt.answers}
        for qid in self.attempt.order:
            a = by_id.get(qid)
            q = self._questions.get(qid)
            if a is None or q is None:
                continue
            try:
                out.append(
                    grade(
                        q,
                        a.response,
                        hinted=a.hinted,
                        hint_penalty=self.pack.hint_penalty,
                        confidence=a.confidence,
                    )
                )
            except AnswerError:
                continue  # the pack changed under an old answer; the report still has it
        return out

    def summary(self) -> Summary:
        answers = self.attempt.answers
        grades = self.grades()
        skills = []
        for skill, label in self.pack.skills.items():
            mine = [q for q in self.questions if q.skill == skill]
            if not mine:
                continue
            ids = {q.id for q in mine}
            got = [a for a in answers if a.question in ids]
            skills.append(
                SkillScore(
                    skill=skill,
                    label=label,
                    score=sum(a.score for a in got),
                    max=float(sum(q.points for q in mine)),
                    answered=len(got),
                )
            )
        cbm_marks = [a.cbm for a in answers if a.cbm is not None]
        return Summary(
            score=round(sum(a.score for a in answers), 4),
            max=float(sum(q.points for q in self.questions)),
            answered=len(answers),
            total=self.total,
            correct=sum(1 for g in grades if g.correct),
            right_with_hint=sum(1 for g in grades if g.correct and g.hinted),
            skills=tuple(skills),
            verdicts=verdict_signal(answers, self.pack),
            cbm=float(sum(cbm_marks)) if cbm_marks else None,
            calibration=calibration(grades) if cbm_marks else (),
        )


def _position(text: str, phrase: str) -> int:
    at = text.find(" ".join(phrase.split()))
    return at if at >= 0 else len(text)
