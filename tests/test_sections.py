"""Sections, shuffling and drawing: a pack plays its parts in order, shuffled
only where it says, and a pack without sections plays exactly as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
import yaml

from helpers import every_type_pack, right_response
from quiz.engine import Run, question_order
from quiz.model import Section
from quiz.packs import load_pack_text
from quiz.packs.writer import dump_pack
from quiz.plain import lines

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
PACK = every_type_pack()
IDS = [q.id for q in PACK.questions]
PARTS = (
    Section("Who says so?", ("who", "name", "v-fair")),
    Section("What is counted?", ("units", "sample", "fold")),
    Section("Framing", ("loaded", "sort", "v-bad")),
)


def with_sections(shuffle: str = "", sections=PARTS):
    return replace(PACK, sections=sections, shuffle=shuffle)


def test_a_pack_without_sections_keeps_its_old_order_for_the_same_seed():
    # The order every attempt of a version-1 pack has had: shuffled whole from the seed.
    assert question_order(PACK, 1) == (
        "v-fair", "v-bad", "sample", "fold", "units", "name", "who", "loaded", "sort",
    )
    assert question_order(PACK, 7) == (
        "v-fair", "fold", "sort", "who", "sample", "name", "units", "loaded", "v-bad",
    )
    run = Run.start(PACK, student="Sam", seed=1, now=NOW)
    assert run.attempt.order == question_order(PACK, 1)
    assert run.section_title(run.current) == ""


@pytest.mark.parametrize("seed", range(6))
def test_sections_come_in_order_shuffled_only_inside(seed):
    pack = with_sections()
    assert pack.shuffle_rule == "within-sections"
    order = Run.start(pack, student="Sam", seed=seed, now=NOW).attempt.order
    assert [set(order[0:3]), set(order[3:6]), set(order[6:9])] == [set(s.questions) for s in PARTS]


def test_within_a_section_the_seed_decides_the_order():
    pack = with_sections()
    orders = {question_order(pack, seed) for seed in range(20)}
    assert len(orders) > 1
    assert question_order(pack, 3) == question_order(pack, 3)


def test_shuffle_none_keeps_the_sections_order_and_all_mixes_everything():
    assert question_order(with_sections("none"), 5) == tuple(q for s in PARTS for q in s.questions)
    mixed = {question_order(with_sections("all"), seed)[:3] for seed in range(20)}
    assert any(set(first) != set(PARTS[0].questions) for first in mixed)
    assert question_order(replace(PACK, shuffle="none"), 5) == tuple(IDS)


def test_the_question_bar_and_the_plain_lines_name_the_section():
    run = Run.start(with_sections("none"), student="Sam", seed=1, now=NOW)
    assert run.section_title(run.current) == "Who says so?"
    assert lines.question(run, run.current)[0].startswith("Question 1 of 9 · Who says so?")
    for _ in range(3):
        run.answer(right_response(run.current), seconds=1)
    assert run.section_title(run.current) == "What is counted?"


def test_draw_asks_that_many_of_a_section_chosen_from_the_seed_and_records_them():
    drawn = (replace(PARTS[0], draw=1), replace(PARTS[1], draw=2), PARTS[2])
    pack = with_sections(sections=drawn)
    runs = [Run.start(pack, student="Sam", seed=seed, now=NOW) for seed in range(12)]
    for run in runs:
        order = run.attempt.order
        assert len(order) == run.total == 6
        assert order[0] in PARTS[0].questions
        assert set(order[1:3]) <= set(PARTS[1].questions)
        assert set(order[3:]) == set(PARTS[2].questions)
    assert len({run.attempt.order[0] for run in runs}) > 1  # different students, different draws
    # The score is out of the questions asked.
    run = runs[0]
    while run.current is not None:
        run.answer(right_response(run.current), seconds=1)
    summary = run.summary()
    assert summary.total == 6 and summary.percent == pytest.approx(100)
    # Resuming asks nothing that was not drawn.
    again = Run.resume(pack, replace(run.attempt, answers=run.attempt.answers[:2]))
    assert again.attempt.order == run.attempt.order


def test_resuming_a_pack_without_draws_still_adds_new_questions_at_the_end():
    run = Run.start(replace(PACK, questions=PACK.questions[:-1]), student="Sam", seed=1, now=NOW)
    again = Run.resume(PACK, run.attempt)
    assert again.attempt.order[-1] == PACK.questions[-1].id and again.total == 9


def test_resuming_a_pack_that_draws_in_one_section_adds_new_questions_of_the_others():
    drawn = (replace(PARTS[0], draw=1), PARTS[1], PARTS[2])
    before = replace(
        with_sections(sections=(drawn[0], drawn[1], replace(PARTS[2], questions=("loaded", "sort")))),
        questions=tuple(q for q in PACK.questions if q.id != "v-bad"),
    )
    run = Run.start(before, student="Sam", seed=1, now=NOW)
    again = Run.resume(with_sections(sections=drawn), run.attempt)
    assert again.attempt.order == run.attempt.order + ("v-bad",)
    assert again.total == 7


SECTIONED = """\
pack: 1
id: sectioned
title: Sectioned
shuffle: none
sections:
  - title: Sources
    questions: [who, whom]
    draw: 1
  - title: Numbers
    questions: [how-many]
questions:
  - id: how-many
    skill: sample-size
    type: number
    prompt: How many residents were asked?
    answer: 40
  - id: who
    skill: source
    type: text
    prompt: Who said it?
    accept: [Internet Watch Foundation]
    typos: 1
  - id: whom
    skill: source
    type: text
    prompt: To whom?
    accept: [the council]
"""


def test_a_pack_with_sections_reads_plays_and_writes_back_the_same():
    pack = load_pack_text(SECTIONED)
    assert pack.sections == (
        Section("Sources", ("who", "whom"), draw=1),
        Section("Numbers", ("how-many",)),
    )
    assert pack.shuffle == "none" and pack.question("who").typos == 1
    text = dump_pack(pack)
    data = yaml.safe_load(text)
    assert data["sections"] == [
        {"title": "Sources", "questions": ["who", "whom"], "draw": 1},
        {"title": "Numbers", "questions": ["how-many"]},
    ]
    assert data["shuffle"] == "none" and data["questions"][1]["typos"] == 1
    again = load_pack_text(text)
    assert (again.sections, again.shuffle) == (pack.sections, pack.shuffle)
    assert [replace(q, line=0) for q in again.questions] == [replace(q, line=0) for q in pack.questions]
    order = Run.start(pack, student="Sam", seed=2, now=NOW).attempt.order
    assert len(order) == 2 and order[0] in ("who", "whom") and order[1] == "how-many"


def test_the_support_lines_are_said_again_with_the_plain_results():
    note = "This pack is about online harm.\n\nPress q to leave.\n\nChildline 0800 1111, childline.org.uk.\n"
    pack = replace(PACK, content_note=note)
    run = Run.start(pack, student="Sam", seed=1, now=NOW)
    while run.current is not None:
        run.answer(right_response(run.current), seconds=1)
    said = lines.results(run, None)
    assert said[-1] == "Childline 0800 1111, childline.org.uk."
    assert "Press q to leave." not in said


async def test_the_app_names_the_section_beside_the_number_and_repeats_the_support_lines(tmp_path):
    from helpers import answer_current, answered_run, play_to_results, screen_text
    from quiz.ui.app import make_app

    note = "This pack is about online harm.\n\nChildline 0800 1111, childline.org.uk.\n"
    pack = replace(with_sections("none"), content_note=note)
    results = tmp_path / "results"
    run = answered_run(pack, student="Sam Lee", before="multi")
    app = make_app(pack=pack, results_dir=results, student="Sam Lee", group="", mode=None, seed=1,
                   confidence=None, extra_pack_paths=[], run=run)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Before you start" in screen_text(app)
        await pilot.press("enter")  # the content note, acknowledged
        await pilot.pause()
        assert "Question 4 of 9 · What is counted?" in screen_text(app)
        await answer_current(pilot)
        await play_to_results(pilot, results)
        text = screen_text(app)
        assert "Childline 0800 1111, childline.org.uk." in text
        assert "This pack is about online harm." not in text
