"""The bar across the top of a question: pack, "Question 3 of 24", score, progress."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static


class RunProgress(Vertical):
    """Where the student is in the pack, and (in practice mode) their score so far."""

    DEFAULT_CSS = """
    RunProgress {
        height: auto;
        padding: 0 1;
        background: $panel;
        & > Horizontal { height: 1; }
        & .run-title { width: 1fr; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
        & .run-where, & .run-score { width: auto; margin-left: 2; }
        & ProgressBar { width: 1fr; }
        & Bar { width: 1fr; }
    }
    """

    def __init__(self, title: str, *, total: int) -> None:
        super().__init__()
        self.title = title
        self.total = total

    def compose(self):
        with Horizontal():
            yield Static(Content(self.title), classes="run-title")
            yield Static(classes="run-where")
            yield Static(classes="run-score")
        yield ProgressBar(total=max(1, self.total), show_percentage=False, show_eta=False)

    def show(self, *, done: int, where: str, score: str = "") -> None:
        """Move on: how many are answered, "Question 3 of 24", and the score so far ("" hides it)."""
        self.query_one(".run-where", Static).update(Content(where))
        score_box = self.query_one(".run-score", Static)
        score_box.update(Content(score))
        score_box.display = bool(score)
        self.query_one(ProgressBar).progress = done
