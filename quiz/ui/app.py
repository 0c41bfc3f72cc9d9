"""The quiz app: which screen comes next, and where answers are recorded and saved.

`make_app` builds it the same way for the command line and the tests. The
screens show things and report what the student did; this module hands each
answer to the engine (`Run`) and writes the attempt file straight after it,
so a closed terminal never loses a given answer.

The teacher's rules (quiz.roster.ClassRules) apply as in the plain mode:
with a class list the name is picked from it; a timed test shows the time
left in the bar, warns at 5 and 1 minutes, and ends at zero with what was
answered; a student who has finished the pack as often as allowed is not
started again, and may read that attempt's results with its code. The time
comes from one place, `clock` (tests pass their own).

Screens other than the first question's are imported when first needed, so
`quiz play` puts a question on screen quickly.
"""

from __future__ import annotations

import random
import textwrap
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence
from uuid import uuid4

from rich.text import Text
from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from quiz import display, store, wording
from quiz.engine import AnswerError, Run, TimeUp
from quiz.model import Pack
from quiz.roster import ClassRules
from quiz.timing import in_words
from quiz.ui.screens import HOME_CSS, STYLES
from quiz.ui.screens.play import PlayScreen, Progress
from quiz.ui.screens.question import QuestionView

# Below this many columns the story becomes a toggle (s) instead of a side pane.
WIDE = 100

# How long a warning at 5 or 1 minutes left stays on screen (the bar says the time left throughout).
WARNING_SECONDS = 8


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Player:
    """Who is playing which pack, and how."""

    pack: Pack
    student: str
    group: str = ""
    mode: str | None = None


class QuizApp(App[None]):
    """The student's quiz."""

    CSS_PATH = "quiz.tcss"
    TITLE = "Media literacy quiz"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "leave", "Quit", show=False, priority=True, tooltip="Save and leave", id="app-quit"),
    ]

    def __init__(
        self,
        *,
        pack: Pack | None,
        results_dir: Path,
        student: str | None = None,
        group: str = "",
        mode: str | None = None,
        seed: int | None = None,
        confidence: bool | None = None,
        extra_pack_paths: Sequence[Path] = (),
        served: bool = False,
        only_packs: Sequence[str] = (),
        run: Run | None = None,
        rules: ClassRules | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        student = (student or "").strip() or None
        # Opening on the home screen (on_mount), its stylesheet is read with the app's own. Read when
        # the screen is first shown (its CSS_PATH), it would make Textual parse every source again.
        opens_at_home = pack is None or student is None
        super().__init__(css_path=[STYLES / self.CSS_PATH, HOME_CSS] if opens_at_home else None)
        self.rules = rules or ClassRules()
        self.clock = clock  # the time now, with its offset: every use of the time in the app asks this
        self.pack = pack
        self.results_dir = Path(results_dir)
        self.student = student
        self.group = group or ""
        self.mode = mode
        self.seed = seed
        self.confidence = confidence
        self.extra_pack_paths = list(extra_pack_paths)
        # In a browser tab (quiz serve): the teacher's packs only, and nothing
        # written on the teacher's machine where a student says.
        self.served = served
        self.only_packs = list(only_packs)
        self.player: Player | None = None
        # A run begun elsewhere (the engine has answered some questions), started here as a new attempt.
        self.first_run = run
        self.quiz_run: Run | None = None
        # The attempt open in this window: it holds the attempt's lock, and only it writes the file.
        self.opened: store.OpenAttempt | None = None
        self.saved: store.Saved | None = None
        # Wrong codes typed in this window, so that guessing is slowed down.
        self.code_tries = store.CodeTries()
        self._to_tell: tuple[str, str] | None = None
        self._told_fallback = ""
        self.warned: set[int] = set()  # the time warnings given (seconds left)
        # A resume code made before the student starts (quiz serve's forked tabs make it while they wait
        # for their tab, quiz.cli.forks): the next attempt started here takes it instead of making one then.
        self.next_code: store.CodeInAdvance | None = None
        self.seat = None  # served: this tab's seat at the pack being played (quiz.serving.seats)
        self._ticking = None  # the once-a-second check of a timed test's clock
        self.shown_time = ""  # the time left as the bar says it

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        if self.quiz_run is not None and not self.quiz_run.attempt.is_finished:
            yield SystemCommand("Save and leave", "Keep your answers and close the quiz; you can carry on later", self.action_leave)

    # -- starting --

    def on_mount(self) -> None:
        if self.pack is not None and self.student:
            listed = self.rules.student(self.student)
            if self.rules.roster is not None and listed is None:
                # Not on the class list: the student finds their name on it.
                self.push_screen(self._home(problem=f"{display.one_line(self.student)} is not on the class list. Find your name on it."))
                return
            if listed is not None:
                self.student, self.group = listed.name, listed.group or self.group
            self.open_pack(Player(self.pack, self.student, self.group, self.mode))
        else:
            self.push_screen(self._home())
        if self.served:
            self.call_after_refresh(self._tell_server_drawn)

    def _tell_server_drawn(self) -> None:
        """Tell `quiz serve` that the first screen is drawn: a tab's quiz started before its tab
        (quiz.serving.spares) is ready for one from then on. Only the web driver carries it."""
        write_meta = getattr(self._driver, "write_meta", None)
        if write_meta is not None:
            from quiz.serving.packets import DRAWN

            write_meta({"type": DRAWN})

    def _home(self, problem: str = "") -> Screen:
        from quiz.ui.screens.home import HomeScreen

        return HomeScreen(
            roster=self.rules.roster,
            problem=problem,
            fixed=self.pack,
            extra_pack_paths=self.extra_pack_paths,
            student=self.student,
            group=self.group,
            mode=self.mode,
            only_packs=self.only_packs,
            remember=not self.served,
        )

    def on_home_screen_start(self, event) -> None:
        if self.served and not self._take_seat(event.pack, event.student):
            return
        self.open_pack(Player(event.pack, event.student, event.group, event.mode))

    def _take_seat(self, pack, student: str) -> bool:
        """Served: one live session of a pack a student, across tabs and pages; if taken, the home screen says so."""
        from quiz.serving import seats

        self._free_seat()
        try:
            self.seat = seats.take(self.results_dir, pack.id, student, pack.title)
        except seats.SeatTaken as exc:
            self.screen.problem = str(exc)
            return False
        return True

    def _free_seat(self) -> None:
        if self.seat is not None:
            self.seat.release()
            self.seat = None

    def open_pack(self, player: Player) -> None:
        """Content note first (if any), then the offer to resume, then question 1."""
        self.player = player
        if player.pack.content_note:
            from quiz.ui.screens.content_note import ContentNoteScreen

            self.push_screen(ContentNoteScreen(player.pack), self._note_read)
        else:
            self._offer_resume()

    def _note_read(self, ready: bool | None) -> None:
        if ready:
            self._offer_resume()
        elif len(self.screen_stack) <= 1:
            self.exit(message=Text("You left before the first question. Nothing was saved."))

    def _offer_resume(self) -> None:
        """An unfinished attempt under this name is carried on only with its own code.

        Anyone can type any name on a shared computer, so nothing about the
        attempt (how far, the score) is shown before its code is given.
        """
        player = self.player
        assert player is not None
        if not store.has_unfinished(self.results_dir, player.pack.id, player.student):
            self._begin(None)
            return
        from quiz.ui.screens.dialogs import ResumeDialog

        self.push_screen(ResumeDialog(player.student, self.check_code), self._resume_chosen)

    def check_code(self, typed: str) -> str:
        """Open the attempt whose code is `typed`; what is wrong in words, or "" when it is open."""
        player = self.player
        assert player is not None
        now = time.monotonic()
        wait = self.code_tries.wait(now)
        if wait > 0:
            return wording.code_wait(wait)
        try:
            opened = store.resume(self.results_dir, player.pack.id, player.student, typed)
        except store.WrongCode as exc:
            delay = self.code_tries.failed(time.monotonic())
            said = f"{exc} Check it, ask your teacher, or start again."
            return f"{said} {wording.code_wait(delay)}" if delay > 0 else said
        except store.OpenElsewhere as exc:
            return str(exc)
        self.code_tries.succeeded()
        self._close_opened()
        self.opened = opened
        return ""

    def _resume_chosen(self, choice: str | None) -> None:
        """After the resume dialog: "resume" (its attempt is open), "new", or None (back home)."""
        if choice == "resume" and self.opened is not None:
            self._begin(self.opened)
        elif choice == "new":
            self._begin(None)
        elif len(self.screen_stack) <= 1:
            self.push_screen(self._home())

    def _begin(self, opened: store.OpenAttempt | None) -> None:
        player = self.player
        assert player is not None
        if opened is None and self._attempts_used(player):
            return
        if opened is not None:
            self.quiz_run = Run.resume(player.pack, opened.attempt, confidence=self.confidence)
            if opened.code_is_new:
                self._tell_code(opened.code, new=True)
        else:
            seed = self.seed if self.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
            mode = player.mode or "practice"
            timing = self.rules.timing(player.pack, player.student, mode)
            self.quiz_run = self.first_run or Run.start(
                player.pack,
                student=player.student,
                group=player.group,
                mode=mode,
                seed=seed,
                now=self.clock(),
                confidence=self.confidence,
                attempt_id=uuid4().hex,
                student_id=self.rules.student_id(player.student),
                time_limit=timing.limit if timing else None,
                extra_time=timing.extra if timing else 0.0,
            )
            self.first_run = None
            self._close_opened()
            opened = store.start(self.quiz_run.attempt, self.results_dir, code=self.next_code)
            self.next_code = None  # a code is one attempt's only
            self._tell_code(opened.code, new=False)
        self.opened = opened
        if self.served and opened.code:
            # Every tab runs as the teacher: the live table shows this on a key press.
            store.keep_code(self.results_dir, opened.attempt.id, opened.code)
        self._start_clock()
        self.call_later(self.show_next)

    def _attempts_used(self, player: Player) -> bool:
        """Whether the student has finished the pack as often as the teacher allows; if so, say so."""
        allowed = self.rules.attempts
        if allowed is None:
            return False
        done = store.finished_count(self.results_dir, player.pack.id, player.student)
        if done < allowed:
            return False
        from quiz.ui.screens.attempts import AttemptsUsedScreen

        self._show(AttemptsUsedScreen(player.pack, done, self.check_finished_code))
        return True

    def check_finished_code(self, typed: str) -> str:
        """Show the results of the finished attempt whose code is `typed`; what is wrong in words, or ""."""
        player = self.player
        assert player is not None
        wait = self.code_tries.wait(time.monotonic())
        if wait > 0:
            return wording.code_wait(wait)
        try:
            path, attempt = store.finished_by_code(self.results_dir, player.pack.id, player.student, typed)
        except store.WrongCode as exc:
            delay = self.code_tries.failed(time.monotonic())
            said = f"{exc} Check it, or ask your teacher."
            return f"{said} {wording.code_wait(delay)}" if delay > 0 else said
        self.code_tries.succeeded()
        from quiz.ui.screens.results import ResultsScreen

        self.quiz_run = Run.resume(player.pack, attempt, confidence=self.confidence)
        self.saved = store.Saved(path)
        self._show(ResultsScreen(self.quiz_run, self.saved, served=self.served))
        return ""

    # -- the clock of a timed test --

    def _start_clock(self) -> None:
        run = self.quiz_run
        assert run is not None
        if not run.timed:
            self.shown_time = ""
            return
        self.warned = set()
        left = run.time_left(self.clock()) or 0.0
        # Coming back with 3 minutes left, the 5-minute warning is past: only the ones still ahead are given.
        self.warned.update(w for w in (300, 60) if w > left)
        self.shown_time = wording.time_left(left)
        said = wording.time_limit_said(run.attempt.time_limit or 0.0, run.attempt.extra_time or 0.0)
        # Said with the code, in the note beside the first question.
        code_note, title = self._to_tell or ("", display.one_line(run.pack.title))
        self._to_tell = (f"{said}\n\n{code_note}" if code_note else said, title)
        if self._ticking is None:
            self._ticking = self.set_interval(1.0, self.check_clock, name="time left")

    def check_clock(self) -> None:
        """Once a second in a timed test: the time left in the bar, the warnings at 5 and 1 minutes, the end at zero."""
        run = self.quiz_run
        if run is None or not run.timed or run.attempt.is_finished:
            return
        now = self.clock()
        if run.expired(now):
            self.call_later(self.out_of_time, now)
            return
        left = run.time_left(now) or 0.0
        self.shown_time = wording.time_left(left)
        play = self.play_screen
        if play is not None:
            play.show_time_left(self.shown_time)
        due = run.warning_due(now, self.warned)
        if due is not None:
            # Every warning up to this one is given: after a pause at 40 seconds left, 5 minutes is past.
            self.warned.update(w for w in (300, 60) if w >= due)
            self.notify(wording.time_warning(left), title="Time", severity="warning", timeout=WARNING_SECONDS, markup=False)

    async def out_of_time(self, now: datetime, *, late_answer: bool = False) -> None:
        """Zero: the test is finished with what was answered, saved, and the results say time ran out."""
        run = self.quiz_run
        if run is None or run.attempt.is_finished:
            return
        run.time_up(now)
        self._save()
        if self.opened is None:
            return  # another window has the attempt; the app is closing
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()  # a box asking how sure, or whether to leave, is moot now
        from quiz.ui.screens.results import ResultsScreen

        said = wording.time_up(len(run.attempt.answers), late_answer=late_answer)
        self._free_seat()
        self.notify(said, title="Time", severity="warning", timeout=WARNING_SECONDS, markup=False)
        await self._show(ResultsScreen(run, self.saved, served=self.served, ended=said))

    def _tell_code(self, code: str, *, new: bool) -> None:
        """The code, once, as the attempt starts (and again in the leave dialog)."""
        player = self.player
        assert player is not None
        said = wording.code_at_start(code, new=new)

        if self.pack is not None and self.student and player.pack.description and not player.pack.content_note:
            # Started from the command line: the home screen (which shows the pack's description) was skipped.
            said = f"{display.printable(player.pack.description.strip())}\n\n{said}"
        # Said once the first question is on screen: a notification goes to the screen showing then.
        self._to_tell = (said, display.one_line(player.pack.title))

    def _close_opened(self) -> None:
        if self.opened is not None:
            self.opened.close()
            self.opened = None

    def on_unmount(self) -> None:
        # Let another window open the attempt (a crash lets go by itself).
        self._close_opened()

    # -- moving on --

    def _show(self, screen: Screen):
        # The width class now, so the new screen is styled once rather than again on its first resize.
        screen.add_class("-wide" if self.size.width >= WIDE else "-narrow")
        # One screen at a time above the default one; dialogs go on top of it.
        if len(self.screen_stack) <= 1:
            return self.push_screen(screen)
        return self.switch_screen(screen)

    def score_text(self) -> str:
        run = self.quiz_run
        if run is None or not run.feedback_now or not run.attempt.answers:
            return ""  # test mode keeps the score for the end
        return f"Score {display.score(run.attempt.score, run.attempt.max_score)}"

    @property
    def play_screen(self) -> PlayScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, PlayScreen)), None)

    async def show_next(self) -> None:
        """The next question, or the results once every question is answered."""
        run = self.quiz_run
        assert run is not None
        if run.timed and not run.attempt.is_finished:
            now = self.clock()
            if run.expired(now):
                # Carried on after its deadline, or the clock ran out between two questions.
                await self.out_of_time(now)
                return
            self.shown_time = wording.time_left(run.time_left(now) or 0.0)
        if run.current is not None:
            view = QuestionView(run)
            where = wording.question_of(run.index, run.total, run.section_title(run.current))
            progress = Progress(run.index, where, self.score_text(), self.shown_time if run.timed else "")
            play = self.play_screen
            if play is None or play.run is not run:
                await self._show(PlayScreen(run, view, progress))
            else:
                await play.show(view, progress)
            if self._to_tell:
                said, title = self._to_tell
                self._to_tell = None
                self.notify(said, title=title, timeout=15, markup=False)
            return
        if not run.attempt.is_finished:
            run.finish(self.clock())
            self._save()
        self._free_seat()  # finished: another tab may start the next attempt
        from quiz.ui.screens.results import ResultsScreen

        self._show(ResultsScreen(run, self.saved, served=self.served))

    @on(QuestionView.Answered)
    async def _answered(self, event: QuestionView.Answered) -> None:
        run = self.quiz_run
        if run is None or run.current is not event.question:
            return  # a second enter on a question already answered
        now = self.clock()
        try:
            grade = run.answer(
                event.response,
                seconds=event.seconds,
                hinted=event.hinted,
                confidence=event.confidence,
                now=now,
            )
        except AnswerError as exc:
            event.view.problem = str(exc)
            return
        except TimeUp:
            await self.out_of_time(now, late_answer=True)
            return
        self._save()
        if not run.feedback_now:
            await self.show_next()
            return
        play = self.play_screen
        assert play is not None
        # Imported at the first answer rather than at start-up: nothing before it needs the feedback screen.
        from quiz.ui.screens.feedback import FeedbackView

        position = run.attempt.order.index(event.question.id)
        await play.show(
            FeedbackView(grade, run, last=run.done),
            Progress(run.index, wording.question_of(position, run.total, run.section_title(event.question)),
                     self.score_text(), self.shown_time if run.timed else ""),
        )

    async def on_feedback_view_next(self) -> None:
        """The student read the feedback (FeedbackView.Next) and goes on."""
        await self.show_next()

    # -- saving --

    def _save(self) -> None:
        run, opened = self.quiz_run, self.opened
        assert run is not None and opened is not None
        try:
            self.saved = opened.save(run.attempt)
        except (store.OpenElsewhere, store.AnswersElsewhere) as exc:
            # Another window has this attempt: it goes on there, and nothing here may overwrite it.
            self.saved = None
            self._close_opened()
            self.exit(message=Text(display.printable(str(exc))), return_code=1)
            return
        except store.StoreError as exc:
            self.saved = None
            self.notify(
                display.printable(f"Your answer could not be saved anywhere ({exc}). Tell your teacher."),
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        if run.attempt.is_finished and self.served:
            store.forget_code(self.results_dir, run.attempt.id)  # nothing is left to carry on
        reason = self.saved.fallback_reason
        if reason and reason != self._told_fallback:
            self._told_fallback = reason
            self.notify(
                display.printable(
                    f"Your results folder could not be used ({reason}). "
                    f"Your answers are being saved in {self.saved.path.parent} instead."
                ),
                severity="warning",
                timeout=30,
                markup=False,
            )

    # -- leaving --

    def action_leave(self) -> None:
        """q: confirm, save, and say how to carry on later."""
        from quiz.ui.screens.dialogs import Dialog, LeaveDialog

        if isinstance(self.screen, Dialog):
            return
        run = self.quiz_run
        if run is None:
            self.exit()
            return
        if run.attempt.is_finished:
            where = f"Your results are saved in {self.saved.path}" if self.saved else ""
            self.exit(message=Text(display.printable(where)) if where else None)
            return
        self.clear_notifications()  # the note shown at the start would cover the box's code
        saved = wording.answers_saved(len(run.attempt.answers))
        if run.timed and run.attempt.answers:
            saved += f" The clock keeps running: {in_words(run.time_left(self.clock()) or 0)} left."
        code = self.opened.code if self.opened is not None and run.attempt.answers else ""
        command = None if self.served else wording.resume_command(
            run.pack.id, run.attempt.student, group=run.attempt.group, results=self.results_dir
        )
        self.push_screen(LeaveDialog(saved, command, code=code), self._leave)

    def _leave(self, leave: bool | None) -> None:
        run = self.quiz_run
        if not leave or run is None:
            return
        lines = []
        if run.attempt.answers:
            self._save()
            if self.saved is not None:
                lines.append(f"Your answers are saved in {self.saved.path}")
            # The code is not printed here: on a shared computer the next student could scroll back to it.
            lines.append(
                "To carry on later, open the quiz page again, type the same name, pick this pack "
                "and give the code you were shown."
                if self.served
                else wording.how_to_resume(run.pack.id, run.attempt.student, run.attempt.group, self.results_dir)
            )
        else:
            lines.append(wording.answers_saved(0))
        self._close_opened()
        # Printed to the terminal once the app has gone: a name's escape sequence shows, it does not act.
        # The command (indented) is never broken or cut, so it still runs when copied; the rest is wrapped here.
        self.error_console.soft_wrap = True
        width = self.error_console.width
        said = display.printable("\n".join(lines)).splitlines()
        self.exit(message=Text("\n".join(line if line.startswith("  ") else textwrap.fill(line, width) for line in said)))


def make_app(
    *,
    pack: Pack | None,
    results_dir: Path,
    student: str | None = None,
    group: str = "",
    mode: str | None = None,
    seed: int | None = None,
    confidence: bool | None = None,
    extra_pack_paths: Sequence[Path] = (),
    served: bool = False,
    only_packs: Sequence[str] = (),
    run: Run | None = None,
    rules: ClassRules | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> QuizApp:
    """The quiz app, built the same way by `quiz`, `quiz play` and the tests.

    With no pack it opens on the home screen; with a pack and a student it
    goes straight to that pack (content note first, then an offer to resume
    an unfinished attempt); with a pack and no student it asks for a name.

    `served` and `only_packs` are for `quiz serve`, one app per browser tab:
    only the teacher's packs are offered, no name is remembered between
    students, and a copy of the results is downloaded by the browser rather
    than written to a path a student types.

    `run` starts the pack as that run, already part-answered (by the engine,
    in tests), instead of a new one; it must be `pack`'s, for `student`.

    `rules` are the teacher's (class list, time limit and extra time,
    attempts); `clock` gives the time now, with its offset, for the time
    limit and the time each answer came (tests pass a clock they move).
    """
    return QuizApp(
        pack=pack,
        results_dir=results_dir,
        student=student,
        group=group,
        mode=mode,
        seed=seed,
        confidence=confidence,
        extra_pack_paths=extra_pack_paths,
        served=served,
        only_packs=only_packs,
        run=run,
        rules=rules,
        clock=clock,
    )
