"""Snapshot tests: how each screen of the student's quiz looks at 80x24 and 120x40.

Each test's docstring says what the picture must show. A case that begins
part-way through a pack starts the app on a run the engine has answered up to
there (make_app's `run`); only the keys the picture is about are pressed in
the app. Everything that moves is frozen: the seed, the clock the attempt file
is named from, the attempt id, the resume code, the results folder (a
relative path), and the text cursor's blink. The note with the code that
opens an attempt (it stays 15 seconds) is cleared before every picture but
the one about it, so each picture shows what a student reads once it has gone.
Update with `pytest -n 0 tests/test_ui_snapshots.py --snapshot-update` (on
one process: spread over several, the snapshot library neither reports nor
deletes pictures no test takes any more), then look at every changed picture
before committing it. A picture left over from a renamed or removed case
fails `test_every_picture_belongs_to_a_case`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest

from helpers import REPO, answered_run, keys_for, saved_run, screen_name, screen_text
from quiz import display
from quiz.engine import Run
from quiz.model import Pack, Section
from quiz.packs import load_pack
from quiz.roster import ClassRules, parse_roster
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
        rules=options.get("rules"),
    )


def answered_before(kind: str | None, pack: Pack, **answers) -> Run:
    """The run the app would start for Sam Lee (same seed, clock and id), answered by the
    engine up to the first question of `kind` (every one when None); see helpers.answered_run."""
    return answered_run(
        pack, student=STUDENT, before=kind, group=GROUP, seed=SEED, now=STARTED,
        attempt_id=ATTEMPT_ID.hex, **answers,
    )


async def settle(pilot, *, notes: bool = False) -> None:
    """Let workers finish and stop every text cursor blinking, so the picture is still.

    Notifications are cleared unless `notes`: the picture is of the screen beneath.
    """
    from textual.widgets import Input

    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if not notes:
        pilot.app.clear_notifications()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def on_question(pilot, *, notes: bool = False) -> None:
    """Wait for the run's current question (or, every one answered, the results) to be on screen.

    The note that opens the attempt is cleared there unless `notes`, before a
    dialog can open over it (a dialog's picture would show it dimmed beneath).
    """
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        if screen_name(app) in ("QuestionView", "ResultsScreen"):
            if not notes:
                app.clear_notifications()
                await pilot.pause()
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
    ⚑ content-note marker on com-networks-2025; at 80x24 both whole, with no
    scrollbar and no "more packs below"), the highlighted pack's description
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
    with "lots" typed and the unit "people" beside it, the gentle message
    "! That doesn't read as a number. Type digits, like 6, 500 or 291,273." after
    enter, and the typing line ("Typing. Esc: stop typing, so the keys s story,
    h hint, q leave work."). Wide: the story beside it."""
    run = answered_before("number", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"lots", "enter"))


@SIZES
def test_verdict_question(snap_compare, size):
    """Verdict question: "The claim:" with the claim highlighted (bold, underlined),
    the prompt, "( ) f Fair" and "( ) m Misleading" with Fair picked as "(•)";
    "Question 2 of 8  Score 1 of 1" in the bar. Narrow: "Press s to read the
    story." Wide: the same claim highlighted in the story."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("f"))


@SIZES
def test_multi_question(snap_compare, size):
    """Multi question: the claim highlighted, four options numbered 1-4, options 1
    and 3 ticked as [✓] (the rest [ ]), the footer showing space Tick and 1234 Pick."""
    run = answered_before("multi", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("1", "3"))


@SIZES
def test_choice_question(snap_compare, size):
    """Choice question: the claim highlighted, four options numbered 1-4 each with
    a radio marker, option 2 picked as "(•)" and the rest "( )", the Submit button
    and "Press s to read the story." when narrow."""
    run = answered_before("choice", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("2"))


@SIZES
def test_hint_cost_then_hint(snap_compare, size):
    """A verdict question after h: nothing picked (both "( )"), then "Hint? Using
    the hint halves this question's points. Press h again to see it." (nothing
    used yet), h still in the footer."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("h"))


@SIZES
def test_hint_shown(snap_compare, size):
    """A verdict question after h twice: "Hint: Who answered the survey, and where?"
    with "You used the hint, so this question's points are halved." in italics;
    h gone from the footer."""
    run = answered_before("verdict", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("h", "h"))


@SIZES
def test_text_question(snap_compare, size):
    """Text question: the prompt, a box with "Priya" typed, the typing line
    ("Typing. Esc: stop typing, so the keys s story, h hint, q leave work."),
    the footer offering enter Submit and esc Stop typing."""
    run = answered_before("text", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"Priya"))


@SIZES
def test_phrase_question(snap_compare, size):
    """Phrase question with option 3 ("a victory for common sense") picked as
    "(•)", the rest "( )". Wide: every candidate phrase underlined in the story
    and the picked one in reverse video. Narrow: the list alone, with "Press s to
    read the story."."""
    run = answered_before("phrase", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("3"))


@SIZES
def test_phrase_story_open_when_narrow(snap_compare, size):
    """The story opened with s: at 80x24 it takes the whole width, opened at the
    candidate phrases (marked, the picked one in reverse) with a scrollbar for
    the rest, and the footer "1234 Pick, enter Submit, s Back, q Leave"; at
    120x40 s hides the story instead, leaving the question alone."""
    run = answered_before("phrase", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press("3", "s"))


@SIZES
def test_match_question(snap_compare, size):
    """Match question: "Keys: 1 Visits 2 People 3 Money 4 A share or a change",
    five items each with a category list; the first two sorted, the others
    "Choose…", the third item's row highlighted as the one a digit will set; the
    line "1, 2…: sort the item in focus. Enter: choose from a list, or send once
    all are sorted." and enter named Choose in the footer."""
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
    """Feedback after a right number answer: "✓ Right  1 of 1 point" on a green
    edge, the prompt, "You typed: 27", "Why: ..." and "Press enter for the next
    question."; footer enter Next, q Leave."""
    run = answered_before("number", warm_up())
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press(*"27", "enter"))


@SIZES
def test_feedback_wrong_multi(snap_compare, size):
    """Feedback after a multi answer with one right and one wrong pick:
    "✗ Not quite  0 of 1 point" on a red edge, the claim, then "Each option:"
    with one line each saying what the student did and what the option is
    ("✗ You left it, but it is a right answer:", "✗ You ticked it, but it is not a right answer:",
    "✓ You ticked it, and it is a right answer:", "✓ You left it, and it is not a right answer:")
    above its explanation, "The right answer:", and "Why: ...". At 80x24 a
    "▼ more below: scroll with ↓" line above the footer."""
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
    """After an answer with confidence on: the dialog "How sure are you?", "Press
    1, 2 or 3. Being sure pays only when you are right.", buttons 1 Guess,
    2 Fairly sure, 3 Certain, and the marks each earns (+1/0, +2/−2, +3/−6);
    no note beneath the dimmed question."""
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
    "You scored 4 of 8 · 50%", "4 of 8 questions fully right", a bar per skill
    with "n of m · p%" whole, the sentence on fair and misleading claims, where
    the attempt was saved (results/warm-up/...), and every question with ✓ or ✗
    and its marks (at 80x24 with a scrollbar); footer e Save a copy, q Quit."""
    run = answered_before(None, warm_up(), right=lambda n, q: q.type in ("verdict", "choice", "match"))
    assert snap_compare(app_for(run.pack, run), terminal_size=size, run_before=then_press())


@SIZES
def test_results_with_confidence(snap_compare, size):
    """Results in test mode with confidence: below the skills, "How sure were you?"
    with each level's accuracy, "Certainty score: −3 (your plain score is 6 of 8)"
    and the rule, a partly right answer earning a share; at 80x24 the summary cut
    with "▼ more below: Tab here, then ↓"."""
    run = answered_before(
        None, replace(warm_up(), confidence=True), mode="test",
        right=lambda n, q: n % 3 != 2, sure=lambda n: n % 3 + 1,
    )
    assert snap_compare(app_for(run.pack, run, mode="test"), terminal_size=size, run_before=then_press())


def test_light_theme_question(snap_compare):
    """The verdict question in the light theme: the claim highlight, the picked
    option "(•) m Misleading" and the footer keys all readable on a light background."""

    run = answered_before("verdict", warm_up())

    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await then_press("m")(pilot)

    assert snap_compare(app_for(run.pack, run), terminal_size=(120, 40), run_before=run_before)


def test_light_theme_feedback(snap_compare):
    """Feedback in the light theme: "✗ Not quite" with its red edge, each item
    "✗ 12,600 in 2024 → People (it is: Visits)" with its explanation, readable on
    a light background, and "▼ more below: scroll with ↓"."""
    run = answered_before("match", warm_up())
    question = run.pack.question("figures-units")

    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await on_question(pilot)
        await pilot.press(*keys_for(pilot.app.quiz_run, question, right=False))
        await settle(pilot)

    assert snap_compare(app_for(run.pack, run), terminal_size=(80, 24), run_before=run_before)


@SIZES
def test_start_of_an_attempt_with_its_code(snap_compare, size):
    """The first question of a new attempt started from the command line, with the
    note that opens it still up: titled with the pack, the pack's description
    (the keys to try) and "Your code for carrying on later is 7K3M-Q9PX. Write it
    down. Keep it to yourself: ...", in full at both sizes; the question beneath."""

    async def run_before(pilot) -> None:
        await on_question(pilot, notes=True)
        await settle(pilot, notes=True)

    assert snap_compare(app_for(warm_up()), terminal_size=size, run_before=run_before)


CLASS_LIST = "name,class,student id\nAna Silva,10A,S100\nSamira Khan,10A,S101\nBen Shaw,10B,S102\nSam Lee,10B,S103\n"


@SIZES
def test_home_with_class_list(snap_compare, size):
    """Home with a class list, "sam" typed: "Find your name" over the list cut down
    to Samira Khan and Sam Lee (each with their class), Samira highlighted and
    said in words ("Enter picks Samira Khan"), no class box (the class comes from
    the list), the packs, and Start above the footer."""
    rules = ClassRules(roster=parse_roster(CLASS_LIST))

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#student").focus()  # as a click or Tab there would
        await pilot.press(*"sam")
        await settle(pilot)

    assert snap_compare(app_for(student=None, rules=rules), terminal_size=size, run_before=run_before)


def sectioned_warm_up() -> Pack:
    """The snapshot warm-up in three sections, one per skill, so the bar names a question's section."""
    pack = warm_up()
    return replace(pack, sections=tuple(
        Section(pack.skills[skill], tuple(q.id for q in pack.questions if q.skill == skill))
        for skill in pack.skills_used
    ))


@SIZES
def test_timed_question(snap_compare, size):
    """Question 1 of a 20-minute test on a pack with sections: the bar says
    "Question 1 of 8 · Who is the source?" and, bold at its right end, "Time left:
    20 minutes" in words, with no score (a test keeps it for the end); at 80x24
    the pack's title gives way ("Warm-up: an inve…"). The typed question below,
    empty, with no note over it."""
    rules = ClassRules(time_limit=1200.0)
    assert snap_compare(
        app_for(sectioned_warm_up(), mode="test", rules=rules), terminal_size=size, run_before=then_press(),
    )


@SIZES
def test_results_with_support_lines(snap_compare, size):
    """Results of the Com networks pack, every question answered right: the score,
    the skills, where the attempt was saved, then the support lines from its
    content note (Childline 0800 1111, NSPCC, CEOP) at the end of the summary;
    at 80x24 a sign that there is more below; every question ✓."""
    pack = load_pack(REPO / "questions" / "com-networks-2025.yaml")
    run = answered_before(None, pack)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")  # past the content note: "I'm ready"
        await on_question(pilot)
        await settle(pilot)

    assert snap_compare(app_for(pack, run), terminal_size=size, run_before=run_before)


def left_unfinished() -> None:
    """Sam Lee's earlier attempt of the warm-up, 2 answers in, saved in the results folder."""
    saved_run(warm_up(), RESULTS, student=STUDENT, before="verdict", group=GROUP, seed=SEED, now=STARTED,
              attempt_id=UUID(int=0x5A10).hex)


@SIZES
def test_resume_dialog(snap_compare, size):
    """Coming back to an unfinished attempt: the box asks for the code to carry on,
    without saying how far the attempt got; the code box, "Carry on", and "Start
    again (ctrl+n)"; nothing about the attempt is shown before its code."""
    left_unfinished()

    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app_for(warm_up()), terminal_size=size, run_before=run_before)


@SIZES
def test_start_again_dialog(snap_compare, size):
    """ctrl+n on the resume box: "Start again?", that the unfinished attempt stays
    saved and its code still carries it on, "Start again (y)" and "Go back (n)"."""
    left_unfinished()

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)

    assert snap_compare(app_for(warm_up()), terminal_size=size, run_before=run_before)


async def test_every_skill_score_shows_whole_at_80_columns():
    """Two-digit scores at 100% ("10 of 10 · 100%") were cut after the dot at 80 columns."""
    pack = load_pack(REPO / "questions" / "com-networks-2025.yaml")
    app = app_for(pack, answered_before(None, pack))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # past the content note
        await on_question(pilot)
        lines = screen_text(app).splitlines()
        skills = app.quiz_run.summary().skills
        assert [s.max for s in skills] == [10, 15, 10, 8]  # three of them two-digit
        for skill in skills:
            row = next(line for line in lines if skill.label in line)
            assert f"{display.score(skill.score, skill.max)} · 100%" in row, row


async def test_the_two_bundled_packs_show_whole_on_the_narrow_home_screen():
    """At 80 columns the list of two packs fits, with no sign of more: a scrollbar
    appearing for a moment used to wrap Com networks' skills line and leave it
    cut under "more packs below" (on some starts, not others)."""
    for _ in range(5):
        app = app_for(student=None)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "skills: source, sample-size, framing, checking" in text
            assert "more packs below" not in text


def test_every_picture_belongs_to_a_case():
    """No snapshot picture is left over from a case renamed or removed.

    The snapshot library finds such pictures only when the tests run on one
    process; the README's command runs them on several (pytest-xdist)."""
    snapshots = REPO / "tests" / "__snapshots__"
    modules = sorted(folder.name for folder in snapshots.iterdir() if folder.is_dir())
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:cacheprovider",
         *(f"tests/{module}.py" for module in modules)],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    cases = {line.split("/", 1)[1].replace(".py::", "/") for line in collected if "::" in line}
    pictures = {f"{picture.parent.name}/{picture.stem}" for picture in snapshots.glob("*/*.svg")}
    assert len(pictures) > 50 and pictures & cases  # the names are compared as they are written
    assert sorted(pictures - cases) == []
