"""Snapshot tests: how each screen of the student's quiz looks at 80x24 and 120x40.

Each test's docstring says what the picture must show. A case that begins
part-way through a pack starts the app on a run the engine has answered up to
there (make_app's `run`); only the keys the picture is about are pressed in
the app. Everything that moves is frozen: the seed, the clock the attempt file
is named from, the attempt id, the resume code, the results folder (a
relative path), and the text cursor's blink.
Update with `pytest tests/test_ui_snapshots.py --snapshot-update`, then look
at every changed picture before committing it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from uuid import UUID

import pytest

from helpers import REPO, answered_run, keys_for, screen_name
from quiz.engine import Run
from quiz.model import Pack
from quiz.packs import load_pack
from quiz.ui.app import make_app

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

STUDENT, GROUP, SEED = "Sam Lee", "10B", 1
STARTED = datetime(2026, 1, 12, 9, 30, tzinfo=timezone.utc)
ATTEMPT_ID = UUID(int=0x5A11)
RESULTS = Path("results")


class FrozenClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return STARTED


@pytest.fixture(autouse=True)
def _frozen(monkeypatch, tmp_path):
    monkeypatch.setattr("quiz.ui.app.datetime", FrozenClock)
    monkeypatch.setattr("quiz.ui.app.uuid4", lambda: ATTEMPT_ID)
    monkeypatch.setattr("quiz.store.new_code", lambda: "7K3M-Q9PX")
    monkeypatch.chdir(tmp_path)  # "Saved to results/..." reads the same on every machine


# The pictures of the question screens come from a copy of the warm-up as it was
# when they were drawn, so that editing the bundled pack does not redraw them.
SNAPSHOT_WARM_UP = Path(__file__).resolve().parent / "fixtures" / "snapshots" / "warm-up.yaml"


def warm_up() -> Pack:
    return load_pack(SNAPSHOT_WARM_UP)


def app_for(pack=None, run: Run | None = None, **options):
    options.setdefault("student", STUDENT)
    return make_app(
        pack=pack,
        results_dir=RESULTS,
        student=options["student"],
        group=GROUP,
        mode=options.get("mode"),
        seed=SEED,
        confidence=options.get("confidence"),
        extra_pack_paths=[],
        run=run,
    )


def answered_before(kind: str | None, pack: Pack, **answers) -> Run:
    """The run the app would start for Sam Lee (same seed, clock and id), answered by the
    engine up to the first question of `kind` (every one when None); see helpers.answered_run."""
    return answered_run(
        pack, student=STUDENT, before=kind, group=GROUP, seed=SEED, now=STARTED,
        attempt_id=ATTEMPT_ID.hex, **answers,
    )


async def settle(pilot) -> None:
    """Let workers finish and stop every text cursor blinking, so the picture is still."""
    from textual.widgets import Input

    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def on_question(pilot) -> None:
    """Wait for the run's current question (or, every one answered, the results) to be on screen."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        if screen_name(app) in ("QuestionView", "ResultsScreen"):
            return
    raise AssertionError(f"stuck on {screen_name(app)}")


def then_press(*keys: str):
    """A run_before that waits for the question, then presses `keys`."""

    async def run_before(pilot) -> None:
        await on_question(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@SIZES
def test_home(snap_compare, size):
    """Home: the bundled packs (title; question count and audience; skills; the
    ⚑ content-note marker on com-networks-2025), the highlighted pack's description
    (at 80x24 under the list, at 120x40 beside it with its skills), the name box
    filled with "Sam Lee", the class box with "10B", Practice chosen (●) over
    Test (○), and Start above the footer."""
    assert snap_compare(app_for(student=None), terminal_size=size, run_before=_home_filled)


async def _home_filled(pilot) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#student").value = "Sam Lee"
    await settle(pilot)


@SIZES
def test_content_note(snap_compare, size):
    """Content note of com-networks-2025: the pack's description first, then the whole note readable with its
    support lines (Childline 0800 1111, NSPCC, CEOP) on their own lines, and the
    "I'm ready (enter)" and "Go back (esc)" buttons."""
    pack = load_pack(REPO / "questions" / "com-networks-2025.yaml")
    assert snap_compare(app_for(pack), terminal_size=size, run_before=settle)


@SIZES
def test_number_question(snap_compare, size):
    """Number question, first of the warm-up: "Question 1 of 8", the prompt, a box
    with "lots" typed and the unit "people" beside it, and the gentle message
    "That doesn't read as a number..." after enter. Wide: the story beside it."""
    run = answered_before("number", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"lots", "enter"))


@SIZES
def test_verdict_question(snap_compare, size):
    """Verdict question: "The claim:" with the claim highlighted (bold, underlined),
    the prompt, "f Fair" and "m Misleading", Fair picked; score "Score 1 of 1".
    Wide: the same claim highlighted in the story."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("f"))


@SIZES
def test_multi_question(snap_compare, size):
    """Multi question: four options numbered 1-4, options 1 and 3 ticked as [✓]
    (the rest [ ]), the footer showing space Tick and 1234 Pick."""
    run = answered_before("multi", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("1", "3"))


@SIZES
def test_choice_question(snap_compare, size):
    """Choice question: the claim highlighted, four options numbered 1-4 with
    option 2 picked, the Submit button and "Press s to read the story." when narrow."""
    run = answered_before("choice", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("2"))


@SIZES
def test_hint_cost_then_hint(snap_compare, size):
    """A verdict question after h: "Hint? Using the hint halves this question's
    points. Press h again to see it." (nothing used yet), h still in the footer."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("h"))


@SIZES
def test_hint_shown(snap_compare, size):
    """A verdict question after h twice: "Hint: Who answered the survey, and where?"
    with "(Using the hint halves this question's points: you used it.)"; h gone
    from the footer."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("h", "h"))


@SIZES
def test_text_question(snap_compare, size):
    """Text question: the prompt, a box with "Priya" typed, the footer offering
    enter Submit and esc Done typing."""
    run = answered_before("text", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"Priya"))


@SIZES
def test_phrase_question(snap_compare, size):
    """Phrase question with option 3 ("a victory for common sense") picked.
    Wide: every candidate phrase underlined in the story and the picked one in
    reverse video. Narrow: the list alone, with "Press s to read the story."."""
    run = answered_before("phrase", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("3"))


@SIZES
def test_phrase_story_open_when_narrow(snap_compare, size):
    """The story opened with s: at 80x24 it takes the whole width with the
    candidate phrases marked and the picked one in reverse; at 120x40 s hides
    the story instead, leaving the question alone."""
    run = answered_before("phrase", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("3", "s"))


@SIZES
def test_match_question(snap_compare, size):
    """Match question: "Keys: 1 Visits 2 People 3 Money 4 A share or a change",
    five items each with a category list; the first two sorted, the third
    item's row highlighted as the one a digit will set."""
    run = answered_before("match", warm_up())
    question = run.pack.question("figures-units")

    async def run_before(pilot) -> None:
        await on_question(pilot)
        items = pilot.app.quiz_run.items(question)
        for item in items[:2]:
            await pilot.press(str(question.categories.index(item.answer) + 1))
        await settle(pilot)

    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=run_before)


@SIZES
def test_feedback_right(snap_compare, size):
    """Feedback after a right number answer: "✓ Right   1 of 1 point", the prompt,
    "You typed: 27", "Why: ..." and "Press enter for the next question."."""
    run = answered_before("number", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"27", "enter"))


@SIZES
def test_feedback_wrong_multi(snap_compare, size):
    """Feedback after a multi answer with one right and one wrong pick:
    "✗ Not quite   0 of 1 point", each option marked ✓ or ✗ with what it means
    and its explanation, the right answer, and "Why: ..."."""
    run = answered_before("multi", warm_up())
    question = run.pack.question("councillor")

    async def run_before(pilot) -> None:
        await on_question(pilot)
        texts = [o.text for o in pilot.app.quiz_run.options(question)]
        for text in ("He has campaigned for Sunday opening since 2022", "He is quoted by name"):
            await pilot.press(str(texts.index(text) + 1))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=run_before)


@SIZES
def test_confidence_question(snap_compare, size):
    """After an answer with confidence on: the dialog "How sure are you?" with
    buttons 1 Guess, 2 Fairly sure, 3 Certain, and the marks each earns."""
    run = answered_before("number", replace(warm_up(), confidence=True))
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"27", "enter"))


@SIZES
def test_leave_dialog(snap_compare, size):
    """q on a question: "Leave the quiz?", "Your 1 answer is saved.", and how to
    carry on: quiz play warm-up --student "Sam Lee" --group "10B" or the home
    screen, with the code 7K3M-Q9PX, and "Write the code down"."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("q"))


@SIZES
def test_results(snap_compare, size):
    """Results after a whole warm-up with the verdicts right and the rest mixed:
    the score and percent, a bar per skill with "n of m · p%", the sentence on
    fair and misleading claims, where the attempt was saved (results/warm-up/...),
    and every question with ✓ or ✗; footer e Save a copy, q Quit."""
    run = answered_before(None, warm_up(), right=lambda n, q: q.type in ("verdict", "choice", "match"))
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press())


@SIZES
def test_results_with_confidence(snap_compare, size):
    """Results in test mode with confidence: below the skills, "How sure were you?"
    with each level's accuracy and the certainty mark beside the plain score."""
    run = answered_before(
        None, replace(warm_up(), confidence=True), mode="test",
        right=lambda n, q: n % 3 != 2, sure=lambda n: n % 3 + 1,
    )
    assert snap_compare(app_for(run.pack, run, mode="test"), terminal_size=size, run_before=then_press())


def test_light_theme_question(snap_compare):
    """The verdict question in the light theme: the claim highlight, the picked
    option and the footer keys all readable on a light background."""

    run = answered_before("verdict", warm_up())

    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await then_press("m")(pilot)

    assert snap_compare(app_for(run.pack, run), terminal_size=(120, 40), run_before=run_before)


def test_light_theme_feedback(snap_compare):
    """Feedback in the light theme: "✗ Not quite" with its red edge, the marks
    and explanations readable on a light background."""
    run = answered_before("match", warm_up())
    question = run.pack.question("figures-units")

    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await on_question(pilot)
        await pilot.press(*keys_for(pilot.app.quiz_run, question, right=False))
        await settle(pilot)

    assert snap_compare(app_for(run.pack, run), terminal_size=(80, 24), run_before=run_before)
