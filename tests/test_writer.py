"""Packs written as YAML: the text validates, reads back to the same pack, and
looks like what a teacher would write (design.md's key order, `|` blocks).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quiz.model import MatchItem, Option, Pack, Question
from quiz.packs import load_pack, load_pack_text
from quiz.packs.writer import dump_pack

REPO = Path(__file__).resolve().parent.parent
FIXTURE_PACK = Path(__file__).parent / "fixtures" / "import" / "every-type.yaml"
PACK_FILES = sorted((REPO / "questions").glob("*.yaml")) + [FIXTURE_PACK]


def content(pack: Pack) -> Pack:
    """The pack without where it was read from (file, hash, line numbers)."""
    questions = tuple(replace(q, line=0) for q in pack.questions)
    return replace(pack, path="", sha256="", questions=questions, skills=dict(pack.skills))


def reread(pack: Pack) -> Pack:
    return load_pack_text(dump_pack(pack), path="written.yaml")


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.name)
def test_a_pack_written_and_read_back_is_the_same_pack(path):
    pack = load_pack(path)
    assert content(reread(pack)) == content(pack)


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.name)
def test_writing_is_stable(path):
    text = dump_pack(load_pack(path))
    assert dump_pack(load_pack_text(text)) == text


def test_keys_come_in_the_order_of_the_design_example():
    text = dump_pack(load_pack(FIXTURE_PACK))
    top = [line.split(":")[0] for line in text.splitlines() if line and not line[0].isspace()]
    assert top == [
        "pack", "id", "title", "version", "language", "audience", "authors", "license",
        "hint_penalty", "content_note", "source", "questions",
    ]
    first = text.split("  - id: who-said\n", 1)[1].split("\n  - id:", 1)[0]
    keys = [line.strip().split(":")[0] for line in first.splitlines() if line.startswith("    ") and line[4] != " "]
    assert keys == ["skill", "type", "claim", "prompt", "hint", "explain", "options"]


def test_text_of_several_lines_is_a_block_and_quotes_appear_only_where_needed():
    text = dump_pack(load_pack(FIXTURE_PACK))
    assert "content_note: |\n  This pack mentions a made-up crime.\n" in text
    assert "    explain: |\n      The café is talking about itself.\n" in text
    assert "publisher: The Example Gazette\n" in text
    assert '      - text: "40"\n' in text
    assert '      - text: "no"\n' in text
    assert "    range: [30, 50]\n" in text
    assert "    tolerance: 2.5\n" in text
    assert "    points: 2\n" in text


def test_defaults_are_left_out():
    pack = Pack(
        id="small",
        title="Small",
        questions=(Question(id="q", skill="source", type="text", prompt="Who?", accept=("me",)),),
    )
    text = dump_pack(pack)
    for key in ("skills", "points", "hint", "claim", "source", "authors", "hint_penalty", "confidence"):
        assert f"{key}:" not in text
    assert content(reread(pack)) == content(pack)


printable = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\t"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=200, deadline=None)
@given(prompt=printable, right=printable, wrong=printable, explain=printable, item=printable)
def test_any_text_survives_writing_and_reading(prompt, right, wrong, explain, item):
    assume(prompt != "m")  # the first question's id is its prompt, and "m" is the second one's
    if right == wrong:
        wrong += " (not)"
    pack = Pack(
        id="fuzz",
        title=prompt,
        skills={"general": explain},
        questions=(
            Question(
                id=prompt, skill="general", type="choice", prompt=prompt, explain=explain,
                options=(Option(right, correct=True, explain=explain), Option(wrong)),
            ),
            Question(
                id="m", skill="general", type="match", prompt=item,
                items=(MatchItem(item, right),), categories=(right, wrong),
            ),
        ),
    )
    text = dump_pack(pack)
    assert yaml.safe_load(text)["questions"][0]["prompt"] == prompt
    assert content(load_pack_text(text)) == content(pack)
