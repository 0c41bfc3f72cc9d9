"""Warnings for traps in writing questions, and `quiz validate --strict`.

Each check is shown firing on a small pack and staying quiet on its fixed
form, so the warnings are useful and not noise. The exact messages are in
tests/fixtures/packs/good/writing-traps.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.cli import main
from quiz.packs import check_text
from quiz.packs.traps import one_rule_guesses

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "packs" / "good" / "writing-traps.yaml"

HEAD = """\
pack: 1
id: traps
title: Traps
source:
  text: |
    The council said visits rose. The library is the best in the county.
    Priya Shah, the library manager, counted 12,600 visits.
"""


def warnings(questions: str, head: str = HEAD) -> list[str]:
    pack, problems = check_text(head + "questions:\n" + questions, "t.yaml")
    assert pack is not None, [str(p) for p in problems]
    assert all(not p.is_error for p in problems)
    return [p.message for p in problems]


def choice(qid: str, prompt: str, right: str, *wrong: str) -> str:
    options = "".join(f"      - {{text: \"{w}\"}}\n" for w in wrong)
    return (f"  - id: {qid}\n    skill: source\n    type: choice\n    prompt: \"{prompt}\"\n"
            f"    options:\n      - {{text: \"{right}\", correct: true}}\n{options}")


def verdict(qid: str, claim: str, key: str, hint: str = "") -> str:
    extra = f"    hint: {hint}\n" if hint else ""
    return (f"  - id: {qid}\n    skill: framing\n    type: verdict\n    claim: \"{claim}\"\n"
            f"    prompt: Is this fairly reported?\n    verdict: {key}\n{extra}")


def test_the_right_option_longest_in_most_questions_is_flagged_once_and_located():
    longest = (choice("a", "Who?", "The library manager", "The council")
               + choice("b", "What?", "A count of the visits", "A guess")
               + choice("c", "Where?", "At the library itself", "Online"))
    found = warnings(longest)
    assert found == [found[0]] and "the right option is the longest in 3 of the 3" in found[0]
    # Three of six is not most: no warning.
    fair = (longest + choice("d", "When?", "2024", "Last year") + choice("e", "Why?", "Ok", "Because")
            + choice("f", "How?", "Counted", "By a survey"))
    assert warnings(fair) == []
    # Fewer than three single-answer questions: too few to tell from chance.
    assert warnings(choice("a", "Who?", "The library manager", "The council")) == []


def test_all_or_none_of_the_above_is_flagged_at_the_option():
    pack, problems = check_text(HEAD + "questions:\n" + choice("a", "Who?", "None of the above", "The council", "Netflix"), "t.yaml")
    (problem,) = problems
    assert "is \"none of the above\"" in problem.message
    assert (problem.line, problem.col) == (14, 16)  # the option, under `options:` on line 13


def test_a_prompt_holding_its_answer_is_flagged_unless_it_names_a_wrong_one_too():
    assert any("contains its own answer, \"The council\"" in w
               for w in warnings(choice("a", "What did the council say?", "The council", "The library")))
    assert warnings(choice("a", "The council or the library?", "The council", "The library")) == []
    text = "  - id: t\n    skill: source\n    type: text\n    prompt: Which manager, Priya Shah, counted?\n    accept: [Priya Shah]\n"
    assert any("contains its own answer" in w for w in warnings(text))


def test_an_answer_given_away_by_another_question_depends_on_the_order():
    leak = ("  - id: early\n    skill: source\n    type: choice\n    prompt: Who said visits rose?\n"
            "    explain: Not the manager; she counted them (see also who-counted).\n"
            "    options:\n      - {text: The council, correct: true}\n      - {text: The library}\n"
            "  - id: who-counted\n    skill: source\n    type: text\n    prompt: Who counted the visits?\n"
            "    accept: [Priya Shah, library manager]\n")
    shuffled = warnings(leak)
    assert len(shuffled) == 1 and "names question `who-counted`" in shuffled[0]
    # In a fixed order, only a question asked earlier can give another away.
    assert len(warnings(leak, HEAD + "shuffle: none\n")) == 1
    moved = leak[leak.index("  - id: who-counted"):] + leak[:leak.index("  - id: who-counted")]
    assert warnings(moved, HEAD + "shuffle: none\n") == []
    # The answer typed word for word in another explanation.
    given = leak.replace("(see also who-counted)", "(the library manager)")
    assert any("holds the answer of question `who-counted`, \"library manager\"" in w for w in warnings(given))


def test_a_hyphenated_word_of_the_article_is_not_a_question_s_name():
    head = HEAD.replace("visits rose.", "visits rose six-fold.")
    qs = (choice("a", "What does six-fold mean?", "Six times as many", "Six more")
          + verdict("six-fold", "visits rose six-fold", "misleading"))
    assert not any("names question" in w for w in warnings(qs, head))


def test_verdicts_all_one_way_or_mostly_one_way_are_flagged():
    two = verdict("v1", "The council said visits rose", "misleading") + verdict("v2", "The library is the best in the county", "misleading")
    assert any("every verdict question in this pack is `misleading`" in w for w in warnings(two))
    five = two + "".join(verdict(f"f{i}", "counted 12,600 visits", "misleading" if i == 0 else "fair") for i in range(3))
    assert any("3 of the 5 verdict questions" in w for w in warnings(five)) is False
    assert any("4 of the 5 verdict questions are `misleading`" in w
               for w in warnings(five.replace("verdict: fair", "verdict: misleading", 1)))


def test_surface_cues_are_judged_only_on_eight_verdicts_or_more():
    claims = ["The council said visits rose", "The library is the best in the county",
              "Priya Shah, the library manager, counted 12,600 visits", "visits rose"]
    hinted = "".join(verdict(f"m{i}", claims[i % 4], "misleading", hint="Look again.") for i in range(4))
    plain = "".join(verdict(f"f{i}", claims[i % 4], "fair") for i in range(4))
    found = warnings(hinted + plain)
    assert any('answering "misleading" when the question offers a hint and "fair" otherwise gets 8 of 8' in w
               for w in found)
    assert not any("surface cue" in w for w in warnings(hinted[: hinted.index("  - id: m3")] + plain[: plain.index("  - id: f3")]))


def test_one_rule_guesses_cover_each_cue_both_ways():
    pack, _ = check_text(FIXTURE.read_text(encoding="utf-8"))
    guesses = {g.name: (g.right, g.total) for g in one_rule_guesses(pack)}
    assert guesses['all "misleading"'] == (5, 8) and guesses['all "fair"'] == (3, 8)
    assert guesses["quote marks -> fair, else misleading"] == (8, 8)
    assert guesses["quote marks -> misleading, else fair"] == (0, 8)
    assert len(guesses) == 2 + 7 * 2


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 2)])
def test_strict_makes_warnings_errors(capsys, strict, code):
    argv = ["validate", str(FIXTURE)] + (["--strict"] if strict else [])
    assert main(argv) == code
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 11 and all(line.startswith(f"{FIXTURE}:") for line in lines)
    assert all((": warning: " in line) != strict for line in lines)
    assert captured.out.strip() == f"1 pack, 12 questions, {11 if strict else 0} errors"
