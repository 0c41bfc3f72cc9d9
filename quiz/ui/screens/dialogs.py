"""Small questions the quiz asks on top of a screen: how sure, leave, resume, save a copy.

Each is a ModalScreen that dismisses with the student's answer; the screen
that asked decides what happens next. Each has its own footer, so the keys
shown are the ones that work in the box.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from quiz.model import CBM_MARKS, CONFIDENCE_LABELS
from quiz import display
from quiz.ui.text import literal


class Dialog(ModalScreen):
    """A box in the middle of the screen, with a title, some words and buttons."""

    def title_and_words(self, title: str, words: Content | str):
        yield Static(literal(title), classes="dialog-title")
        yield Static(words if isinstance(words, Content) else literal(words), classes="dialog-words")


class ConfidenceDialog(Dialog):
    """How sure is the student of the answer just given? 1, 2 or 3."""

    # No button has focus, so an extra enter after the answer does not choose "guess".
    AUTO_FOCUS = None

    BINDINGS = [
        Binding("1", "dismiss(1)", "Guess", tooltip="+1 if right, 0 if wrong", id="sure-1"),
        Binding("2", "dismiss(2)", "Fairly sure", tooltip="+2 if right, −2 if wrong", id="sure-2"),
        Binding("3", "dismiss(3)", "Certain", tooltip="+3 if right, −6 if wrong", id="sure-3"),
        Binding("escape", "dismiss", "Change my answer", tooltip="Go back to the question", id="sure-back"),
    ]

    def compose(self):
        marks = Content("\n").join(
            Content(
                f"{level} {CONFIDENCE_LABELS[level].capitalize():<12}"
                f"{display.signed(right):>3} if right   {display.signed(wrong):>3} if wrong"
            )
            for level, (right, wrong) in CBM_MARKS.items()
        )
        with Vertical(classes="dialog"):
            yield from self.title_and_words("How sure are you?", "Press 1, 2 or 3. Being sure pays only when you are right.")
            with Horizontal(classes="dialog-buttons"):
                for level, label in CONFIDENCE_LABELS.items():
                    yield Button(f"{level} {label.capitalize()}", id=f"sure-{level}")
            yield Static(marks, classes="dialog-small")
        yield Footer()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(int(str(event.button.id).removeprefix("sure-")))


class LeaveDialog(Dialog):
    """Leave now? Says the answers are saved and how to carry on."""

    BINDINGS = [
        Binding("y,q", "dismiss(True)", "Leave", tooltip="Save and close the quiz", id="leave-yes"),
        Binding("n,escape", "dismiss(False)", "Stay", tooltip="Go back to the question", id="leave-no"),
    ]

    def __init__(self, saved: str, command: str | None, *, code: str = "") -> None:
        super().__init__()
        self.saved = saved
        self.command = command
        self.code = code

    def compose(self):
        if self.command:
            words = Content.assemble(
                self.saved,
                "\n\nTo carry on later, run\n  ",
                literal(self.command, "bold"),
                "\nor pick the pack again on the home screen.",
            )
        else:  # in a browser there is no command to run: the code carries the attempt on
            words = Content.assemble(
                self.saved,
                "\n\nTo carry on later, open the quiz page again, type the same name, "
                "pick this pack and give this code: ",
                Content.styled(self.code, "bold"),
            )
        with Vertical(classes="dialog"):
            yield from self.title_and_words("Leave the quiz?", words)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Leave (y)", id="yes", variant="warning")
                yield Button("Stay (n)", id="no", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ResumeDialog(Dialog):
    """An unfinished attempt exists: carry on with it, or start again?

    With a `code` (a quiz served to browsers, where anyone can type any name)
    carrying on needs the code shown when the attempt was left.
    """

    BINDINGS = [
        Binding("c", "carry_on", "Carry on", tooltip="Go on from where you stopped", id="resume-yes"),
        Binding("n", "dismiss(False)", "Start again", tooltip="Start this pack from question 1", id="resume-no"),
    ]

    def __init__(self, student: str, answered: int, total: int, *, code: str | None = None) -> None:
        super().__init__()
        self.student = student
        self.answered = answered
        self.total = total
        self.code = code

    def compose(self):
        words = (
            f"{self.student}, you have already answered {self.answered} of {self.total} "
            "questions in this pack. Carry on from there, or start again?"
        )
        if self.code:
            words += "\n\nTo carry on, type the code you were given when you left."
        with Vertical(classes="dialog"):
            yield from self.title_and_words("Welcome back", words)
            if self.code:
                yield Input(placeholder="Your code", id="code", max_length=12)
                yield Static("", id="code-problem", classes="dialog-small")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Carry on (c)", id="yes", variant="primary")
                yield Button("Start again (n)", id="no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code" if self.code else "#yes").focus()

    def action_carry_on(self) -> None:
        if not self.code:
            self.dismiss(True)
            return
        typed = self.query_one("#code", Input).value.strip().upper()
        if typed == self.code:
            self.dismiss(True)
        else:
            problem = "That code does not match. Check it, ask your teacher, or start again (n)."
            self.query_one("#code-problem", Static).update(Content(problem))
            self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def _code_given(self) -> None:
        self.action_carry_on()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_carry_on()
        else:
            self.dismiss(False)


class SaveCopyDialog(Dialog):
    """Where to save a copy of the results: a path typed by the student.

    In a browser (`download=True`) only a file name is asked for: the browser
    downloads the copy, and nothing is written on the teacher's machine.
    """

    BINDINGS = [Binding("escape", "dismiss", "Cancel", tooltip="Do not save a copy", id="copy-cancel")]

    def __init__(self, suggestion: str, *, download: bool = False) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.download = download

    def compose(self):
        where = (
            "Your browser will download it. Type a file name."
            if self.download
            else "Type where to save it, for example on a USB stick or in a shared folder."
        )
        with Vertical(classes="dialog"):
            yield from self.title_and_words(
                "Save a copy",
                f"{where} End the name with .csv for a spreadsheet, or .json for the whole file.",
            )
            yield Input(value=self.suggestion, id="copy-path")
            yield Static(id="copy-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        typed = self.query_one("#copy-path", Input).value.strip()
        problem = self.query_one("#copy-problem", Static)
        if not typed:
            problem.update("Type a file name first.")
            return
        path = Path(typed).expanduser()
        if path.suffix.lower() not in (".csv", ".json"):
            problem.update("End the name with .csv or .json.")
            return
        if self.download:
            if path.name != typed or typed.startswith("."):
                problem.update("Type just a file name, like results.csv.")
                return
            self.dismiss(path)
            return
        if path.exists():
            problem.update("There is a file with that name already. Choose another name.")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
