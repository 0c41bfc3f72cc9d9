"""docs/packs.md stays true: its examples validate, its error messages are real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from quiz.packs import check_file, load_pack_text
from quiz.packs.starter import STARTER

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs" / "packs.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, re.S)
QUESTION_BLOCKS = [b for b in YAML_BLOCKS if b.startswith("  - id:")]
# Error messages, and the warnings about traps in writing questions, anywhere on the page.
QUOTED = re.findall(r"^news\.yaml:(\d+:\d+: .*)$", DOC, re.M)


def starter_with(questions: str) -> str:
    """The starter pack with its questions replaced by `questions`."""
    head = STARTER[: STARTER.index("\nquestions:\n")]
    return head + "\nquestions:\n" + questions


def test_the_whole_pack_example_validates():
    pack_example = next(b for b in YAML_BLOCKS if "\npack: 1" in b)
    assert load_pack_text(pack_example).id == "cycling-to-school"


@pytest.mark.parametrize("block", QUESTION_BLOCKS, ids=lambda b: b.split()[2])
def test_each_question_example_validates_in_the_starter_pack(block):
    question = load_pack_text(starter_with(block)).questions[0]
    assert question.type in block


def test_every_type_has_an_example():
    kinds = {yaml.safe_load(b)[0]["type"] for b in QUESTION_BLOCKS}
    assert kinds == {"choice", "multi", "phrase", "number", "text", "match", "verdict"}


def real_messages(tmp_path) -> set[str]:
    """Every message the fixtures expect, plus the two that need generated files."""
    messages = {
        line[len("# expect: "):]
        for path in (REPO / "tests" / "fixtures" / "packs").glob("*/*.yaml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    }
    big = tmp_path / "big.yaml"
    with open(big, "wb") as file:
        file.truncate(6 * 1024 * 1024)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("pack: 1\ntitle: caf\u00e9 ok\n".encode("latin-1"))
    for path in (big, latin):
        messages.update(str(p).split(":", 1)[1] for p in check_file(path)[1])
    return messages


def test_the_common_errors_quoted_are_real_messages(tmp_path):
    assert len(QUOTED) >= 25
    real = real_messages(tmp_path)
    assert [m for m in QUOTED if m not in real] == []
