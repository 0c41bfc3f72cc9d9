"""What each page says, worked out from the engine's run and grades before any HTML.

Pure functions, the web's counterpart of the plain quiz's lines: the same
sentences (from `quiz.wording`), numbers from `quiz.display`, in the same
order. Text from packs and people stays plain `str` here and is escaped by
the templates; nothing in this module builds markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz import display, wording
from quiz.engine import Grade, Run, judgement_sentence, right_answer
from quiz.model import CBM_MARKS, CONFIDENCE_LABELS, Pack, Question, Source

# A language tag as BCP 47 writes it (en, en-GB, pt-BR, zh-Hant-TW); anything else reads as English.
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def language(pack: Pack | None) -> str:
    tag = (pack.language if pack is not None else "") or "en"
    return tag if _LANGUAGE.fullmatch(tag) else "en"


def pack_facts(pack: Pack) -> str:
    """A pack in a few words after its title: size, audience, a fixed mode, a content note."""
    facts = [f"{len(pack.questions)} question{'s' if len(pack.questions) != 1 else ''}"]
    if pack.audience:
        facts.append(display.one_line(pack.audience))
    if pack.mode:
        facts.append(f"{pack.mode} only")
    if pack.content_note:
        facts.append("has a content note")
    return ", ".join(facts)


def paragraphs(text: str) -> list[str]:
    """A pack's note or description as paragraphs (its line breaks kept: support lines go one a line)."""
    return [p.strip() for p in text.replace("\r\n", "\n").strip().split("\n\n") if p.strip()]


def code_sentence(code: str, *, new: bool) -> tuple[str, str, str]:
    """The sentence that gives a resume code, as the terminal says it, cut around the code (shown bold)."""
    said = wording.code_at_start(code, new=new)
    before, _, after = said.partition(code)
    return before, code, after


# -- the article ----------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Part of a paragraph: plain words, or words to mark (`marked` says what they are)."""

    text: str
    marked: str = ""


def _spans(paragraph: str, phrases: list[tuple[str, str]]) -> list[Piece]:
    """`paragraph` cut into pieces, each phrase found in it marked (the first place it occurs, no overlaps)."""
    found: list[tuple[int, int, str]] = []
    for phrase, what in phrases:
        wanted = " ".join(phrase.split())
        at = paragraph.find(wanted) if wanted else -1
        if at >= 0 and all(at >= end or at + len(wanted) <= start for start, end, _ in found):
            found.append((at, at + len(wanted), what))
    pieces, last = [], 0
    for start, end, what in sorted(found):
        if start > last:
            pieces.append(Piece(paragraph[last:start]))
        pieces.append(Piece(paragraph[start:end], what))
        last = end
    if last < len(paragraph):
        pieces.append(Piece(paragraph[last:]))
    return pieces


def marked_phrases(q: Question | None) -> list[tuple[str, str]]:
    """What the article page marks for question `q`: its claim, or a phrase question's candidates."""
    if q is None:
        return []
    if q.type == "phrase":
        return [(o.text, "phrase") for o in q.options]
    return [(q.claim, "claim")] if q.claim else []


def article(source: Source, q: Question | None) -> list[list[Piece]]:
    """The article's paragraphs, with what question `q` asks about marked."""
    phrases = marked_phrases(q)
    return [_spans(p, phrases) for p in source.paragraphs]


def article_about(source: Source) -> str:
    return ", ".join(display.one_line(x) for x in (source.publisher, source.published) if x)


def paragraph_of(source: Source | None, phrase: str) -> tuple[int, list[Piece]] | None:
    """The 1-based number of the paragraph a phrase comes from, cut so the phrase can be marked."""
    if source is None:
        return None
    wanted = " ".join(phrase.split())
    for number, paragraph in enumerate(source.paragraphs, 1):
        if wanted in paragraph:
            return number, _spans(paragraph, [(phrase, "phrase")])
    return None


# -- a question -----------------------------------------------------------------------


def instruction(q: Question) -> str:
    """One line under the question: what to do to answer it."""
    return {
        "choice": "Choose one answer.",
        "phrase": "Choose one phrase. Each is shown in its paragraph of the article.",
        "multi": "Tick every option that fits.",
        "verdict": "Is the claim fair or misleading, as the article puts it?",
        "number": "Type a number. Words like 6-fold or 291,273 are read as numbers too.",
        "text": "Type your answer.",
        "match": "Choose a category for each item.",
    }[q.type]


def score_so_far(run: Run) -> str:
    if not run.feedback_now or not run.attempt.answers:
        return ""  # test mode keeps the score for the end
    return f"Score so far: {display.score(run.attempt.score, run.attempt.max_score)}."


def confidence_scale() -> list[tuple[int, str]]:
    """The three levels as radio labels: `Certain: +3 if right, −6 if wrong.`"""
    return [
        (
            level,
            f"{CONFIDENCE_LABELS[level].capitalize()}: "
            f"{display.signed(right)} if right, {display.signed(wrong)} if wrong.",
        )
        for level, (right, wrong) in CBM_MARKS.items()
    ]


# -- feedback -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of feedback: what it says, a mark that goes with the words (✓ ✗ or none), why."""

    text: str
    mark: str = ""
    explain: str = ""


@dataclass(frozen=True)
class Feedback:
    """One answer explained, as the plain quiz explains it."""

    symbol: str  # ✓ ◐ ✗: always beside the words, never alone
    words: str  # Right, Partly right, Not quite
    kind: str  # right, partly, wrong (a style, never the only sign)
    points: str
    hinted: bool
    claim: str
    prompt: str
    lines: list[Line] = field(default_factory=list)
    why: str = ""
    certainty: str = ""

    @property
    def headline(self) -> str:
        return f"{self.words}. {self.points}."


RIGHT_MARK, WRONG_MARK = "✓", "✗"


def feedback(grade: Grade, run: Run) -> Feedback:
    q = grade.question
    headline, kind = wording.outcome(grade)
    lines: list[Line] = []
    if q.type in ("choice", "phrase"):
        chosen = grade.chosen_options
        lines.append(Line(f"You chose: {grade.response}", "", chosen[0].explain if chosen else ""))
        if not grade.correct:
            right = q.correct_options
            lines.append(Line(f"The right answer: {right_answer(q)}", "", right[0].explain if right else ""))
    elif q.type == "multi":
        for option in run.options(q):
            # One plain line an option: what it is and what the student did, the mark beside the words.
            mark, said = wording.option_said(option.text in grade.picked, option.correct)
            lines.append(Line(f"{said}: {option.text}", mark, option.explain))
        if not grade.correct:
            lines.append(Line(f"The right answer: {right_answer(q)}"))
    elif q.type == "match":
        seen = [i.text for i in run.items(q)]
        for result in sorted(grade.items, key=lambda r: seen.index(r.item.text)):
            given = result.given or "no category"
            if result.right:
                lines.append(Line(f"{result.item.text}: you said {given}, right.", RIGHT_MARK, result.item.explain))
            else:
                lines.append(Line(
                    f"{result.item.text}: you said {given}, but it is {result.item.answer}.",
                    WRONG_MARK,
                    result.item.explain,
                ))
    elif q.type == "verdict":
        lines.append(Line(f"You said: {str(grade.response).capitalize()}"))
        if not grade.correct:
            lines.append(Line(f"The claim is: {right_answer(q)}"))
    else:  # number, text
        lines.append(Line(f"You typed: {grade.response}"))
        if not grade.correct:
            lines.append(Line(f"The right answer: {right_answer(q)}"))
    certainty = wording.certainty(grade) if grade.confidence is not None and grade.cbm is not None else ""
    return Feedback(
        symbol=headline[0],
        words=wording.outcome_words(grade),
        kind=kind,
        points=wording.points(grade.score, grade.max),
        hinted=grade.hinted,
        claim=q.claim,
        prompt=q.prompt,
        lines=lines,
        why=q.explain,
        certainty=certainty,
    )


# -- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    title: str
    score: str  # "6 of 8, 75%"
    right_count: str  # fully right, and right with a hint counted apart
    skills: list[tuple[str, str]]  # label, "2 of 3, 67%"
    judgement: str
    calibration: list[str]
    certainty: list[str]  # the certainty score beside the plain one, then how it is counted
    questions: list[tuple[Feedback, str]]  # each answer, and the words that name its question
    support: list[str]  # the content note's lines of where to find help, said again at the end


def results(run: Run) -> Results:
    s = run.summary()
    grades = run.grades()
    calibration = [
        f"{CONFIDENCE_LABELS[level.level].capitalize()}: {level.correct} of {level.answered} right, "
        f"{display.percent(level.accuracy)}."
        for level in s.calibration
        if level.answered
    ]
    certainty = [f"{wording.certainty_total(s)}.", wording.CERTAINTY_RULE] if s.cbm is not None else []
    questions = []
    for grade in grades:
        q = grade.question
        # Verdict prompts are all alike; their claims tell them apart.
        label = q.claim if q.type == "verdict" and q.claim else q.prompt
        questions.append((feedback(grade, run), label))
    return Results(
        title=run.pack.title,
        score=f"{display.score(s.score, s.max)}, {display.percent(s.percent / 100)}",
        right_count=f"{wording.right_count(s)}.",
        skills=[
            (skill.label, f"{display.score(skill.score, skill.max)}, {display.percent(skill.percent / 100)}")
            for skill in s.skills
        ],
        judgement=judgement_sentence(s.verdicts) if s.verdicts is not None else "",
        calibration=calibration,
        certainty=certainty,
        questions=questions,
        support=paragraphs(wording.support_lines(run.pack.content_note)),
    )
