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
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, OptionList, Static

from quiz.engine import AnswerError, Run
from quiz.model import Question
from quiz import wording
from quiz.ui.text import literal
from quiz.ui.widgets.answers import (
    AnswerBox,
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


class QuestionView(Vertical):
    """One question of a running attempt, with its keys."""

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
        Binding("enter", "submit", "Submit", tooltip="Send this answer", id="submit"),
        Binding("h", "hint", "Hint", tooltip="Show a hint (it costs points)", id="hint"),
        Binding("s", "story", "Story", tooltip="Show or hide the story", id="story"),
    ]

    hint_step: reactive[int] = reactive(0)
    """0: hint not asked for; 1: its cost has been told; 2: the hint is shown (and costs)."""
    story_open: reactive[bool] = reactive(False)
    """Narrow terminals: the story is shown instead of the question."""
    story_hidden: reactive[bool] = reactive(False)
    """Wide terminals: the student has put the story away."""
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

    @property
    def source(self):
        return self.run.pack.source

    @property
    def answer(self) -> AnswerBox:
        return self.query_one("#answer", AnswerBox)

    def compose(self):
        q = self.question
        with Horizontal(id="body"):
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
                    tip = self.key_tip()
                    if tip:
                        typed = q.type in ("number", "text")
                        yield Static(tip, id="key-tip", classes="-typed" if typed else "")

    def key_tip(self) -> str:
        """A reminder of the keys a student cannot see: the story when narrow, and Esc in a text box."""
        if self.question.type in ("number", "text"):
            keys = (["s for the story"] if self.source is not None else []) + (
                ["h for a hint"] if self.question.hint else []
            )
            return f"Press Esc, then {' or '.join(keys)}." if keys else ""
        return "Press s to read the story." if self.source is not None else ""

    def on_mount(self) -> None:
        if self.source is not None:
            story = self.query_one(SourceView)
            story.claim = self.question.claim
            if self.question.type == "phrase":
                story.phrases = tuple(o.text for o in self.run.options(self.question))
        else:
            self.add_class("-no-story")

    def focus_answer(self) -> None:
        self.answer.focus_answer()

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
            return self.source is not None
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
            answer.pick_verdict(verdict)
            self.problem = ""

    def action_hint(self) -> None:
        if self.question.hint:
            self.hint_step = min(2, self.hint_step + 1)

    def action_story(self) -> None:
        if self.screen.has_class("-narrow"):
            self.story_open = not self.story_open
        else:
            self.story_hidden = not self.story_hidden

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
            answer.highlight(event.index)

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
        self.refresh_bindings()

    def watch_problem(self, problem: str) -> None:
        box = self.query_one("#problem", Static)
        box.display = bool(problem)
        box.update(Content.assemble(("! ", "bold"), literal(problem)) if problem else "")

    def watch_story_open(self, is_open: bool) -> None:
        self.set_class(is_open, "-story-open")
        if is_open:
            story = self.query_one(SourceView)
            story.focus()
            story.show_mark()  # it could not scroll while hidden
        elif self.is_mounted:
            self.answer.focus_answer()

    def watch_story_hidden(self, hidden: bool) -> None:
        self.set_class(hidden, "-story-hidden")
