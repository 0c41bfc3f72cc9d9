"""The line of keys at the foot of every screen, drawn as one widget.

It says what Textual's `Footer` says, in the same words and colours: each
key the screen's bindings show, with what it does, dimmed while it does
nothing; keys of one group (the digits that pick an answer) run together
under one name; the command palette's key sits at the right. A click or tap
on a key presses it, and hovering shows its longer description.

`Footer` builds a widget for every key and builds them all again each time
the keys change, which on the first question of a quiz happens three or
four times before the student can read it; that was a fifth of the quiz's
start-up. Here a change of keys only redraws one line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.style import Style
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
HOVER_STYLE = "on $block-hover-background"


def _pressing(content: Content, key: str, enabled: bool) -> Content:
    """`content` that presses `key` when clicked or tapped, dimmed while the key does nothing."""
    clicked = content.stylize(Style.from_meta({"@click": f"press({key!r})"}))
    return clicked if enabled else clicked.stylize("dim")


@dataclass(frozen=True)
class Shown:
    """One key (or one group of keys) on the line, and the columns it takes."""

    content: Content
    tooltip: str
    start: int = 0
    end: int = 0


class KeyBar(Widget, can_focus=False):
    """One line, docked at the bottom: the keys the screen offers now."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Keys are clickable, but not links: no underline or link colour over the key colours.
        self.set_reactive(Widget.auto_links, False)
        self._shown: list[Shown] = []
        self._hovered: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    # -- what is shown ---------------------------------------------------------

    def _items(self, active: dict) -> list[Shown]:
        """The screen's shown keys, one item per action, grouped as `Footer` groups them."""
        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        firsts = [bindings[0] for bindings in by_action.values()]
        items: list[Shown] = []
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for group, members in groupby(firsts, lambda shown: shown[0].group):
            members = list(members)
            if group is not None and len(members) > 1:
                joiner = "" if group.compact else " "
                keys = Content(joiner).join(
                    _pressing(Content.styled(self.app.get_key_display(b), KEY_STYLE), b.key, enabled)
                    for b, enabled, _tip in members
                )
                content = Content.assemble(" ", keys, " ", (group.description, DESCRIPTION_STYLE), " ")
                tips = "; ".join(dict.fromkeys(tip or b.tooltip or b.description for b, _e, tip in members))
                items.append(Shown(content, tips))
                continue
            for binding, enabled, tooltip in members:
                if binding.key == palette:
                    continue  # drawn at the right, as Footer docks it
                items.append(self._item(binding, enabled, tooltip))
        return items

    def _item(self, binding: Binding, enabled: bool, tooltip: str) -> Shown:
        content = Content.assemble(
            (f" {self.app.get_key_display(binding)} ", KEY_STYLE),
            (f"{binding.description} ", DESCRIPTION_STYLE) if binding.description else "",
        )
        return Shown(_pressing(content, binding.key, enabled), tooltip or binding.tooltip or binding.description)

    def _palette(self, active: dict) -> Shown | None:
        found = active.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        if found is None:
            return None
        _node, binding, enabled, tooltip = found
        shown = self._item(binding, enabled, tooltip)
        return replace(shown, content=Content.assemble(("▏", "$foreground 20%"), shown.content))

    def render(self) -> Content:
        active = self.screen.active_bindings  # worked out afresh on each call: once a drawing
        palette = self._palette(active)
        placed: list[Shown] = []
        x = 0
        for item in self._items(active):
            placed.append(replace(item, start=x, end=x + item.content.cell_length))
            x += item.content.cell_length
        if palette is not None:
            start = max(x, self.size.width - palette.content.cell_length)
            placed.append(replace(palette, start=start, end=start + palette.content.cell_length))
        self._shown = placed
        line = Content("")
        for index, item in enumerate(placed):
            gap = item.start - line.cell_length
            if gap > 0:
                line += " " * gap
            line += item.content.stylize(HOVER_STYLE) if index == self._hovered else item.content
        return line

    # -- pointer ----------------------------------------------------------------

    def action_press(self, key: str) -> None:
        """A click or tap on a key presses it; on a key that does nothing now, a bell."""
        found = self.screen.active_bindings.get(key)
        if found is None or not found[2]:
            self.app.bell()
        else:
            self.app.simulate_key(key)

    def _at(self, x: int) -> int | None:
        return next((i for i, item in enumerate(self._shown) if item.start <= x < item.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hovered = self._at(event.x)
        if hovered != self._hovered:
            self._hovered = hovered
            self.tooltip = None if hovered is None else self._shown[hovered].tooltip
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.tooltip = None
            self.refresh()
