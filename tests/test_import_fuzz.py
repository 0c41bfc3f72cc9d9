"""Whatever text a teacher feeds the importers, they give a pack that validates
or warnings that name a line: never a traceback.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from quiz.packs import load_pack_text
from quiz.packs.aiken import read_aiken
from quiz.packs.gift import read_gift
from quiz.packs.writer import dump_pack

# Pieces of both formats' syntax, so random text often looks like a question.
SYNTAX = [
    "{", "}", "~", "=", "#", ":", "%", "->", "\\", "//", "::", "####", "$CATEGORY:",
    "{T}", "{FALSE}", "{#", "..", "%50%", "%-100%", "[html]", "[plain]", "<b>", "&amp;",
    "\\n", "\\{", "\\:", "*", "ANSWER: A", "ANSWER:", "A) ", "B. ", "C)", "\n", "\n\n",
    "\r\n", "\t", " ", "\ufeff", "é", "Who?", "yes", "3", "1.5", "-2", "x",
]
fragments = st.sampled_from(SYNTAX) | st.characters(blacklist_categories=("Cs",))
random_text = st.lists(fragments, max_size=80).map("".join)


def lines_in(text: str) -> int:
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def check(imported, text: str, path: str) -> None:
    pack = imported.pack
    assert imported.imported == len(pack.questions)
    assert imported.skipped == sum(n.message.startswith("skipped:") for n in imported.notes)
    for note in imported.notes:
        assert note.path == path
        assert 1 <= note.line <= lines_in(text), str(note)
        assert note.col >= 1 and note.severity in ("warning", "note")
    for q in pack.questions:
        assert 1 <= q.line <= lines_in(text)
    assert len({q.id for q in pack.questions}) == len(pack.questions)
    if pack.questions:
        back = load_pack_text(dump_pack(pack), path="imported.yaml")
        assert [replace(q, line=0) for q in back.questions] == [replace(q, line=0) for q in pack.questions]


@settings(max_examples=200, deadline=None)
@given(text=random_text)
@example(text="::a::{=x ~y}\n\n::a::{=x ~x}\n\n{#1..}\n\n{= -> a}\n\n\\")
@example(text="Q {=a\n\n~b}\n\nR {\n\n}")
def test_random_text_as_gift_gives_a_valid_pack_or_located_warnings(text):
    check(read_gift(text, path="r.gift"), text, "r.gift")


@settings(max_examples=200, deadline=None)
@given(text=random_text)
@example(text="A) x\nANSWER: A\nQ\nA)\nB)\nANSWER: B")
def test_random_text_as_aiken_gives_a_valid_pack_or_located_warnings(text):
    check(read_aiken(text, path="r.txt"), text, "r.txt")


question = st.tuples(
    st.sampled_from(["", "::Title::", "::Título ::", "// note\n"]),
    st.sampled_from(["Who said it?", "[html]<p>Who &amp; why?</p>", "Is it", ""]),
    st.sampled_from([
        "{=a ~b}", "{~%50%a ~%50%b ~%-100%c}", "{T}", "{F#no#yes}", "{=one =two}",
        "{#3:2}", "{#1..5}", "{#=10:0 =%50%10:5}", "{=x -> 1 =y -> 2}", "{}",
        "{=a ~b ####why}", "", "{=a} text after",
    ]),
    st.sampled_from(["", "\";", " .", "\r"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(question, max_size=8), st.sampled_from(["\n\n", "\r\n\r\n", "\n \t\n"]))
def test_files_of_question_like_blocks_import_cleanly(parts, separator):
    text = separator.join("".join(p) for p in parts)
    check(read_gift(text, path="q.gift"), text, "q.gift")
