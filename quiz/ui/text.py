"""Text a person typed or a pack holds, ready for a widget: as written, never markup.

Student names, groups, pack titles, prompts, options, explanations and the
story reach a widget through `literal`, so `[/]` in a name shows as `[/]`
rather than breaking a table, `[@click=app.quit]` is just words, and an
escape sequence shows as visible symbols (␛) instead of writing the
clipboard or the window title.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from quiz import display


def literal(text: str, style: str = "") -> Content:
    """`text` as it was written, in `style`: control characters made visible, nothing read as markup."""
    shown = display.printable(text)
    return Content.styled(shown, style) if style else Content(shown)


def literal_line(text: str, style: str = "") -> Content:
    """`text` on one line, for a table cell or a list row: line breaks and tabs become spaces."""
    shown = display.one_line(text)
    return Content.styled(shown, style) if style else Content(shown)


def literal_cell(text: str, style: str = "", *, right: bool = False) -> Text:
    """`text` on one line as a DataTable cell, which measures Rich text (a plain `str` there is read as markup)."""
    return Text(display.one_line(text), style=style, justify="right" if right else "left", end="")
