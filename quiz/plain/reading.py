"""Reading a typed line: a word like `hint`, an option by its number or its words, several numbers.

What is typed becomes what the engine takes (an option's text, a list of
texts, a category); a line that cannot be read raises NotUnderstood with a
sentence for the student, who is then asked again. Nothing here scores.
"""

from __future__ import annotations

import re
from typing import Sequence

from quiz.answers import normalise_text

# The words a student can type at any question, besides an answer.
STORY, HINT, REPEAT, QUIT = "story", "hint", "repeat", "quit"
_COMMANDS = {STORY: STORY, HINT: HINT, REPEAT: REPEAT, QUIT: QUIT, "exit": QUIT}

_SEPARATORS = re.compile(r"[\s,;&+]+|\band\b", re.IGNORECASE)


class NotUnderstood(ValueError):
    """A line that is not an answer; the message says what to type instead."""


def command(typed: str) -> str | None:
    """`story`, `hint`, `repeat` or `quit` if that is what was typed (any case), else None."""
    return _COMMANDS.get(typed.strip().casefold())


def pick_one(typed: str, names: Sequence[str], *, what: str = "option") -> int:
    """The 0-based index of the option typed as its number (`2`) or its words (`the council`)."""
    text = typed.strip()
    count = len(names)
    if not text:
        raise NotUnderstood(f"Nothing was typed. Type the number of one {what}, 1 to {count}.")
    if text.isdigit():
        number = int(text)
        if 1 <= number <= count:
            return number - 1
        raise NotUnderstood(f"There is no {what} {number}. Type a number from 1 to {count}.")
    wanted = normalise_text(text)
    same = [i for i, name in enumerate(names) if normalise_text(name) == wanted]
    if wanted and len(same) == 1:
        return same[0]
    raise NotUnderstood(f"That is not one of the {what}s. Type its number, 1 to {count}, or its words.")


def pick_several(typed: str, names: Sequence[str]) -> list[int]:
    """The 0-based indexes of the options typed as numbers (`1 3`, `1,3`, `1 and 3`), or one option's words."""
    text = typed.strip()
    count = len(names)
    if not text:
        raise NotUnderstood(
            f"Nothing was typed. Type the numbers of every option you pick, like 1 3 or 1,3 (1 to {count})."
        )
    parts = [p for p in _SEPARATORS.split(text) if p]
    if parts and all(p.isdigit() for p in parts):
        picked: list[int] = []
        for p in parts:
            number = int(p)
            if not 1 <= number <= count:
                raise NotUnderstood(f"There is no option {number}. Use numbers from 1 to {count}.")
            if number - 1 not in picked:
                picked.append(number - 1)
        return picked
    try:
        return [pick_one(text, names)]
    except NotUnderstood:
        raise NotUnderstood(
            f"Type the numbers of every option you pick, like 1 3 or 1,3 (1 to {count})."
        ) from None


def pick_verdict(typed: str) -> str:
    """`fair` or `misleading`, typed as 1 or 2, the word, or its first letter."""
    word = typed.strip().casefold()
    if word in ("f", "m"):
        return "fair" if word == "f" else "misleading"
    try:
        return ("fair", "misleading")[pick_one(typed, ("Fair", "Misleading"), what="verdict")]
    except NotUnderstood:
        raise NotUnderstood("Type 1 for fair or 2 for misleading (or the word).") from None


def pick_confidence(typed: str) -> int:
    """1, 2 or 3, typed as the number or the words (`guess`, `fairly sure`, `certain`)."""
    try:
        return pick_one(typed, ("guess", "fairly sure", "certain"), what="level") + 1
    except NotUnderstood:
        raise NotUnderstood("Type 1 for a guess, 2 for fairly sure or 3 for certain.") from None
