"""Small questions the quiz asks on top of a screen: how sure, leave, resume, save a copy.

Each is a ModalScreen that dismisses with the student's answer; the screen
that asked decides what happens next.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from quiz.model import CBM_MARKS, CONFIDENCE_LABELS
from quiz.ui import wording


class Dialog(ModalScreen):
    """A box in the middle of the screen, with a title, some words and buttons."""

    def title_and_words(self, title: str, words: Content | str):
        yield Static(Content(title), classes="dialog-title")
        yield Static(words if isinstance(words, Content) else Content(words), classes="dialog-words")


class ConfidenceDialog(Dialog):
    """How sure is the student of the answer just given? 1, 2 or 3."""

    BINDINGS = [
        Binding("1", "dismiss(1)", "Guess", id="sure-1"),
        Binding("2", "dismiss(2)", "Fairly sure", id="sure-2"),
        Binding("3", "dismiss(3)", "Certain", id="sure-3"),
        Binding("escape", "dismiss", "Change my answer", tooltip="Go back to the question", id="back"),
    ]

    def compose(self):
        marks = "  ".join(
            f"{level} {CONFIDENCE_LABELS[level]}: {wording.signed(right)} if right, {wording.signed(wrong)} if wrong"
            for level, (right, wrong) in CBM_MARKS.items()
        )
        with Vertical(classes="dialog"):
            yield from self.title_and_words("How sure are you?", "Press 1, 2 or 3.")
            with Horizontal(classes="dialog-buttons"):
                for level, label in CONFIDENCE_LABELS.items():
                    yield Button(f"{level} {label.capitalize()}", id=f"sure-{level}")
            yield Static(Content(marks), classes="dialog-small")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(int(str(event.button.id).removeprefix("sure-")))


class LeaveDialog(Dialog):
    """Leave now? Says the answers are saved and how to carry on."""

    BINDINGS = [
        Binding("y,q", "dismiss(True)", "Leave", id="leave-yes"),
        Binding("n,escape", "dismiss(False)", "Stay", id="leave-no"),
    ]

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def compose(self):
        with Vertical(classes="dialog"):
            yield from self.title_and_words("Leave the quiz?", self.words)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Leave (y)", id="yes", variant="warning")
                yield Button("Stay (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ResumeDialog(Dialog):
    """An unfinished attempt exists: carry on with it, or start again?"""

    BINDINGS = [
        Binding("c", "dismiss(True)", "Carry on", id="resume-yes"),
        Binding("n", "dismiss(False)", "Start again", id="resume-no"),
    ]

    def __init__(self, student: str, answered: int, total: int) -> None:
        super().__init__()
        self.student = student
        self.answered = answered
        self.total = total

    def compose(self):
        words = (
            f"{self.student}, you have already answered {self.answered} of {self.total} "
            "questions in this pack. Carry on from there, or start again?"
        )
        with Vertical(classes="dialog"):
            yield from self.title_and_words("Welcome back", words)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Carry on (c)", id="yes", variant="primary")
                yield Button("Start again (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class SaveCopyDialog(Dialog):
    """Where to save a copy of the results: a path typed by the student."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="copy-cancel")]

    def __init__(self, suggestion: str) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self):
        with Vertical(classes="dialog"):
            yield from self.title_and_words(
                "Save a copy",
                "Type where to save it, for example a USB stick or a shared folder. "
                "End the name with .csv for a spreadsheet or .json for the full file.",
            )
            yield Input(value=self.suggestion, id="copy-path")
            yield Static(id="copy-problem", classes="dialog-small")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        typed = self.query_one("#copy-path", Input).value.strip()
        if not typed:
            self.query_one("#copy-problem", Static).update("Type a file name first.")
            return
        path = Path(typed).expanduser()
        if path.suffix.lower() not in (".csv", ".json"):
            self.query_one("#copy-problem", Static).update("End the name with .csv or .json.")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
