"""Each question across the class, as Moodle's quiz statistics report gives it.

Facility, standard deviation, discrimination index and discriminative
efficiency over the counted attempts, and what the class answered. Whether a
response is right is the engine's word (`engine.earns_marks`) when the pack is
installed, and the mark the engine recorded when it is not.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import compress
from operator import itemgetter, mul, sub
from typing import Any, Mapping, Sequence

from quiz import display
from quiz.engine import earns_marks, normalise_text, parse_number
from quiz.model import VERDICTS, Question
from quiz.report.rows import HINTED, QUESTION, RESPONSE, SCORE, SECONDS, QuestionInfo, Row

# Moodle's rule of thumb for items worth a second look.
TOO_HARD = 0.2
TOO_EASY = 0.95
# Below 20 attempts a facility over 0.95 can only mean every single student, and
# "under 0.2" is one to three students: one student's slip moves a question across
# the line. The flags wait for a class where they say something about the question.
FLAG_MIN_ATTEMPTS = 20

NO_ANSWER = "(no answer)"
NOTHING_CHOSEN = "(nothing chosen)"


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
        """Why the question is worth a second look; none until FLAG_MIN_ATTEMPTS attempts were asked it."""
        if self.answered < FLAG_MIN_ATTEMPTS:
            return ()
        out = []
        if self.facility is not None and self.facility < TOO_HARD:
            out.append(f"facility {display.fixed(self.facility)} is under {TOO_HARD}")
        if self.facility is not None and self.facility > TOO_EASY:
            out.append(f"facility {display.fixed(self.facility)} is over {TOO_EASY}")
        if self.discrimination is not None and self.discrimination < 0:
            out.append(f"discrimination {display.fixed(self.discrimination)} is below 0")
        return tuple(out)

    @property
    def flag(self) -> str:
        return f"check the answer key: {'; '.join(self.flags)}" if self.flags else ""

    @property
    def most_common_wrong(self) -> ResponseCount | None:
        wrong = [r for r in self.responses if r.right is False and r.count]
        return max(wrong, key=lambda r: r.count) if wrong else None


def too_few_to_flag(count: int) -> str:
    """What the report says in place of flags while the class is too small for them; "" once it is not."""
    if count >= FLAG_MIN_ATTEMPTS:
        return ""
    return f"Needs at least {FLAG_MIN_ATTEMPTS} finished attempts to flag questions to check: {count} so far."


# What the item analysis reads of an answer (as the report keeps it), in one call.
_FIELDS = itemgetter(QUESTION, SCORE, RESPONSE, SECONDS, HINTED)


class _Tally:
    """What the item analysis gathers for one question before its statistics.

    The walk over the class fills these lists attempt by attempt, touching
    each answer once while it is at hand: read again question by question,
    the answers of a class of thousands lie all over memory and every read
    waits on it.
    """

    __slots__ = ("scores", "totals", "responses", "seconds", "hints")

    def __init__(self) -> None:
        self.scores: list[float] = []
        self.totals: list[float] = []  # the attempt's total, beside each of its marks
        self.responses: list[Any] = []
        self.seconds: list[float] = []
        self.hints: list[bool] = []


def _count_responses(responses: list[Any]) -> tuple[list[Any], Counter[Any]]:
    """Each response as a dictionary key, and how many gave each.

    The report keeps a list or a mapping as a tagged tuple already (see
    quiz.report.rows.KeptAnswer), so text, nothing and those tuples are keys
    as they stand; a number or true/false from a file edited by hand is
    counted as its text.
    """
    if set(map(type, responses)) <= _KEYS:
        return responses, Counter(responses)
    keys = [r if type(r) in _KEYS else str(r) for r in responses]
    return keys, Counter(keys)


_KEYS = {str, tuple, type(None)}


def item_statistics(questions: Sequence[QuestionInfo], rows: Sequence[Row]) -> tuple[ItemStats, ...]:
    """Every question's statistics over the counted attempts.

    One walk sorts what the answers hold by question; the statistics are then
    sums and maps over each question's lists, which run at C speed.
    """
    tallies = {q.id: _Tally() for q in questions}
    unanswered: dict[str, list[float]] = {q.id: [] for q in questions}
    for r in rows:
        total = r.score
        for qid, score, response, seconds, hinted in map(_FIELDS, r.answers):
            t = tallies.get(qid)
            if t is not None:
                t.scores.append(score)
                t.totals.append(total)
                t.responses.append(response)
                t.seconds.append(seconds)
                t.hints.append(hinted)
        if len(r.points) < len(r.header.order):
            for qid in r.header.order:
                if qid not in r.points and qid in unanswered:
                    unanswered[qid].append(total)
    return tuple(_item(q, tallies[q.id], unanswered[q.id]) for q in questions)


def _item(info: QuestionInfo, t: _Tally, unanswered: list[float]) -> ItemStats:
    """Moodle's item statistics for one question.

    x = the item's marks, y = the rest of the test (total minus this item);
    asked but not answered scores 0, as in Moodle. Facility is mean(x) / max;
    SD is the sample SD of x over max; the discrimination index is Pearson's
    r(x, y); the discriminative efficiency is cov(x, y) over the largest
    covariance the same marks could have (both sorted), as Moodle's
    question/classes/statistics/questions/calculator.php does.
    """
    xs = t.scores + [0.0] * len(unanswered)
    ys = list(map(sub, t.totals, t.scores)) + unanswered
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

    keys, counts = _count_responses(t.responses)
    if unanswered:
        counts[None] += len(unanswered)
    # Without the pack, the marks the engine recorded say which responses earned any.
    # Marks are never negative, so a mark is "true" exactly when it is above 0.
    earned = set(compress(keys, t.scores)) if info.question is None else set()
    if not info.type:
        info = replace(info, type=_guess_type(counts))
    if info.question is not None and info.question.type in ("number", "text"):
        counts = _same_answers_together(info.question, counts)
    tally: dict[str, list] = {}  # text -> [count, right]
    for key, count in counts.items():
        for text, right in _responses(info, key, key in earned):
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
        mean_seconds=sum(t.seconds) / len(t.seconds) if t.seconds else None,
        hints=sum(t.hints),
        responses=tuple(responses),
    )


def _same_answers_together(q: Question, counts: Mapping[Any, int]) -> dict[Any, int]:
    """Typed answers that mean the same ("500", "500%"; "The Council", "the council")
    counted as one, under the spelling most students used."""
    groups: dict[Any, dict[Any, int]] = defaultdict(dict)
    for key, count in counts.items():
        if isinstance(key, str):
            same = parse_number(key, q.unit) if q.type == "number" else normalise_text(key)
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


def _option_right(q: Question, text: str) -> bool:
    """Whether choosing this option earns marks, as the engine grades it (a multi's option alone)."""
    return earns_marks(q, [text] if q.type == "multi" else text)


def _responses(info: QuestionInfo, key: Any, earned: bool) -> list[tuple[str, bool | None]]:
    """One response in words, split into what is counted, and whether each part is right.

    `key` is the response as `_count_responses` counted it; `earned` whether the engine
    gave it marks. With the pack, each part is graded by the engine; right is
    None when the attempt file alone cannot tell.
    """
    q = info.question
    if key is None:
        return [(NO_ANSWER, False)]
    if isinstance(key, tuple) and key[0] == "multi":  # count every option picked
        if len(key) == 1:
            return [(NOTHING_CHOSEN, False)]
        return [(str(text), _option_right(q, str(text)) if q else None) for text in key[1:]]
    if isinstance(key, tuple):  # match: count every item sorted into a category
        return [
            (f"{item} → {cat}", earns_marks(q, {item: cat}) if q else None)
            for item, cat in zip(key[1::2], key[2::2])
        ]
    if q is None:
        # Choice, phrase, number, text and verdict have no partial marks, so any mark means right.
        return [(key, earned)]
    return [(key, earns_marks(q, key))]
