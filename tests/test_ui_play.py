"""Pilot tests of the student's quiz: play packs by keys alone and check the attempt file."""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import (
    answer_current,
    attempt_files,
    current_view,
    digit,
    give_saved_code,
    every_type_pack,
    flat_text,
    play_to_results,
    read_only_attempt,
    right_response,
    saved_run,
    screen_name,
    screen_text,
    static_text,
    warm_up,
)
from quiz.cli import build_parser
from quiz.locations import results_dir
from quiz.model import Option, Pack, Question, Source
from quiz.ui.app import make_app
from quiz.ui.widgets.answers import MatchRow
from textual.widgets import Input

NARROW = (80, 24)
WIDE = (120, 40)


def build(pack: Pack | None, results: Path, **options):
    options.setdefault("student", "Sam Lee")
    options.setdefault("seed", 1)
    return make_app(
        pack=pack,
        results_dir=results,
        student=options.pop("student"),
        group=options.pop("group", ""),
        mode=options.pop("mode", None),
        seed=options.pop("seed"),
        confidence=options.pop("confidence", None),
        extra_pack_paths=options.pop("extra_pack_paths", []),
        served=options.pop("served", False),
    )


# -- playing whole packs --------------------------------------------------------


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_warm_up_all_right_scores_100_percent(tmp_path, size):
    results = tmp_path / "results"
    app = build(warm_up(), results)
    async with app.run_test(size=size) as pilot:
        await play_to_results(pilot, results, right=True)
        text = screen_text(app)
        assert "You scored 9 of 9" in text
        assert "100%" in text
        assert "You told the fair claims from the misleading ones every time." in static_text(app)
    saved = read_only_attempt(results)
    assert saved["finished"] is not None
    assert saved["seed"] == 1 and saved["student"] == "Sam Lee"
    assert [a["score"] for a in saved["answers"]] == [1.0] * 9


async def test_warm_up_all_wrong_scores_0_percent(tmp_path):
    results = tmp_path / "results"
    app = build(warm_up(), results)
    async with app.run_test(size=NARROW) as pilot:
        await play_to_results(pilot, results, right=False)
        text = screen_text(app)
        assert "You scored 0 of 9" in text
        assert "0%" in text
        assert "0 of 9 questions fully right" in text
    assert all(a["score"] == 0 for a in read_only_attempt(results)["answers"])


async def test_every_type_pack_wide_all_right(tmp_path):
    results = tmp_path / "results"
    app = build(every_type_pack(), results)
    async with app.run_test(size=WIDE) as pilot:
        await play_to_results(pilot, results, right=True)
        assert "You scored 12 of 12" in screen_text(app)


@pytest.mark.parametrize("kind", ["choice", "multi", "phrase", "number", "text", "match", "verdict"])
async def test_each_type_answered_by_keys_alone(tmp_path, kind):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = next(q for q in pack.questions if q.type == kind)
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        await answer_current(pilot, right=True)
        assert screen_name(app) == "FeedbackView"
        assert "✓ Right" in screen_text(app)
    answer = read_only_attempt(results)["answers"][0]
    expected = right_response(question)
    assert answer["score"] == question.points
    if kind in ("number", "text"):
        assert answer["response"] == (f"{float(expected):g}" if kind == "number" else expected)
    elif kind == "multi":
        assert sorted(answer["response"]) == sorted(expected)
    else:
        assert answer["response"] == expected


async def test_feedback_explains_a_wrong_choice_and_gives_the_right_answer(tmp_path):
    results = tmp_path / "results"
    pack = warm_up()
    question = pack.question("who-says-demand")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=WIDE) as pilot:
        await answer_current(pilot, right=False)
        text = screen_text(app)
        assert "✗ Not quite" in text
        assert "0 of 1 point" in text
        assert "The right answer: The council" in text
        assert "The council made the decision" in text  # the right option's explanation
        assert "Quote marks tell you" in text  # the question's explanation


async def test_multi_feedback_marks_each_option(tmp_path):
    results = tmp_path / "results"
    pack = warm_up()
    question = pack.question("councillor")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=WIDE) as pilot:
        run = app.quiz_run
        texts = [o.text for o in run.options(question)]
        # One right pick and one wrong pick: partial credit is max(0, 1 - 1) = 0 -> not quite.
        await pilot.press(digit(texts.index("He has campaigned for Sunday opening since 2022")))
        await pilot.press(digit(texts.index("He is quoted by name")))
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        # One plain line per option: what the student did, and what the option is.
        assert "✓ You ticked it, and it is a right answer: He has campaigned for Sunday opening since 2022" in text
        assert "✗ You ticked it, but it is not a right answer: He is quoted by name" in text
        assert "✗ You left it, but it is a right answer: Nobody could have counted 'everyone' in a town" in text
        assert "✓ You left it, and it is not a right answer: The story gives the start date" in text
        assert "missed this one" not in text


async def test_partial_credit_says_partly_right(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = pack.question("sort")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=WIDE) as pilot:
        run = app.quiz_run
        items = run.items(question)
        # Two items right, the last one wrong.
        keys = [
            digit(question.categories.index(i.answer if n < 2 else next(c for c in question.categories if c != i.answer)))
            for n, i in enumerate(items)
        ]
        await pilot.press(*keys, "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "◐ Partly right" in text
        assert "2 of 3 points" in text
    assert read_only_attempt(results)["answers"][0]["score"] == 2.0


# -- hints, unreadable answers, the story ---------------------------------------


async def test_hint_warns_first_then_halves_the_points(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = pack.question("who")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("h")
        text = screen_text(app)
        assert "Using the hint halves this question's points." in text
        assert "Look for 'said'." not in text
        await pilot.press("h")
        assert "Look for 'said'." in screen_text(app)
        await answer_current(pilot, right=True)
        text = screen_text(app)
        assert "✓ Right" in text and "0.5 of 1 point" in text and "(hint used)" in text
    answer = read_only_attempt(results)["answers"][0]
    assert answer["hinted"] is True and answer["score"] == 0.5


async def test_unreadable_number_is_refused_without_penalty(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = pack.question("fold")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        assert "%" in screen_text(app)  # the unit sits beside the box
        await pilot.press("enter")  # nothing typed yet: asked for a number, not told it is not one
        await pilot.pause()
        assert "Type a number first." in screen_text(app)
        assert "doesn't read as a number" not in screen_text(app)
        await pilot.press(*"lots", "enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert "That doesn't read as a number" in screen_text(app)
        assert attempt_files(results) == []  # nothing recorded, nothing lost
        for _ in "lots":
            await pilot.press("backspace")
        await pilot.pause()
        # Correcting it: the old complaint goes as the student types, not only after the next Enter.
        assert "doesn't read as a number" not in screen_text(app)
        await pilot.press(*"6-fold", "enter")
        await pilot.pause()
        assert screen_name(app) == "FeedbackView"
    assert read_only_attempt(results)["answers"][0]["response"] == "6-fold"


async def test_a_wrong_percentage_is_answered_with_the_percentage_as_people_write_it(tmp_path):
    pack = warm_up()
    question = next(q for q in pack.questions if q.type == "number" and q.unit == "%")
    app = build(replace(pack, questions=(question,)), tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press(*"300", "enter")
        await pilot.pause()
        assert f"The right answer: {question.answer:g}%" in screen_text(app)


async def test_submit_with_nothing_picked_asks_again(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = pack.question("units")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert "Tick at least one" in screen_text(app)
        assert attempt_files(results) == []


async def test_story_is_a_toggle_when_narrow_and_a_pane_when_wide(tmp_path):
    pack = every_type_pack()
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        assert "Visits rose six-fold" not in screen_text(app)
        await pilot.press("s")
        text = screen_text(app)
        assert "Visits rose six-fold" in text
        assert "Fair or misleading?" not in text  # the story takes the whole width
        await pilot.press("s")
        assert "Fair or misleading?" in screen_text(app)
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()  # the story's text is built once it is first shown
        text = screen_text(app)
        assert "Visits rose six-fold" in text and "Fair or misleading?" in text
        await pilot.press("s")  # wide: s gives the story the keys, and says how to come back
        await pilot.pause()
        assert app.focused is current_view(app).query_one("#story")
        assert "s Back" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert app.focused is not current_view(app).query_one("#story")
        assert "Visits rose six-fold" in screen_text(app)  # the pane stays: only the keys moved


async def test_keys_pressed_in_the_narrow_story_show_what_they_did(tmp_path):
    pack = warm_up()
    verdict = next(q for q in pack.questions if q.type == "verdict" and q.hint)
    typed = next(q for q in pack.questions if q.type == "text" and q.hint)
    app = build(replace(pack, questions=(verdict, typed)), tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "s Back" in footer and "q Leave" in footer  # the whole footer fits in 80 columns
        await pilot.press("m")  # picked while reading: the question comes back with the pick shown
        await pilot.pause()
        assert "(•) m  Misleading" in screen_text(app)
        await pilot.press("s", "h")  # the hint's cost is said under the question, so the question comes back
        await pilot.pause()
        assert "Press h again to see it" in static_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # on to the typed question
        await pilot.pause()
        await pilot.press("escape", "s", "h", "h")  # from the story, two h's show the hint, not type an h
        await pilot.pause()
        assert "Hint:" in flat_text(app)
        assert current_view(app).answer.response() == ""


async def test_clicking_a_phrase_in_the_story_picks_it(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = pack.question("loaded")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        story = current_view(app).query_one("#story")
        paragraph = story.query(".source-paragraph").last()
        await pilot.click(paragraph, offset=(3, 0))  # "Everyone loves the new reading room."
        await pilot.pause()
        answer = current_view(app).answer
        assert run_option_text(app, question, answer.picked) == "Everyone loves the new reading room"
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ Right" in screen_text(app)


def run_option_text(app, question, index):
    return app.quiz_run.options(question)[index].text


# -- what a student notices while answering ---------------------------------------


@pytest.mark.parametrize("kind", ["choice", "phrase", "verdict"])
async def test_enter_with_nothing_picked_answers_nothing(tmp_path, kind):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = next(q for q in pack.questions if q.type == kind)
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("h", "h", "enter")  # the slip from the issue: no answer was picked
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert "Pick an answer first: press" in flat_text(app)
        assert attempt_files(results) == []
        await pilot.press("down", "enter")  # the arrows only move: still nothing picked
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        await pilot.press("space", "enter")  # space picks the highlighted one
        await pilot.pause()
        assert screen_name(app) == "FeedbackView"
    assert len(read_only_attempt(results)["answers"]) == 1


async def test_a_picked_option_is_marked_by_a_symbol_not_only_colour(tmp_path):
    pack = every_type_pack()
    app = build(replace(pack, questions=(pack.question("who"),)), tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert "(•)" not in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        picked = [line for line in screen_text(app).splitlines() if "(•)" in line]
        assert len(picked) == 1 and "2" in picked[0]


async def test_a_long_option_wraps_under_its_text_not_under_its_number(tmp_path):
    pack = every_type_pack()
    long = "The council, which is the body that runs the town and decides when the library opens on Sundays"
    who = replace(pack.question("who"), options=(Option(long, correct=True), Option("Residents")))
    app = build(replace(pack, questions=(who,)), tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        first = next(n for n, line in enumerate(lines) if "The council, which" in line)
        text_starts = lines[first].index("The council")
        wrapped = lines[first + 1]
        assert wrapped[:text_starts].strip(" ▊▎▏│") == ""  # nothing under the ( ) and the number
        assert wrapped[text_starts:].split()[0] in long.split()


async def test_typed_answer_esc_then_keys_and_back_into_the_box(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = replace(pack.question("fold"), hint="Six times as many.")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert "Esc: stop typing, so the keys s story, h hint, q leave work" in static_text(app)
        await pilot.press("5", "escape")
        await pilot.pause()
        assert "i or Enter: back to typing" in static_text(app)  # the line says what the keys now do
        await pilot.press("h")  # a key again, not a letter in the box
        await pilot.pause()
        assert "Hint?" in flat_text(app)
        await pilot.press("0")  # a digit goes back into the box, where it belongs
        await pilot.press("escape", "i", "0", "enter")  # i is the one key back in
        await pilot.pause()
        assert screen_name(app) == "FeedbackView"
    assert read_only_attempt(results)["answers"][0]["response"] == "500"


@pytest.mark.parametrize("typing", [False, True], ids=["after-esc", "typing"])
async def test_closing_the_story_goes_back_to_where_the_student_was(tmp_path, typing):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = replace(pack.question("fold"), hint="Six times as many.")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        box = app.screen.query_one(Input)
        await pilot.press("5", "escape", "s")  # out of the box, then the story
        await pilot.pause()
        assert "Back" in screen_text(app).splitlines()[-1]
        if typing:
            await pilot.press("i")  # the one key back into the box closes the story too
        else:
            await pilot.press("s")  # s again: back to the question, still out of the box
        await pilot.pause()
        assert (app.focused is box) == typing
        await pilot.press("h")
        await pilot.pause()
        if typing:
            assert box.value == "5h"
        else:
            assert box.value == "5" and "Hint?" in flat_text(app)  # h is the hint key, as before the story


async def test_match_footer_says_what_enter_does_where_the_focus_is(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    question = pack.question("sort")
    app = build(replace(pack, questions=(question,)), results)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Choose" in footer and "Submit" not in footer
        items = app.quiz_run.items(question)
        for item in items:
            await pilot.press(digit(question.categories.index(item.answer)))
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Submit" in footer  # on Submit, enter sends
        await pilot.press("shift+tab")  # back onto a sorted row: enter sends from there too
        await pilot.pause()
        assert "Submit" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "FeedbackView"
    assert read_only_attempt(results)["answers"][0]["score"] == question.points


def warm_up_match_alone(tmp_path):
    """The app on the warm-up's match question alone (no content note), and that question."""
    pack = warm_up()
    question = next(q for q in pack.questions if q.type == "match" and len(q.items) >= 3)
    return build(replace(pack, questions=(question,), content_note=""), tmp_path / "results"), question


async def test_match_arrows_move_between_rows_and_enter_opens_the_list(tmp_path):
    app, question = warm_up_match_alone(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(MatchRow).results(MatchRow))
        assert len(rows) == len(question.items)
        await pilot.press("1", "down")  # 1 sorts row 1 and moves to row 2; down goes on to row 3
        await pilot.pause()
        assert not any(row.expanded for row in rows)
        assert app.focused is rows[2]
        await pilot.press("2", "up", "up", "up")  # 2 sorts row 3 and moves to row 4; up three times goes back to row 1
        await pilot.pause()
        assert app.focused is rows[0] and not any(row.expanded for row in rows)
        assert [row.value for row in rows[:3]] == [question.categories[0], None, question.categories[1]]
        await pilot.press("down", "3")  # a digit sets the row the arrows went to
        await pilot.pause()
        assert rows[1].value == question.categories[2]
        footer = screen_text(app).splitlines()[-1]
        assert "↑↓" in footer and "Choose" in footer
        await pilot.press("enter")  # enter opens the list, as the footer says
        await pilot.pause()
        assert rows[3].expanded  # on row 4, the next one left to sort


def claim_in_story(app, claim: str) -> bool:
    story = current_view(app).query_one("#story")
    shown = " ".join(strip.text for strip in app.screen._compositor.render_strips(story.region) if strip.text)
    return " ".join(claim.split()[:3]) in " ".join(shown.split())


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_the_story_opens_at_the_claim_on_every_question(tmp_path, size):
    from quiz.packs import load_pack
    from helpers import REPO

    pack = load_pack(REPO / "questions" / "com-networks-2025.yaml")
    wanted = ("who-warned", "report-shows", "almost-certainly", "minister")
    pack = replace(pack, questions=tuple(pack.question(q) for q in wanted), content_note="", sections=())
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=size) as pilot:
        for _ in wanted:
            await pilot.pause(0.2)
            question = app.quiz_run.current
            if size == NARROW:
                await pilot.press("s")
                await pilot.pause(0.2)
            story = current_view(app).query_one("#story")
            region = story.region
            target = story._target.region
            assert region.y <= target.y and target.bottom <= region.bottom, question.id
            if size == NARROW:
                await pilot.press("s")
            await answer_current(pilot)
            await pilot.press("enter")
            await pilot.pause()


async def test_wide_story_scrolls_with_the_arrows_after_one_key(tmp_path):
    pack = every_type_pack(source=replace(every_type_pack().source, text="\n\n".join(f"Paragraph {n} of a long story." for n in range(60)) + "\n\nthe council said"))
    pack = replace(pack, questions=(pack.question("who"),))
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause(0.2)
        story = current_view(app).query_one("#story")
        await pilot.press("s", "up", "up", "up")
        await pilot.pause()
        assert story.scroll_y < story.max_scroll_y  # the arrows scrolled the story, not the options


async def test_long_feedback_at_80x24_says_there_is_more_below(tmp_path):
    pack = every_type_pack()
    long = " ".join(["This explanation goes on and on so that it cannot fit."] * 12)
    who = replace(pack.question("who"), explain=long)
    app = build(replace(pack, questions=(who,)), tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("1", "enter")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "▼ more below: scroll with ↓" in text
        assert "Press enter to see your results." not in text
        await pilot.press("end")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Press enter to see your results." in text
        assert "more below" not in text


async def test_results_count_a_hinted_right_answer_apart_and_explain_certainty(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    units, who = pack.question("units"), pack.question("who")
    app = build(replace(pack, questions=(units, who)), results, confidence=True)
    async with app.run_test(size=WIDE) as pilot:
        run = app.quiz_run
        while run.current is not None:
            q = run.current
            texts = [o.text for o in run.options(q)]
            if q.type == "multi":  # one of the two right options, certain
                await pilot.press(digit(texts.index("visits")), "enter", "3")
            else:  # right, after the hint, a guess
                await pilot.press("h", "h", digit(texts.index("The council")), "enter", "1")
            await pilot.pause()
            if q.type == "multi":
                assert "certainty score −1.5. The answer was 50% right" in flat_text(app)
            await pilot.press("enter")
            await pilot.pause()
        text = static_text(app)
        assert "0 of 2 questions fully right, and 1 more right with a hint (fewer points)" in text
        assert "Certainty score: −0.5" in text
        assert "a partly right one earns a share of both" in text
    assert [a["cbm"] for a in read_only_attempt(results)["answers"]] == [-1.5, 1.0]


# -- leaving and coming back ----------------------------------------------------


async def test_staying_after_q_keeps_playing(tmp_path):
    app = build(warm_up(), tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert app.is_running


@pytest.mark.parametrize("folder", ["own folder", "usual folder"])
async def test_the_command_to_carry_on_looks_in_the_folder_the_answers_are_in(tmp_path, capsys, folder):
    results = tmp_path / "class 10B's results" if folder == "own folder" else Path(os.environ["QUIZ_RESULTS"])
    app = build(warm_up(), results, student="Sam", group="10B")
    async with app.run_test(size=NARROW) as pilot:
        await answer_current(pilot)
        await pilot.press("enter", "q")
        await pilot.pause()
        said = static_text(app)
        await pilot.press("y")
        await pilot.pause()
    left = capsys.readouterr().err  # what stays in the terminal after the quiz closes
    for text in (said, left):
        command = shlex.split(text.split("To carry on later, run")[1].split("or pick the pack")[0])
        assert ("--results" in command) == (folder == "own folder")  # the usual folder goes without saying
        args = build_parser().parse_args(command[1:])
        assert (args.pack, args.student, args.group) == ("warm-up", "Sam", "10B")
        assert results_dir(getattr(args, "results", None)) == results
    assert len(read_only_attempt(results)["answers"]) == 1


async def test_unwritable_results_folder_is_said_plainly(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the results folder should be")
    pack = every_type_pack()
    app = build(replace(pack, questions=pack.questions[:1]), blocked)
    async with app.run_test(size=WIDE) as pilot:
        await answer_current(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        text = screen_text(app)
        assert "Your results folder could not be used" in text
        assert app.saved is not None and app.saved.fallback_reason
        assert app.saved.path.exists()


# -- modes, confidence, content notes -------------------------------------------


async def test_test_mode_shows_no_feedback_until_the_results(tmp_path):
    results = tmp_path / "results"
    app = build(warm_up(), results, mode="test")
    async with app.run_test(size=NARROW) as pilot:
        assert "Score" not in screen_text(app)
        for _ in range(9):
            assert screen_name(app) == "QuestionView"
            await answer_current(pilot)
        assert screen_name(app) == "ResultsScreen"
        assert "100%" in screen_text(app)
    assert read_only_attempt(results)["mode"] == "test"


async def test_confidence_is_asked_after_each_answer_and_reported(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    app = build(replace(pack, questions=pack.questions[:2]), results, confidence=True)
    async with app.run_test(size=NARROW) as pilot:
        run = app.quiz_run
        await answer_current(pilot, right=True)
        assert "How sure are you?" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        assert "certainty score +3" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await answer_current(pilot, right=False)
        await pilot.press("escape")  # change my mind: back to the question, nothing saved
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert len(read_only_attempt(results)["answers"]) == 1
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert screen_name(app) == "ResultsScreen"
        assert "How sure were you?" in text
        assert "Certainty score: +3" in text
        assert run.attempt.answers[0].confidence == 3
    answers = read_only_attempt(results)["answers"]
    assert [(a["confidence"], a["cbm"]) for a in answers] == [(3, 3.0), (1, 0.0)]


NOTE = (
    "This pack is about online abuse.\n\n"
    "If anything here worries you:\nChildline 0800 1111 (free, 24 hours)."
)


async def test_content_note_comes_first_and_can_be_acknowledged(tmp_path):
    pack = replace(every_type_pack(), content_note=NOTE)
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert screen_name(app) == "ContentNoteScreen"
        assert "Childline 0800 1111 (free, 24 hours)." in text
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"


async def test_going_back_from_the_content_note_leaves_without_saving(tmp_path):
    pack = replace(every_type_pack(), content_note=NOTE)
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert attempt_files(tmp_path / "results") == []


# -- the home screen ------------------------------------------------------------


async def test_home_lists_packs_remembers_the_class_not_the_name_and_starts(tmp_path):
    results = tmp_path / "results"
    app = build(None, results, student=None)
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.screen.query_one("#packs")
        titles = [p.title for p in app.screen.packs]
        listing.highlighted = titles.index("Warm-up: an invented local news story")
        await pilot.click("#student")
        await pilot.press(*"Ana", "tab", *"10B", "enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert "Warm-up" in screen_text(app)
        await answer_current(pilot)
    saved = read_only_attempt(results)
    assert (saved["student"], saved["group"], saved["mode"]) == ("Ana", "10B", "practice")

    again = build(None, results, student=None)
    async with again.run_test(size=NARROW) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert again.screen.query_one("#student").value == ""  # the next student is not Ana
        assert again.screen.query_one("#group").value == "10B"


async def test_home_by_keys_alone_tab_from_the_packs_lands_on_the_name(tmp_path):
    """A student who presses Tab after the pack list and types their name must
    see it typed: the form around the fields is not a Tab stop of its own."""
    app = build(None, tmp_path / "results", student=None)
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.focused is app.screen.query_one("#packs")
        await pilot.press("tab", *"Ana")
        assert app.screen.query_one("#student").value == "Ana"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"
        assert "Warm-up" in screen_text(app)


async def test_home_marks_content_notes(tmp_path):
    results = tmp_path / "results"
    app = build(None, results, student=None)
    async with app.run_test(size=WIDE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "⚑ content note" in text  # on the com-networks pack
        assert "Warm-up: an invented local news story" in text
        assert "9 questions · Ages 14-18 · skills: source, sample-size, framing" in text
        titles = [p.title for p in app.screen.packs]


async def test_home_needs_a_name(tmp_path):
    app = build(None, tmp_path / "results", student=None)
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        assert "Type your name first" in screen_text(app)
        assert screen_name(app) == "HomeScreen"


async def test_home_test_mode_choice_is_recorded(tmp_path):
    results = tmp_path / "results"
    app = build(None, results, student=None)
    async with app.run_test(size=WIDE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = [p.title for p in app.screen.packs]
        app.screen.query_one("#packs").highlighted = titles.index("Warm-up: an invented local news story")
        await pilot.click("#test")
        await pilot.click("#student")
        await pilot.press(*"Bo", "enter")
        await pilot.pause()
        await answer_current(pilot)
        assert screen_name(app) == "QuestionView"  # no feedback in test mode
    assert read_only_attempt(results)["mode"] == "test"


@pytest.mark.parametrize("fixed_by", ["pack", "command line"])
async def test_a_fixed_mode_is_shown_not_offered(tmp_path, fixed_by):
    results = tmp_path / "results"
    pack = replace(warm_up(), mode="test") if fixed_by == "pack" else warm_up()
    mode = "test" if fixed_by == "command line" else None
    app = build(pack, results, student=None, mode=mode)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        who = "this pack" if fixed_by == "pack" else "your teacher"
        assert f"Test: see how you did at the end (set by {who})" in screen_text(app)
        assert not app.screen.query_one("#mode").display
        await pilot.press(*"Di", "enter")
        await pilot.pause()
        await answer_current(pilot)
        assert screen_name(app) == "QuestionView"  # test mode: no feedback
    assert read_only_attempt(results)["mode"] == "test"


async def test_broken_packs_are_a_notice_not_a_crash(tmp_path, monkeypatch):
    extra = tmp_path / "more-packs"
    extra.mkdir()
    (extra / "broken.yaml").write_text("pack: 1\nid: [not, a, slug\n", encoding="utf-8")
    app = build(None, tmp_path / "results", student=None, extra_pack_paths=[extra])
    async with app.run_test(size=WIDE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "1 pack could not be opened (broken.yaml)" in text
        assert "Warm-up: an invented local news story" in text


async def test_a_pack_without_a_student_asks_for_a_name(tmp_path):
    app = build(warm_up(), tmp_path / "results", student=None)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert app.screen.packs == (app.pack,)
        await pilot.press(*"Cy", "enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionView"


# -- results --------------------------------------------------------------------


async def test_results_list_opens_each_explanation(tmp_path):
    results = tmp_path / "results"
    saved_run(warm_up(), results, student="Sam Lee", mode="test")  # every question answered
    app = build(warm_up(), results, mode="test")
    async with app.run_test(size=NARROW) as pilot:
        await give_saved_code(pilot)  # carry on, straight to the results
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        await pilot.press("enter")  # the first question in the list
        await pilot.pause()
        assert screen_name(app) == "ReviewScreen"
        first = app.quiz_run.questions[0]
        assert first.explain.split()[0] in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_results_list_shows_as_much_of_each_question_as_fits(tmp_path, size):
    results = tmp_path / "results"
    saved_run(warm_up(), results, student="Sam Lee", mode="test")  # every question answered
    app = build(warm_up(), results, mode="test")
    async with app.run_test(size=size) as pilot:
        await give_saved_code(pilot)  # carry on, straight to the results
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        rows = app.screen.query_one("#questions")
        width = rows.scrollable_content_region.width
        grades = app.quiz_run.grades()
        shown = re.findall(r"[✓◐✗] +(\d+)\. \S+  (.*)", screen_text(app))
        assert len(shown) >= 5
        for number, row in shown:
            row = row.rstrip(" ▎▊▁▂▃▄▅▆▇█▔")  # the scrollbar and the list's edge
            q = grades[int(number) - 1].question
            label = f"“{q.claim}”" if q.type == "verdict" and q.claim else q.prompt
            if row.endswith("…"):  # cut only where the list ends, not at a fixed 40 characters
                assert label.startswith(row[:-1].rstrip()) and len(row) >= width - 14, (row, width)
            else:
                assert row == label


async def test_results_save_a_copy_as_csv(tmp_path):
    results = tmp_path / "results"
    pack = every_type_pack()
    app = build(replace(pack, questions=pack.questions[:2]), results)
    copy = tmp_path / "usb" / "sam.csv"
    async with app.run_test(size=NARROW) as pilot:
        await play_to_results(pilot, results)
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#copy-path")
        field.value = str(copy)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert copy.exists()
    assert "Sam Lee" in copy.read_text(encoding="utf-8")


# -- pack text is plain text ----------------------------------------------------

MARKUP = "[@click=app.quit]Quit[/] [red]x[/] [b]bold?[/b]"


def markup_pack() -> Pack:
    source = Source(title=f"Title {MARKUP}", text=f"The story says {MARKUP} plainly.\n\nMore text.")
    question = Question(
        id="m", skill="source", type="choice", prompt=f"Prompt {MARKUP}",
        claim=f"says {MARKUP}",
        options=(Option(f"Option {MARKUP}", correct=True, explain=f"Explain {MARKUP}"), Option("Other")),
        explain=f"Why {MARKUP}",
    )
    return Pack(id="markup", title=f"Pack {MARKUP}", questions=(question,), source=source)


async def test_markup_in_a_pack_is_shown_literally_and_clicks_do_nothing(tmp_path):
    app = build(markup_pack(), tmp_path / "results")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        text = static_text(app)
        assert f"Prompt {MARKUP}" in text
        assert f"The story says {MARKUP}" in text
        options = [str(o.prompt) for o in current_view(app).query_one("PickList").options]
        assert any(o.endswith(f"Option {MARKUP}") for o in options)
        # Click where "Quit" is written in the prompt and in the story.
        await pilot.click("#prompt", offset=(len("Prompt ") + len("[@click=app.quit]") + 1, 0))
        await pilot.click("#story .source-paragraph", offset=(len("The story says [@click=app.quit]") + 1, 0))
        await pilot.pause()
        assert app.is_running
        assert screen_name(app) == "QuestionView"
        await pilot.press("1", "enter")
        await pilot.pause()
        text = static_text(app)
        assert f"Explain {MARKUP}" in text
        assert f"Why {MARKUP}" in text


# -- one browser tab of quiz serve ----------------------------------------------


def served_app(results: Path, **options):
    return make_app(
        pack=None, results_dir=results, mode=options.get("mode"), seed=options.get("seed", 1),
        extra_pack_paths=[], served=True, only_packs=options.get("only_packs", ["warm-up"]),
    )


async def test_served_tab_offers_only_the_teachers_packs_and_remembers_no_one(tmp_path):
    from quiz.ui import remembered

    remembered.save(remembered.Remembered(group="10A"))
    results = tmp_path / "results"
    app = served_app(results, mode="test")
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Warm-up" in text and "Com networks" not in text
        assert "set by your teacher" in text
        assert app.screen.query_one("#student").value == ""  # not the last student's name
        await pilot.click("#student")
        await pilot.press(*"Eve", "enter")
        await pilot.pause()
        await answer_current(pilot)
        await pilot.press("q")
        await pilot.pause()
        text = flat_text(app)
        assert "open the quiz page again" in text and "quiz play" not in text
    assert remembered.load().group == "10A"  # nothing written for Eve's tab
    assert read_only_attempt(results)["student"] == "Eve"


async def test_served_copy_is_downloaded_not_written(tmp_path, monkeypatch):
    results = tmp_path / "results"
    delivered = []
    app = make_app(
        pack=replace(every_type_pack(), questions=every_type_pack().questions[:1]),
        results_dir=results, student="Eve", seed=1, extra_pack_paths=[], served=True,
    )
    monkeypatch.setattr(app, "deliver_binary", lambda data, **kw: delivered.append((data.read(), kw)))
    async with app.run_test(size=NARROW) as pilot:
        await play_to_results(pilot, results)
        await pilot.press("e")
        await pilot.pause()
        box = app.screen.query_one("#copy-path")
        assert box.value == "every-type-eve.csv"  # a name only: no folder on the teacher's machine
        box.value = "../elsewhere/x.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert "Type just a file name" in screen_text(app)
        box.value = "mine.json"
        await pilot.press("enter")
        await pilot.pause()
    (data, options), = delivered
    assert options["save_filename"] == "mine.json"
    assert b"Eve" in data
    assert not (tmp_path / "mine.json").exists()


async def test_match_list_opens_under_its_item_chooses_and_closes(tmp_path):
    app, question = warm_up_match_alone(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(MatchRow).results(MatchRow))
        await pilot.press("enter", "down", "enter")  # open row 1's list, the second category, choose it
        await pilot.pause()
        assert rows[0].value == question.categories[1] and not rows[0].expanded
        assert app.focused is rows[0]  # back on the row, to move on with the arrows
        assert question.categories[1] in screen_text(app)
        await pilot.press("down", "enter", "escape")  # escape closes row 2's list and chooses nothing
        await pilot.pause()
        assert rows[1].value is None and not rows[1].expanded and app.focused is rows[1]
        await pilot.click(rows[2])  # a click or tap opens the list too
        await pilot.pause()
        assert rows[2].expanded
        listing = app.screen.query_one("CategoryList")
        assert listing.region.y > rows[2].region.y  # under its item, over the rows below
        await pilot.click(listing, offset=(3, 1 + 2))  # the third category (inside the list's top border)
        await pilot.pause()
        assert rows[2].value == question.categories[2] and not rows[2].expanded
        await pilot.press("1")  # a digit still sorts the row in focus and moves on
        await pilot.pause()
        assert rows[2].value == question.categories[0] and app.focused is rows[3]  # the next one left to sort


async def test_start_pressed_before_the_pack_list_is_read_waits_for_it(tmp_path, monkeypatch):
    """A quick student (or a served tab) presses Enter before the list of packs is read: with one pack
    to play, the quiz starts once it is read, rather than saying "Pick a pack first"."""
    import threading

    import quiz.packs

    read = quiz.packs.discover
    slow_disk = threading.Event()

    def slow_discover(*args, **kwargs):
        slow_disk.wait(10)
        return read(*args, **kwargs)

    monkeypatch.setattr(quiz.packs, "discover", slow_discover)
    app = make_app(pack=None, results_dir=tmp_path / "results", only_packs=("warm-up",))
    async with app.run_test(size=NARROW) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.screen.query("#student"):
                break
        app.screen.query_one("#student", Input).focus()
        await pilot.press(*"Sam Lee", "enter")
        await pilot.pause()
        assert "Finding the packs" in flat_text(app) and "Pick a pack first" not in flat_text(app)
        slow_disk.set()
        for _ in range(100):
            await pilot.pause(0.05)
            if screen_name(app) == "QuestionView":
                break
        assert screen_name(app) == "QuestionView" and app.quiz_run.attempt.student == "Sam Lee"
