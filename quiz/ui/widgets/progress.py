"""The bar across the top of a question: pack, "Question 3 of 24", time left, score, progress.

One widget drawing two lines, rather than a row of labels and Textual's
ProgressBar: it is on the first screen a student sees, and every widget
there is styled and laid out before the first question shows.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from quiz.ui.text import literal_line

GAP = "  "


def progress_line(done: int, total: int, width: int) -> Content:
    """`━━━━────────`: heavy for the questions answered, light for the rest.

    The two strokes differ in shape as well as colour, so the bar reads
    without colour; the words above it say the same in full.
    """
    if width <= 0:
        return Content("")
    filled = round(width * max(0, min(done, total)) / total) if total else 0
    return Content.assemble(("━" * filled, "$accent"), ("─" * (width - filled), "$foreground 30%"))


def heading_line(title: str, where: str, score: str, width: int, time_left: str = "") -> Content:
    """The pack's title on the left, cut short with … if it must; where, the time left and the score on the right.

    Where the student is and the time left matter most: in a very narrow
    terminal the title goes first, then the score, and "Question 3 of 24" is
    cut last. The time left is words ("Time left: 4 minutes"), bold, never a colour alone.
    """
    clock = Content.styled(time_left, "bold") if time_left else Content("")
    right = Content(GAP).join(part for part in (Content(where), clock, Content(score)) if part.cell_length)
    if right.cell_length > width:
        right = Content(GAP).join(part for part in (Content(where), clock) if part.cell_length)
    if right.cell_length > width:
        right = right.truncate(max(width, 0), ellipsis=True)
    room = width - right.cell_length - (len(GAP) if right.cell_length else 0)
    name = literal_line(title, "bold") if room > 0 else Content("")
    if name.cell_length > room:
        name = name.truncate(max(room, 0), ellipsis=True)
    return Content.assemble(name, " " * max(0, width - name.cell_length - right.cell_length), right)


class RunProgress(Widget):
    """Where the student is in the pack, and (in practice mode) their score so far."""

    DEFAULT_CSS = """
    RunProgress {
        height: 2;
        padding: 0 1;
        background: $panel;
    }
    """

    where: reactive[str] = reactive("")
    score: reactive[str] = reactive("")
    done: reactive[int] = reactive(0)
    time_left: reactive[str] = reactive("")

    def __init__(self, title: str, *, total: int) -> None:
        super().__init__()
        self.title = title
        self.total = max(1, total)

    def show(self, *, done: int, where: str, score: str = "", time_left: str = "") -> None:
        """Move on: how many are answered, "Question 3 of 24", the score so far and the time left ("" hides them)."""
        self.where = where
        self.score = score
        self.done = done
        self.time_left = time_left

    def render(self) -> Content:
        width = self.size.width
        return Content("\n").join(
            [
                heading_line(self.title, self.where, self.score, width, self.time_left),
                progress_line(self.done, self.total, width),
            ]
        )
