"""Reading Moodle Aiken files: Moodle's own test file, the option styles
teachers type, and every malformed question skipped with its line while the
rest of the file is still imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.packs import load_pack_text
from quiz.packs.aiken import read_aiken
from quiz.packs.imported import import_file
from quiz.packs.writer import dump_pack

MOODLE_AIKEN = Path(__file__).parent / "fixtures" / "import" / "moodle-questions.aiken.txt"


def test_moodle_aiken_file_imports_both_questions_with_their_right_answers():
    imported = import_file(MOODLE_AIKEN)
    first, second = imported.pack.questions
    assert (imported.imported, imported.skipped, imported.notes) == (2, 0, [])
    assert first.prompt == "The Moodle project was started by:"
    assert [o.text for o in first.options] == ["Petr Skoda", "Martin Dougiamas", "Eloy Lafuente", "Tim Hunt"]
    assert first.correct_options[0].text == "Martin Dougiamas"
    assert (first.line, second.line) == (1, 8)
    # Aiken is plain text: what looks like HTML stays as typed.
    assert second.prompt == "Moodle's abilities include handling user input that includes <html class=\"cool\"> & images:"
    assert second.correct_options[0].text == "True"


def test_moodle_aiken_file_gives_a_pack_the_validator_accepts():
    pack = load_pack_text(dump_pack(import_file(MOODLE_AIKEN).pack), path="imported.yaml")
    assert [q.type for q in pack.questions] == ["choice", "choice"]
    assert dict(pack.skills) == {"general": "General"}


@pytest.mark.parametrize("style", ["A) {}", "A. {}", "A){}", "A.{}", "A)\t{}"])
def test_options_with_a_bracket_or_a_dot_with_or_without_a_space(style):
    lines = ["Which is a primary source?"]
    lines += [style.replace("A", letter).format(text) for letter, text in zip("ABC", ["A diary", "A textbook", "A blog"])]
    lines.append("ANSWER: A")
    (q,) = read_aiken("\n".join(lines), path="t.txt").pack.questions
    assert [(o.text, o.correct) for o in q.options] == [("A diary", True), ("A textbook", False), ("A blog", False)]


def test_windows_line_ends_bom_and_indentation_are_tolerated():
    text = "\ufeffQui a écrit ?\r\n  A) Le journaliste\r\n\tB) Le café\r\nANSWER:B\r\n"
    (q,) = read_aiken(text, path="t.txt").pack.questions
    assert q.prompt == "Qui a écrit ?"
    assert q.correct_options[0].text == "Le café"


GOOD = "Good question?\nA) yes\nB) no\nANSWER: A\n"


@pytest.mark.parametrize(
    "broken, line, says",
    [
        ("Too few?\nA) only one\nANSWER: A\n", 1, "at least two options"),
        ("Answer first?\nANSWER: A\nA) one\nB) two\n", 1, "comes before the options"),
        ("No answer?\nA) one\nB) two\n", 1, "no ANSWER line"),
        ("Letter E?\nA) one\nB) two\nANSWER: E\n", 1, "ANSWER: E (line 9) names no option"),
        ("Same letter?\nA) one\nA) two\nANSWER: A\n", 1, "same letter"),
        ("Empty option?\nA) one\nB)\nANSWER: A\n", 1, "option B is empty"),
        ("No letter?\nA) one\nB) two\nANSWER:\n", 1, "names no letter"),
    ],
)
def test_a_malformed_question_is_skipped_with_its_line_and_the_rest_imported(broken, line, says):
    text = GOOD + "\n" + broken + "\n" + GOOD.replace("Good", "Also good")
    imported = read_aiken(text, path="t.txt")
    assert [q.prompt for q in imported.pack.questions] == ["Good question?", "Also good question?"]
    assert imported.skipped == 1
    (warning,) = imported.warnings
    assert warning.line == 5 + line and warning.path == "t.txt"
    assert says in warning.message


def test_a_question_without_answer_followed_directly_by_the_next_is_split_correctly():
    text = "First?\nA) a\nB) b\nSecond?\nA) c\nB) d\nANSWER: B\n"
    imported = read_aiken(text, path="t.txt")
    (q,) = imported.pack.questions
    assert q.prompt == "Second?" and q.correct_options[0].text == "d"
    assert [(w.line, "no ANSWER" in w.message) for w in imported.warnings] == [(1, True)]


def test_question_ids_come_from_the_question_text_and_are_unique():
    imported = read_aiken(GOOD + "\n" + GOOD, path="t.txt")
    assert [q.id for q in imported.pack.questions] == ["good-question", "good-question-2"]


def test_an_answer_line_with_no_question_is_a_warning():
    imported = read_aiken("ANSWER: A\n\n" + GOOD, path="t.txt")
    assert len(imported.pack.questions) == 1
    assert [w.line for w in imported.warnings] == [1]


@pytest.mark.parametrize("seq", ["\x1b]52;c;aGk=\x07", "\x1b]0;hi\x07", "\x1b[2J", "\x1b[5m"])
def test_a_question_holding_a_control_sequence_is_skipped_as_the_validator_would_refuse_it(seq):
    text = f"Who said it?{seq}\nA) one\nB) two\nANSWER: A\n\nFine?\nA) yes\nB) no{seq}\nANSWER: A\n\nAlso fine?\nA) yes\nB) no\nANSWER: B\n"
    imported = read_aiken(text, path="t.txt")
    assert [q.prompt for q in imported.pack.questions] == ["Also fine?"]
    assert [str(w).split(" holds ")[0] for w in imported.warnings] == [
        "t.txt:1:1: warning: skipped: the question's text",
        "t.txt:6:1: warning: skipped: option 2",
    ]
    assert load_pack_text(dump_pack(imported.pack)).questions[0].prompt == "Also fine?"
