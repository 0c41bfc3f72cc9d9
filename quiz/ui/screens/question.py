"""One question on the play screen: the story, the question, and an answer widget for its type.

It collects one answer (with the hint used or not, and how sure the student
is when the pack asks), checks that the engine can read it, and posts
`QuestionView.Answered`. The app records and saves it; nothing here scores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static

from quiz.engine import AnswerError, Run
from quiz.model import Question
from quiz import wording
from quiz.ui.text import literal
from quiz.ui.widgets.answers import (
    AnswerBox,
    AnswerInput,
    ChoiceAnswer,
    MatchAnswer,
    MultiAnswer,
    TypedAnswer,
    VerdictAnswer,
)
from quiz.ui.widgets.source import CLAIM_STYLE, SourceView
from quiz.ui.widgets.submit import SubmitButton

PICK = Binding.Group("Pick", compact=True)


def answer_widget(run: Run, question: Question) -> AnswerBox:
    """The answer widget for a question's type, options in the run's order."""
    kind = question.type
    if kind in ("choice", "phrase"):
        return ChoiceAnswer(run.options(question), id="answer")
    if kind == "multi":
        return MultiAnswer(run.options(question), id="answer")
    if kind == "number":
        return TypedAnswer(placeholder="Type a number", unit=question.unit, id="answer")
    if kind == "text":
        return TypedAnswer(placeholder="Type your answer", id="answer")
    if kind == "match":
        return MatchAnswer(run.items(question), question.categories, id="answer")
    return VerdictAnswer(id="answer")


class QuestionView(Horizontal):
    """One question of a running attempt, with its keys: the story (when it is open) beside the question."""

    BINDINGS = [
        *(
            Binding(
                str(n),
                f"pick({n})",
                "Pick",
                tooltip="Pick an answer by its number (in 'pick all' questions: tick or untick it)",
                group=PICK,
                id=f"pick-{n}",
            )
            for n in range(1, 10)
        ),
        Binding("f", "verdict('fair')", "Fair", tooltip="The claim is fair", id="fair"),
        Binding("m", "verdict('misleading')", "Misleading", tooltip="The claim is misleading", id="misleading"),
        # Of two bindings on one key, the first that applies runs and names the key in the footer.
        Binding("enter", "type", "Type again", tooltip="Back into the answer box", id="type-again"),
        Binding("enter", "submit", "Submit", tooltip="Send this answer", id="submit"),
        Binding("i", "type", "Type again", tooltip="Back into the answer box", show=False, id="type"),
        Binding("h", "hint", "Hint", tooltip="Show a hint (it costs points)", id="hint"),
        # "Back", not "Back to the question": at 80 columns a verdict's footer must still show q Leave.
        Binding("s", "story_back", "Back", tooltip="Back to the question", id="story-back"),
        Binding("s", "story", "Story", tooltip="Read the story (s again comes back)", id="story"),
    ]

    hint_step: reactive[int] = reactive(0)
    """0: hint not asked for; 1: its cost has been told; 2: the hint is shown (and costs)."""
    story_open: reactive[bool] = reactive(False)
    """Narrow terminals: the story is shown instead of the question."""
    reading: reactive[bool] = reactive(False)
    """Wide terminals: the story pane has the keys, so the arrows scroll it."""
    typing: reactive[bool] = reactive(False)
    """Typed questions: the answer box has the keys (so s, h and q are letters in it)."""
    on_submit: reactive[bool] = reactive(False)
    """The Submit button has the keys (enter sends)."""
    problem: reactive[str] = reactive("")
    """Why the last answer could not be read, in words for the student."""

    @dataclass
    class Answered(Message):
        """The student gave an answer the engine can read."""

        view: "QuestionView"
        question: Question
        response: Any
        hinted: bool
        confidence: int | None
        seconds: float

    def __init__(self, run: Run) -> None:
        super().__init__()
        question = run.current
        assert question is not None, "every question has been answered"
        self.run = run
        self.question = question
        self.shown_at = time.monotonic()
        self._before_story: Widget | None = None
        # A typed answer starts in its box (the screen focuses it as it is composed), so the
        # tip under it starts by saying so rather than changing a moment after it is drawn.
        self.set_reactive(QuestionView.typing, self.typed)

    @property
    def source(self):
        return self.run.pack.source

    @property
    def answer(self) -> AnswerBox:
        return self.query_one("#answer", AnswerBox)

    def compose(self):
        q = self.question
        if self.source is not None:
            yield SourceView(self.source, id="story")
        with VerticalScroll(id="question"):
            if q.claim:
                yield Static(
                    Content.assemble("The claim: ", literal(q.claim, CLAIM_STYLE)),
                    id="claim",
                )
            yield Static(literal(q.prompt), id="prompt")
            yield answer_widget(self.run, q)
            yield Static(id="problem")
            yield Static(id="hint")
            with Horizontal(id="actions"):
                yield SubmitButton("Submit", id="submit")
                keys_here = self.typed or self.question.type == "match"
                # As it reads once the answer has the keys (the screen focuses it as it is composed).
                tip = self._key_tip(typing=self.typed, on_submit=False, hint_shown=False)
                yield Static(tip, id="key-tip", classes="-always" if keys_here else "")

    @property
    def typed(self) -> bool:
        return self.question.type in ("number", "text")

    def key_tip(self) -> str:
        """The keys a student cannot see in the footer: the story when narrow, and getting out of a text box and back."""
        return self._key_tip(typing=self.typing, on_submit=self.on_submit, hint_shown=self.hint_step >= 2)

    def _key_tip(self, *, typing: bool, on_submit: bool, hint_shown: bool) -> str:
        if self.typed:
            keys = ["s story"] if self.source is not None else []
            keys += ["h hint"] if self.question.hint and not hint_shown else []
            keys.append("q leave")
            if typing:
                return f"Typing. Esc: stop typing, so the keys {', '.join(keys)} work."
            if on_submit:
                return f"Keys: {', '.join(keys)}. Enter: send. i: back to typing."
            return f"Keys: {', '.join(keys)}. i or Enter: back to typing."
        if self.question.type == "match":
            return "1, 2…: sort the item in focus. Enter: choose from a list, or send once all are sorted."
        return "Press s to read the story." if self.source is not None else ""

    def on_mount(self) -> None:
        if self.source is not None:
            story = self.query_one(SourceView)
            story.claim = self.question.claim
            if self.question.type == "phrase":
                story.phrases = tuple(o.text for o in self.run.options(self.question))

    def focus_answer(self) -> None:
        self.answer.focus_answer()

    def on_descendant_focus(self, event) -> None:
        self.typing = isinstance(event.widget, Input)
        self.on_submit = isinstance(event.widget, Button)
        if self.source is not None:
            self.reading = event.widget is self.query_one(SourceView)

    @on(Input.Changed)
    def _typing_again(self) -> None:
        self.problem = ""  # what was wrong with the last answer, not with the one being typed

    def on_key(self, event) -> None:
        # Out of the box, a digit or a sign means the student is typing the answer again.
        if self.typed and not self.typing and event.character and event.character in "0123456789.-,%":
            event.stop()
            self.action_type()
            self.query_one(Input).insert_text_at_cursor(event.character)

    # -- what the footer offers --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kind = self.question.type
        if action == "pick":
            return int(parameters[0]) <= self.answer.pick_count  # type: ignore[arg-type]
        if action == "verdict":
            return kind == "verdict"
        if action == "hint":
            return bool(self.question.hint) and self.hint_step < 2
        if action == "story":
            return self.source is not None and not (self.reading or self.story_open)
        if action == "story_back":
            return self.reading or self.story_open
        if action == "type":
            return self.typed and not self.typing
        return True

    # -- actions --

    def action_pick(self, number: int) -> None:
        if self.story_open:
            self.story_open = False
        if self.answer.pick(number):
            self.problem = ""

    def action_verdict(self, verdict: str) -> None:
        answer = self.answer
        if isinstance(answer, VerdictAnswer):
            self.story_open = False  # narrow: show what was picked, as a digit does
            answer.pick_verdict(verdict)
            self.problem = ""

    def action_hint(self) -> None:
        if self.question.hint:
            if self.story_open:
                self.story_open = False  # narrow: the hint is shown under the question, so show the question
                if self.typed:
                    self.query_one(AnswerInput).action_done_typing()  # so a second h shows it, not types it
            self.hint_step = min(2, self.hint_step + 1)

    def action_story(self) -> None:
        """Narrow: the story in place of the question. Wide: the keys to the story pane, so the arrows scroll it."""
        if self.screen.has_class("-narrow"):
            self.story_open = True
        else:
            self.query_one(SourceView).focus()

    def action_story_back(self) -> None:
        if self.story_open:
            self.story_open = False
        else:
            self.answer.focus_answer()

    def action_type(self) -> None:
        if self.typed:
            if self.story_open:
                self.story_open = False
            self.answer.focus_answer()

    def action_submit(self) -> None:
        try:
            response = self.answer.response()
            # The engine reads the answer now, so a typo is caught before anything counts.
            self.run.grade(
                response,
                hinted=self.hinted,
                confidence=1 if self.run.confidence else None,
            )
        except AnswerError as exc:
            self.problem = str(exc)
            self.answer.focus_answer()
            return
        self.problem = ""
        seconds = time.monotonic() - self.shown_at
        if not self.run.confidence:
            self._send(response, None, seconds)
            return

        from quiz.ui.screens.dialogs import ConfidenceDialog

        def sure(level: int | None) -> None:
            if level is not None:
                self._send(response, level, seconds)

        self.app.push_screen(ConfidenceDialog(), sure)

    @property
    def hinted(self) -> bool:
        return self.hint_step >= 2

    def _send(self, response: Any, confidence: int | None, seconds: float) -> None:
        self.post_message(
            self.Answered(self, self.question, response, self.hinted, confidence, seconds)
        )

    # -- what the student did --

    @on(AnswerBox.Submitted)
    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(AnswerBox.Complete)
    def _all_sorted(self) -> None:
        self.query_one("#submit", Button).focus()

    @on(SourceView.PhraseClicked)
    def _phrase_clicked(self, event: SourceView.PhraseClicked) -> None:
        answer = self.answer
        if isinstance(answer, ChoiceAnswer) and self.question.type == "phrase":
            answer.choose(event.index)

    @on(OptionList.OptionHighlighted, "PickList")
    def _phrase_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.question.type == "phrase" and self.source is not None:
            self.query_one(SourceView).picked = event.option_index

    # -- showing state --

    def watch_hint_step(self, step: int) -> None:
        box = self.query_one("#hint", Static)
        cost = wording.hint_cost(self.run.pack.hint_penalty)
        if step == 0:
            box.display = False
            return
        box.display = True
        if step == 1:
            box.update(Content.assemble(("Hint? ", "bold"), cost, " Press h again to see it."))
        else:
            box.update(
                Content.assemble(
                    ("Hint: ", "bold"),
                    literal(self.question.hint),
                    ("\n" + wording.hint_used(self.run.pack.hint_penalty), "italic"),
                )
            )
        self.query_one("#key-tip", Static).update(self.key_tip())
        self.refresh_bindings()

    def watch_problem(self, problem: str) -> None:
        box = self.query_one("#problem", Static)
        box.display = bool(problem)
        box.update(Content.assemble(("! ", "bold"), literal(problem)) if problem else "")

    def watch_story_open(self, is_open: bool) -> None:
        self.set_class(is_open, "-story-open")
        self.refresh_bindings()
        if is_open:
            # Closing the story goes back to where the student was: out of the box stays out of it.
            self._before_story = self.app.focused
            story = self.query_one(SourceView)
            story.focus()
            story.show_mark()  # it could not scroll while hidden
        elif self.is_mounted:
            before, self._before_story = self._before_story, None
            if before is not None and before.is_attached and self in before.ancestors and not isinstance(before, SourceView):
                before.focus()
            else:
                self.answer.focus_answer()

    def watch_reading(self) -> None:
        # No class to set: a class on the view would restyle every widget in it, and the pane's own :focus says it all.
        self.refresh_bindings()

    def watch_on_submit(self) -> None:
        self.watch_typing()

    def watch_typing(self) -> None:
        if self.is_mounted:
            self.query_one("#key-tip", Static).update(self.key_tip())
        self.refresh_bindings()
