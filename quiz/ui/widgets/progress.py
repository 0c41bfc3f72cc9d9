"""The bar across the top of a question: pack, "Question 3 of 24", score, progress.

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


def heading_line(title: str, where: str, score: str, width: int) -> Content:
    """The pack's title on the left, cut short with … if it must; where and the score on the right.

    Where the student is matters most: in a very narrow terminal the title
    goes first, then the score, and "Question 3 of 24" is cut last.
    """
    right = Content(GAP.join(part for part in (where, score) if part))
    if right.cell_length > width:
        right = Content(where)
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

    def __init__(self, title: str, *, total: int) -> None:
        super().__init__()
        self.title = title
        self.total = max(1, total)

    def show(self, *, done: int, where: str, score: str = "") -> None:
        """Move on: how many are answered, "Question 3 of 24", and the score so far ("" hides it)."""
        self.where = where
        self.score = score
        self.done = done

    def render(self) -> Content:
        width = self.size.width
        return Content("\n").join(
            [
                heading_line(self.title, self.where, self.score, width),
                progress_line(self.done, self.total, width),
            ]
        )
