"""Small questions the quiz asks on top of a screen: how sure, leave, resume, start again, save a copy.

Each is a ModalScreen that dismisses with the student's answer; the screen
that asked decides what happens next. Each has its own footer, so the keys
shown are the ones that work in the box.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from quiz.model import CBM_MARKS, CONFIDENCE_LABELS
from quiz import display, wording
from quiz.ui.text import literal
from quiz.ui.widgets.keys import KeyBar
from quiz.ui.screens import STYLES


class Dialog(ModalScreen):
    """A box in the middle of the screen, with a title, some words and buttons."""

    CSS_PATH = STYLES / "dialogs.tcss"

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
        yield KeyBar()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(int(str(event.button.id).removeprefix("sure-")))


class LeaveDialog(Dialog):
    """Leave now? Says the answers are saved and how to carry on: the command (if any) and the code."""

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
        parts: list[Content | str | tuple[str, str]] = [self.saved]
        if self.code and self.command:
            parts += [
                "\n\nTo carry on later, run\n  ",
                literal(self.command, "bold"),
                "\nor pick the pack again on the home screen, and give this code: ",
                (self.code, "bold"),
            ]
        elif self.code:  # in a browser there is no command to run: the code carries the attempt on
            parts += [
                "\n\nTo carry on later, open the quiz page again, type the same name, "
                "pick this pack and give this code: ",
                (self.code, "bold"),
            ]
        if self.code:
            parts.append(f"\n\nWrite the code down. {wording.RESUME_CODE_KEEP}")
        with Vertical(classes="dialog"):
            yield from self.title_and_words("Leave the quiz?", Content.assemble(*parts))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Leave (y)", id="yes", variant="warning")
                yield Button("Stay (n)", id="no", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ResumeDialog(Dialog):
    """There is an unfinished attempt under this name: its code carries it on, or start again.

    Anyone can type any name on a shared computer, so the dialog says nothing
    about the attempt (how far, the score) and carries one on only when
    `check(typed)` opens it ("" back); otherwise it shows what `check` said.
    Dismisses with "resume", "new" (after "Start again" is confirmed) or None (back).
    """

    BINDINGS = [
        Binding("ctrl+n", "start_again", "Start again", tooltip="Start this pack from question 1", id="resume-new", priority=True),
        Binding("escape", "dismiss(None)", "Back", tooltip="Back to the home screen", id="resume-back"),
    ]

    def __init__(self, student: str, check: Callable[[str], str]) -> None:
        super().__init__()
        self.student = student
        self.check = check

    def compose(self):
        words = Content.assemble(
            "There is an unfinished attempt at this pack under the name ",
            literal(self.student, "bold"),
            ".\n\nIf it is yours, type the code you were given and press Enter to carry on. "
            "If not, start again.",
        )
        with Vertical(classes="dialog"):
            yield from self.title_and_words("Carry on?", words)
            yield Input(placeholder="Your code, like K7QM-2XRT", id="code", max_length=20)
            yield Static("", id="code-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Carry on (enter)", id="yes", variant="primary")
                yield Button("Start again (ctrl+n)", id="no")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#code").focus()
        self.query_one("#code-problem").display = False

    def action_carry_on(self) -> None:
        box = self.query_one("#code", Input)
        problem = self.query_one("#code-problem", Static)
        typed = box.value.strip()
        said = self.check(typed) if typed else "Type your code first, or start again (ctrl+n)."
        if not said:
            self.dismiss("resume")
            return
        problem.update(literal(said))
        problem.display = True
        box.value = ""
        box.focus()

    def action_start_again(self) -> None:
        def confirmed(sure: bool | None) -> None:
            if sure:
                self.dismiss("new")
            else:
                self.query_one("#code").focus()

        self.app.push_screen(StartAgainDialog(), confirmed)

    @on(Input.Submitted, "#code")
    def _code_given(self) -> None:
        self.action_carry_on()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_carry_on()
        else:
            self.action_start_again()


class StartAgainDialog(Dialog):
    """Start again from question 1? The unfinished attempt stays saved, and its code still carries it on."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Start again", tooltip="A new attempt from question 1", id="again-yes"),
        Binding("n,escape", "dismiss(False)", "Go back", tooltip="Back to typing the code", id="again-no"),
    ]

    def compose(self):
        with Vertical(classes="dialog"):
            yield from self.title_and_words(
                "Start again?",
                "You will start this pack from question 1, as a new attempt. The unfinished "
                "attempt stays saved: its code still carries it on, and your teacher still sees it.",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start again (y)", id="yes", variant="warning")
                yield Button("Go back (n)", id="no", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


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
        yield KeyBar()

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
