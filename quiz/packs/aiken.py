"""Moodle Aiken files: multiple-choice questions as plain lines, read into packs.

    The Moodle project was started by:
    A) Petr Skoda
    B) Martin Dougiamas
    ANSWER: B

Options are `A)` or `A.` (a space after is optional), the last line names the
right letter. A malformed question (too few options, the ANSWER line before
the options, no ANSWER line, a letter with no option) is skipped with a
warning naming its line; the rest of the file is still imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz.model import Option, Question
from quiz.packs.draft import GENERAL_SKILL, Imported, PackDraft, words_slug

_OPTION = re.compile(r"([A-Z])[.)]\s*(.*)")
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)", re.IGNORECASE)


@dataclass
class _Pending:
    """A question read so far: its text lines and options (letter, text, line)."""

    line: int
    text: list[str]
    options: list[tuple[str, str, int]] = field(default_factory=list)


def read_aiken(
    text: str,
    *,
    path: str = "<aiken>",
    pack_id: str | None = None,
    title: str | None = None,
) -> Imported:
    """A pack from Aiken text, with a warning for every question that was skipped."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    draft = PackDraft(path)
    pending: _Pending | None = None
    orphan_options = False  # options after a misplaced ANSWER line belong to no question
    gap = False  # a blank line since the last question line

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            gap = True
            continue
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if answer:
            if pending is None:
                draft.warn(number, "an ANSWER line with no question before it was ignored")
            elif not pending.options:
                draft.skip(pending.line, f"the ANSWER line (line {number}) comes before the options")
                orphan_options = True
            else:
                _finish(pending, answer.group(1).strip(), number, draft)
            pending = None
        elif option and (pending is not None or orphan_options):
            if pending is not None:
                pending.options.append((option.group(1), option.group(2).strip(), number))
        else:
            orphan_options = False
            if pending is not None and (pending.options or gap):
                draft.skip(pending.line, _no_answer(pending))
                pending = None
            if pending is None:
                pending = _Pending(number, [line])
            else:
                pending.text.append(line)
        gap = False
    if pending is not None:
        draft.skip(pending.line, _no_answer(pending))
    return draft.finish(pack_id, title)


def _no_answer(pending: _Pending) -> str:
    if not pending.options:
        return "a line with no options and no ANSWER line (is it a question?)"
    return "the question has no ANSWER line"


def _finish(pending: _Pending, answer: str, answer_line: int, draft: PackDraft) -> None:
    """Add the question if it is well formed, else skip it with the reason."""
    letters = [letter for letter, _, _ in pending.options]
    texts = [text for _, text, _ in pending.options]
    right = answer[:1].upper()
    problem = ""
    if len(pending.options) < 2:
        problem = "a question needs at least two options (A, B, ...)"
    elif len(set(letters)) < len(letters):
        problem = "two options have the same letter"
    elif not right.isalpha():
        problem = f"the ANSWER line (line {answer_line}) names no letter"
    elif right not in letters:
        problem = f"ANSWER: {right} (line {answer_line}) names no option"
    elif any(not t for t in texts):
        problem = f"option {letters[texts.index('')]} is empty"
    elif len(set(texts)) < len(texts):
        problem = "two options have the same text"
    if problem:
        draft.skip(pending.line, problem)
        return
    prompt = "\n".join(pending.text)
    draft.add(
        Question(
            id=draft.question_id(words_slug(prompt), pending.line),
            skill=GENERAL_SKILL[0],
            type="choice",
            prompt=prompt,
            options=tuple(Option(t, correct=(l == right)) for l, t, _ in pending.options),
            line=pending.line,
        )
    )
