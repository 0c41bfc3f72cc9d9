"""A line that starts with a mark or a number and wraps under its text, not under the mark.

    2  The National Crime Agency, which
       the article quotes first

Used by every option list and the lists in the feedback, so a long option
reads as one block beside the key that picks it.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Hanging(Visual):
    """`head` (a key, a tick box, ✓ or ✗) then `body`, its wrapped lines indented to line up."""

    def __init__(self, head: Content, body: Content) -> None:
        self.head = head
        self.body = body

    def __str__(self) -> str:
        return self.head.plain + self.body.plain

    @property
    def _indent(self) -> int:
        return self.head.cell_length

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._indent + self.body.get_optimal_width(rules, container_width - self._indent)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self._indent + 1

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.body.get_height(rules, max(1, width - self._indent))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        indent = self._indent
        if width <= indent + 1:
            # Too narrow to hang: plain wrapping beats losing the words.
            return (self.head + self.body).render_strips(width, height, style, options)
        body = self.body.render_strips(width - indent, height, style, options)
        blank = Strip.blank(indent, style.rich_style)
        head = self.head.render_strips(indent, 1, style, options)
        first = head[0].extend_cell_length(indent, style.rich_style) if head else blank
        return [Strip.join([first if n == 0 else blank, line]) for n, line in enumerate(body)]
