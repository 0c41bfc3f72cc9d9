"""What the quiz says about scores, hints, modes and leaving, in short plain words.

Pure functions over what the engine decided, shared by every front end (the
Textual screens and the plain lines of `--plain`), so a thing is said the
same way everywhere and a test can read each sentence without a screen.
Numbers in them are written by `quiz.display`, as everywhere else a person
reads one.
"""

from __future__ import annotations

import math
import re
import shlex
from pathlib import Path

from quiz import display, locations
from quiz.engine import Grade, Summary
from quiz.model import CBM_MARKS, CONFIDENCE_LABELS
from quiz.timing import in_words

RIGHT = "✓ Right"
WRONG = "✗ Not quite"
PARTLY = "◐ Partly right"

MODES = {
    "practice": "Practice: each answer explained",
    "test": "Test: see how you did at the end",
}

CONFIDENCE_QUESTION = "How sure are you? 1 guess, 2 fairly sure, 3 certain"

NO_NAME = "Type your name first, so your teacher knows whose answers these are."
LEFT_BEFORE_START = "You left before the first question. Nothing was saved."


def points(score: float, out_of: float) -> str:
    """`2 of 3 points`, `0.67 of 1 point`."""
    unit = "point" if out_of == 1 else "points"
    return f"{display.score(score, out_of)} {unit}"


def outcome(grade: Grade) -> tuple[str, str]:
    """The headline for one graded answer and its style class: right, partly, wrong."""
    if grade.correct:
        return RIGHT, "right"
    if grade.partial:
        return PARTLY, "partly"
    return WRONG, "wrong"


def outcome_words(grade: Grade) -> str:
    """The headline without its symbol, for lines a screen reader speaks: `Right`."""
    return outcome(grade)[0][2:]


def mark(grade: Grade) -> str:
    """A one-character mark for lists: ✓ right, ◐ partly right, ✗ wrong."""
    return outcome(grade)[0][0]


def right_count(summary: Summary) -> str:
    """How many questions were right, a right answer after the hint counted apart (it earned less)."""
    clean = summary.correct - summary.right_with_hint
    words = f"{clean} of {summary.total} questions fully right"
    if summary.right_with_hint:
        words += f", and {summary.right_with_hint} more right with a hint (fewer points)"
    return words


def option_said(picked: bool, correct: bool) -> tuple[str, str]:
    """One option of a multi after the answer: ✓ or ✗, and what it is and what the student did."""
    if picked and correct:
        return "✓", "You ticked it, and it is a right answer"
    if picked:
        return "✗", "You ticked it, but it is not a right answer"
    if correct:
        return "✗", "You left it, but it is a right answer"
    return "✓", "You left it, and it is not a right answer"


def certainty(grade: Grade) -> str:
    """The certainty mark of one answer, and how a part-right answer got it."""
    assert grade.confidence is not None and grade.cbm is not None
    right, wrong = CBM_MARKS[grade.confidence]
    said = f"You said you were {CONFIDENCE_LABELS[grade.confidence]}: certainty score {display.signed(grade.cbm)}"
    if grade.correct or grade.fraction <= 0:
        return said + "."
    got, rest = display.percent(grade.fraction), display.percent(1 - grade.fraction)
    return (
        f"{said}. The answer was {got} right, so it earns {got} of "
        f"{display.signed(right)} and {rest} of {display.signed(wrong)}."
    )


def _or(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1]


CERTAINTY_RULE = (
    f"A right answer earns {_or([display.signed(r) for r, _ in CBM_MARKS.values()])} "
    f"for {_or(list(CONFIDENCE_LABELS.values()))}, a wrong one "
    f"{_or([display.signed(w) for _, w in CBM_MARKS.values()])}; "
    "a partly right one earns a share of both."
)


def certainty_total(summary: Summary) -> str:
    """The certainty score beside the plain score, never instead of it."""
    assert summary.cbm is not None
    return f"Certainty score: {display.signed(summary.cbm)} (your plain score is {display.score(summary.score, summary.max)})"


def hint_cost(penalty: float) -> str:
    """What using the hint costs, from the pack's hint_penalty."""
    if penalty <= 0:
        return "The hint is free."
    if abs(penalty - 0.5) < 1e-9:
        return "Using the hint halves this question's points."
    return f"Using the hint takes {display.percent(penalty)} off this question's points."


def hint_used(penalty: float) -> str:
    """Said under a hint once it has been shown."""
    if penalty <= 0:
        return "You used the hint. It was free."
    if abs(penalty - 0.5) < 1e-9:
        return "You used the hint, so this question's points are halved."
    return f"You used the hint, so {display.percent(penalty)} comes off this question's points."


def question_of(index: int, total: int, section: str = "") -> str:
    """ "Question 3 of 24", and the title of its section when the pack has sections."""
    where = f"Question {index + 1} of {total}"
    return f"{where} · {section}" if section else where


def answers_saved(answered: int) -> str:
    """Said on leaving: how many answers are kept."""
    if not answered:
        return "You have not answered anything yet, so there is nothing to save."
    return f"Your {answered} answer{'s are' if answered != 1 else ' is'} saved."


def _quoted(text: str) -> str:
    return f'"{text}"' if '"' not in text and "$" not in text and "`" not in text and "\\" not in text else shlex.quote(text)


def resume_command(
    pack_id: str, student: str, *, group: str = "", results: Path | None = None, plain: bool = False
) -> str:
    """The command that carries on where a student left off (`plain`: as plain lines again).

    `results` is the folder the attempt is saved in: named with `--results` unless it is
    the one the quiz looks in anyway, or the command would look for the attempt elsewhere.
    """
    command = f"quiz play {pack_id} --student {_quoted(student)}"
    if group:
        command += f" --group {_quoted(group)}"
    if results is not None and Path(results).absolute() != locations.results_dir().absolute():
        command += f" --results {shlex.quote(str(results))}"
    return command + (" --plain" if plain else "")


RESUME_CODE_KEEP = "Keep it to yourself: with your name, it carries on your answers."


def code_at_start(code: str, *, new: bool = False) -> str:
    """Said as an attempt starts (`new`: carries on with a code given again): the code that carries it on later.

    One sentence for the app, the plain lines and the browser, so a class hears the same words.
    """
    if new:
        return f"Your attempt has a new code: {code}. Write it down. {RESUME_CODE_KEEP}"
    return f"Your code for carrying on later is {code}. Write it down. {RESUME_CODE_KEEP}"


def code_wait(seconds: float) -> str:
    """Wrong codes are slowed down, so nobody can try them all: say how long to wait."""
    whole = max(1, math.ceil(seconds))
    return f"Too many wrong codes: wait {whole} second{'s' if whole != 1 else ''}, then try again."


def how_to_resume_served(code: str) -> str:
    """In a browser: the same name and pack, and the code that proves the attempt is yours."""
    return (
        "To carry on later, open the quiz page again, type the same name, pick this pack "
        f"and give this code: {code}. If you lose it, your teacher can look it up."
    )


def how_to_resume(pack_id: str, student: str, group: str = "", results: Path | None = None) -> str:
    return (
        f"To carry on later, run\n  {resume_command(pack_id, student, group=group, results=results)}\n"
        "or pick the pack again on the home screen, and give the code you were shown as you left."
    )


# A phone number (three digits or more, spaces allowed) or a web address.
_CONTACT = re.compile(r"\d[\d ]{2,}\d|\b[\w-]+(?:\.[\w-]+)+\.(?:uk|org|com|net|gov|ie|au|nz|ca|us)\b")


def support_lines(content_note: str) -> str:
    """The paragraphs of a pack's content note that give a phone number or a web
    address, said again with the results; "" when there are none."""
    paragraphs = [p.strip() for p in content_note.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p and _CONTACT.search(p))


# -- the teacher's rules: time limits and attempt limits ---------------------------


def time_limit_said(limit: float, extra: float = 0.0) -> str:
    """Said as a timed test starts: the limit, any extra time, and what happens at zero."""
    with_extra = f", with {in_words(extra)} extra time" if extra else ""
    return (
        f"This test has a time limit of {in_words(limit)}{with_extra}. "
        "The clock keeps running if you leave. At zero the test ends with the answers you gave."
    )


def time_left(seconds: float) -> str:
    """`Time left: 12 minutes`, in whole minutes rounded down, then seconds in the last minute."""
    return f"Time left: {in_words(seconds)}"


def time_warning(seconds: float) -> str:
    """Said at 5 minutes and 1 minute left."""
    return f"Only {in_words(seconds)} left."


def time_up(answered: int, *, late_answer: bool = False) -> str:
    """Said when a timed test reaches zero: it is finished with what was answered."""
    said = "Time is up. That answer came after the end of the test, so it does not count." if late_answer else "Time is up."
    if not answered:
        return f"{said} Your test is finished before any question was answered."
    return f"{said} Your test is finished with the {answered} answer{'s' if answered != 1 else ''} you gave."


def attempts_used(done: int) -> str:
    """Said to a student who has finished a pack as many times as the teacher allows (--attempts)."""
    times = "once" if done == 1 else f"{done} times"
    return f"You have finished this pack {times}, as many as your teacher allows, so it cannot be started again."


SEE_LAST_RESULTS = "To see your results, type the code you were given for that attempt and press Enter."
