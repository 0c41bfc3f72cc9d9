"""Reading a posted form: the home page's choices and a question's answer.

What the browser sends becomes what the engine takes (an option's text, a
list of texts, a category for each item), read by the position each option
had on the page, so two options with the same words never mix. A form that
cannot be read raises NotAnswered with a sentence for the student, shown
beside the field it is about. Nothing here scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from quiz import display
from quiz.engine import Run
from quiz.model import Question

# A name or class longer than this is a paste, not a name.
LONGEST_NAME = 100


class NotAnswered(ValueError):
    """A form the engine cannot take yet; `field` names the input the message is about."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def one_spaced(text: str) -> str:
    """Typed text with runs of spaces, tabs and line breaks made one space, as the other front ends do."""
    return " ".join(text.split())


@dataclass
class Who:
    """What the home page asked: a pack, a name, a class and a mode."""

    pack_id: str = ""
    student: str = ""
    group: str = ""
    mode: str = "practice"
    problems: dict[str, str] = field(default_factory=dict)  # field -> what is wrong with it


def read_who(form: Mapping[str, str], pack_ids: list[str]) -> Who:
    who = Who(
        pack_id=form.get("pack", ""),
        student=one_spaced(form.get("student", "")),
        group=one_spaced(form.get("group", "")),
        mode=form.get("mode", "practice"),
    )
    if who.pack_id not in pack_ids:
        who.problems["pack"] = "Pick a pack first."
    if not who.student:
        who.problems["student"] = "Type your name first, so your teacher knows whose answers these are."
    elif len(who.student) > LONGEST_NAME:
        who.problems["student"] = f"That name is too long: use at most {LONGEST_NAME} characters."
    if len(who.group) > LONGEST_NAME:
        who.problems["group"] = f"That class is too long: use at most {LONGEST_NAME} characters."
    if who.mode not in ("practice", "test"):
        who.mode = "practice"
    return who


def not_on_the_list(name: str) -> str:
    """Said when a name is not on the teacher's class list (only names on it may play)."""
    return (
        f"{display.one_line(name)} is not on your teacher's class list. "
        "Pick your name from the list; if it is not there, ask your teacher."
    )


def _index(value: str, count: int) -> int | None:
    """A 0-based position posted as `1`..`count`, or None."""
    if value.isdigit() and 1 <= int(value) <= count:
        return int(value) - 1
    return None


def read_answer(run: Run, q: Question, form: Mapping[str, Any]) -> Any:
    """The response to `q` in the words the engine and the attempt file keep.

    `form` maps a field name to its value, or to a list of values for the
    checkboxes of a multi question (`answer`).
    """
    if q.type in ("choice", "phrase"):
        options = run.options(q)
        picked = _index(str(form.get("answer", "")), len(options))
        if picked is None:
            what = "phrase" if q.type == "phrase" else "answer"
            raise NotAnswered(f"Pick one {what}, then submit.", "answer")
        return options[picked].text
    if q.type == "multi":
        options = run.options(q)
        values = form.get("answer", [])
        values = [values] if isinstance(values, str) else list(values)
        picked = sorted({i for i in (_index(v, len(options)) for v in values) if i is not None})
        if not picked:
            raise NotAnswered("Tick every option that fits (at least one), then submit.", "answer")
        return [options[i].text for i in picked]
    if q.type == "verdict":
        verdict = str(form.get("answer", ""))
        if verdict not in ("fair", "misleading"):
            raise NotAnswered("Choose fair or misleading, then submit.", "answer")
        return verdict
    if q.type == "match":
        items = run.items(q)
        sorted_items: dict[str, str] = {}
        for n, item in enumerate(items, 1):
            picked = _index(str(form.get(f"item-{n}", "")), len(q.categories))
            if picked is None:
                raise NotAnswered(f"Choose a category for item {n}, then submit.", f"item-{n}")
            sorted_items[item.text] = q.categories[picked]
        return sorted_items
    typed = one_spaced(str(form.get("answer", "")))
    if not typed:
        raise NotAnswered("Nothing was typed. Type your answer, then submit.", "answer")
    return typed  # number and text: the engine reads them


def read_confidence(form: Mapping[str, Any]) -> int:
    value = str(form.get("confidence", ""))
    if value in ("1", "2", "3"):
        return int(value)
    raise NotAnswered("Say how sure you are: a guess, fairly sure or certain.", "confidence")
