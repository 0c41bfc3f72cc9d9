"""Packs exported as Moodle XML: each type mapped to a Moodle question with its
feedback, hints and marks, what Moodle XML cannot hold listed as warnings, and
importing the export giving back the same questions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.cli import main
from quiz.model import MatchItem, Option, Pack, Question, Section
from quiz.packs import load_pack, load_pack_text
from quiz.packs.export import summarise_warnings
from quiz.packs.imported import import_file
from quiz.packs.moodle_xml import read_moodle_xml, write_moodle_xml
from quiz.packs.writer import dump_pack

REPO = Path(__file__).resolve().parent.parent
EVERY_TYPE = Path(__file__).parent / "fixtures" / "import" / "every-type.yaml"
MOODLE = Path(__file__).parent / "fixtures" / "import" / "moodle"
BUNDLED = sorted((REPO / "questions").glob("*.yaml"))


def flat(text: str) -> str:
    return " ".join(text.split())


def interval(q: Question) -> tuple | None:
    """What a number question accepts: Moodle has no ranges, only an answer and a margin."""
    if q.type != "number":
        return None
    if q.low is not None and q.high is not None:
        return (round(q.low, 9), round(q.high, 9))
    return (round(q.answer - q.tolerance, 9), round(q.answer + q.tolerance, 9))


def as_moodle_sees_it(q: Question, label: str) -> tuple:
    """What of a question Moodle XML keeps: verdicts and phrases come back as choices."""
    qtype, prompt = q.type, q.prompt
    options = [(flat(o.text), o.correct, flat(o.explain)) for o in q.options]
    if q.type == "verdict":
        qtype, prompt = "choice", f"{q.prompt}\n“{q.claim}”"
        options = [("Fair", q.verdict == "fair", ""), ("Misleading", q.verdict == "misleading", "")]
    elif q.type == "phrase":
        qtype = "choice"
    return (
        q.id, flat(label), qtype, flat(prompt), flat(q.explain), flat(q.hint), q.points,
        options, interval(q), q.unit, tuple(flat(a) for a in q.accept),
        [(flat(i.text), flat(i.answer)) for i in q.items], sorted(flat(c) for c in q.categories),
    )


def round_trip(pack: Pack) -> Pack:
    text, _ = write_moodle_xml(pack)
    imported = read_moodle_xml(text, path="export.xml")
    assert imported.skipped == 0, [str(n) for n in imported.notes]
    return imported.pack


def seen(pack: Pack) -> list[tuple]:
    def label(q: Question) -> str:
        section = pack.section_of(q.id)
        return section.title if section else pack.skills[q.skill]

    return sorted(as_moodle_sees_it(q, label(q)) for q in pack.questions)


@pytest.mark.parametrize("path", BUNDLED + [EVERY_TYPE], ids=lambda p: p.name)
def test_importing_the_export_gives_the_same_questions_keys_explanations_and_hints(path):
    pack = load_pack(path)
    back = round_trip(pack)
    assert seen(back) == seen(pack)
    # And what comes back is a pack the validator accepts as it is.
    load_pack_text(dump_pack(back), path="back.yaml")


def test_the_bundled_packs_are_part_of_the_round_trip():
    assert len(BUNDLED) >= 2, "questions/ should ship the warm-up and the main pack"


def test_the_bundled_packs_keep_their_hints_and_option_feedback():
    pack = load_pack(REPO / "questions" / "com-networks-2025.yaml")
    back = round_trip(pack)
    assert [q.hint for q in back.questions if q.hint] == [q.hint for q in pack.questions if q.hint]
    assert sum(1 for q in back.questions for o in q.options if o.explain) == sum(
        1 for q in pack.questions if q.type != "verdict" for o in q.options if o.explain
    )


def test_an_imported_moodle_file_survives_export_and_import_unchanged():
    pack = import_file(MOODLE / "every-construct.xml").pack
    text, warnings = write_moodle_xml(pack)
    assert summarise_warnings(warnings) == []
    back = round_trip(pack)
    assert back.questions == tuple(replace(q, line=b.line) for q, b in zip(pack.questions, back.questions))
    assert back.sections == pack.sections


# -- what the file says ----------------------------------------------------------


@pytest.fixture(scope="module")
def exported() -> tuple[ET.Element, list]:
    text, warnings = write_moodle_xml(load_pack(EVERY_TYPE))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    return ET.fromstring(text), warnings


def question(root: ET.Element, qid: str) -> ET.Element:
    return next(q for q in root.iter("question") if q.findtext("idnumber") == qid)


def test_skills_become_categories_before_their_questions(exported):
    root, _ = exported
    kinds = [q.get("type") for q in root.iter("question")]
    assert kinds[0] == "category"
    paths = [q.findtext("category/text") for q in root.iter("question") if q.get("type") == "category"]
    title = load_pack(EVERY_TYPE).title.replace("/", "//")
    assert paths[0] == f"$course$/top/{title}/Who is the source?"


def test_a_slash_in_a_category_name_is_doubled_as_moodle_writes_it():
    pack = Pack(id="p", title="Year 10/11", skills={"s": "Sources and/or evidence"}, questions=(
        Question(id="t", skill="s", type="text", prompt="Who?", accept=("me",)),
    ))
    root = ET.fromstring(write_moodle_xml(pack)[0])
    assert root.find("question/category/text").text == "$course$/top/Year 10//11/Sources and//or evidence"
    assert [s.title for s in round_trip(pack).sections] == ["Sources and/or evidence"]


def test_sections_become_categories_in_their_order():
    pack = load_pack(EVERY_TYPE)
    ids = [q.id for q in pack.questions]
    pack = replace(pack, sections=(Section("Part two", tuple(ids[5:]), draw=2), Section("Part one", tuple(ids[:5]))))
    text, warnings = write_moodle_xml(pack)
    root = ET.fromstring(text)
    paths = [q.findtext("category/text").rsplit("/", 1)[1] for q in root.iter("question") if q.get("type") == "category"]
    assert paths == ["Part two", "Part one"]
    assert [q.findtext("idnumber") for q in root.iter("question") if q.get("type") != "category"] == ids[5:] + ids[:5]
    assert "1 section's draw is not exported: every question is (Moodle draws with a random question in the quiz)" in summarise_warnings(warnings)
    back = round_trip(pack)
    assert [(s.title, set(s.questions)) for s in back.sections] == [("Part two", set(ids[5:])), ("Part one", set(ids[:5]))]


def test_choice_is_single_answer_multichoice_with_feedback_hint_and_general_feedback(exported):
    root, _ = exported
    q = question(root, "who-said")
    pack_q = load_pack(EVERY_TYPE).question("who-said")
    assert q.get("type") == "multichoice" and q.findtext("single") == "true"
    answers = q.findall("answer")
    assert [a.get("fraction") for a in answers] == ["100" if o.correct else "0" for o in pack_q.options]
    assert [a.findtext("feedback/text") for a in answers] == [o.explain for o in pack_q.options]
    assert q.findtext("generalfeedback/text") == pack_q.explain
    assert q.find("questiontext").get("format") == "plain_text"


def test_hints_and_points_are_kept(exported):
    root, _ = exported
    pack = load_pack(EVERY_TYPE)
    hinted = next(q for q in pack.questions if q.hint)
    assert question(root, hinted.id).findtext("hint/text") == hinted.hint
    for q in pack.questions:
        assert float(question(root, q.id).findtext("defaultgrade")) == q.points


def test_multi_fractions_share_100_among_right_options_and_take_as_much_for_wrong(exported):
    root, _ = exported
    pack_q = next(q for q in load_pack(EVERY_TYPE).questions if q.type == "multi")
    q = question(root, pack_q.id)
    assert q.findtext("single") == "false"
    fractions = [float(a.get("fraction")) for a in q.findall("answer")]
    share = 100 / len(pack_q.correct_options)
    assert fractions == pytest.approx([share if o.correct else -share for o in pack_q.options], abs=1e-5)


def test_verdict_is_a_fair_or_misleading_choice_with_the_claim_in_the_text(exported):
    root, _ = exported
    pack_q = load_pack(EVERY_TYPE).question("fair-claim")
    q = question(root, "fair-claim")
    assert q.findtext("questiontext/text") == f"{pack_q.prompt}\n“{pack_q.claim}”"
    assert [(a.findtext("text"), a.get("fraction")) for a in q.findall("answer")] == [("Fair", "100"), ("Misleading", "0")]


def test_numbers_keep_their_margin_and_unit_and_ranges_their_middle(exported):
    root, _ = exported
    for pack_q in (q for q in load_pack(EVERY_TYPE).questions if q.type == "number"):
        q = question(root, pack_q.id)
        answer = float(q.findtext("answer/text"))
        tolerance = float(q.findtext("answer/tolerance"))
        assert (round(answer - tolerance, 9), round(answer + tolerance, 9)) == interval(pack_q)
        if pack_q.unit:
            assert q.findtext("units/unit/unit_name") == pack_q.unit
            assert q.findtext("units/unit/multiplier") == "1"


def test_text_becomes_short_answer_ignoring_case_with_literal_stars():
    pack = Pack(id="p", title="P", skills={"s": "S"}, questions=(
        Question(id="t", skill="s", type="text", prompt="Type 5*2", accept=("5*2", "ten")),
    ))
    root = ET.fromstring(write_moodle_xml(pack)[0])
    q = question(root, "t")
    assert q.findtext("usecase") == "0"
    assert [a.findtext("text") for a in q.findall("answer")] == ["5\\*2", "ten"]
    assert round_trip(pack).question("t").accept == ("5*2", "ten")


def test_match_lists_subquestions_and_categories_without_items(exported):
    root, _ = exported
    pack_q = next(q for q in load_pack(EVERY_TYPE).questions if q.type == "match")
    q = question(root, pack_q.id)
    subs = [(s.findtext("text"), s.findtext("answer/text")) for s in q.findall("subquestion")]
    assert subs[: len(pack_q.items)] == [(i.text, i.answer) for i in pack_q.items]
    unused = [c for c in pack_q.categories if not any(i.answer == c for i in pack_q.items)]
    assert subs[len(pack_q.items):] == [("", c) for c in unused]


def test_text_that_looks_like_html_comes_back_as_typed():
    pack = Pack(id="p", title="P", skills={"s": "S"}, questions=(
        Question(id="c", skill="s", type="choice", prompt="Is <b>this</b> & that bold?\nSecond line",
                 explain="No: it's <b> & ]]> typed",
                 options=(Option("<i>Yes</i>", True, "&amp; stays"), Option("No"))),
    ))
    back = round_trip(pack).question("c")
    original = pack.question("c")
    assert (back.prompt, back.explain, back.options) == (original.prompt, original.explain, original.options)


def test_what_moodle_xml_cannot_hold_is_listed_once_per_kind_with_a_count_and_the_ids(exported):
    _, warnings = exported
    lines = summarise_warnings(warnings)
    assert lines == [
        "the source text (the article) is not exported: Moodle XML has no place for it",
        "the content note is not exported: Moodle XML has no place for it",
        "1 claim is not exported (Moodle has no source text to point into): who-said",
        "1 phrase question is exported as multiple choice: Moodle cannot highlight phrases in a source: loaded",
        "1 match explanation is not exported (Moodle matching has no feedback for each item): sort",
        "2 verdict questions are exported as a choice between 'Fair' and 'Misleading', with the claim in their text: fair-claim, unfair-claim",
    ]


def test_a_multi_share_missing_from_moodles_grade_list_is_warned_about():
    options = tuple(Option(f"Right {n}", True) for n in range(11)) + (Option("Wrong", False),)
    pack = Pack(id="p", title="P", skills={"s": "S"}, questions=(
        Question(id="many", skill="s", type="multi", prompt="Pick the right ones", options=options),
    ))
    _, warnings = write_moodle_xml(pack)
    assert summarise_warnings(warnings) == [
        "1 multi question gives its right options a share that is not on Moodle's list of grades: "
        "choose 'Nearest grade if not listed' when importing: many"
    ]


def test_typo_allowances_are_warned_about():
    pack = Pack(id="p", title="P", skills={"s": "S"}, questions=(
        Question(id="t", skill="s", type="text", prompt="Spell it", accept=("journalism",), typos=1),
    ))
    assert summarise_warnings(write_moodle_xml(pack)[1]) == [
        "1 text question's typo allowance is not exported (Moodle matches short answers exactly): t"
    ]


# -- the command line -------------------------------------------------------------


def test_quiz_export_to_moodle_xml_writes_the_file_and_warns_once_per_kind(tmp_path, capsys):
    target = tmp_path / "bank.xml"
    assert main(["export", str(EVERY_TYPE), "--to", "moodle-xml", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert f"Wrote 11 questions as Moodle XML to {target}" in out
    assert err.count("warning: ") == 6
    assert "warning: 2 verdict questions are exported as a choice between 'Fair' and 'Misleading'" in err
    assert ET.parse(target).getroot().tag == "quiz"
    assert main(["import", str(target), "-o", str(tmp_path / "back.yaml")]) == 0
    assert "11 imported, 0 skipped" in capsys.readouterr().out


def test_quiz_export_refuses_an_existing_file_before_saying_anything_else(tmp_path, capsys):
    target = tmp_path / "bank.xml"
    target.write_text("mine", encoding="utf-8")
    assert main(["export", str(EVERY_TYPE), "--to", "moodle-xml", "-o", str(target)]) == 2
    _, err = capsys.readouterr()
    assert err.strip() == f"{target} already exists. Add --force to replace it."
    assert target.read_text(encoding="utf-8") == "mine"


# -- any text survives the trip ----------------------------------------------------

words = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85\ufffe\uffff")
    | st.sampled_from(list("<>&*\"'\n/") + ["]]>", "&amp;", "<b>", "@@", "//", "$course$"]),
    min_size=1,
    max_size=12,
).map("".join).filter(lambda s: any(ch.isalnum() for ch in s))


@st.composite
def random_pack(draw) -> Pack:
    options = draw(st.lists(words, min_size=2, max_size=4, unique_by=flat))
    right = draw(st.integers(0, len(options) - 1))
    items = draw(st.lists(words, min_size=1, max_size=3, unique_by=flat))
    categories = draw(st.lists(words, min_size=2, max_size=3, unique_by=flat))
    questions = (
        Question(id="c", skill="s", type="choice", prompt=draw(words), explain=draw(words), hint=draw(words),
                 options=tuple(Option(t, i == right, draw(words)) for i, t in enumerate(options))),
        Question(id="x", skill="s", type="match", prompt=draw(words),
                 items=tuple(MatchItem(t, draw(st.sampled_from(categories))) for t in items),
                 categories=tuple(categories)),
    )
    # Moodle cannot tell a "/" at either end of a category's name from the path's separator.
    label = draw(words.filter(lambda s: s.strip() == s.strip().strip("/")))
    return Pack(id="p", title=draw(words), questions=questions, skills={"s": label})


@settings(max_examples=150, deadline=None)
@given(random_pack())
def test_any_text_comes_back_from_moodle_xml_as_it_went(pack):
    assert seen(round_trip(pack)) == seen(pack)


def test_a_character_xml_cannot_hold_becomes_a_replacement_character_not_a_broken_file():
    pack = load_pack(EVERY_TYPE)
    pack = replace(pack, title=pack.title + "\ufffe")
    text, _ = write_moodle_xml(pack)
    assert "\ufffe" not in text and "\ufffd" in text
    assert read_moodle_xml(text, path="export.xml").pack.questions  # it reads back
