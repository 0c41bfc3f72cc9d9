"""The results screen: score, a bar per skill, judgement, calibration, every question.

The numbers all come from the engine's Summary and Grades. From here the
student opens any question's explanation, or saves a copy of the attempt
(CSV or JSON, written by quiz.report) to a USB stick or shared folder.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option as ListOption

from quiz.engine import Grade, Run, judgement_sentence
from quiz.model import CONFIDENCE_LABELS
from quiz.store import Saved, slug
from quiz import display, wording
from quiz.ui.text import literal, literal_line
from quiz.ui.widgets.more import MoreBelow
from quiz.ui.widgets.score_bar import ScoreBar
from quiz.ui.widgets.keys import KeyBar
from quiz.ui.screens import STYLES


# The list below has the keys, so the arrows move in it: the summary scrolls with the wheel, or after Tab.
MORE_IN_SUMMARY = "▼ more below: Tab here, then ↓"

# The symbol carries the meaning; the colour only repeats it.
MARK_STYLES = {"right": "bold $text-success", "partly": "bold $text-warning", "wrong": "bold $text-error"}


def where_saved(saved: Saved | None) -> Content:
    """Where the attempt file is, and plainly why if it is not where it should be."""
    if saved is None:
        return Content.styled("Your answers could not be saved. Tell your teacher.", "bold $text-error")
    words = Content.assemble(("Saved to ", "bold"), literal(str(saved.path)))
    if saved.fallback_reason:
        words = Content.assemble(
            words,
            "\n",
            literal(
                f"Your results folder could not be used ({saved.fallback_reason}), "
                "so your answers went here instead. Tell your teacher.",
                "$text-warning",
            ),
        )
    return words


class ResultsScreen(Screen):
    """How the attempt went, once every question is answered."""

    CSS_PATH = STYLES / "results.tcss"

    BINDINGS = [
        Binding("e", "save_copy", "Save a copy", tooltip="Save a copy of your results as CSV or JSON", id="save-copy"),
        Binding("q", "app.quit", "Quit", tooltip="Close the quiz (your results are saved)", id="quit"),
    ]

    def __init__(self, run: Run, saved: Saved | None, *, served: bool = False, ended: str = "") -> None:
        super().__init__()
        self.run = run
        # Why the attempt ended before every question was answered, if it did: its time ran out.
        self.ended = ended or (
            wording.time_up(len(run.attempt.answers)) if run.attempt.timed_out else ""
        )
        self.saved = saved
        # In a browser tab the copy is downloaded, never written where a student types.
        self.served = served
        self.summary = run.summary()
        self.grades: list[Grade] = run.grades()

    def compose(self):
        s = self.summary
        yield Static(Content.assemble(("Results: ", "bold"), literal(self.run.pack.title)), classes="screen-title")
        with Horizontal(id="results"):
            with VerticalScroll(id="summary"):
                if self.ended:
                    yield Static(Content.assemble(("⏱ ", "bold"), (self.ended, "bold")), id="ended")
                yield Static(
                    Content.assemble(
                        ("You scored ", "bold"),
                        (display.score(s.score, s.max), "bold"),
                        (f"  ·  {display.percent(s.percent / 100)}", "bold"),
                    ),
                    id="total",
                )
                yield Static(wording.right_count(s), classes="muted")
                for skill in s.skills:
                    with Horizontal(classes="skill"):
                        yield Static(literal(skill.label), classes="skill-label")
                        yield ScoreBar(skill.percent / 100)
                        yield Static(
                            f"{display.score(skill.score, skill.max)} · {display.percent(skill.percent / 100)}",
                            classes="skill-score",
                        )
                if s.verdicts is not None:
                    yield Static(
                        Content.assemble(("Fair or misleading? ", "bold"), judgement_sentence(s.verdicts)),
                        classes="part",
                    )
                if s.calibration:
                    yield Static(self._calibration(), classes="part")
                yield Static(where_saved(self.saved), id="saved", classes="part")
                support = wording.support_lines(self.run.pack.content_note)
                if support:
                    yield Static(literal(support), id="support", classes="part")
                yield MoreBelow(MORE_IN_SUMMARY)
            with Vertical(id="review"):
                yield Static("Every question: enter opens its explanation", classes="part-title")
                yield OptionList(*self._question_lines(), id="questions")
        yield KeyBar()

    def _calibration(self) -> Content:
        s = self.summary
        lines = [Content.styled("How sure were you?", "bold")]
        for level in s.calibration:
            if level.answered:
                lines.append(
                    Content(
                        f"  {CONFIDENCE_LABELS[level.level].capitalize():<12} "
                        f"{level.correct} of {level.answered} right ({display.percent(level.accuracy)})"
                    )
                )
        if s.cbm is not None:
            lines.append(Content.styled(wording.certainty_total(s), "bold"))
            lines.append(Content.styled(wording.CERTAINTY_RULE, "$text-muted"))
        return Content("\n").join(lines)

    def _question_lines(self) -> list[ListOption]:
        lines = []
        for number, grade in enumerate(self.grades, 1):
            headline, kind = wording.outcome(grade)
            # One line each, so the list reads as a list: the stylesheet cuts it at the width there is.
            q = grade.question
            # Verdict prompts are all alike; their claims tell them apart.
            label = f"“{q.claim}”" if q.type == "verdict" and q.claim else q.prompt
            lines.append(
                ListOption(
                    Content.assemble(
                        (f"{headline[0]} ", MARK_STYLES[kind]),
                        f"{number:>2}. ",
                        (f"{display.number(grade.score)}/{display.number(grade.max)}  ", "bold"),
                        literal_line(label),
                    )
                )
            )
        return lines

    def on_mount(self) -> None:
        self.query_one("#questions").focus()

    @on(OptionList.OptionSelected, "#questions")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from quiz.ui.screens.feedback import ReviewScreen

        grade = self.grades[event.option_index]
        self.app.push_screen(
            ReviewScreen(grade, self.run, f"Question {event.option_index + 1} of {len(self.grades)}")
        )

    # -- saving a copy --

    def action_save_copy(self) -> None:
        from quiz.ui.screens.dialogs import SaveCopyDialog

        attempt = self.run.attempt
        name = f"{slug(attempt.pack_id)}-{slug(attempt.student)}.csv"
        if self.served:
            self.app.push_screen(SaveCopyDialog(name, download=True), self._copy_to)
        else:
            self.app.push_screen(SaveCopyDialog(f"~/{name}"), self._copy_to)

    def _copy_to(self, path: Path | None) -> None:
        if path is None:
            return
        if self.served:
            self.download_copy(path.name)
        else:
            self.write_copy(path)

    def download_copy(self, name: str) -> None:
        from io import BytesIO

        from quiz.report import ReportError, attempt_copy

        try:
            data = attempt_copy(self.run.attempt, Path(name).suffix.lower(), pack=self.run.pack)
        except ReportError as exc:
            self.notify(display.printable(str(exc)), severity="error", markup=False)
            return
        self.app.deliver_binary(BytesIO(data), save_filename=name)
        self.notify(display.printable(f"Your browser is downloading {name}"), markup=False)

    @work(thread=True, exclusive=True, group="save-copy")
    def write_copy(self, path: Path) -> None:
        # A USB stick or network folder can be slow: keep the screen responsive.
        from quiz.report import ReportError, export_attempt

        try:
            written = export_attempt(self.run.attempt, path, pack=self.run.pack)
        except (ReportError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, display.printable(str(exc)), severity="error", markup=False, timeout=10
            )
            return
        self.app.call_from_thread(self.notify, display.printable(f"Saved a copy to {written}"), markup=False)
