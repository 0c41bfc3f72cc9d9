"""Packs exported as Moodle GIFT: each type mapped to its GIFT question, what
GIFT cannot hold listed as warnings, and importing the export giving back the
same questions, answers and explanations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.model import MatchItem, Option, Pack, Question
from quiz.packs import load_pack, load_pack_text
from quiz.packs.export import summarise_warnings
from quiz.packs.gift import read_gift, write_gift
from quiz.packs.imported import import_file
from quiz.packs.writer import dump_pack

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "import"
EVERY_TYPE = FIXTURES / "every-type.yaml"
BUNDLED = sorted((REPO / "questions").glob("*.yaml"))


def flat(text: str) -> str:
    return " ".join(text.split())


def as_gift_sees_it(q: Question, skills) -> tuple:
    """What of a question GIFT keeps: verdicts and phrases come back as choices."""
    qtype, prompt, options = q.type, q.prompt, [(flat(o.text), o.correct, flat(o.explain)) for o in q.options]
    if q.type == "verdict":
        qtype, prompt = "choice", f"{q.prompt}\n“{q.claim}”"
        options = [("Fair", q.verdict == "fair", ""), ("Misleading", q.verdict == "misleading", "")]
    elif q.type == "phrase":
        qtype = "choice"
    return (
        q.id,
        flat(skills[q.skill]),
        qtype,
        flat(prompt),
        flat(q.explain),
        options,
        (q.answer, q.tolerance, q.low, q.high),
        tuple(flat(a) for a in q.accept),
        [(flat(i.text), flat(i.answer)) for i in q.items],
        sorted(flat(c) for c in q.categories),
    )


def round_trip(pack: Pack) -> Pack:
    text, _ = write_gift(pack)
    imported = read_gift(text, path="export.gift")
    assert imported.skipped == 0, [str(n) for n in imported.notes]
    return imported.pack


def assert_same_after_gift(pack: Pack, back: Pack) -> None:
    assert [as_gift_sees_it(q, back.skills) for q in back.questions] == [
        as_gift_sees_it(q, pack.skills) for q in pack.questions
    ]


@pytest.mark.parametrize("path", BUNDLED + [EVERY_TYPE], ids=lambda p: p.name)
def test_importing_the_export_gives_the_same_questions_answers_and_explanations(path):
    pack = load_pack(path)
    back = round_trip(pack)
    assert_same_after_gift(pack, back)
    # And what comes back is a pack the validator accepts as it is.
    load_pack_text(dump_pack(back), path="back.yaml")


def test_the_bundled_packs_are_part_of_the_round_trip():
    assert BUNDLED, "questions/ should ship at least one pack"


def test_an_imported_moodle_file_survives_export_and_import_unchanged():
    pack = import_file(FIXTURES / "moodle-questions.gift.txt").pack
    text, warnings = write_gift(pack)
    assert warnings == []
    back = round_trip(pack)
    assert_same_after_gift(pack, back)
    assert [q.options for q in back.questions] == [q.options for q in pack.questions]


# -- how each type is written ------------------------------------------------


@pytest.fixture(scope="module")
def exported() -> tuple[str, list]:
    return write_gift(load_pack(EVERY_TYPE))


def question_text(gift: str, qid: str) -> str:
    return next(block for block in gift.split("\n\n") if block.startswith(f"::{qid}::"))


def test_skills_become_categories_before_their_questions(exported):
    gift, _ = exported
    assert "$CATEGORY: Who is the source?\n\n::who-said::" in gift
    assert "$CATEGORY: What do the figures count?\n\n::counts::" in gift


def test_choice_marks_the_right_option_and_gives_explanations_as_feedback(exported):
    block = question_text(exported[0], "who-said")
    assert "\t=The café #Yes\\: 'the café said'." in block
    assert "\t~\\{Nobody\\} \\~ \\#unknown" in block
    assert "\t####The café is talking about itself.\\nA checked figure would name who checked it.\n}" in block


def test_multi_weights_add_up_to_100_for_the_right_options_and_are_negative_for_wrong(exported):
    block = question_text(exported[0], "counts")
    weights = [float(w) for w in re.findall(r"~%(-?[\d.]+)%", block)]
    assert weights == [50, 50, -50, -50]
    assert sum(w for w in weights if w > 0) == 100


def test_multi_weights_for_three_right_options_use_moodle_grades():
    q = Question(id="m", skill="s", type="multi", prompt="Pick",
                 options=tuple(Option(t, correct=t != "d") for t in "abcd"))
    gift, _ = write_gift(Pack(id="p", title="P", questions=(q,), skills={"s": "S"}))
    assert re.findall(r"~%(-?[\d.]+)%", gift) == ["33.33333"] * 3 + ["-33.33333"]


def test_html_looking_text_is_marked_plain_so_moodle_shows_it_as_typed(exported):
    assert "::counts::[plain]Which" in exported[0]
    assert "::html-looking::[plain][html] is how Moodle marks HTML." in exported[0]


def test_verdict_is_a_fair_or_misleading_choice_with_the_claim_in_the_text(exported):
    block = question_text(exported[0], "unfair-claim")
    assert block.startswith("::unfair-claim::Is this claim fair?\\n“Everyone agrees it is the best café in town” {")
    assert "\t~Fair\n\t=Misleading" in block


def test_numbers_keep_their_margin_or_range(exported):
    gift = exported[0]
    assert "{#\n\t=40:0\n" in question_text(gift, "how-many")
    assert "{#\n\t=90:2.5\n}" in question_text(gift, "roughly")
    assert "{#\n\t=30..50\n}" in question_text(gift, "between")


def test_text_becomes_short_answer_with_literal_stars(exported):
    block = question_text(exported[0], "paper")
    assert "\t=The Example Gazette\n\t=Example Gazette\n\t=Gazette\\: Example\\*\n" in block


def test_match_lists_pairs_and_categories_without_items(exported):
    block = question_text(exported[0], "sort")
    assert "\t=prices fell by 50% -> fact\n\t=the best café in town -> opinion\n\t= -> neither\n" in block


def test_what_gift_cannot_say_is_listed_as_warnings(exported):
    warnings = "\n".join(map(str, exported[1]))
    for expected in (
        "the source text (the article) is not exported",
        "the content note is not exported",
        "question 'who-said': its hint is not exported",
        "question 'who-said': its claim is not exported",
        "question 'counts': its points (2) are not exported",
        "question 'how-many': its unit 'people' is not exported",
        "question 'sort': the explanation for 'prices fell by 50%' is not exported",
        "question 'loaded': exported as a multiple-choice question",
        "question 'fair-claim': exported as a choice between 'Fair' and 'Misleading'",
    ):
        assert expected in warnings


def test_warnings_are_said_once_per_kind_with_a_count_and_the_questions(exported):
    lines = summarise_warnings(exported[1])
    assert len(lines) == len({w.kind for w in exported[1]})
    assert "the source text (the article) is not exported: GIFT has no place for it" in lines
    assert "1 hint is not exported (GIFT has no hints): who-said" in lines
    assert "2 questions' points are not exported (GIFT files carry no marks): counts, sort" in lines
    assert (
        "2 verdict questions are exported as a choice between 'Fair' and 'Misleading', "
        "with the claim in their text: fair-claim, unfair-claim"
    ) in lines


def test_the_export_is_well_formed_gift_moodle_would_split_into_questions(exported):
    gift = exported[0]
    blocks = [b for b in gift.split("\n\n") if b.strip() and not b.startswith("//")]
    questions = [b for b in blocks if not b.startswith("$CATEGORY:")]
    assert len(questions) == len(load_pack(EVERY_TYPE).questions)
    assert all(b.rstrip().endswith("}") for b in questions)


# -- any text survives the trip ----------------------------------------------

words = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85")
    | st.sampled_from(list("{}~=#:%\\[]<>&*\n") + ["[html]", "%50%", "\\n", "&amp;", "T", "//"]),
    min_size=1,
    max_size=12,
).map("".join).filter(lambda s: any(ch.isalnum() for ch in s) and "->" not in s)


def distinct(texts: list[str]) -> bool:
    return len({flat(t) for t in texts}) == len(texts)


@st.composite
def random_pack(draw) -> Pack:
    options = draw(st.lists(words, min_size=2, max_size=4).filter(distinct))
    explains = [draw(st.sampled_from(["", "Because."]) | words) for _ in options]
    right = draw(st.integers(0, len(options) - 1))
    items = draw(st.lists(words, min_size=1, max_size=3).filter(distinct))
    categories = draw(st.lists(words, min_size=2, max_size=3).filter(distinct))
    number = draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)))
    questions = (
        Question(id="c", skill="s", type="choice", prompt=draw(words), explain=draw(words),
                 options=tuple(Option(t, i == right, e) for i, (t, e) in enumerate(zip(options, explains)))),
        Question(id="m", skill="s", type="multi", prompt=draw(words),
                 options=tuple(Option(t, i != right, e) for i, (t, e) in enumerate(zip(options, explains)))),
        Question(id="t", skill="s", type="text", prompt=draw(words), accept=tuple(options)),
        Question(id="n", skill="s", type="number", prompt=draw(words), answer=number,
                 tolerance=draw(st.sampled_from([0.0, 0.5, 2.0]))),
        Question(id="x", skill="s", type="match", prompt=draw(words),
                 items=tuple(MatchItem(t, draw(st.sampled_from(categories))) for t in items),
                 categories=tuple(categories)),
    )
    label = draw(words)
    return Pack(id="p", title="P", questions=questions, skills={"s": label})


@settings(max_examples=200, deadline=None)
@given(random_pack())
def test_any_text_comes_back_from_gift_as_it_went(pack):
    back = round_trip(pack)
    assert_same_after_gift(pack, back)
