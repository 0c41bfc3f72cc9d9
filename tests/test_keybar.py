"""The line of keys at the foot of each screen: the keys it says, and a tap on one presses it."""

from __future__ import annotations

from dataclasses import replace

from helpers import every_type_pack, flat_text, screen_name, screen_text
from quiz.ui.app import make_app
from quiz.ui.widgets.keys import KeyBar

NARROW = (80, 24)


def one_question_app(question_id: str, results, **changes):
    pack = every_type_pack()
    question = replace(pack.question(question_id), **changes)
    return make_app(
        pack=replace(pack, questions=(question,)), results_dir=results, student="Sam Lee",
        mode="practice", seed=1, confidence=False,
    )


def column_of(app, words: str) -> int:
    line = screen_text(app).splitlines()[-1]
    assert words in line, line
    return line.index(words)


async def test_the_line_names_the_keys_of_this_question_and_dims_none_that_work(tmp_path):
    app = one_question_app("who", tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        assert line.startswith(" ⏎ Submit  123 Pick  h Hint  s Story  q Leave")
        assert line.rstrip().endswith("^p palette")  # the command palette's key, at the right
        assert len(app.screen.query(KeyBar)) == 1


async def test_tapping_a_key_presses_it(tmp_path):
    app = one_question_app("who", tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.click(KeyBar, offset=(column_of(app, "h Hint") + 1, 0))
        await pilot.pause()
        assert "Using the hint halves this question's points." in flat_text(app)
        await pilot.click(KeyBar, offset=(column_of(app, "q Leave") + 1, 0))
        await pilot.pause()
        assert screen_name(app) == "LeaveDialog"


async def test_tapping_a_digit_of_the_group_picks_that_option(tmp_path):
    app = one_question_app("who", tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        second = column_of(app, "123 Pick") + 1
        await pilot.click(KeyBar, offset=(second, 0))
        await pilot.click(KeyBar, offset=(column_of(app, "⏎ Submit"), 0))
        await pilot.pause()
        assert screen_name(app) == "FeedbackView"
        chosen = app.quiz_run.attempt.answers[0].response
        assert chosen == app.quiz_run.options(app.quiz_run.pack.question("who"))[1].text


async def test_the_line_follows_the_keys_as_they_change(tmp_path):
    app = one_question_app("sort", tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert "⏎ Choose" in screen_text(app).splitlines()[-1]
        question = app.quiz_run.pack.question("sort")
        for item in app.quiz_run.items(question):
            await pilot.press(str(question.categories.index(item.answer) + 1))
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        assert "⏎ Submit" in line and "Choose" not in line
