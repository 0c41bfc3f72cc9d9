"""Problems found in a pack file, each located so a teacher can go straight to it.

A `Problem` prints as `path:line:col: message`, the form editors and terminals
turn into a link; a `PackError` carries every problem of a file at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable

from quiz.display import control_characters

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a second look) in a pack, with where it is.

    `line` and `col` are 1-based, as editors count them. `path` is the file as
    the user named it, not resolved, so the message matches what they typed.
    """

    path: str
    line: int
    col: int
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        label = "warning: " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {label}{self.message}"


class PackError(Exception):
    """A pack could not be used; `problems` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File order, so a teacher can work down the file from the top."""
    return sorted(problems, key=attrgetter("path", "line", "col"))


def control_problem(what: str, text: str) -> tuple[int, str] | None:
    """Where `text` first holds a control character (other than newline and tab)
    and the message saying so, or None when it holds none.

    The validator and the importers both refuse such text: an escape sequence in
    a prompt would reach the student's terminal as a command (writing the
    clipboard, setting the window's title, clearing the screen).
    """
    found = control_characters(text)
    if not found:
        return None
    offset, name = found[0]
    if len(found) == 1:
        return offset, f"{what} holds a control character, {name}: remove it"
    return offset, f"{what} holds {len(found)} control characters, the first {name}: remove them"
