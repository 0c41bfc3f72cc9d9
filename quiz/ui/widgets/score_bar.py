"""A still, one-line bar for a share of points (no animation, so pictures stay stable)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class ScoreBar(Widget):
    """`██████░░░░`: filled for the share earned, shaded for the rest."""

    DEFAULT_CSS = """
    ScoreBar {
        height: 1;
        width: 1fr;
        min-width: 10;
        color: $success;
    }
    """

    fraction: reactive[float] = reactive(0.0)

    def __init__(self, fraction: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fraction = fraction

    def render(self) -> Content:
        width = self.size.width
        filled = round(max(0.0, min(1.0, self.fraction)) * width)
        return Content.assemble(("█" * filled, ""), ("░" * (width - filled), "$foreground 30%"))
