"""Scoring, order and summaries: the rules a student's marks depend on."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from helpers import every_type_pack, right_response, wrong_response
from quiz.engine import (
    AnswerError,
    Run,
    certainty_mark,
    earns_marks,
    grade,
    judgement_sentence,
    normalise_text,
    parse_number,
    right_answer,
    saved_calibration,
    signal_detection,
    verdict_signal,
)
from quiz.model import Answer

NOW = datetime(2026, 11, 27, 10, 2, 11, tzinfo=timezone.utc)
PACK = every_type_pack()
Q = {q.id: q for q in PACK.questions}


# -- reading numbers -------------------------------------------------------

@pytest.mark.parametrize(
    "typed, value",
    [
        ("6", 6), ("6x", 6), ("6 x", 6), ("×6", 6), ("6-fold", 6), ("6 fold", 6),
        ("six", 6), ("Six-fold", 6), ("six times", 6), ("291,273", 291273),
        ("291 273", 291273), ("5.7%", 5.7), ("5.7 %", 5.7), ("+500%", 500),
        ("500 per cent", 500), ("-3", -3), ("0.5", 0.5), (".5", 0.5),
        ("1.5 million", 1_500_000), ("710,000", 710000), ("twenty-four", 24),
        ("a hundred", 100), ("three quarters", 0.75), ("a half", 0.5),
        ("two thousand and twenty", 2020), (" 42 ", 42), ("42.", 42),
        (24, 24), (5.5, 5.5),
    ],
)
def test_numbers_are_read_as_students_write_them(typed, value):
    assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize(
    "typed", ["", "   ", "lots", "5,7", "1,2345", "six apples", "nan", "inf", "1e400", "x", "%", True]
)
def test_unreadable_numbers_are_refused_not_guessed(typed):
    assert parse_number(typed) is None


@pytest.mark.parametrize("typed", ["15,621 webpages", "15,621 webpage", "15621 Webpages"])
def test_the_questions_unit_may_follow_the_number(typed):
    assert parse_number(typed, unit="webpages") == 15621
    assert parse_number(typed) is None  # without the unit it is not a number


def test_text_answers_ignore_case_spacing_and_punctuation():
    assert normalise_text("  The  N.C.A.! ") == normalise_text("the nca")
    assert normalise_text("Metro's") == normalise_text("metros")
    assert normalise_text("National Crime-Agency") == normalise_text("national crime agency")
    assert normalise_text("NCA") != normalise_text("IWF")


# -- scoring each type -----------------------------------------------------

def test_choice_scores_only_the_correct_option():
    assert grade(Q["who"], "The council").score == 1
    g = grade(Q["who"], "The library")
    assert (g.score, g.correct, g.picked) == (0, False, ("The library",))
    assert g.chosen_options[0].explain.startswith("The library is the subject")


def test_choice_hint_halves_the_points_by_default():
    g = grade(Q["who"], "The council", hinted=True)
    assert g.score == 0.5 and g.correct and g.hinted


def test_hint_penalty_comes_from_the_pack():
    g = grade(Q["who"], "The council", hinted=True, hint_penalty=0.25)
    assert g.score == 0.75


def test_unknown_option_is_refused():
    with pytest.raises(AnswerError):
        grade(Q["who"], "Somebody else")


@pytest.mark.parametrize(
    "picks, score",
    [
        (["visits", "residents surveyed"], 2.0),  # exactly the correct set
        (["visits"], 1.0),  # one of two right: 2 x 1/2
        (["visits", "opening day"], 0.0),  # one right, one wrong
        (["visits", "residents surveyed", "opening day"], 1.0),  # 2 x (2-1)/2
        (["opening day", "the reading room"], 0.0),  # all wrong picks: never negative
        (["visits", "residents surveyed", "opening day", "the reading room"], 0.0),  # all picked
        ([], 0.0),
    ],
)
def test_multi_partial_credit(picks, score):
    g = grade(Q["units"], picks)
    assert g.score == score
    assert g.correct == (score == 2.0)


def test_multi_response_is_stored_in_pack_order_whatever_the_click_order():
    g = grade(Q["units"], ["residents surveyed", "visits"])
    assert g.response == ["visits", "residents surveyed"]


def test_phrase_scores_the_correct_phrase():
    assert grade(Q["loaded"], "Everyone loves the new reading room").score == 1
    assert grade(Q["loaded"], "the council said").score == 0


@pytest.mark.parametrize("typed, right", [("500", True), ("500%", True), ("+500 %", True), ("600", False), ("five hundred", True)])
def test_number_within_tolerance(typed, right):
    g = grade(Q["fold"], typed)
    assert g.correct is right
    assert g.response == typed.strip()


def test_number_tolerance_and_range_edges():
    q = replace(Q["fold"], answer=6, tolerance=0.5)
    assert grade(q, "6.5").correct and grade(q, "5.5").correct
    assert not grade(q, "6.51").correct
    r = replace(Q["sample"], low=5.5, high=6)
    assert grade(r, "5.5").correct and grade(r, "6").correct and not grade(r, "6.1").correct


def test_unreadable_number_is_refused_without_a_mark():
    with pytest.raises(AnswerError, match="number"):
        grade(Q["fold"], "lots")


def test_text_accepts_any_listed_answer_loosely():
    assert grade(Q["name"], "the example gazette!").correct
    assert grade(Q["name"], "EXAMPLE   GAZETTE").correct
    assert not grade(Q["name"], "Gazette").correct
    with pytest.raises(AnswerError):
        grade(Q["name"], "  ...  ")


def test_match_partial_credit_and_item_marks():
    g = grade(Q["sort"], {"opens on Sundays": "fact", "everyone loves it": "fact", "visits rose": "fact"})
    assert g.score == pytest.approx(2.0)  # 3 points x 2/3
    assert [r.right for r in g.items] == [True, False, True]
    assert not g.correct
    assert grade(Q["sort"], right_response(Q["sort"])).score == 3


def test_match_unsorted_items_score_nothing_for_them():
    g = grade(Q["sort"], {"opens on Sundays": "fact"})
    assert g.score == pytest.approx(1.0)
    assert g.response == {"opens on Sundays": "fact"}


def test_match_refuses_an_unknown_category():
    with pytest.raises(AnswerError):
        grade(Q["sort"], {"opens on Sundays": "rumour"})


def test_verdicts():
    assert grade(Q["v-fair"], "Fair").correct
    assert grade(Q["v-bad"], "misleading").response == "misleading"
    assert grade(Q["v-bad"], "fair").score == 0
    with pytest.raises(AnswerError):
        grade(Q["v-bad"], "maybe")


@pytest.mark.parametrize(
    "confidence, right, cbm", [(1, True, 1), (1, False, 0), (2, True, 2), (2, False, -2), (3, True, 3), (3, False, -6)]
)
def test_certainty_based_marks(confidence, right, cbm):
    response = "The council" if right else "Residents"
    g = grade(Q["who"], response, confidence=confidence)
    assert g.cbm == cbm
    assert g.score == (1 if right else 0)  # the plain score is unchanged


@pytest.mark.parametrize("confidence, cbm", [(1, 0.5), (2, 0), (3, -1.5)])
def test_a_half_right_answer_earns_half_of_each_certainty_mark(confidence, cbm):
    # One of the two right options of a multi: half its points, and f x right + (1 - f) x wrong.
    g = grade(Q["units"], ["visits"], confidence=confidence)
    assert g.score == 1 and g.fraction == 0.5 and not g.correct
    assert g.cbm == cbm


def test_certainty_marks_grow_with_the_share_right_and_keep_the_whole_answer_marks():
    assert certainty_mark(0.0, 3) == -6 and certainty_mark(1.0, 3) == 3
    assert certainty_mark(2 / 3, 1) == certainty_mark(2 / 3, 2)  # where a guess stops paying best
    assert certainty_mark(0.8, 2) == certainty_mark(0.8, 3)  # where certain starts to
    marks = [certainty_mark(f / 10, 3) for f in range(11)]
    assert marks == sorted(marks)


def test_a_partly_right_match_is_not_marked_as_wholly_wrong():
    # Two of three items sorted right, certain: 2/3 x 3 + 1/3 x -6 = 0, not -6.
    g = grade(Q["sort"], {"opens on Sundays": "fact", "everyone loves it": "opinion", "visits rose": "opinion"}, confidence=3)
    assert g.cbm == 0


def test_calibration_counts_only_whole_answers_as_right():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW, confidence=True)
    while run.current is not None:
        q = run.current
        half = ["visits"] if q.type == "multi" else right_response(q)
        run.answer(half, seconds=1, confidence=1)
    assert saved_calibration(run.attempt.answers) == run.summary().calibration
    level = next(c for c in run.summary().calibration if c.level == 1)
    assert level.answered == len(PACK.questions) and level.correct == len(PACK.questions) - 1


def test_earns_marks_asks_the_grading_of_whole_answers_and_of_their_parts():
    assert earns_marks(Q["who"], "The council") and not earns_marks(Q["who"], "Residents")
    assert not earns_marks(Q["who"], "an option the pack never had")  # unreadable: no marks
    assert earns_marks(Q["fold"], "500%") and not earns_marks(Q["fold"], "lots")
    assert earns_marks(Q["name"], "the example gazette!") and not earns_marks(Q["name"], "Gazette")
    assert earns_marks(Q["v-bad"], "misleading") and not earns_marks(Q["v-bad"], "fair")
    # One option of a multi, one sorted item of a match: right exactly when it earns marks alone.
    assert earns_marks(Q["units"], ["visits"]) and not earns_marks(Q["units"], ["opening day"])
    assert earns_marks(Q["sort"], {"opens on Sundays": "fact"})
    assert not earns_marks(Q["sort"], {"everyone loves it": "fact"})
    assert not earns_marks(Q["sort"], {"opens on Sundays": "rumour"})


def test_calibration_from_saved_answers_matches_the_runs_own():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW, confidence=True)
    while run.current is not None:
        q = run.current
        good = q.skill != "sample-size"
        run.answer(right_response(q) if good else wrong_response(q), seconds=1, confidence=2 if good else 3)
    assert saved_calibration(run.attempt.answers) == run.summary().calibration
    levels = {c.level: (c.answered, c.correct) for c in saved_calibration(run.attempt.answers)}
    assert levels[1] == (0, 0) and levels[3][1] == 0 and levels[2][0] == levels[2][1] > 0


def test_right_answer_in_words():
    assert right_answer(Q["fold"]) == "500%"  # as people write it; other units after a space
    assert right_answer(Q["sample"]) == "between 40 and 40"
    assert right_answer(Q["units"]) == "visits; residents surveyed"
    assert right_answer(Q["v-bad"]) == "Misleading"


# -- a whole run -----------------------------------------------------------

def play(run, responder, **kw):
    while run.current is not None:
        run.answer(responder(run.current), seconds=3.0, **kw)
    return run.finish(NOW)


def test_full_marks_and_zero():
    right = play(Run.start(PACK, student="Sam", seed=1, now=NOW), right_response)
    assert right.score == right.max_score == PACK.max_score
    wrong = play(Run.start(PACK, student="Sam", seed=1, now=NOW), wrong_response)
    assert wrong.score == 0
    assert wrong.finished == "2026-11-27T10:02:11+00:00"


def test_one_seed_gives_one_order():
    a = Run.start(PACK, student="A", seed=1234, now=NOW)
    b = Run.start(PACK, student="B", seed=1234, now=NOW)
    assert a.attempt.order == b.attempt.order
    assert [a.options(q) for q in PACK.questions] == [b.options(q) for q in PACK.questions]
    orders = {Run.start(PACK, student="A", seed=s, now=NOW).attempt.order for s in range(20)}
    assert len(orders) > 10
    assert sorted(a.attempt.order) == sorted(q.id for q in PACK.questions)


def test_option_order_keeps_the_meaning_of_answers():
    for seed in range(10):
        run = Run.start(PACK, student="A", seed=seed, now=NOW)
        q = Q["who"]
        shown = run.options(q)
        assert {o.text for o in shown} == {o.text for o in q.options}
        right = next(o for o in shown if o.correct)
        assert grade(q, right.text).correct


def test_phrases_are_offered_in_source_order():
    run = Run.start(PACK, student="A", seed=3, now=NOW)
    assert [o.text for o in run.options(Q["loaded"])] == ["the council said", "Everyone loves the new reading room"]


def test_progress_and_recorded_answers():
    run = Run.start(PACK, student="Sam", group="10B", seed=7, now=NOW)
    first = run.current
    assert (run.index, run.total) == (0, len(PACK.questions))
    g = run.answer(right_response(first), seconds=8.44, hinted=True)
    assert run.index == 1 and run.current is not first
    a = run.attempt.answers[0]
    assert (a.question, a.skill, a.score, a.max, a.hinted, a.seconds) == (
        first.id, first.skill, g.score, first.points, True, 8.4)


def test_test_mode_and_pack_fixed_mode():
    assert not Run.start(PACK, student="A", seed=1, now=NOW, mode="test").feedback_now
    fixed = every_type_pack(mode="test")
    assert Run.start(fixed, student="A", seed=1, now=NOW, mode="practice").attempt.mode == "test"
    with pytest.raises(ValueError):
        Run.start(PACK, student="A", seed=1, now=NOW, mode="exam")


def test_resume_continues_where_the_student_left_off():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW)
    for _ in range(3):
        run.answer(right_response(run.current), seconds=1)
    resumed = Run.resume(PACK, run.attempt)
    assert resumed.index == 3
    assert resumed.current.id == run.attempt.order[3]
    play(resumed, right_response)
    assert resumed.attempt.score == PACK.max_score


def test_resume_after_the_pack_changed_keeps_answers_and_adds_new_questions():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW)
    run.answer(right_response(run.current), seconds=1)
    gone = run.attempt.order[-1]
    smaller = every_type_pack(questions=tuple(q for q in PACK.questions if q.id != gone))
    resumed = Run.resume(smaller, run.attempt)
    assert gone not in resumed.attempt.order
    assert resumed.attempt.answers == run.attempt.answers


def test_confidence_is_required_when_asked():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW, confidence=True)
    with pytest.raises(AnswerError):
        run.answer(right_response(run.current), seconds=1)
    g = run.answer(right_response(run.current), seconds=1, confidence=3)
    assert g.cbm == 3 and run.attempt.answers[0].confidence == 3
    assert Run.resume(PACK, run.attempt).confidence


def test_confidence_is_ignored_when_not_asked():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW)
    g = run.answer(right_response(run.current), seconds=1, confidence=3)
    assert g.cbm is None and run.attempt.answers[0].confidence is None


def test_summary_per_skill_and_calibration():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW, confidence=True)
    while run.current is not None:
        q = run.current
        good = q.skill != "framing"
        run.answer(right_response(q) if good else wrong_response(q), seconds=1, confidence=3 if good else 1)
    s = run.summary()
    by = {k.skill: k for k in s.skills}
    assert by["source"].percent == 100 and by["framing"].percent == 0
    assert s.score == by["source"].score + by["sample-size"].score
    assert s.cbm == 3 * 5 + 0 * 4
    levels = {c.level: c for c in s.calibration}
    assert (levels[3].answered, levels[3].accuracy) == (5, 1.0)
    assert (levels[1].answered, levels[1].accuracy) == (4, 0.0)


# -- judgement versus doubt -----------------------------------------------

def test_signal_detection_matches_hand_computation():
    # 3 of 4 misleading caught, 1 of 2 fair called misleading.
    sd = signal_detection(3, 1, 1, 1)
    assert sd.hit_rate == pytest.approx(3.5 / 5)
    assert sd.false_alarm_rate == pytest.approx(1.5 / 3)
    # z(0.7) = 0.524401, z(0.5) = 0
    assert sd.d_prime == pytest.approx(0.524401, abs=1e-6)
    assert sd.c == pytest.approx(-0.262200, abs=1e-6)


def test_rates_of_zero_and_one_stay_finite():
    sd = signal_detection(4, 0, 0, 4)
    assert 0 < sd.false_alarm_rate < sd.hit_rate < 1
    assert sd.d_prime == pytest.approx(2 * 1.281552, abs=1e-5)  # rates 4.5/5 and 0.5/5: z = +-1.281552
    assert sd.c == pytest.approx(0.0, abs=1e-12)


def _verdict(qid, response, earned):
    return Answer(question=qid, skill="framing", response=response, score=1.0 if earned else 0.0, max=1.0)


def test_verdict_outcomes_from_the_attempt_file_alone():
    answers = [
        _verdict("a", "misleading", True),  # hit
        _verdict("b", "misleading", False),  # false alarm
        _verdict("c", "fair", True),  # correct rejection
        _verdict("d", "fair", False),  # miss
        Answer(question="e", skill="source", response="The council", score=1, max=1),
    ]
    sd = verdict_signal(answers)
    assert (sd.hits, sd.false_alarms, sd.correct_rejections, sd.misses) == (1, 1, 1, 1)
    assert verdict_signal(answers[4:]) is None


def test_a_student_who_doubts_everything_is_told_so():
    run = Run.start(PACK, student="Sam", seed=5, now=NOW)
    while run.current is not None:
        q = run.current
        run.answer("misleading" if q.type == "verdict" else right_response(q), seconds=1)
    sd = run.summary().verdicts
    assert sd.called_all_misleading and sd.false_alarms == 1 and sd.hits == 1
    assert "every claim misleading" in judgement_sentence(sd)


def test_judgement_sentences_name_the_pattern():
    assert "every time" in judgement_sentence(signal_detection(4, 0, 0, 4))
    assert "also called some fair claims misleading" in judgement_sentence(signal_detection(4, 0, 2, 2))
    assert "missed some misleading" in judgement_sentence(signal_detection(1, 3, 0, 4))
