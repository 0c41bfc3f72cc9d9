"""The quiz's vocabulary: packs, their questions, and a student's attempt.

Plain frozen dataclasses with no behaviour beyond simple lookups. Loading
(`quiz.packs`), scoring (`quiz.engine`) and storage (`quiz.store`) build and
read these; nothing here does I/O or knows about Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

FORMAT_VERSION = 1
ATTEMPT_FORMAT = "quiz-attempt/1"

QUESTION_TYPES = ("choice", "multi", "phrase", "number", "text", "match", "verdict")
SHUFFLES = ("within-sections", "all", "none")
MODES = ("practice", "test")
VERDICTS = ("fair", "misleading")

DEFAULT_SKILLS: Mapping[str, str] = MappingProxyType(
    {
        "source": "Who is the source?",
        "sample-size": "What do the figures count?",
        "framing": "Is the framing fair?",
    }
)

# Certainty-based marks (as in Moodle): confidence -> (mark if right, mark if wrong).
CBM_MARKS: Mapping[int, tuple[int, int]] = MappingProxyType({1: (1, 0), 2: (2, -2), 3: (3, -6)})
CONFIDENCE_LABELS: Mapping[int, str] = MappingProxyType(
    {1: "guess", 2: "fairly sure", 3: "certain"}
)


@dataclass(frozen=True)
class Option:
    """One answer a student can pick (choice, multi) or one candidate phrase."""

    text: str
    correct: bool = False
    explain: str = ""


@dataclass(frozen=True)
class MatchItem:
    """One thing to sort into a category in a match question."""

    text: str
    answer: str
    explain: str = ""


@dataclass(frozen=True)
class Source:
    """The text students read: usually a news article."""

    text: str
    title: str = ""
    publisher: str = ""
    published: str = ""  # ISO date, as written in the pack
    url: str = ""
    description: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The text split at blank lines, each paragraph's lines joined."""
        blocks = [" ".join(b.split()) for b in self.text.replace("\r\n", "\n").split("\n\n")]
        return tuple(b for b in blocks if b)


@dataclass(frozen=True)
class Question:
    """One question of a pack. Which answer fields are used depends on `type`."""

    id: str
    skill: str
    type: str
    prompt: str
    points: float = 1.0
    claim: str = ""
    hint: str = ""
    explain: str = ""
    # choice, multi, phrase
    options: tuple[Option, ...] = ()
    # number: `answer` with `tolerance`, or `low`..`high` when a range is given
    answer: float | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None
    unit: str = ""
    # text
    accept: tuple[str, ...] = ()
    typos: int = 0  # letters a typed answer may get wrong (edit distance), for long enough answers
    # match
    items: tuple[MatchItem, ...] = ()
    categories: tuple[str, ...] = ()
    # verdict
    verdict: str = ""  # "fair" or "misleading"
    line: int = 0  # where the question starts in its file, 1-based; 0 if unknown

    @property
    def correct_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.correct)


@dataclass(frozen=True)
class Section:
    """A part of a pack played as a block: its questions, in the pack's order of parts."""

    title: str
    questions: tuple[str, ...]  # question ids
    draw: int | None = None  # ask this many of them, chosen from the attempt's seed; None: all


@dataclass(frozen=True)
class Pack:
    """A question pack, as read from one YAML file."""

    id: str
    title: str
    questions: tuple[Question, ...]
    format: int = FORMAT_VERSION
    version: str = "1"
    language: str = "en"
    audience: str = ""
    authors: tuple[str, ...] = ()
    license: str = ""
    description: str = ""
    content_note: str = ""
    source: Source | None = None
    skills: Mapping[str, str] = field(default_factory=lambda: DEFAULT_SKILLS)
    hint_penalty: float = 0.5
    confidence: bool = False
    mode: str = ""  # "" lets the student choose; "practice" or "test" fixes it
    sections: tuple[Section, ...] = ()  # empty: one block of every question
    shuffle: str = ""  # one of SHUFFLES; "" means the default (`shuffle_rule`)
    time_limit: float | None = None  # seconds a test on this pack takes, as the pack suggests; None: untimed
    path: str = ""  # the file it was read from, "" if built in memory
    sha256: str = ""  # of the file's bytes, recorded in every attempt

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def max_score(self) -> float:
        return float(sum(q.points for q in self.questions))

    @property
    def shuffle_rule(self) -> str:
        """How questions are shuffled: as the pack says, else within sections if it has any, else all."""
        return self.shuffle or ("within-sections" if self.sections else "all")

    def section_of(self, question_id: str) -> Section | None:
        for s in self.sections:
            if question_id in s.questions:
                return s
        return None

    @property
    def skills_used(self) -> tuple[str, ...]:
        """The skills the questions use, in the order the pack declares them."""
        used = {q.skill for q in self.questions}
        return tuple(s for s in self.skills if s in used)


@dataclass(frozen=True)
class Answer:
    """What a student gave for one question, and what it scored.

    `response` is kept in words so an attempt reads without its pack: the
    option text (choice, phrase), a list of texts (multi), "fair" or
    "misleading" (verdict), the text typed (number, text), and a mapping of
    item text to category (match).
    """

    question: str
    skill: str
    response: Any
    score: float
    max: float
    hinted: bool = False
    seconds: float = 0.0
    confidence: int | None = None
    cbm: float | None = None
    at: str | None = None  # when it was given, ISO 8601 with offset; None in files from before

    @property
    def earned(self) -> bool:
        """Whether any marks were earned (verdicts: whether the verdict was right,
        since a pack's hint penalty is always below 1)."""
        return self.score > 0


@dataclass(frozen=True)
class Attempt:
    """One student's go at one pack, finished or not."""

    id: str
    student: str
    pack_id: str
    pack_version: str
    pack_sha256: str
    mode: str
    seed: int
    started: str  # ISO 8601 with offset
    order: tuple[str, ...]
    answers: tuple[Answer, ...] = ()
    group: str = ""
    finished: str | None = None
    student_id: str = ""  # the school's ID or email from the class list; "" without one
    # A timed test: the limit and the student's extra time in seconds, when the clock
    # stops (started + limit + extra), and whether it stopped the attempt.
    time_limit: float | None = None
    extra_time: float = 0.0
    deadline: str | None = None
    timed_out: bool = False

    @property
    def score(self) -> float:
        return float(sum(a.score for a in self.answers))

    @property
    def max_score(self) -> float:
        return float(sum(a.max for a in self.answers))

    def answer_for(self, question_id: str) -> Answer | None:
        for a in self.answers:
            if a.question == question_id:
                return a
        return None

    @property
    def is_finished(self) -> bool:
        return self.finished is not None

    @property
    def asked_confidence(self) -> bool:
        """Whether confidence was asked: the file records it on each answer."""
        return any(a.confidence is not None for a in self.answers)
