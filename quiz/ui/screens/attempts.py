"""A student who has finished a pack as often as the teacher allows (--attempts N).

The pack is not started again. A finished attempt keeps its resume code's
salted hash, so the code the student was given opens that attempt's
results; without it, their teacher has them. `check(typed)` shows the
results and returns "", or says what is wrong.
"""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from quiz import wording
from quiz.model import Pack
from quiz.ui.text import literal, literal_line
from quiz.ui.widgets.keys import KeyBar
from quiz.ui.screens import STYLES


class AttemptsUsedScreen(Screen):
    """Says the attempts are used up, and asks for a code to read the results."""

    # It asks for a code as the resume box does, with the same rules.
    CSS_PATH = STYLES / "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "app.quit", "Leave", tooltip="Close the quiz", id="used-leave"),
    ]

    def __init__(self, pack: Pack, done: int, check: Callable[[str], str]) -> None:
        super().__init__()
        self.pack = pack
        self.done = done
        self.check = check

    def compose(self):
        yield Static(Content.assemble(("Media literacy quiz", "bold"), "  ·  ", literal_line(self.pack.title)), classes="screen-title")
        with Vertical(id="used"):
            yield Static(Content.styled(wording.attempts_used(self.done), "bold"), id="used-words")
            yield Static(
                f"{wording.SEE_LAST_RESULTS} Without the code, your teacher has your results.",
                classes="part",
            )
            yield Input(placeholder="Your code, like K7QM-2XRT", id="code", max_length=20)
            yield Static("", id="code-problem", classes="dialog-problem")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#code").focus()
        self.query_one("#code-problem").display = False

    @on(Input.Submitted, "#code")
    def _code_given(self) -> None:
        box = self.query_one("#code", Input)
        problem = self.query_one("#code-problem", Static)
        typed = box.value.strip()
        said = self.check(typed) if typed else "Type your code first, or press Escape to leave."
        if not said:
            return
        problem.update(literal(said))
        problem.display = True
        box.value = ""
        box.focus()
