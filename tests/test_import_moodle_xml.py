"""Reading Moodle XML into packs: a bank laid out as Moodle exports it, one
written with every construct, the notes a teacher reads (each with its line),
and files that try to expand or fetch entities.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.model import MatchItem, Option
from quiz.packs import PackError, load_pack, load_pack_text
from quiz.packs.imported import Imported, detect_format, import_file
from quiz.packs.moodle_xml import read_moodle_xml
from quiz.packs.writer import dump_pack

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "moodle"
EXPORT = FIXTURES / "moodle-export.xml"
EVERY = FIXTURES / "every-construct.xml"


def line_of(path: Path, needle: str, after: str = "") -> int:
    """The line of `path` holding `needle` (the first after `after`)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start) if needle in line) + 1


def valid(imported: Imported):
    """The pack as the validator reads it back from the YAML `quiz import` writes."""
    return load_pack_text(dump_pack(imported.pack), path="imported.yaml")


def notes_of(imported: Imported, name: str) -> list[str]:
    return [f"{n.line}: {n.message}" for n in imported.notes if n.message.startswith(f"'{name}'")]


def only(xml: str) -> tuple:
    """The single question of a Moodle XML text, and the notes as text."""
    imported = read_moodle_xml(f"<quiz>\n{xml}\n</quiz>", path="t.xml")
    assert len(imported.pack.questions) == 1, [str(n) for n in imported.notes]
    return imported.pack.questions[0], "\n".join(str(n) for n in imported.notes)


@pytest.fixture(scope="module")
def every() -> Imported:
    return import_file(EVERY)


# -- a bank as Moodle exports it --------------------------------------------


def test_a_moodle_export_imports_what_it_can_and_skips_the_rest_by_line():
    imported = import_file(EXPORT)
    assert {q.id: q.type for q in imported.pack.questions} == {
        "headline-claim": "choice",
        "best-source": "choice",
        "opinion-word": "text",
    }
    skipped = {w.line: w.message for w in imported.warnings}
    assert skipped == {
        line_of(EXPORT, '<question type="multichoice">', "question: 103"):
            "skipped: 'Logo': it embeds 1 file(s) (an image or a sound, line "
            f"{line_of(EXPORT, '<file name=')}), which the quiz cannot show",
        line_of(EXPORT, '<question type="essay">'): "skipped: 'Your own headline': an essay question: the quiz cannot mark essays",
        line_of(EXPORT, '<question type="cloze">'):
            "skipped: 'Fill the gaps': a cloze (embedded answers) question: the quiz cannot show answers inside a text",
    }
    assert (imported.imported, imported.skipped) == (3, 3)


def test_a_moodle_export_gives_a_pack_the_validator_accepts_with_its_categories_as_sections():
    imported = import_file(EXPORT)
    pack = valid(imported)
    assert (pack.id, pack.title) == ("moodle-export", "Moodle export")
    assert "language:" not in dump_pack(imported.pack)  # Moodle XML does not say
    assert [(s.title, s.questions) for s in pack.sections] == [
        ("Media literacy", ("headline-claim",)),
        ("Sources", ("best-source",)),
        ("Writing", ("opinion-word",)),
    ]
    assert dict(pack.skills) == {"media-literacy": "Media literacy", "sources": "Sources", "writing": "Writing"}
    assert pack.question("best-source").skill == "sources"


def test_html_in_cdata_reaches_the_student_as_plain_text_with_a_note():
    imported = import_file(EXPORT)
    q = imported.pack.question("headline-claim")
    assert q.prompt == "A headline is always written by the reporter who wrote the story."
    assert q.options[0].explain == "Not usually – ask who wrote it."  # &ndash; decoded
    start = line_of(EXPORT, '<question type="truefalse">')
    assert f"{start}: 'Headline claim': HTML formatting removed, check the text reads well" in notes_of(imported, "Headline claim")
    opinion = imported.pack.question("opinion-word")
    assert opinion.prompt == "Type the word that shows the writer's opinion: \"The shocking figures were published on Monday.\""


def test_true_false_puts_each_feedback_on_its_option():
    q = import_file(EXPORT).pack.question("headline-claim")
    assert q.options == (
        Option("True", correct=False, explain="Not usually – ask who wrote it."),
        Option("False", correct=True, explain="Right: headlines are often written by someone else."),
    )
    assert q.explain == "Sub-editors usually write headlines."


def test_idnumber_gives_the_id_default_grade_the_points_and_the_first_hint_is_kept():
    imported = import_file(EXPORT)
    q = imported.pack.question("best-source")
    assert (q.points, q.hint) == (2.0, "Who counted?")
    second_hint = line_of(EXPORT, "Not someone who guessed.") - 1
    assert f"{second_hint}: 'Best source': 1 more hint(s) dropped: the quiz shows one hint, the first" in notes_of(imported, "Best source")


# -- every construct -----------------------------------------------------------


def test_every_construct_imports_into_a_pack_that_validates(every):
    pack = valid(every)
    assert [q.type for q in pack.questions] == [
        "choice", "multi", "multi", "multi", "choice", "number", "text", "match", "text",
    ]
    assert [s.title for s in pack.sections] == ["Sources and/or evidence", "Numbers"]
    assert (every.imported, every.skipped) == (9, 13)


def test_single_answer_fractions_keep_the_full_marks_answer_and_say_what_is_lost(every):
    q = every.pack.question("who-1")
    assert [(o.text, o.correct) for o in q.options] == [
        ("The gate counter", True), ("The park's press office", False), ("A rival park", False),
    ]
    assert [o.explain for o in q.options] == [
        "It counts every visit.", "Close, but it may round up.", "It has reasons to say fewer.",
    ]
    notes = notes_of(every, "Who counted")
    half, minus = line_of(EVERY, 'fraction="50"'), line_of(EVERY, 'fraction="-25"')
    assert f"{half}: 'Who counted': 'The park's press office' gave 50% in Moodle; it now counts as wrong" in notes
    assert f"{minus}: 'Who counted': 'A rival park' took off 25% in Moodle; a wrong choice now scores 0" in notes


def test_multiple_answers_become_multi_quietly_when_moodle_scores_as_the_quiz_does(every):
    q = every.pack.question("signs-of-a-fair-report")
    assert [o.correct for o in q.options] == [True, True, False]
    assert notes_of(every, "Signs of a fair report") == []


def test_unequal_or_negative_fractions_in_a_multi_are_listed_in_a_note(every):
    q = every.pack.question("weighted-picks")
    assert [o.correct for o in q.options] == [True, True, False]
    (note,) = notes_of(every, "Weighted picks")
    assert "'Ticket sales' 70%, 'Turnstile clicks' 30%, 'A guess from the air' -100%" in note
    assert "the quiz gives each right pick 50% and takes off as much for each wrong pick" in note


def test_several_full_marks_answers_in_a_single_choice_become_multi_with_a_warning(every):
    q = every.pack.question("either-will-do")
    assert q.type == "multi" and [o.correct for o in q.options] == [True, True, False]
    (warning,) = [w for w in every.warnings if "Either will do" in w.message]
    assert "any one of them was right in Moodle" in warning.message


def test_plain_text_keeps_what_html_would_remove(every):
    assert every.pack.question("signs-of-a-fair-report").prompt == "Which are signs of a fair report? (x < y is not one)"


def test_html_paragraphs_become_lines_and_entities_characters(every):
    q = every.pack.question("who-1")
    assert q.prompt == "Who is best placed to count the visitors?\nPick one."
    assert q.explain == "Ask who counted & how."


def test_numerical_keeps_the_best_answer_its_tolerance_and_the_base_unit_with_notes(every):
    q = every.pack.question("distance")
    assert (q.answer, q.tolerance, q.low, q.high, q.unit) == (1500.0, 10.0, None, None, "m")
    notes = "\n".join(notes_of(every, "Distance"))
    assert f"{line_of(EVERY, '<text>150</text>') - 1}: 'Distance': the other answer 150 was dropped" in notes
    assert f"{line_of(EVERY, '<units>')}: 'Distance': 'm' is shown after the answer box" in notes
    assert "the other units (km) were dropped" in notes
    assert "the feedback for any other answer ('*') was dropped" in notes


def test_short_answer_accepts_full_marks_answers_and_notes_case_wildcards_and_partial_credit(every):
    q = every.pack.question("loaded-word")
    # "Shocking" is the same answer to the quiz, which ignores case; "\*" is a literal star.
    assert q.accept == ("shocking", "5 * 2")
    notes = "\n".join(notes_of(every, "Loaded word"))
    assert f"{line_of(EVERY, '<usecase>1')}: 'Loaded word': Moodle matched these answers' case exactly; the quiz ignores case" in notes
    assert "'shock*' uses a * wildcard, which the quiz cannot match; dropped" in notes
    assert "'rise' gave 50% in Moodle; it is not accepted" in notes
    assert "the catch-all answer '*' was dropped" in notes
    assert "Markdown formatting removed" in notes
    assert q.prompt == 'Which word is loaded in "a shocking rise"?'


def test_matching_becomes_match_and_an_answer_with_no_item_is_an_extra_category(every):
    q = every.pack.question("fact-or-opinion")
    assert q.items == (MatchItem("The park opened in 1990.", "Fact"), MatchItem("The park is lovely.", "Opinion"))
    assert q.categories == ("Fact", "Opinion", "Neither")
    assert q.explain == "Facts can be checked."
    assert any("the <correctfeedback> was dropped" in n for n in notes_of(every, "Fact or opinion"))


def test_names_and_idnumbers_become_unique_slugs(every):
    ids = [q.id for q in every.pack.questions]
    assert "who-1" in ids and "who-1-2" in ids  # idnumbers "WHO-1" and "who 1"
    assert "percent-of-what" in ids  # from the name
    line = line_of(EVERY, "Same name as another question") - 2
    assert f"{line}:1: note: id 'who-1' is already used; this question is 'who-1-2'" in "\n".join(
        f"{n.line}:{n.col}: note: {n.message}" for n in every.notes
    )


@pytest.mark.parametrize(
    ("qtype", "name", "says"),
    [
        ("essay", "Essay", "an essay question"),
        ("cloze", "Cloze", "a cloze (embedded answers) question"),
        ("calculated", "Calculated", "a calculated question"),
        ("calculatedsimple", "Calculated simple", "a calculated question"),
        ("calculatedmulti", "Calculated multi", "a calculated multichoice question"),
        ("ddwtos", "Drag into text", "a drag-and-drop into text question"),
        ("gapselect", "Select words", "a select-missing-words question"),
        ("ddimageortext", "Drag onto image", "a drag-and-drop onto image question"),
        ("ddmarker", "Markers", "a drag-and-drop markers question"),
        ("ordering", "Put in order", "the quiz has no question like Moodle's 'ordering' type"),
    ],
)
def test_each_type_the_quiz_cannot_ask_is_skipped_with_a_warning_at_its_line(every, qtype, name, says):
    (warning,) = [w for w in every.warnings if f"'{name}'" in w.message]
    assert warning.line == line_of(EVERY, f'<question type="{qtype}">')
    assert warning.message.startswith(f"skipped: '{name}': {says}")
    assert str(warning).startswith(f"{EVERY}:{warning.line}:1: warning: skipped:")


def test_embedded_files_and_pluginfile_links_are_skipped_with_their_lines(every):
    picture = next(w for w in every.warnings if "'Picture feedback'" in w.message)
    assert picture.line == line_of(EVERY, "<name><text>Picture feedback") - 1
    assert f"line {line_of(EVERY, '<file name=')}" in picture.message
    missing = next(w for w in every.warnings if "'Missing picture'" in w.message)
    assert "@@PLUGINFILE@@" in missing.message


def test_a_choice_with_no_full_marks_answer_is_skipped(every):
    (warning,) = [w for w in every.warnings if "'No right answer'" in w.message]
    assert "no answer gets full marks (100%)" in warning.message


# -- single constructs -----------------------------------------------------------


def test_a_question_with_no_name_takes_its_id_from_its_text():
    q, _ = only("""<question type="truefalse"><questiontext><text>Photos can lie.</text></questiontext>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>""")
    assert q.id == "photos-can-lie"


def test_moodle_auto_format_keeps_its_line_breaks_without_an_html_note():
    q, notes = only("""<question type="shortanswer"><name><text>a</text></name>
      <questiontext format="moodle_auto_format"><text>Line one
Line two</text></questiontext><answer fraction="100"><text>yes</text></answer></question>""")
    assert q.prompt == "Line one\nLine two"
    assert "HTML" not in notes


def test_questions_before_any_category_and_a_file_with_no_categories():
    imported = read_moodle_xml("""<quiz><question type="shortanswer"><name><text>a</text></name>
      <questiontext><text>Q?</text></questiontext><answer fraction="100"><text>yes</text></answer></question></quiz>""",
                               path="t.xml")
    assert imported.pack.sections == ()
    assert {q.skill for q in imported.pack.questions} == {"general"}


def test_a_file_that_is_not_a_moodle_question_file_is_refused_with_its_line():
    with pytest.raises(PackError) as caught:
        read_moodle_xml('<?xml version="1.0"?>\n<html><body/></html>', path="t.xml")
    assert str(caught.value) == "t.xml:2:1: the file starts with <html>, not <quiz>: this is not a Moodle XML question file"
    with pytest.raises(PackError) as caught:
        read_moodle_xml("<quiz>\n<question type='truefalse'>\n</quiz>", path="t.xml")
    (problem,) = caught.value.problems
    assert (problem.line, "not well-formed XML (mismatched tag)" in problem.message) == (3, True)


def test_a_lone_ampersand_is_refused_with_advice():
    with pytest.raises(PackError) as caught:
        read_moodle_xml("<quiz>\n<question><name><text>R&D;</text></name></question></quiz>", path="t.xml")
    (problem,) = caught.value.problems
    assert problem.line == 2 and "write a lone & as &amp;" in problem.message


# -- hostile files ----------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n<quiz><question type='shortanswer'><name><text>&lol9;</text></name></question></quiz>\n"
)


def test_a_billion_laughs_file_is_refused_at_once_without_expanding_anything(tmp_path):
    bomb = tmp_path / "laughs.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(PackError) as caught:
            import_file(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < 2_000_000  # a billion "lol"s would be gigabytes
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (str(bomb), 2)
    assert "document type declaration (<!DOCTYPE ...>)" in problem.message
    assert "refused" in problem.message


def test_an_external_entity_is_refused_and_the_file_it_names_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the teacher's password", encoding="utf-8")
    xml = tmp_path / "bank.xml"
    xml.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY x SYSTEM "file://{secret}">\n]>\n'
        "<quiz><question type='shortanswer'><name><text>&x;</text></name></question></quiz>\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError) as caught:
        import_file(xml)
    assert "password" not in str(caught.value)
    (problem,) = caught.value.problems
    assert problem.line == 2 and "refused" in problem.message


def test_an_external_dtd_is_refused():
    with pytest.raises(PackError) as caught:
        read_moodle_xml('<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.invalid/q.dtd">\n<quiz/>', path="t.xml")
    assert caught.value.problems[0].line == 2


def test_an_entity_used_without_a_declaration_is_refused():
    with pytest.raises(PackError):
        read_moodle_xml("<quiz>&lol9;</quiz>", path="t.xml")


def test_an_xml_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    big = tmp_path / "big.xml"
    with open(big, "wb") as f:
        f.write(b"<quiz>")
        f.truncate(6 * 1024 * 1024)
    with pytest.raises(PackError) as caught:
        import_file(big)
    assert "more than the 5,242,880 bytes" in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_called_xml_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "bank.xml"
    os.mkfifo(pipe)
    with pytest.raises(PackError) as caught:
        import_file(pipe)
    assert "not an ordinary file" in str(caught.value)


# -- finding the format, and the command line -----------------------------------------


def test_the_format_is_found_by_extension_or_by_content(tmp_path):
    assert detect_format(Path("bank.xml"), "") == "moodle-xml"
    assert detect_format(Path("bank.txt"), '<?xml version="1.0"?>\n<quiz>') == "moodle-xml"
    assert detect_format(Path("bank.txt"), "\ufeff  <quiz>") == "moodle-xml"
    assert detect_format(Path("bank.txt"), "::Q:: Who? {=A ~B}") == "gift"
    renamed = tmp_path / "bank.txt"
    renamed.write_text(EXPORT.read_text(encoding="utf-8"), encoding="utf-8")
    assert import_file(renamed, fmt="moodle-xml").imported == 3


def test_quiz_import_writes_a_pack_that_validates_and_prints_each_note_with_its_line(tmp_path, capsys):
    target = tmp_path / "bank.yaml"
    code = main(["import", str(EXPORT), "-o", str(target)])
    out, err = capsys.readouterr()
    assert code == 0, err
    essay = line_of(EXPORT, '<question type="essay">')
    assert f"{EXPORT}:{essay}:1: warning: skipped: 'Your own headline'" in out
    assert f"{EXPORT}:15:1: imported choice question 'headline-claim'" in out
    assert "3 imported, 3 skipped" in out
    pack = load_pack(target)
    assert [s.title for s in pack.sections] == ["Media literacy", "Sources", "Writing"]
    assert main(["validate", str(target)]) == 0


def test_quiz_import_format_option_names_moodle_xml(tmp_path, capsys):
    source = tmp_path / "bank.txt"
    source.write_text(EXPORT.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["import", str(source), "--format", "moodle-xml", "-o", str(tmp_path / "b.yaml")]) == 0
    assert "3 imported, 3 skipped" in capsys.readouterr().out
