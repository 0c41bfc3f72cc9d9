"""The content note: what a pack is and deals with, and where to get support, before question 1.

The student acknowledges it (enter) or goes back (escape); the screen
dismisses with True or False and the app decides where that leads.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from quiz.model import Pack
from quiz.ui.text import literal
from quiz.ui.widgets.keys import KeyBar
from quiz.ui.screens import HOME_CSS


class ContentNoteScreen(Screen[bool]):
    """Read before you start."""

    # Shares the home screen's rules.
    CSS_PATH = HOME_CSS

    BINDINGS = [
        Binding("enter", "dismiss(True)", "I'm ready", tooltip="Start the questions", id="note-ok"),
        Binding("escape", "dismiss(False)", "Go back", tooltip="Do not start this pack", id="note-back"),
    ]

    def __init__(self, pack: Pack) -> None:
        super().__init__()
        self.pack = pack

    def compose(self):
        yield Static(Content.assemble(("Before you start: ", "bold"), literal(self.pack.title)), classes="screen-title")
        with VerticalScroll(id="note", can_focus=True):
            if self.pack.description:
                # What the pack is (the warm-up's keys live here), for a student who came straight from `quiz play`.
                yield Static("About this pack", classes="part-title")
                yield Static(literal(self.pack.description.strip()), classes="note-text", id="note-about")
            yield Static("Content note", classes="part-title")
            for paragraph in self.pack.content_note.strip().split("\n\n"):
                # Line breaks are kept: support lines (phone numbers) are written one per line.
                yield Static(literal(paragraph.strip()), classes="note-text")
            with Horizontal(id="note-buttons"):
                yield Button("I'm ready (enter)", id="ok", variant="primary")
                yield Button("Go back (esc)", id="back")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ok").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "ok")
