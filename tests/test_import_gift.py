"""Reading Moodle GIFT into packs: each construct on its own, Moodle's own test
file, the untidiness of real files, and the notes a teacher reads afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.model import MatchItem, Option
from quiz.packs import PackError, load_pack_text
from quiz.packs.gift import read_gift
from quiz.packs.imported import Imported, import_file
from quiz.packs.writer import dump_pack

FIXTURES = Path(__file__).parent / "fixtures" / "import"
MOODLE_GIFT = FIXTURES / "moodle-questions.gift.txt"


def only(text: str) -> tuple:
    """The single question of a GIFT text, and the notes."""
    imported = read_gift(text, path="t.gift")
    assert len(imported.pack.questions) == 1, [str(n) for n in imported.notes]
    return imported.pack.questions[0], imported.notes


def skipped(text: str) -> str:
    """The warning for a GIFT text whose only question is skipped."""
    imported = read_gift(text, path="t.gift")
    assert imported.pack.questions == () and imported.skipped == 1
    (warning,) = imported.warnings
    return str(warning)


def messages(notes) -> str:
    return "\n".join(str(n) for n in notes)


def valid(imported: Imported):
    """The pack as the validator reads it back from the YAML `quiz import` writes."""
    return load_pack_text(dump_pack(imported.pack), path="imported.yaml")


# -- Moodle's own test file ------------------------------------------------


def test_moodle_file_imports_all_it_can_and_says_what_it_skipped():
    imported = import_file(MOODLE_GIFT)
    types = {q.id: q.type for q in imported.pack.questions}
    assert types == {
        "moodle-activities": "match",
        "q2": "choice",
        "colours": "multi",
        "q5": "number",
        "shortanswer": "text",
        "q1": "choice",
        "2-08-tsl": "choice",
        "2-08-tsl-2": "choice",
    }
    assert (imported.imported, imported.skipped) == (8, 1)
    (essay,) = imported.warnings
    assert (essay.line, essay.severity) == (2, "warning")
    assert "essay" in essay.message and "'Q8'" in essay.message


def test_moodle_file_gives_a_pack_the_validator_accepts():
    pack = valid(import_file(MOODLE_GIFT))
    assert pack.id == "moodle-questions"
    assert pack.title == "Moodle questions"
    assert pack.source is None
    assert dict(pack.skills) == {"general": "General"}
    assert {q.skill for q in pack.questions} == {"general"}


def test_question_lines_point_at_the_question_not_its_comment():
    lines = {q.id: q.line for q in import_file(MOODLE_GIFT).pack.questions}
    assert lines["moodle-activities"] == 5
    assert lines["q2"] == 14
    assert lines["q1"] == 41


def test_report_lists_imported_changed_and_skipped_with_lines():
    report = import_file(MOODLE_GIFT).report()
    assert report[-1] == "8 imported, 1 skipped"
    assert any(line.endswith(":2:1: warning: skipped: 'Q8': an essay question ({} with no answers): "
                             "the quiz cannot mark essays") for line in report)
    assert any(":14:1: imported choice question 'q2'" in line for line in report)
    assert any(":36:" in line and "note:" in line and "Cat" in line for line in report)


# -- each type ---------------------------------------------------------------


def test_right_and_wrong_answers_become_a_choice_with_feedback_as_explanations():
    q, _ = only("::Q2:: What's between orange and green?\n{\n =yellow # right; good!\n ~red # wrong\n ~blue\n}")
    assert q.type == "choice"
    assert q.prompt == "What's between orange and green?"
    assert q.options == (
        Option("yellow", correct=True, explain="right; good!"),
        Option("red", explain="wrong"),
        Option("blue"),
    )


def test_weights_become_multi_with_the_positive_ones_correct():
    q, _ = only("Pick two {~%50%yellow ~%-100%red ~%50%off-beige ~%-100%blue}")
    assert q.type == "multi"
    assert [o.text for o in q.options if o.correct] == ["yellow", "off-beige"]


def test_unequal_weights_are_noted_since_the_quiz_scores_multi_its_own_way():
    q, notes = only("Pick {~%70%a ~%30%b ~%-100%c}")
    assert q.type == "multi"
    assert "weights not kept" in messages(notes)


def test_several_equals_in_a_multiple_choice_becomes_multi_with_a_warning():
    imported = read_gift("Pick {=a =b ~c}", path="t.gift")
    assert imported.pack.questions[0].type == "multi"
    assert "several answers are marked right" in messages(imported.warnings)


def test_partial_credit_in_a_choice_is_noted():
    q, notes = only("Pick {=a ~%50%b ~c}")
    assert q.type == "choice" and q.correct_options == (Option("a", correct=True),)
    assert "'b' gave 50% in Moodle" in messages(notes)


@pytest.mark.parametrize(
    "answer, true_is_right",
    [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)],
)
def test_true_false_becomes_a_choice_of_true_and_false(answer, true_is_right):
    q, _ = only(f"The sun rises in the east.{{{answer}}}")
    assert q.type == "choice"
    assert [(o.text, o.correct) for o in q.options] == [("True", true_is_right), ("False", not true_is_right)]


def test_true_false_feedback_is_wrong_first_then_right_as_moodle_documents():
    q, _ = only("::Q1:: 42 is the Absolute Answer.{\nFALSE#42 is the Ultimate Answer.#You gave the right answer.\n"
                "####A Hitchhiker's Guide reference.}")
    true, false = q.options
    assert false.correct and false.explain == "You gave the right answer."
    assert not true.correct and true.explain == "42 is the Ultimate Answer."
    assert q.explain == "A Hitchhiker's Guide reference."

    q, _ = only("It is true.{T#shown when wrong#shown when right}")
    true, false = q.options
    assert true.correct and true.explain == "shown when right"
    assert false.explain == "shown when wrong"


def test_short_answers_become_text_and_a_lone_wildcard_is_dropped_with_a_note():
    imported = read_gift(
        "::Shortanswer::Which is the best animal?{\n"
        "    =Frog#Good!\n"
        "    =%50%Cat#Cats again?\n"
        "    =%0%*#Completely wrong\n"
        "}",
        path="t.gift",
    )
    (q,) = imported.pack.questions
    assert q.type == "text" and q.accept == ("Frog",)
    notes = {n.line: n.message for n in imported.notes}
    assert "'*'" in notes[4] and "dropped" in notes[4]
    assert "'Cat' gave 50%" in notes[3]
    assert all(n.severity == "note" for n in imported.notes)


def test_short_answer_keeps_every_full_marks_answer():
    q, _ = only("Who's buried in Grant's tomb?{=no one =nobody}")
    assert q.accept == ("no one", "nobody")


def test_short_answer_with_only_a_wildcard_is_skipped():
    assert "no answer gets full marks" in skipped("Say anything {=*}")


def test_numerical_with_a_margin():
    q, _ = only("When was Ulysses S. Grant born?{#1822:5}")
    assert (q.type, q.answer, q.tolerance, q.low, q.high) == ("number", 1822, 5, None, None)


def test_numerical_exact():
    q, _ = only("How many?{#42}")
    assert (q.answer, q.tolerance) == (42, 0)


def test_numerical_range():
    q, _ = only("What is a number from 1 to 5? {#1..5}")
    assert (q.type, q.answer, q.low, q.high) == ("number", None, 1, 5)


def test_numerical_partial_credit_alternative_is_noted_with_its_line():
    imported = read_gift(
        "When was Grant born?{#\n    =1822:0 # exactly\n    =%50%1822:2 # close\n}", path="t.gift"
    )
    (q,) = imported.pack.questions
    assert (q.answer, q.tolerance) == (1822, 0)
    dropped = [n for n in imported.notes if "other answer" in n.message]
    assert [n.line for n in dropped] == [3]


def test_numerical_that_is_not_a_number_is_skipped():
    assert "'lots' is not a number" in skipped("How many?{#lots}")


def test_matching_becomes_match_with_the_right_hand_sides_as_categories():
    q, _ = only(
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        "    =[html]An activity supporting asynchronous discussions. -> Forum\n"
        "    =[moodle]A teacher asks a question. -> Choice\n"
        "    =[plain]A bank of entries. -> Database\n"
        "    = -> Chat\n"
        "}"
    )
    assert q.type == "match"
    assert q.prompt == "Match the activity to the description."
    assert q.items == (
        MatchItem("An activity supporting asynchronous discussions.", "Forum"),
        MatchItem("A teacher asks a question.", "Choice"),
        MatchItem("A bank of entries.", "Database"),
    )
    assert q.categories == ("Forum", "Choice", "Database", "Chat")


@pytest.mark.parametrize(
    "text, says",
    [
        ("::Q8:: How are you? {}", "essay"),
        ("::Intro:: Read the article first.", "description"),
        ("Grant is {~buried =entombed ~living} in Grant's tomb.", "missing-word"),
        ("The {=Thanksgiving} holiday", "missing-word"),
    ],
)
def test_questions_the_quiz_cannot_ask_are_skipped_with_a_warning_naming_the_line(text, says):
    imported = read_gift(f"// a comment\n\n{text}\n", path="t.gift")
    assert imported.pack.questions == ()
    (warning,) = imported.warnings
    assert warning.line == 3 and warning.path == "t.gift"
    assert says in warning.message and warning.message.startswith("skipped:")


def test_skipping_one_question_keeps_the_rest():
    imported = read_gift("Essay {}\n\nIt is.{T}\n\nIntro text only.\n\nPick {=a ~b}", path="t.gift")
    assert [q.type for q in imported.pack.questions] == ["choice", "choice"]
    assert [w.line for w in imported.warnings] == [1, 5]


# -- names, categories, formats, escapes ----------------------------------


def test_titles_become_unique_safe_ids_and_are_not_the_prompt():
    imported = read_gift(
        "::Über: the Q/1!::What is it?{T}\n\n::Über: the Q/1!::Again?{T}\n\n::::No title?{T}\n\nWho said so?{=me}",
        path="t.gift",
    )
    ids = [q.id for q in imported.pack.questions]
    assert ids == ["uber-the-q-1", "uber-the-q-1-2", "no-title", "who-said-so"]
    assert imported.pack.questions[0].prompt == "What is it?"
    assert any("already used" in n.message and n.line == 3 for n in imported.notes)


def test_categories_become_skills_named_by_the_last_part_of_the_path():
    imported = read_gift(
        "Before any category {T}\n\n"
        "$CATEGORY: $course$/top/Media literacy/Who is the source?\n\n"
        "::a:: One {T}\n\n"
        "$CATEGORY: Framing\n"
        "::b:: Two {F}\n",
        path="t.gift",
    )
    skills = [q.skill for q in imported.pack.questions]
    assert skills == ["general", "who-is-the-source", "framing"]
    assert dict(imported.pack.skills) == {
        "general": "General",
        "who-is-the-source": "Who is the source?",
        "framing": "Framing",
    }
    assert valid(imported).questions[1].skill == "who-is-the-source"


def test_html_is_turned_into_plain_text_and_noted():
    q, notes = only("[html]<p>Is <b>3 &lt; 5</b> &amp; true?</p>{=[html]Yes&nbsp;it is ~No}")
    assert q.prompt == "Is 3 < 5 & true?"
    assert q.options[0].text == "Yes it is"
    assert "HTML formatting removed" in messages(notes)


def test_plain_and_markdown_format_tags_are_removed():
    q, _ = only("[plain]Is <b> a tag here?{=[markdown]**yes** ~no}")
    assert q.prompt == "Is <b> a tag here?"
    assert q.options[0].text == "yes"


def test_markdown_reaches_the_student_as_plain_text_with_a_note():
    q, notes = only(
        "::views::[markdown]The clip had **24 million views** in a _single_ day, "
        "says [the channel](https://example.org/about). What does 2 * 3 count?"
        "{=`views`, not viewers#The **platform** counts ~people}"
    )
    assert q.prompt == (
        "The clip had 24 million views in a single day, says the channel (https://example.org/about). "
        "What does 2 * 3 count?"
    )
    assert [(o.text, o.explain) for o in q.options] == [
        ("views, not viewers", "The platform counts"), ("people", ""),
    ]
    assert "t.gift:1:1: 'views': Markdown formatting removed" in messages(notes)
    # Text in the default format keeps its stars, and has no note.
    q, notes = only("Is **this** bold?{=yes ~no}")
    assert q.prompt == "Is **this** bold?" and "Markdown" not in messages(notes)


def test_an_imported_pack_leaves_out_the_language_it_cannot_know():
    imported = read_gift("::q::¿Quién lo dijo?{=El ayuntamiento ~La biblioteca}", path="preguntas.gift")
    assert imported.pack.language == ""
    text = dump_pack(imported.pack)
    assert "language:" not in text
    assert load_pack_text(text).questions[0].prompt == "¿Quién lo dijo?"


def test_escaped_characters_are_literal_and_backslash_n_is_a_line_break():
    q, _ = only(r"::Q\: 1::Which is \{a\} set\? 1\=1\n2\~3 \#4 {=\{x\} ~y\: z#because \= \#}")
    assert q.id == "q-1"
    assert q.prompt == "Which is {a} set\\? 1=1\n2~3 #4"
    assert q.options == (Option("{x}", correct=True), Option("y: z", explain="because = #"))


def test_general_feedback_becomes_the_question_explanation():
    q, _ = only("Pick {=a ~b ####Because a.}")
    assert q.explain == "Because a."


# -- untidy real files --------------------------------------------------------

MESSY = (
    "\ufeff// exported on a Windows laptop\r\n"
    "$CATEGORY: Élèves/Fiabilité des sources\r\n"
    "\r\n"
    "::Café::\tQui a écrit l'article ?\t{\r\n"
    "\t  =Le journaliste  # Oui, c'est signé.\r\n"
    "  \t~Le café\r\n"
    "}\";  \r\n"
    "\r\n"
    "   ::n::\tHow many?  {#3:2}.\r\n"
)


def test_tabs_windows_line_ends_bom_accents_and_stray_characters_are_tolerated():
    imported = read_gift(MESSY, path="messy.gift")
    cafe, n = imported.pack.questions
    assert cafe.id == "cafe" and cafe.skill == "fiabilite-des-sources"
    assert imported.pack.skills["fiabilite-des-sources"] == "Fiabilité des sources"
    assert cafe.prompt == "Qui a écrit l'article ?"
    assert cafe.options[0] == Option("Le journaliste", correct=True, explain="Oui, c'est signé.")
    assert (n.answer, n.tolerance, n.line) == (3, 2, 9)
    stray = [x for x in imported.notes if "after the closing brace" in x.message]
    assert [(x.line, x.col) for x in stray] == [(7, 2), (9, 27)]
    valid(imported)


def test_a_blank_line_inside_the_answers_does_not_split_the_question():
    q, notes = only("Pick one {\n=a\n\n~b\n}")
    assert [o.text for o in q.options] == ["a", "b"]
    assert "blank line inside an answer block" in messages(notes)


def test_a_question_with_only_a_title_uses_the_title_as_its_prompt():
    q, notes = only("::Is the sky blue?::{T}")
    assert q.prompt == "Is the sky blue?"
    assert "the title is used" in messages(notes)


def test_unbalanced_braces_are_skipped_with_their_line():
    imported = read_gift("Fine {T}\n\nBroken {=a ~b\n\nNext {T}\n\nAlso } broken {T}", path="t.gift")
    assert [q.prompt for q in imported.pack.questions] == ["Fine", "Next"]
    assert [(w.line, w.col) for w in imported.warnings] == [(3, 8), (7, 6)]
    assert "never closed" in imported.warnings[0].message
    assert "'}' comes before any '{'" in imported.warnings[1].message


# -- files on disk -----------------------------------------------------------


def test_import_file_takes_id_and_title_from_the_file_name_unless_given(tmp_path):
    path = tmp_path / "Year 10 Sources.gift"
    path.write_text("Who? {=me ~you}", encoding="utf-8")
    assert (import_file(path).pack.id, import_file(path).pack.title) == ("year-10-sources", "Year 10 Sources")
    pack = import_file(path, pack_id="y10", title="Year ten").pack
    assert (pack.id, pack.title) == ("y10", "Year ten")


def test_import_file_detects_aiken_by_its_answer_lines(tmp_path):
    aiken = tmp_path / "quiz.txt"
    aiken.write_text("Who?\nA) me\nB) you\nANSWER: A\n", encoding="utf-8")
    gift = tmp_path / "other.txt"
    gift.write_text("// ANSWER: is mentioned here\nWho? {=me ~you}\n", encoding="utf-8")
    assert import_file(aiken).pack.questions[0].options[0].correct
    assert import_file(gift).pack.questions[0].prompt == "Who?"
    assert import_file(aiken, fmt="gift").imported == 0


def test_a_file_that_is_not_utf8_is_a_clear_error_not_a_traceback(tmp_path):
    path = tmp_path / "latin1.gift"
    path.write_bytes("// ok\nQui a écrit ? {=moi ~toi}".encode("latin-1"))
    with pytest.raises(PackError) as error:
        import_file(path)
    (problem,) = error.value.problems
    assert problem.line == 2 and "UTF-8" in problem.message


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PackError) as error:
        import_file(tmp_path / "nope.gift")
    assert "cannot read" in error.value.problems[0].message


def test_an_unknown_format_is_refused(tmp_path):
    path = tmp_path / "q.gift"
    path.write_text("Q {T}", encoding="utf-8")
    with pytest.raises(PackError):
        import_file(path, fmt="qti")


def test_an_id_that_is_not_a_slug_is_made_into_one_with_a_note():
    imported = read_gift("Q {T}", path="t.gift", pack_id="Year 10: Sources")
    assert imported.pack.id == "year-10-sources"
    assert "cannot be a pack id" in messages(imported.notes)
    valid(imported)


# -- terminal control sequences ----------------------------------------------------------

SEQUENCES = {
    "clipboard": "\x1b]52;c;aGk=\x07",
    "title": "\x1b]0;hi\x07",
    "clear-screen": "\x1b[2J",
    "blink": "\x1b[5m",
}


@pytest.mark.parametrize("name", SEQUENCES)
def test_a_question_holding_a_control_sequence_is_skipped_as_the_validator_would_refuse_it(name):
    seq = SEQUENCES[name]
    text = (
        f"::a:: Who said it{seq}? {{=the council ~Netflix}}\n\n"
        f"::b:: Pick one {{=right{seq} ~wrong}}\n\n"
        f"::c:: Pick one {{=right ~wrong #no{seq}}}\n\n"
        "::d:: Fine\tquestion {=yes ~no}\n"
    )
    imported = read_gift(text, path="t.gift")
    assert [q.id for q in imported.pack.questions] == ["d"]
    assert imported.skipped == 3
    shown = [str(w) for w in imported.warnings]
    assert [w.split(" holds ")[0] for w in shown] == [
        "t.gift:1:1: warning: skipped: the question's text",
        "t.gift:3:1: warning: skipped: option 1",
        "t.gift:5:1: warning: skipped: the feedback of option 2",
    ]
    assert all("ESC (U+001B)" in w for w in shown)
    # What is imported validates; nothing refused reaches the pack.
    valid(imported)


def test_a_category_holding_a_control_sequence_names_no_skill():
    imported = read_gift("$CATEGORY: top/Sources\x1b[5m\n\n::a:: Fine {=yes ~no}\n", path="t.gift")
    (question,) = imported.pack.questions
    assert question.skill == "general" and dict(imported.pack.skills) == {"general": "General"}
    (warning,) = imported.warnings
    assert str(warning) == (
        "t.gift:1:1: warning: the category 'Sources␛[5m' holds a control character, "
        "ESC (U+001B): remove it; its questions use skill 'general'"
    )


def test_a_title_holding_a_control_sequence_is_refused():
    with pytest.raises(PackError) as caught:
        read_gift("::a:: Fine {=yes ~no}\n", path="t.gift", title="News\x1b]0;pwned\x07")
    assert str(caught.value) == (
        "t.gift:1:1: the pack's title holds 2 control characters, the first ESC (U+001B): remove them"
    )
