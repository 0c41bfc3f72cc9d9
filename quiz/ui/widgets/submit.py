"""The question's Submit button: Textual's Button, with only the style it uses.

Button's own stylesheet is some 250 lines (every variant, flat and ANSI
styles); parsing it was a tenth of the time the first question took to
appear. This button behaves exactly as Button does (focus, enter, space,
click, `Button.Pressed`) and draws as Button's primary variant does.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Button


class SubmitButton(Button, inherit_css=False):
    """A primary Button that brings only its own rules, and names its enter key in the footer."""

    BINDINGS = [Binding("enter", "press", "Submit", tooltip="Send this answer", id="submit")]

    DEFAULT_CSS = """
    SubmitButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-color-foreground;
        background: $primary;
        border: none;
        border-top: tall $primary-lighten-3;
        border-bottom: tall $primary-darken-3;

        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            background: $primary-darken-2;
            border-top: tall $primary;
        }
        &.-active {
            background: $primary;
            border-bottom: tall $primary-lighten-3;
            border-top: tall $primary-darken-3;
            tint: $background 30%;
        }
        &:disabled {
            text-opacity: 0.6;
            pointer: not-allowed;
        }
    }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(label, variant="primary", id=id)
