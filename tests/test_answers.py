"""Typed answers are marked as a teacher would mark them (quiz/answers.py).

Capitals, spacing, punctuation and a leading "the" never matter; a name with
its other form in brackets counts either way round; `typos: N` forgives a few
wrong letters, but only in answers long enough for that to be safe.
"""

from __future__ import annotations

import pytest

from quiz.answers import CHARACTERS_PER_TYPO, allowed_typos, edit_distance, text_is_accepted
from quiz.engine import grade
from quiz.model import Question

IWF = ["Internet Watch Foundation", "IWF"]
WHO_COUNTED = ["Priya Shah", "Shah", "Ms Shah", "Library manager Priya Shah", "library manager", "manager"]


def text_question(accept, typos=0) -> Question:
    return Question(id="q", skill="source", type="text", prompt="Who?", accept=tuple(accept), typos=typos)


@pytest.mark.parametrize("typed", [
    "Internet Watch Foundation", "internet watch foundation", "  Internet   Watch Foundation. ",
    "the Internet Watch Foundation", "The IWF", "I.W.F.", "iwf!",
])
def test_case_spacing_punctuation_and_a_leading_the_never_matter(typed):
    assert text_is_accepted(typed, IWF)


@pytest.mark.parametrize("typed", [
    "IWF (Internet Watch Foundation)", "Internet Watch Foundation (IWF)",
    "the IWF (the Internet Watch Foundation)", "Internet Watch Foundation [IWF]",
])
def test_a_name_with_its_abbreviation_in_brackets_counts_either_way_round(typed):
    assert text_is_accepted(typed, IWF)


def test_a_bracketed_accepted_answer_matches_the_other_way_round_but_not_a_part_alone():
    accept = ["Internet Watch Foundation (IWF)"]
    assert text_is_accepted("IWF (Internet Watch Foundation)", accept)
    assert text_is_accepted("internet watch foundation (iwf)", accept)
    # Each part alone counts only where the accept list has it.
    assert not text_is_accepted("IWF", accept)
    assert not text_is_accepted("Internet Watch Foundation", accept)
    assert text_is_accepted("IWF", accept + ["IWF"])


def test_brackets_round_a_wrong_expansion_are_wrong():
    assert not text_is_accepted("IWF (International Wrestling Federation)", IWF)
    assert not text_is_accepted("NCA (Internet Watch Foundation)", IWF)


@pytest.mark.parametrize("typed", [
    "Library manager Priya Shah", "Ms Shah", "the manager", "Priya Shah, the library manager",
    "Shah (library manager)",
])
def test_the_names_issue_15_asks_for_are_right(typed):
    assert grade(text_question(WHO_COUNTED, typos=2), typed).correct


def test_typos_are_forgiven_only_in_answers_long_enough():
    q = text_question(IWF, typos=2)
    assert grade(q, "Internet Wach Foundation").correct  # one letter left out
    assert grade(q, "Interent Watch Foundaton").correct  # two: a swap and a letter left out
    assert not grade(q, "Intrent Wach Foundaton").correct  # three
    # "IWF" has 3 letters: fewer than one typo's worth, so it must be exact.
    for near in ("IMF", "IW", "IWFF", "it", "if"):
        assert not grade(q, near).correct, near


def test_a_four_letter_name_allows_one_typo_and_no_more():
    q = text_question(["Shah"], typos=2)
    assert grade(q, "Shaw").correct
    assert not grade(q, "she").correct  # two edits from "shah"
    assert not grade(q, "Sam").correct


def test_without_typos_every_letter_counts():
    assert not grade(text_question(IWF), "Internet Wach Foundation").correct


def test_allowed_typos_is_one_per_four_letters_up_to_the_pack_s_number():
    assert CHARACTERS_PER_TYPO == 4
    assert allowed_typos("IWF", 2) == 0
    assert allowed_typos("the IWF", 2) == 0  # "the" is not counted
    assert allowed_typos("Shah", 2) == 1
    assert allowed_typos("Priya Shah", 2) == 2
    assert allowed_typos("Internet Watch Foundation", 2) == 2
    assert allowed_typos("Internet Watch Foundation", 0) == 0


def test_edit_distance_counts_a_swap_as_one_and_stops_past_the_limit():
    assert edit_distance("shah", "shah", 2) == 0
    assert edit_distance("shah", "sahh", 2) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # "more than 1"
    assert edit_distance("a", "abcdef", 2) == 3


def test_an_answer_of_only_punctuation_is_refused_not_marked():
    from quiz.engine import AnswerError

    with pytest.raises(AnswerError):
        grade(text_question(IWF), "?!")
