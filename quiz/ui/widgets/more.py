"""A line at the foot of a scrolling pane that says there is more below, until there is not.

At 80x24 the end of a long explanation (and the "press enter" line after it)
can sit below the fold; a student who cannot see a scroll bar's meaning
reads this line instead.
"""

from __future__ import annotations

from textual.widgets import Static

MORE_BELOW = "▼ more below: scroll with ↓"


class MoreBelow(Static):
    """Docked at the bottom of its scrolling parent; shown only while the parent can scroll further down."""

    DEFAULT_CSS = """
    MoreBelow {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-style: bold;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, words: str = MORE_BELOW, **kwargs) -> None:
        super().__init__(words, **kwargs)

    def on_mount(self) -> None:
        pane = self.parent
        self.display = False
        for name in ("scroll_y", "virtual_size", "show_vertical_scrollbar"):
            self.watch(pane, name, self.update_sign, init=False)
        self.update_sign()

    def update_sign(self, *_: object) -> None:
        """Check again once the pane is laid out: its size settles a frame after its content."""
        self.call_after_refresh(self._show_if_more)

    def _show_if_more(self) -> None:
        pane = self.parent
        if pane is not None:
            self.display = pane.max_scroll_y > 0 and pane.scroll_y < pane.max_scroll_y - 0.5
