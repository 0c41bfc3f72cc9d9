"""One answer widget for each question type, all driven the same way.

Every widget shows its options as plain text, lets a digit pick one (`pick`),
and gives the student's answer in the engine's words (`response`). Pressing
enter inside it posts `AnswerBox.Submitted`. None of them decides whether an
answer is right: the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from quiz.engine import AnswerError
from quiz.model import MatchItem, Option
from quiz.ui.text import literal, literal_line
from quiz.ui.widgets.hanging import Hanging

SUBMIT = Binding("enter", "submit", "Submit", tooltip="Send this answer", id="submit")


def key_label(key: str) -> Content:
    """The key that picks an option, as it leads the option's line: `1  `."""
    return Content.styled(f"{key} ", "bold $accent") + Content(" ")


def numbered(key: str, text: str) -> Hanging:
    """An option's text after the key that picks it, wrapped lines under the text: `1  The council`."""
    return Hanging(key_label(key), literal(text))


def digit_key(index: int) -> str:
    # Only 1-9 have a key; a tenth option is picked with the arrows or the mouse.
    return str(index + 1) if index < 9 else " "


def keys_between(count: int) -> str:
    """The digits that pick among `count` options, as a student reads them: `1–4`."""
    return "1" if count == 1 else f"1–{min(9, count)}"


class AnswerBox(Vertical):
    """What every answer widget offers the question screen."""

    DEFAULT_CSS = """
    AnswerBox { height: auto; }
    """

    @dataclass
    class Submitted(Message):
        """The student pressed enter on their answer."""

        answer_box: "AnswerBox"

        @property
        def control(self) -> "AnswerBox":
            return self.answer_box

    @dataclass
    class Complete(Message):
        """Every part has an answer now (match): time to offer Submit."""

        answer_box: "AnswerBox"

        @property
        def control(self) -> "AnswerBox":
            return self.answer_box

    pick_count = 0
    """How many of the digits 1-9 pick something here."""

    def response(self) -> Any:
        """The answer in the engine's words; AnswerError if there is none yet."""
        raise NotImplementedError

    def pick(self, number: int) -> bool:
        """Act on digit `number` (1-based); False if it picks nothing here."""
        return False

    def focus_answer(self) -> None:
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return


# -- one option: choice, phrase, verdict ---------------------------------------


class PickList(OptionList):
    """One option to pick: arrows move, digits, space or a click pick, enter submits the pick.

    The pick is drawn as `(•)` and the others as `( )`, so it reads without
    colour; the moving highlight is only where the arrows are, never an answer.
    """

    BINDINGS = [
        Binding("space", "pick_highlighted", "Pick", tooltip="Pick the highlighted answer", show=False, id="pick-here"),
        SUBMIT,
    ]

    @dataclass
    class SubmitPressed(Message):
        pick_list: "PickList"

        @property
        def control(self) -> "PickList":
            return self.pick_list

    @dataclass
    class Picked(Message):
        pick_list: "PickList"
        index: int

        @property
        def control(self) -> "PickList":
            return self.pick_list

    def __init__(self, labels: Sequence[Hanging], **kwargs: Any) -> None:
        self.labels = list(labels)
        self.picked: int | None = None
        super().__init__(*[ListOption(self._prompt(i)) for i in range(len(self.labels))], **kwargs)

    def _prompt(self, index: int) -> Hanging:
        label = self.labels[index]
        if index == self.picked:
            mark = Content.styled("(•) ", "bold $text-success")
        else:
            mark = Content("( ) ")
        return Hanging(mark + label.head, label.body)

    def pick(self, index: int) -> None:
        before, self.picked = self.picked, index
        for changed in {before, index} - {None}:
            self.replace_option_prompt_at_index(changed, self._prompt(changed))
        self.highlighted = index
        self.post_message(self.Picked(self, index))

    def action_pick_highlighted(self) -> None:
        if self.highlighted is not None:
            self.pick(self.highlighted)

    def action_submit(self) -> None:
        self.post_message(self.SubmitPressed(self))

    async def _on_click(self, event: events.Click) -> None:
        # A click only picks, so a slip of the mouse is not a final answer.
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.pick(clicked)
        event.prevent_default()


class ChoiceAnswer(AnswerBox):
    """Pick one option from a list (choice and phrase questions)."""

    def __init__(self, options: Sequence[Option], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = tuple(options)
        self.pick_count = min(9, len(self.options))

    def labels(self) -> list[Hanging]:
        return [numbered(digit_key(i), o.text) for i, o in enumerate(self.options)]

    def compose(self):
        yield PickList(self.labels(), classes="answer-list")

    @property
    def choices(self) -> PickList:
        return self.query_one(PickList)

    @property
    def picked(self) -> int | None:
        """The option the student has picked (None until they pick one)."""
        return self.choices.picked

    def choose(self, index: int) -> None:
        self.choices.pick(index)

    def nothing_picked(self) -> str:
        return f"Pick an answer first: press {keys_between(len(self.options))}, or use the arrows and space."

    def response(self) -> Any:
        if self.picked is None:
            raise AnswerError(self.nothing_picked())
        return self.options[self.picked].text

    def pick(self, number: int) -> bool:
        if not 1 <= number <= self.pick_count:
            return False
        self.choices.focus()
        self.choices.pick(number - 1)
        return True

    @on(PickList.SubmitPressed)
    def _submitted(self, event: PickList.SubmitPressed) -> None:
        event.stop()
        self.post_message(self.Submitted(self))


class VerdictAnswer(ChoiceAnswer):
    """Fair or misleading: two options, also picked with `f` and `m`."""

    VERDICTS = ("fair", "misleading")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__([Option("Fair"), Option("Misleading")], **kwargs)

    def labels(self) -> list[Hanging]:
        return [
            numbered("f", "Fair"),
            numbered("m", "Misleading"),
        ]

    def nothing_picked(self) -> str:
        return "Pick an answer first: press f for Fair or m for Misleading, or use the arrows and space."

    def response(self) -> Any:
        if self.picked is None:
            raise AnswerError(self.nothing_picked())
        return self.VERDICTS[self.picked]

    def pick_verdict(self, verdict: str) -> None:
        self.pick(self.VERDICTS.index(verdict) + 1)


# -- several options: multi ----------------------------------------------------


class ToggleList(OptionList):
    """Options that space, digits or a click tick and untick; enter submits.

    Ticks are drawn as `[✓]` and `[ ]`, so they read without colour.
    """

    BINDINGS = [
        Binding("space", "toggle", "Tick", tooltip="Tick or untick the highlighted option", id="tick"),
        SUBMIT,
    ]

    @dataclass
    class SubmitPressed(Message):
        toggle_list: "ToggleList"

        @property
        def control(self) -> "ToggleList":
            return self.toggle_list

    def __init__(self, labels: Sequence[Hanging], **kwargs: Any) -> None:
        self.labels = list(labels)
        self.ticked: set[int] = set()
        super().__init__(*[ListOption(self._prompt(i)) for i in range(len(self.labels))], **kwargs)

    def _prompt(self, index: int) -> Hanging:
        if index in self.ticked:
            box = Content.styled("[✓] ", "bold $text-success")
        else:
            box = Content("[ ] ")
        label = self.labels[index]
        return Hanging(box + label.head, label.body)

    def toggle(self, index: int) -> None:
        self.ticked ^= {index}
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    def action_submit(self) -> None:
        self.post_message(self.SubmitPressed(self))

    async def _on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.toggle(clicked)
        event.prevent_default()


class MultiAnswer(AnswerBox):
    """Pick every option that applies."""

    def __init__(self, options: Sequence[Option], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = tuple(options)
        self.pick_count = min(9, len(self.options))

    def compose(self):
        yield ToggleList(
            [numbered(digit_key(i), o.text) for i, o in enumerate(self.options)],
            classes="answer-list",
        )

    @property
    def toggles(self) -> ToggleList:
        return self.query_one(ToggleList)

    def response(self) -> Any:
        chosen = sorted(self.toggles.ticked)
        if not chosen:
            raise AnswerError(
                f"Tick at least one first: press {keys_between(len(self.options))}, or use the arrows and space."
            )
        return [self.options[i].text for i in chosen]

    def pick(self, number: int) -> bool:
        if not 1 <= number <= self.pick_count:
            return False
        self.toggles.focus()
        self.toggles.highlighted = number - 1
        self.toggles.toggle(number - 1)
        return True

    @on(ToggleList.SubmitPressed)
    def _submitted(self, event: ToggleList.SubmitPressed) -> None:
        event.stop()
        self.post_message(self.Submitted(self))


# -- typed answers: number, text -----------------------------------------------


class AnswerInput(Input):
    """A text box whose enter key shows in the footer as Submit."""

    BINDINGS = [
        SUBMIT,
        Binding("escape", "done_typing", "Stop typing", tooltip="Leave the box, so h, s and q work again", id="done-typing"),
    ]

    def action_done_typing(self) -> None:
        # The keys go to the pane around the box, not to the next button, where enter would send.
        for ancestor in self.ancestors:
            if isinstance(ancestor, Widget) and ancestor.focusable:
                ancestor.focus()
                return
        self.screen.focus_next()


class TypedAnswer(AnswerBox):
    """A typed answer; for numbers, the unit sits beside the box."""

    def __init__(self, *, placeholder: str, unit: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.placeholder = placeholder
        self.unit = unit

    def compose(self):
        with Horizontal(classes="typed-row"):
            yield AnswerInput(placeholder=self.placeholder, select_on_focus=False)
            if self.unit:
                yield Static(literal_line(self.unit), classes="unit")

    def response(self) -> Any:
        return self.query_one(AnswerInput).value

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self))


# -- sorting items into categories: match --------------------------------------


CHOOSE = "Choose…"


BOX_WIDTH = 26  # the category's column, at the right of each item


class CategoryList(OptionList):
    """The list of categories under a match item, there only while it is open."""

    BINDINGS = [Binding("escape", "close", "Close the list", tooltip="Close the list without choosing", id="close-list")]

    DEFAULT_CSS = """
    CategoryList {
        overlay: screen;
        constrain: none inside;
        height: auto;
        max-height: 12;
        width: %d;
        border: tall $border-blurred;
        background: $surface;
        padding: 0 1;
    }
    CategoryList:focus { border: tall $border; }
    """ % BOX_WIDTH

    def __init__(self, row: "MatchRow") -> None:
        super().__init__(*(ListOption(literal_line(c)) for c in row.categories))
        self.row = row
        if row.value in row.categories:
            self.highlighted = row.categories.index(row.value)

    def action_close(self) -> None:
        self.row.close()

    def on_blur(self) -> None:
        # Clicking or tabbing elsewhere closes the list, as a drop-down does.
        self.call_after_refresh(self._close_if_left)

    def _close_if_left(self) -> None:
        if self.is_attached and self.app.focused is not self:
            self.row.close(refocus=False)


class MatchRow(Widget, can_focus=True):
    """One item to sort, drawn as one widget: its text, and at the right the category chosen (or "Choose…").

    Enter opens the list of categories while items are left to sort, and
    submits once all are sorted, so a fast typist's enter never lands on a
    list by accident. The arrows move between items, as in any list, rather
    than open one. The list is built only when opened.
    """

    # The footer names what enter does here: open the list, or send once all are sorted.
    BINDINGS = [
        Binding("enter", "choose", "Choose", tooltip="Open the list of categories for this item", id="choose"),
        Binding("enter", "send", "Submit", tooltip="Send this answer: every item is sorted", id="submit"),
        Binding("down", "row(1)", "Move", key_display="↑↓", tooltip="Go to the next or the previous item", id="next-item"),
        Binding("up", "row(-1)", "Previous item", show=False, id="previous-item"),
    ]

    # One component class, its states chosen by the row's own class and focus: Textual styles
    # each component class as a node of its own, for every item, each time the screen is styled.
    COMPONENT_CLASSES = {"match-row--box"}

    DEFAULT_CSS = """
    MatchRow {
        height: auto;
        width: 1fr;
        & > .match-row--box { background: $surface; }
        &.-empty > .match-row--box { color: $text-muted; }
        &:focus > .match-row--box {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:focus { background: $accent 20%; text-style: bold; }
    }
    """

    class Changed(Message):
        """The item was given a category."""

    def __init__(self, item: MatchItem, categories: Sequence[str]) -> None:
        super().__init__()
        self.item = item
        self.categories = tuple(categories)
        self.value: str | None = None
        self.add_class("-empty")
        self._list: CategoryList | None = None  # mounted under the item while open

    # -- drawing --

    def _text_width(self, width: int) -> int:
        return max(8, width - BOX_WIDTH - 1)

    def _lines(self, width: int) -> list[Content]:
        return literal(self.item.text).wrap(self._text_width(width))

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Content:
        width = self.size.width
        text_width = self._text_width(width)
        lines = self._lines(width) or [Content("")]
        chosen = self.value if self.value is not None else CHOOSE
        shown = literal_line(chosen).truncate(BOX_WIDTH - 3, ellipsis=True)
        box = Content.assemble(" ", shown, " " * (BOX_WIDTH - 2 - shown.cell_length), "▼")
        box = box.stylize(self.get_visual_style("match-row--box"))
        first = Content.assemble(lines[0], " " * (text_width - lines[0].cell_length + 1), box)
        return Content("\n").join([first, *lines[1:]])

    def set_value(self, category: str) -> None:
        self.value = category
        self.remove_class("-empty")
        self.refresh()
        self.post_message(self.Changed())

    # -- keys and the list --

    @property
    def expanded(self) -> bool:
        """Whether the list is open."""
        return self._list is not None and self._list.is_attached

    @property
    def match(self) -> "MatchAnswer":
        return next(a for a in self.ancestors if isinstance(a, MatchAnswer))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return not self.match.complete
        if action == "send":
            return self.match.complete
        return True

    def action_row(self, step: int) -> None:
        self.match.move(step)

    def action_choose(self) -> None:
        self.open()

    def action_send(self) -> None:
        self.match.post_message(self.match.Submitted(self.match))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        if not self.expanded:
            self.open()

    def open(self) -> None:
        """Show the list of categories under this item, below its category, over the items after it."""
        if self.expanded:
            return
        self._list = CategoryList(self)
        self._list.styles.margin = (0, 0, 0, max(0, self.size.width - BOX_WIDTH))
        self.parent.mount(self._list, after=self)  # type: ignore[union-attr]
        self._list.focus()

    def close(self, *, refocus: bool = True) -> None:
        listing, self._list = self._list, None
        if listing is not None and listing.is_attached:
            listing.remove()
        if refocus:
            self.focus()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class MatchAnswer(AnswerBox):
    """Each item gets a category from a list; a digit sets the item in focus."""

    def __init__(self, items: Sequence[MatchItem], categories: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items = tuple(items)
        self.categories = tuple(categories)
        self.pick_count = min(9, len(self.categories))
        # Which item a digit sorts: kept here, not read from focus, because
        # focus moves a moment later and keys can arrive faster than that.
        self.current = 0
        self._moving_to: MatchRow | None = None

    def compose(self):
        keys = [
            Content.assemble((digit_key(i), "bold $accent"), " ", literal_line(c))
            for i, c in enumerate(self.categories)
        ]
        yield Static(Content.assemble("Keys:  ", Content("   ").join(keys)), classes="match-keys")
        for item in self.items:
            yield MatchRow(item, self.categories)

    @property
    def selects(self) -> list[MatchRow]:
        return list(self.query_children(MatchRow).results(MatchRow))

    @property
    def complete(self) -> bool:
        return all(s.value is not None for s in self.selects)

    def response(self) -> Any:
        chosen = {}
        for item, select in zip(self.items, self.selects):
            if select.value is None:
                left = sum(1 for s in self.selects if s.value is None)
                raise AnswerError(f"Give every item a category first ({left} still to do).")
            chosen[item.text] = select.value
        return chosen

    @on(OptionList.OptionSelected)
    def _chosen_from_list(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, CategoryList):
            event.stop()
            row = event.option_list.row
            row.close()
            row.set_value(row.categories[event.option_index])

    @on(MatchRow.Changed)
    def _sorted_one(self) -> None:
        self.screen.refresh_bindings()  # enter may now send rather than open a list

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self._moving_to is not None:
            # Our own move from pick(): `current` already says where; older moves are stale.
            if event.widget is self._moving_to:
                self._moving_to = None
            return
        if isinstance(event.widget, MatchRow):
            self.current = self.selects.index(event.widget)  # the student tabbed or clicked

    def move(self, step: int) -> None:
        """The arrows: to the item above or below the one digits sort; past the last, on to Submit."""
        selects = self.selects
        index = self.current + step
        if 0 <= index < len(selects):
            self.current = index
            self._moving_to = selects[index]
            selects[index].focus()
        elif step > 0:
            self.screen.focus_next()

    def pick(self, number: int) -> bool:
        if not 1 <= number <= self.pick_count:
            return False
        selects = self.selects
        for select in selects:
            select.close(refocus=False)
        selects[self.current].set_value(self.categories[number - 1])
        after = list(range(self.current + 1, len(selects))) + list(range(self.current + 1))
        following = next((i for i in after if selects[i].value is None), None)
        if following is not None:
            self.current = following
            self._moving_to = selects[following]
            selects[following].focus()
        else:
            self.post_message(self.Complete(self))
        return True
