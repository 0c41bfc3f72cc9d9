"""The play screen: the bar across the top, one question or its feedback, and the keys.

The screen stays while a pack is played; only the question or feedback in
its middle is swapped, which keeps moving on quick. Which one comes next is
the app's decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from quiz.engine import Run
from quiz.ui.widgets.progress import RunProgress
from quiz.ui.widgets.keys import KeyBar


VIEW = "play-view"
"""The class of the question or feedback between the bars (the screen holds Textual's own layers too)."""


@dataclass(frozen=True)
class Progress:
    """What the bar across the top says."""

    done: int
    where: str
    score: str = ""
    time_left: str = ""


class PlayScreen(Screen):
    """A pack being played."""

    # The keys start in the answer (its first focusable part), not in the story
    # pane, which comes first on the screen. Focused as the screen is composed,
    # before it is first laid out and drawn: focusing it later restyles the
    # question and draws the whole screen again.
    AUTO_FOCUS = "#answer *"

    BINDINGS = [
        Binding("q", "app.leave", "Leave", tooltip="Save your answers and leave; you can carry on later", id="leave"),
    ]

    def __init__(self, run: Run, first: Widget, progress: Progress) -> None:
        super().__init__()
        self.run = run
        self.first = first
        self.progress = progress

    def compose(self):
        yield RunProgress(self.run.pack.title, total=self.run.total)
        # The first question comes with the screen, so it is on screen in one go. The
        # question or feedback sits straight on the screen, between the two bars: a
        # container around it added a layer drawn under every line of the screen.
        self.first.add_class(VIEW)
        yield self.first
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RunProgress).show(**vars(self.progress))
        self.first.focus_answer()  # type: ignore[attr-defined]

    def show_time_left(self, said: str) -> None:
        """The time left in the bar, as words ("Time left: 4 minutes")."""
        self.query_one(RunProgress).time_left = said

    @property
    def view(self) -> Widget | None:
        """The question or feedback on show."""
        shown = [w for w in self._views() if w.display]
        return shown[-1] if shown else None

    def _views(self) -> list[Widget]:
        """What is between the bars: the view on show, and any hidden one waiting to be removed."""
        return list(self.query_children(f".{VIEW}"))

    async def show(self, view: Widget, progress: Progress) -> None:
        """Put `view` in the middle, and move the bar on."""
        # One frame for the whole change: without the batch, the screen was drawn
        # while the new view was being mounted (the old one hidden, the middle
        # empty), and the view itself waited for the frame after that.
        with self.app.batch_update():
            self.query_one(RunProgress).show(**vars(progress))
            old = self._views()
            for widget in old:
                widget.display = False
            view.add_class(VIEW)
            await self.mount(view, before=self.query_one(KeyBar))
            view.focus_answer()  # type: ignore[attr-defined]
        if old:
            # Removing the old view waits until the new one is drawn: nobody is waiting for it.
            self.call_after_refresh(self.remove_children, old)
