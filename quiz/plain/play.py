"""Playing a pack as plain lines: name, content note, resume, every question, feedback, results.

The same steps as the Textual app, in the same order, over the same engine:
each answer goes to `Run.answer` and the attempt file is written straight
after it (`OpenAttempt.save`), so typing quit at any prompt, or the input
ending, loses nothing that was answered. Practice mode explains each answer
at once; test mode explains them all with the results.

The teacher's rules (quiz.roster.ClassRules) apply here: with a class list
the student picks their name from it, a timed test says the time left before
each question and at 5 and 1 minutes, and ends at zero with what was
answered (an answer typed after zero does not count, since a line is only
read when Enter is pressed), and a student who has finished the pack as
many times as allowed is told so and does not start again: the code they
were given for that attempt shows its results.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence, TextIO
from uuid import uuid4

from quiz import display, store, wording
from quiz.engine import AnswerError, Run, TimeUp
from quiz.model import MODES, Pack, Question
from quiz.plain import lines, reading
from quiz.plain.console import Console, EndOfInput
from quiz.plain.reading import HINT, QUIT, REPEAT, STORY, NotUnderstood
from quiz.roster import ClassRules
from quiz.timing import in_words

show = display.printable

READY_WORDS = ("ready", "yes", "y", "ok")
NEW_WORDS = ("new", "start again", "again")
BACK = "back"


class Leave(Exception):
    """The student typed quit, or the input ended: save what there is and say how to carry on."""


class Stop(Exception):
    """The attempt cannot go on in this window (another one has it); what happened is already said."""


class OutOfTime(Exception):
    """A timed test reached zero: it is finished with what was answered, and the results follow."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Asking:
    """One question being asked: how far the hint went, and since when."""

    question: Question
    shown_at: float
    hint_step: int = 0  # 0 not asked for; 1 its cost told; 2 shown (and it costs)

    @property
    def hinted(self) -> bool:
        return self.hint_step >= 2


class PlainQuiz:
    """One student's pack, said and read as lines."""

    def __init__(
        self,
        console: Console,
        pack: Pack,
        results_dir: Path,
        *,
        confidence: bool | None = None,
        rules: ClassRules | None = None,
        clock=_now,
    ) -> None:
        self.console = console
        self.pack = pack
        self.results_dir = Path(results_dir)
        self.confidence = confidence
        self.rules = rules or ClassRules()
        self.clock = clock  # the time now, with its offset; tests pass their own
        self.warned: set[int] = set()  # the time warnings given (seconds left)
        self.run: Run | None = None
        self.opened: store.OpenAttempt | None = None  # holds the attempt's lock while it is played
        self.saved: store.Saved | None = None
        self.tries = store.CodeTries()
        self._told_fallback = ""

    # -- the whole visit --

    def play(self, student: str, group: str, mode: str, seed: int | None) -> None:
        """Content note, resume or start, the questions, then the results. Raises Leave to stop early."""
        if self.pack.content_note and not self._note_read():
            raise Leave
        self.opened = self._unfinished(student)
        if self.opened is None:
            self._check_attempts_left(student)
        if self.opened is not None:
            self.run = Run.resume(self.pack, self.opened.attempt, confidence=self.confidence)
            self.console.gap()
            answered = len(self.run.attempt.answers)
            self.console.say(f"Welcome back. You have answered {answered} of {self.run.total} questions.")
            if self.opened.code_is_new:
                self.console.say(wording.code_at_start(self.opened.code, new=True))
        else:
            timing = self.rules.timing(self.pack, student, mode)
            self.run = Run.start(
                self.pack,
                student=student,
                group=group,
                mode=mode,
                seed=seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000),
                now=self.clock(),
                confidence=self.confidence,
                attempt_id=uuid4().hex,
                student_id=self.rules.student_id(student),
                time_limit=timing.limit if timing else None,
                extra_time=timing.extra if timing else 0.0,
            )
            self.opened = store.start(self.run.attempt, self.results_dir)
        self.console.gap()
        self.console.say(*lines.welcome(self.run))
        self._say_time_limit()
        if not self.run.attempt.answers:
            self.console.say(wording.code_at_start(self.opened.code))
        try:
            while self.run.current is not None:
                self._ask(self.run.current)
        except OutOfTime:
            pass
        if not self.run.attempt.is_finished:
            self.run.finish(self.clock())
            self._save()
        self.console.gap()
        self.console.say(*lines.results(self.run, self.saved))

    def _check_attempts_left(self, student: str) -> None:
        """Stop here, saying why, if the student has finished the pack as often as the teacher allows."""
        allowed = self.rules.attempts
        if allowed is None:
            return
        done = store.finished_count(self.results_dir, self.pack.id, student)
        if done < allowed:
            return
        self.console.gap()
        self.console.say(wording.attempts_used(done))
        self._results_by_code(student)
        raise Stop

    def _results_by_code(self, student: str) -> None:
        """The results of a finished attempt, for its code; nothing if the student just presses Enter."""
        while True:
            typed = self.console.ask(
                f"{wording.SEE_LAST_RESULTS} Without the code, your teacher has your results: press Enter to leave."
            )
            if not typed.strip() or reading.command(typed) == QUIT:
                return
            wait = self.tries.wait(time.monotonic())
            if wait > 0:
                self.console.say(wording.code_wait(wait))
                time.sleep(wait)
            try:
                path, attempt = store.finished_by_code(self.results_dir, self.pack.id, student, typed)
            except store.WrongCode as exc:
                self.tries.failed(time.monotonic())
                self.console.say(f"{exc} Check it, or ask your teacher.")
                continue
            self.tries.succeeded()
            self.run = Run.resume(self.pack, attempt, confidence=self.confidence)
            self.saved = store.Saved(path)
            self.console.gap()
            self.console.say(*lines.results(self.run, self.saved))
            return

    # -- the clock of a timed test --

    def _say_time_limit(self) -> None:
        run = self.run
        assert run is not None
        attempt = run.attempt
        if attempt.time_limit is None:
            if self.rules.limit_for(self.pack) and attempt.mode == "practice" and not attempt.answers:
                self.console.say("Practice is not timed.")
            return
        self.console.say(
            wording.time_limit_said(attempt.time_limit, attempt.extra_time or 0.0),
            "The time left is said before each question, and at 5 minutes and 1 minute.",
        )

    def _time_check(self) -> None:
        """Before a question: finish at zero, else say the time left and any warning due."""
        run = self.run
        assert run is not None
        now = self.clock()
        if not run.timed:
            return
        if run.expired(now):
            self._out_of_time(now)
        left = run.time_left(now) or 0.0
        due = run.warning_due(now, self.warned)
        if due is not None:
            # Every warning up to this one is given: coming back at 40 seconds left, 5 minutes is past.
            self.warned.update(w for w in (300, 60) if w >= due)
            self.console.say(wording.time_warning(left))
        else:
            self.console.say(f"{wording.time_left(left)}.")

    def _out_of_time(self, now: datetime, *, late_answer: bool = False) -> None:
        run = self.run
        assert run is not None
        run.time_up(now)
        self._save()
        self.console.gap()
        self.console.say(wording.time_up(len(run.attempt.answers), late_answer=late_answer))
        raise OutOfTime

    def _note_read(self) -> bool:
        self.console.gap()
        self.console.say(*lines.content_note(self.pack))
        while True:
            typed = self.console.ask("Type ready and press Enter to start, or type quit to leave.")
            word = " ".join(typed.split()).casefold()
            if word in READY_WORDS:
                return True
            if reading.command(typed) == QUIT or word in ("back", "no"):
                return False
            self.console.say("Please read the note, then type ready to start or quit to leave.")

    def _unfinished(self, student: str) -> store.OpenAttempt | None:
        """An unfinished attempt of this student on this pack, carried on only with its own code."""
        if not store.has_unfinished(self.results_dir, self.pack.id, student):
            return None
        self.console.gap()
        # Nothing about the attempt is said before its code is given: anyone can type any name.
        self.console.say("You have an unfinished attempt on this pack.")
        while True:
            typed = self.console.ask(
                "To carry on, type the code you were given, and press Enter. "
                "To start again, type new. Or type quit."
            )
            word = " ".join(typed.split()).casefold()
            if reading.command(typed) == QUIT:
                raise Leave
            if word in NEW_WORDS:
                return None
            if not word:
                self.console.say("Nothing was typed. Type your code, or new to start again.")
                continue
            wait = self.tries.wait(time.monotonic())
            if wait > 0:
                # Repeated wrong codes are slowed down, so nobody can try them all.
                self.console.say(f"Too many wrong codes: wait {display.number(wait, 0)} seconds.")
                time.sleep(wait)
            try:
                opened = store.resume(self.results_dir, self.pack.id, student, typed)
            except store.WrongCode as exc:
                self.tries.failed(time.monotonic())
                self.console.say(f"{exc} Check it, ask your teacher, or type new to start again.")
                continue
            except store.OpenElsewhere as exc:
                self.console.say(f"{exc} Or type new to start again here.")
                continue
            self.tries.succeeded()
            return opened

    # -- one question --

    def _score_text(self) -> str:
        run = self.run
        assert run is not None
        if not run.feedback_now or not run.attempt.answers:
            return ""  # test mode keeps the score for the end
        return f"Score so far: {display.score(run.attempt.score, run.attempt.max_score)}."

    def _ask(self, question: Question) -> None:
        run = self.run
        assert run is not None
        self.console.gap()
        self._time_check()
        asking = Asking(question, time.monotonic())
        self.console.say(*lines.question(run, question, self._score_text()))
        while True:
            response = self._response(asking)
            try:
                # The engine reads the answer now, so a typo is caught before anything counts.
                run.grade(response, hinted=asking.hinted, confidence=1 if run.confidence else None)
            except AnswerError as exc:
                self.console.say(show(str(exc)))
                continue
            seconds = time.monotonic() - asking.shown_at
            sure = self._how_sure(asking) if run.confidence else None
            if run.confidence and sure is None:
                continue  # back: answer again
            break
        now = self.clock()
        try:
            grade = run.answer(response, seconds=seconds, hinted=asking.hinted, confidence=sure, now=now)
        except TimeUp:
            self._out_of_time(now, late_answer=True)
        self._save()
        if not run.feedback_now:
            self.console.say("Your answer is saved.")
            return
        self.console.gap()
        self.console.say(*lines.feedback(grade, run))
        if run.done:
            self.console.say("That was the last question.")
            return
        while True:
            typed = self.console.ask("Press Enter for the next question, or type quit.")
            word = reading.command(typed)
            if word == QUIT:
                raise Leave
            if word != STORY or run.pack.source is None:
                return
            self.console.say(*lines.story(run.pack.source), "")

    def _read(self, asking: Asking, item: int = 0) -> str:
        """One typed line that is not one of the words: those are done here and the line asked again."""
        run = self.run
        assert run is not None
        q = asking.question
        while True:
            typed = self.console.ask(self._instruction(asking, item))
            word = reading.command(typed)
            if word is None:
                return typed
            if word == QUIT:
                raise Leave
            if word == REPEAT:
                self.console.say(*lines.question(run, q, self._score_text()))
            elif word == STORY:
                if run.pack.source is None:
                    self.console.say("This pack has no article to read.")
                else:
                    self.console.say(*lines.story(run.pack.source), "")
            elif word == HINT:
                self._hint(asking)

    def _hint(self, asking: Asking) -> None:
        q = asking.question
        penalty = self.pack.hint_penalty
        if not q.hint:
            self.console.say("This question has no hint.")
            return
        asking.hint_step = min(2, asking.hint_step + 1)
        if asking.hint_step == 1:
            self.console.say(*lines.hint_offer(penalty))
        else:
            self.console.say(*lines.hint(q, penalty))

    def _instruction(self, asking: Asking, item: int = 0) -> str:
        assert self.run is not None
        return lines.instruction(self.run, asking.question, hint_left=bool(asking.question.hint) and not asking.hinted, item=item)

    def _response(self, asking: Asking) -> Any:
        """What the engine takes for this question, from one line (or one line per match item)."""
        run = self.run
        assert run is not None
        q = asking.question
        if q.type == "match":
            sorted_items: dict[str, str] = {}
            for index, item in enumerate(run.items(q)):
                sorted_items[item.text] = q.categories[self._until_read(
                    asking, lambda typed: reading.pick_one(typed, q.categories, what="category"), index
                )]
            return sorted_items
        if q.type in ("choice", "phrase"):
            options = run.options(q)
            texts = [o.text for o in options]
            return texts[self._until_read(asking, lambda typed: reading.pick_one(typed, texts))]
        if q.type == "multi":
            texts = [o.text for o in run.options(q)]
            return [texts[i] for i in self._until_read(asking, lambda typed: reading.pick_several(typed, texts))]
        if q.type == "verdict":
            return self._until_read(asking, reading.pick_verdict)
        return self._until_read(asking, _typed)  # number and text: the engine reads them

    def _until_read(self, asking: Asking, read, item: int = 0):
        while True:
            typed = self._read(asking, item)
            try:
                return read(typed)
            except NotUnderstood as exc:
                self.console.say(str(exc))

    def _how_sure(self, asking: Asking) -> int | None:
        """1, 2 or 3; None if the student wants to answer again."""
        self.console.say(*lines.confidence_scale())
        while True:
            typed = self.console.ask("Type 1, 2 or 3 and press Enter. Or type back to change your answer, or quit.")
            word = reading.command(typed)
            if word == QUIT:
                raise Leave
            if typed.strip().casefold() == BACK:
                self.console.say("Answer the question again.")
                return None
            try:
                return reading.pick_confidence(typed)
            except NotUnderstood as exc:
                self.console.say(str(exc))

    # -- saving and leaving --

    def _save(self) -> None:
        run, opened = self.run, self.opened
        assert run is not None and opened is not None
        try:
            self.saved = opened.save(run.attempt)
        except (store.OpenElsewhere, store.AnswersElsewhere) as exc:
            # Another window has this attempt: it goes on there, and nothing here may overwrite it.
            self.saved = None
            self.console.say(show(str(exc)))
            raise Stop from None
        except store.StoreError as exc:
            self.saved = None
            self.console.say(show(f"Your answer could not be saved anywhere ({exc}). Tell your teacher."))
            return
        reason = self.saved.fallback_reason
        if reason and reason != self._told_fallback:
            self._told_fallback = reason
            self.console.say(show(
                f"Your results folder could not be used ({reason}). "
                f"Your answers are being saved in {self.saved.path.parent} instead."
            ))

    def close(self) -> None:
        """Let go of the attempt, so another window may open it."""
        if self.opened is not None:
            self.opened.close()

    def leaving(self) -> list[str]:
        """What is said on the way out: what is saved, where, and how to carry on."""
        run = self.run
        if run is None:
            return [wording.LEFT_BEFORE_START]
        if run.attempt.is_finished:
            return lines.where_saved(self.saved)
        answered = len(run.attempt.answers)
        said = [wording.answers_saved(answered)]
        if not answered:
            return said
        if run.timed:
            said.append(f"The clock keeps running: {in_words(run.time_left(self.clock()) or 0)} left.")
        if self.saved is not None:
            said.append(f"Saved in {show(str(self.saved.path))}")
        command = wording.resume_command(
            run.pack.id, run.attempt.student, group=run.attempt.group, results=self.results_dir, plain=True
        )
        said += ["To carry on later, run", "  " + show(command)]
        code = self.opened.code if self.opened is not None else ""
        said.append(f"and give this code when you are asked for it: {code}" if code else "and give your code when you are asked for it.")
        return said


def _typed(typed: str) -> str:
    if not typed.strip():
        raise NotUnderstood("Nothing was typed. Type your answer and press Enter.")
    return typed


def _from_roster(console: Console, rules: ClassRules, student: str | None) -> tuple[str, str]:
    """The student's name and class from the class list: typed in part, then picked by number."""
    roster = rules.roster
    assert roster is not None
    given = roster.entry(student or "")
    if given is not None:
        return given.name, given.group
    if student:
        console.say(f"{show(student)} is not on the class list. Find your name on it.")
    while True:
        typed = console.ask("Type your name, or the first letters of it, and press Enter.")
        if reading.command(typed) == QUIT:
            raise Leave
        exact = roster.entry(typed)
        if exact is not None:
            return exact.name, exact.group
        found = roster.find(typed) if typed.strip() else ()
        if not found:
            console.say(
                "No name on the class list matches that. Check the spelling, or ask your teacher."
                if typed.strip() else wording.NO_NAME
            )
            continue
        shown = found[:9]
        console.say(*(f"{n}. {show(s.name)}{f' ({show(s.group)})' if s.group else ''}" for n, s in enumerate(shown, 1)))
        if len(found) > len(shown):
            console.say(f"And {len(found) - len(shown)} more: type more of your name to see them.")
        typed = console.ask(f"Type the number of your name, 1 to {len(shown)}, or press Enter to type it again.")
        if reading.command(typed) == QUIT:
            raise Leave
        if not typed.strip():
            continue
        try:
            chosen = shown[reading.pick_one(typed, [s.name for s in shown], what="name")]
        except NotUnderstood as exc:
            console.say(str(exc))
            continue
        return chosen.name, chosen.group


def _who(
    console: Console, pack: Pack, student: str | None, group: str, mode: str | None, rules: ClassRules | None = None
) -> tuple[str, str, str]:
    """The student's name, class and mode: asked for where the command line did not give them.

    With a class list the name is picked from it, and the class is the list's.
    """
    student = " ".join((student or "").split())
    group = " ".join((group or "").split())
    asked_name = not student
    if rules is not None and rules.roster is not None:
        student, listed_group = _from_roster(console, rules, student)
        group = listed_group or group
    while not student:
        typed = console.ask("Type your name and press Enter.")
        if reading.command(typed) == QUIT:
            raise Leave
        student = " ".join(typed.split())
        if not student:
            console.say(wording.NO_NAME)
    if asked_name and not group:
        typed = console.ask("Type your class, like 10B, and press Enter. If your teacher did not ask for one, just press Enter.")
        if reading.command(typed) == QUIT:
            raise Leave
        group = " ".join(typed.split())
    if pack.mode:
        console.say(f"Mode: {wording.MODES[pack.mode]} (set by this pack).")
        return student, group, pack.mode
    if mode is not None:
        return student, group, mode
    if not asked_name:
        return student, group, "practice"
    choices = [wording.MODES[m] for m in MODES]
    while True:
        typed = console.ask(
            "Choose a mode: "
            + " ".join(f"{n}. {text}." for n, text in enumerate(choices, 1))
            + " Type 1 or 2 and press Enter."
        )
        if reading.command(typed) == QUIT:
            raise Leave
        try:
            return student, group, MODES[reading.pick_one(typed, [*MODES], what="mode")]
        except NotUnderstood:
            console.say("Type 1 for practice or 2 for test.")


def play(
    pack: Pack,
    *,
    student: str | None = None,
    group: str = "",
    mode: str | None = None,
    seed: int | None = None,
    confidence: bool | None = None,
    results_dir: Path,
    rules: ClassRules | None = None,
    stdin: TextIO,
    stdout: TextIO,
    clock=_now,
) -> int:
    """Play `pack` as plain lines on these streams; 0 when the student finishes or leaves.

    A missing name (and then class and mode) is asked for first. Ctrl+C says
    how to carry on, then lets the interrupt through to the command line.
    `rules` are the teacher's (class list, time limit, attempts); `clock`
    gives the time now, for the time limit.
    """
    console = Console(stdin, stdout)
    quiz = PlainQuiz(console, pack, results_dir, confidence=confidence, rules=rules, clock=clock)
    try:
        who = _who(console, pack, student, group, mode, rules)
        quiz.play(*who, seed)
    except (Leave, EndOfInput):
        console.gap()
        console.say(*quiz.leaving())
    except Stop:
        pass
    except KeyboardInterrupt:
        console.gap()
        console.say(*quiz.leaving())
        raise
    finally:
        quiz.close()
    return 0


def choose(
    *,
    packs: Sequence[Pack],
    broken: Sequence[str] = (),
    student: str | None = None,
    group: str = "",
    mode: str | None = None,
    seed: int | None = None,
    confidence: bool | None = None,
    results_dir: Path,
    rules: ClassRules | None = None,
    stdin: TextIO,
    stdout: TextIO,
    clock=_now,
) -> int:
    """The pack list as plain lines: pick a pack by its number, then play it as `play` does.

    `broken` names pack files that could not be opened, for a one-line notice.
    """
    console = Console(stdin, stdout)
    console.say("Media literacy quiz. Pick a pack, type your name, and start.")
    console.say(*lines.pack_list(packs), *lines.broken_packs(list(broken)))
    if not packs:
        return 0
    names = [p.title for p in packs]
    while True:
        try:
            typed = console.ask(f"Type the number of a pack, 1 to {len(packs)}, and press Enter. Or type quit.")
        except EndOfInput:
            return 0
        if reading.command(typed) == QUIT:
            return 0
        by_id = [i for i, p in enumerate(packs) if p.id == typed.strip()]
        try:
            chosen = packs[by_id[0] if by_id else reading.pick_one(typed, names, what="pack")]
            break
        except NotUnderstood as exc:
            console.say(str(exc))
    console.gap()
    console.say(f"You picked: {display.one_line(chosen.title)}.")
    return play(
        chosen,
        student=student,
        group=group,
        mode=mode,
        seed=seed,
        confidence=confidence,
        results_dir=results_dir,
        rules=rules,
        stdin=stdin,
        stdout=stdout,
        clock=clock,
    )
