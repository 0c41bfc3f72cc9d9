"""The teacher's rules in the app: a name picked from the class list, a timed test, an attempt limit.

The app takes the time from `clock=`; these tests move a clock of their own
and ask the app to look at it (`check_clock`, what its once-a-second timer
calls), so nothing here waits for real time to pass.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import COLUMNS, LINES, Terminal, answer_current, flat_text, quiz_command, read_only_attempt, screen_name, screen_text
from quiz import store
from quiz.model import Option, Pack, Question
from quiz.roster import ClassRules, name_key, parse_roster
from quiz.timing import ExtraTime
from quiz.ui.app import make_app

NARROW = (80, 24)
WIDE = (120, 40)
START = datetime(2026, 11, 30, 9, 0, 0, tzinfo=timezone.utc)

CLASS_LIST = "name,class,student id\nAna Silva,10A,S100\nSamira Khan,10A,S101\nBen Shaw,10B,S102\nSam Lee,10B,S103\n"


class Clock:
    """The time now, moved on by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def to(self, minutes_in: float) -> None:
        self.now = START + timedelta(minutes=minutes_in)


def roster():
    return parse_roster(CLASS_LIST)


def small_pack(**changes) -> Pack:
    fields = dict(
        id="rules-pack",
        title="Rules pack",
        questions=tuple(
            Question(f"q{n}", "source", "choice", f"Question {n}: pick Yes", options=(Option("Yes", correct=True), Option("No")))
            for n in range(1, 4)
        ),
        shuffle="none",
        sha256="0" * 64,
    )
    fields.update(changes)
    return Pack(**fields)


def build(results: Path, *, rules: ClassRules, clock=None, student: str | None = "Sam Lee", mode: str | None = "test", pack=None):
    return make_app(
        pack=pack or small_pack(),
        results_dir=results,
        student=student,
        mode=mode,
        seed=1,
        rules=rules,
        clock=clock or Clock(),
    )


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def bar(app) -> str:
    return screen_text(app).splitlines()[0]


# -- the class list ----------------------------------------------------------------


async def test_typing_filters_the_class_list_and_arrows_and_enter_pick_a_name(tmp_path):
    results = tmp_path / "results"
    app = build(results, rules=ClassRules(roster=roster()), student=None, mode="practice")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        text = screen_text(app)
        assert "Find your name" in text and "Ana Silva" in text
        assert not app.screen.query("#group")  # the class comes from the list, not typed
        await pilot.press(*"sam")
        await pilot.pause()
        text = screen_text(app)
        assert "Sam Lee" in text and "Samira Khan" in text
        assert "Ana Silva" not in text and "Ben Shaw" not in text
        assert "Enter picks Samira Khan" in flat_text(app)  # the highlight in words, not only its colour
        # Samira Khan is first on the list, so highlighted: the arrow moves to Sam Lee, Enter picks him.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#student").value == "Sam Lee"
        assert "You: Sam Lee · class 10B · Enter starts" in flat_text(app)
        assert screen_name(app) == "HomeScreen"  # picking is not starting
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        await pilot.press("1", "enter")
        await pilot.pause()
    saved = read_only_attempt(results)
    assert (saved["student"], saved["group"], saved["student_id"]) == ("Sam Lee", "10B", "S103")


async def test_a_name_not_on_the_class_list_cannot_be_typed_in(tmp_path):
    results = tmp_path / "results"
    app = build(results, rules=ClassRules(roster=roster()), student=None, mode="practice")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(*"Zed Free", "enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert "No name on the class list matches that. Check the spelling, or ask your teacher." in flat_text(app)
        await pilot.click("#start")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
    assert not results.exists() or not list(results.rglob("*.json"))


async def test_a_student_given_on_the_command_line_must_be_on_the_list(tmp_path):
    app = build(tmp_path / "results", rules=ClassRules(roster=roster()), student="Sam Leigh", mode="practice")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert "Sam Leigh is not on the class list. Find your name on it." in flat_text(app)
    on_list = build(tmp_path / "results", rules=ClassRules(roster=roster()), student="ben  SHAW", mode="practice")
    async with on_list.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(on_list) == "QuestionView"
        assert (on_list.quiz_run.attempt.student, on_list.quiz_run.attempt.group) == ("Ben Shaw", "10B")


# -- the clock ---------------------------------------------------------------------


async def test_time_left_is_words_in_the_bar_warned_at_5_and_1_minutes_and_zero_finishes(tmp_path):
    results = tmp_path / "results"
    clock = Clock()
    app = build(results, rules=ClassRules(time_limit=600.0), clock=clock)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert "Time left: 10 minutes" in bar(app)
        assert any("This test has a time limit of 10 minutes." in n for n in notes(app))
        clock.to(2.5)
        await pilot.press("1", "enter")  # answered at 09:02:30
        await pilot.pause()
        clock.to(3.1)
        app.check_clock()
        await pilot.pause()
        assert "Time left: 6 minutes" in bar(app)  # whole minutes, rounded down
        assert not any("left." in n for n in notes(app))
        clock.to(5)
        app.check_clock()
        await pilot.pause()
        assert "Time left: 5 minutes" in bar(app)
        assert "Only 5 minutes left." in notes(app)
        clock.to(9 + 15 / 60)
        app.check_clock()
        await pilot.pause()
        assert "Time left: 45 seconds" in bar(app)  # each second in the last minute
        assert "Only 45 seconds left." in notes(app)
        assert notes(app).count("Only 5 minutes left.") == 1
        clock.to(10)
        app.check_clock()
        await pilot.pause()
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        said = "Time is up. Your test is finished with the 1 answer you gave."
        assert said in flat_text(app)
    saved = read_only_attempt(results)
    assert saved["timed_out"] is True and saved["time_limit"] == 600
    assert saved["finished"] == "2026-11-30T09:10:00+00:00"
    assert [a["at"] for a in saved["answers"]] == ["2026-11-30T09:02:30+00:00"]


async def test_an_answer_after_zero_is_not_counted_and_says_so(tmp_path):
    results = tmp_path / "results"
    clock = Clock()
    app = build(results, rules=ClassRules(time_limit=600.0), clock=clock)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        clock.to(11)  # the computer slept through zero: no check came between
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert (
            "Time is up. That answer came after the end of the test, so it does not count. "
            "Your test is finished with the 1 answer you gave."
        ) in flat_text(app)
    saved = read_only_attempt(results)
    assert len(saved["answers"]) == 1 and saved["timed_out"] is True


async def test_extra_time_is_added_to_the_limit(tmp_path):
    rules = ClassRules(time_limit=600.0, extra_time={name_key("Sam Lee"): ExtraTime(percent=50)})
    app = build(tmp_path / "results", rules=rules)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert "Time left: 15 minutes" in bar(app)
        assert any("time limit of 10 minutes, with 5 minutes extra time" in n for n in notes(app))


async def test_practice_runs_no_clock(tmp_path):
    app = build(tmp_path / "results", rules=ClassRules(time_limit=600.0), mode="practice")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert "Time left" not in screen_text(app)
        assert app._ticking is None
    assert "time_limit" not in read_only_attempt(tmp_path / "results") if list((tmp_path / "results").rglob("*.json")) else True


async def test_a_test_carried_on_after_its_deadline_is_finished_at_once(tmp_path):
    results = tmp_path / "results"
    clock = Clock()
    first = build(results, rules=ClassRules(time_limit=600.0), clock=clock)
    async with first.run_test(size=NARROW) as pilot:
        await pilot.pause()
        code = first.opened.code
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    clock.to(30)
    again = build(results, rules=ClassRules(time_limit=600.0), clock=clock)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(*code, "enter")
        await pilot.pause()
        await pilot.pause()
        assert screen_name(again) == "ResultsScreen"
        assert "Time is up. Your test is finished with the 1 answer you gave." in flat_text(again)
    assert read_only_attempt(results)["finished"] == "2026-11-30T09:10:00+00:00"


# -- attempt limits ----------------------------------------------------------------


async def test_a_student_with_every_attempt_used_is_not_started_and_reads_results_by_code(tmp_path):
    results = tmp_path / "results"
    rules = ClassRules(attempts=1)
    first = build(results, rules=rules, mode="practice")
    async with first.run_test(size=NARROW) as pilot:
        await pilot.pause()
        code = first.opened.code
        for _ in range(3):
            await answer_current(pilot, right=True)
            await pilot.press("enter")
            await pilot.pause()
        assert screen_name(first) == "ResultsScreen"
    assert store.finished_count(results, "rules-pack", "Sam Lee") == 1

    again = build(results, rules=rules, mode="practice")
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(again) == "AttemptsUsedScreen"
        text = flat_text(again)
        assert "You have finished this pack once, as many as your teacher allows, so it cannot be started again." in text
        assert "type the code you were given for that attempt" in text
        await pilot.press(*"AAAA-BBBB", "enter")
        await pilot.pause()
        assert "That code does not match a finished attempt by this name on this pack." in flat_text(again)
        assert screen_name(again) == "AttemptsUsedScreen"
        await pilot.press(*code.lower(), "enter")
        await pilot.pause()
        await pilot.pause()
        assert screen_name(again) == "ResultsScreen"
        assert "You scored 3 of 3" in screen_text(again)
    assert len(list(results.rglob("*.json"))) == 1  # nothing new was started

    two = build(results, rules=ClassRules(attempts=2), mode="practice")
    async with two.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(two) == "QuestionView"


# -- in a real terminal ------------------------------------------------------------

POOL_PACK = """\
pack: 1
id: pool-pack
title: Pool pack
shuffle: none
sections:
  - title: Sources
    questions: [s1, s2, s3]
    draw: 2
  - title: Numbers
    questions: [n1, n2]
    draw: 1
questions:
""" + "".join(
    f"""  - id: {qid}
    skill: source
    type: choice
    prompt: "Question {qid}: pick Yes"
    options:
      - text: "Yes"
        correct: true
      - text: "No"
"""
    for qid in ("s1", "s2", "s3", "n1", "n2")
)


def test_a_pool_pack_with_a_class_list_and_a_time_limit_in_a_real_terminal(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    pack_file = tmp_path / "pool.yaml"
    pack_file.write_text(POOL_PACK, encoding="utf-8")
    class_list = tmp_path / "class.csv"
    class_list.write_text(CLASS_LIST, encoding="utf-8")
    results = tmp_path / "results"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES), "QUIZ_RESULTS": str(results)}
    env.pop("NO_COLOR", None)
    term = Terminal(
        [quiz_command(), "play", str(pack_file), "--roster", str(class_list), "--time-limit", "20m", "--seed", "7"],
        env,
    )
    try:
        term.wait_for("Find your name")
        term.press(*"ben")
        term.wait_for("Ben Shaw")
        term.press("enter")
        term.wait_for("You: Ben Shaw")
        term.press("enter")
        screen = term.wait_for("Time left: ")
        # Whole minutes, rounded down: a moment after the start of a 20-minute test, 19 are left.
        assert "Question 1 of 3 · Sources  Time left: 19 minutes" in screen
        term.wait_for("This test has a time limit of 20")
        for n in range(3):
            term.wait_for(f"Question {n + 1} of 3")
            term.press("1", "enter")
        term.wait_for("You scored")
        term.press("q")
        term.child.expect(pexpect.EOF, timeout=10)
    finally:
        term.close()
    saved = read_only_attempt(results)
    assert (saved["student"], saved["group"], saved["student_id"]) == ("Ben Shaw", "10B", "S102")
    assert saved["time_limit"] == 1200 and saved["mode"] == "test" and saved["finished"]
    assert len(saved["order"]) == 3  # two of three sources, one of two numbers
    assert all("at" in a for a in saved["answers"])


def test_the_plain_mode_also_shows_the_used_attempts_results_by_code(tmp_path):
    import io

    from quiz import plain

    results = tmp_path / "results"
    pack = small_pack()
    said = io.StringIO()
    right = [f"{[o.text for o in q.options].index('Yes') + 1}" for q in pack.questions]
    plain.play(pack, student="Sam Lee", mode="test", seed=1, results_dir=results, rules=ClassRules(attempts=1),
               stdin=io.StringIO("\n".join(right) + "\n"), stdout=said, clock=Clock())
    code = next(line for line in said.getvalue().splitlines() if "Your code for carrying on later is" in line)
    code = code.split(" is ")[1].split(".")[0]

    again = io.StringIO()
    plain.play(pack, student="Sam Lee", mode="test", seed=1, results_dir=results, rules=ClassRules(attempts=1),
               stdin=io.StringIO(f"ZZZZ-ZZZZ\n{code}\n"), stdout=again, clock=Clock())
    out = " ".join(again.getvalue().split())
    assert "You have finished this pack once, as many as your teacher allows, so it cannot be started again." in out
    assert "That code does not match a finished attempt by this name on this pack." in out
    assert "You scored" in out
    assert len(list(results.rglob("*.json"))) == 1
