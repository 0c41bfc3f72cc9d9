"""Feedback on one answer: was it right, what it scored, and why.

Shown on the play screen after each answer in practice mode, and as its own
screen from the results list for any question. Everything it says comes from the engine's Grade and the pack's
explanations; right and wrong are always words and symbols, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from quiz.engine import Grade, Run, right_answer
from quiz import wording
from quiz.ui.text import literal
from quiz.ui.widgets.hanging import Hanging
from quiz.ui.widgets.more import MoreBelow
from quiz.ui.widgets.keys import KeyBar

Block = tuple[Content | Hanging, str]  # the words, and the CSS classes of their box

MARK_STYLES = {"✓": "bold $text-success", "✗": "bold $text-error"}


def _line(mark: str, text: str, note: str) -> Hanging:
    return Hanging(Content.styled(f"{mark} ", MARK_STYLES[mark]), Content.assemble(literal(text), literal(f"  ({note})", "italic")))


def _said(mark: str, said: str, text: str) -> Hanging:
    """`✓ You ticked it, and it is a right answer: visits`, wrapped lines under the words."""
    return Hanging(Content.styled(f"{mark} ", MARK_STYLES[mark]), Content.assemble((f"{said}: ", "italic"), literal(text)))


def _labelled(label: str, text: str) -> Content:
    return Content.assemble((label, "bold"), literal(text))


def _with_explain(blocks: list[Block], first: Block, explain: str) -> None:
    blocks.append(first)
    if explain:
        blocks.append((literal(explain), "explain"))


def feedback_blocks(grade: Grade, run: Run | None = None) -> list[Block]:
    """What to say about one graded answer, block by block, top to bottom.

    With the run, options and match items are listed in the order the student saw them.
    """
    q = grade.question
    headline, kind = wording.outcome(grade)
    top = Content.assemble((headline, "bold"), f"   {wording.points(grade.score, grade.max)}")
    if grade.hinted:
        top = top.append(Content.styled("  (hint used)", "italic"))
    blocks: list[Block] = [(top, f"outcome -{kind}")]
    if q.claim:
        blocks.append((_labelled("The claim: ", q.claim), "said"))
    blocks.append((literal(q.prompt), "asked"))

    if q.type in ("choice", "phrase"):
        chosen = grade.chosen_options
        _with_explain(blocks, (_labelled("You chose: ", grade.response), "given"), chosen[0].explain if chosen else "")
        if not grade.correct:
            right = q.correct_options
            _with_explain(
                blocks,
                (_labelled("The right answer: ", right_answer(q)), "right-answer"),
                right[0].explain if right else "",
            )
    elif q.type == "multi":
        blocks.append((Content.styled("Each option:", "bold"), "list-title"))
        for option in run.options(q) if run is not None else q.options:
            mark, said = wording.option_said(option.text in grade.picked, option.correct)
            _with_explain(blocks, (_said(mark, said, option.text), "item"), option.explain)
        if not grade.correct:
            blocks.append((_labelled("The right answer: ", right_answer(q)), "right-answer"))
    elif q.type == "match":
        blocks.append((Content.styled("Each item:", "bold"), "list-title"))
        seen = [i.text for i in (run.items(q) if run is not None else q.items)]
        for result in sorted(grade.items, key=lambda r: seen.index(r.item.text)):
            given = result.given or "no category"
            if result.right:
                line = _line("✓", f"{result.item.text} → {given}", "right")
            else:
                line = _line("✗", f"{result.item.text} → {given}", f"it is: {result.item.answer}")
            _with_explain(blocks, (line, "item"), result.item.explain)
    elif q.type == "verdict":
        blocks.append((_labelled("You said: ", str(grade.response).capitalize()), "given"))
        if not grade.correct:
            blocks.append((_labelled("The claim is: ", right_answer(q)), "right-answer"))
    else:  # number, text
        blocks.append((_labelled("You typed: ", str(grade.response)), "given"))
        if not grade.correct:
            blocks.append((_labelled("The right answer: ", right_answer(q)), "right-answer"))

    if q.explain:
        blocks.append((_labelled("Why: ", q.explain), "why"))
    if grade.confidence is not None and grade.cbm is not None:
        blocks.append((Content(wording.certainty(grade)), "sure"))
    return blocks


class FeedbackView(VerticalScroll, can_focus=True):
    """One answer explained on the play screen. Enter moves on."""

    BINDINGS = [
        Binding("enter", "next", "Next", tooltip="Go on to the next question", id="next"),
    ]

    @dataclass
    class Next(Message):
        """The student has read the feedback and wants to go on."""

    def __init__(self, grade: Grade, run: Run, *, last: bool = False) -> None:
        super().__init__(id="feedback")
        self.grade = grade
        self.run = run
        self.last = last

    def compose(self):
        for words, classes in feedback_blocks(self.grade, self.run):
            yield Static(words, classes=f"block {classes}")
        yield Static(
            "Press enter to see your results." if self.last else "Press enter for the next question.",
            classes="block next-tip",
        )
        yield MoreBelow()

    def focus_answer(self) -> None:
        self.focus()

    def watch_has_focus(self, has_focus: bool) -> None:
        # Textual restyles a widget and everything in it when its focus changes.
        # No rule styles the blocks by the view's focus, so only the view itself
        # is restyled: after every answer, that was each block styled twice more.
        self.app.stylesheet.update_nodes([self], animate=True)

    def action_next(self) -> None:
        self.post_message(self.Next())


class ReviewScreen(Screen):
    """One answer explained again, opened from the results list."""

    BINDINGS = [
        Binding("enter,escape", "app.pop_screen", "Back", tooltip="Back to your results", id="back"),
    ]

    def __init__(self, grade: Grade, run: Run, title: str) -> None:
        super().__init__()
        self.grade = grade
        self.run = run
        self.title_text = title

    def compose(self):
        yield Static(literal(self.title_text), classes="screen-title")
        with VerticalScroll(id="feedback", can_focus=True):
            for words, classes in feedback_blocks(self.grade, self.run):
                yield Static(words, classes=f"block {classes}")
            yield MoreBelow()
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#feedback").focus()
