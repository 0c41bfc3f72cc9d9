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

    def __init__(self, title: str, *, done: int, total: int, where: str, score: str = "") -> None:
        super().__init__()
        self.title = title
        self.done = done
        self.total = total
        self.where = where
        self.score = score

    def compose(self):
        with Horizontal():
            yield Static(Content(self.title), classes="run-title")
            yield Static(Content(self.where), classes="run-where")
            if self.score:
                yield Static(Content(self.score), classes="run-score")
        yield ProgressBar(
            total=max(1, self.total),
            show_percentage=False,
            show_eta=False,
        )

    def on_mount(self) -> None:
        self.query_one(ProgressBar).progress = self.done
