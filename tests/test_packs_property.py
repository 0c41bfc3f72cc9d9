"""Property tests: whatever bytes or YAML a file holds, the loader answers calmly.

The only outcomes are a Pack, or problems that each point at a line and
column (1-based); nothing else is ever raised. And for pack-shaped documents
with random damage, whatever the JSON Schema refuses the validator refuses too.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.model import Pack
from quiz.packs.starter import SCHEMA_PATH
from quiz.packs import PackError, check_file, check_text, load_pack_text

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
SCHEMA_CHECK = jsonschema.Draft202012Validator(SCHEMA)

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=20) | st.sampled_from(["pack", "id", "choice", "1", "", "yes", "~", "- x", "a: b"])
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)


def assert_calm(pack, problems) -> None:
    assert pack is None or isinstance(pack, Pack)
    assert pack is not None or problems
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1, problem
        assert problem.message and "\n" not in problem.message
        assert str(problem).startswith(f"{problem.path}:{problem.line}:{problem.col}: ")


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_give_a_pack_or_located_problems(folder, data):
    path = folder / "random.yaml"
    path.write_bytes(data)
    assert_calm(*check_file(path))


@SETTINGS
@given(data=st.binary(max_size=200))
def test_random_bytes_after_a_pack_header_give_located_problems(folder, data):
    path = folder / "header.yaml"
    path.write_bytes(b"pack: 1\nid: x\ntitle: t\nquestions:\n  - " + data)
    assert_calm(*check_file(path))


@SETTINGS
@given(document=documents)
def test_random_yaml_documents_give_a_pack_or_located_problems(document):
    text = yaml.safe_dump(document, allow_unicode=True)
    assert_calm(*check_text(text, "doc.yaml"))
    try:
        load_pack_text(text)
    except PackError as error:
        assert error.problems


# -- damaged packs against the schema ---------------------------------------------------

BASE = {
    "pack": 1,
    "id": "base",
    "title": "A base pack",
    "version": "1.0",
    "authors": ["A. Teacher"],
    "hint_penalty": 0.5,
    "confidence": False,
    "mode": "practice",
    "source": {"title": "News", "published": "2026-01-10",
               "text": "The council said visits rose six-fold. Everyone loves it."},
    "skills": {"source": "Who is the source?", "framing": "Is the framing fair?"},
    "questions": [
        {"id": "c", "skill": "source", "type": "choice", "prompt": "Who?", "claim": "The council said",
         "options": [{"text": "The council", "correct": True, "explain": "Yes."}, {"text": "Nobody"}]},
        {"id": "m", "skill": "source", "type": "multi", "prompt": "Which?", "points": 2,
         "options": [{"text": "a", "correct": True}, {"text": "b"}]},
        {"id": "p", "skill": "framing", "type": "phrase", "prompt": "Which words?",
         "options": [{"text": "Everyone loves it", "correct": True}, {"text": "visits rose"}]},
        {"id": "n", "skill": "source", "type": "number", "prompt": "How many?", "answer": "6-fold",
         "tolerance": 0.5, "unit": "times"},
        {"id": "r", "skill": "source", "type": "number", "prompt": "How many?", "range": [5, 7]},
        {"id": "t", "skill": "source", "type": "text", "prompt": "Who?", "accept": ["the council"]},
        {"id": "x", "skill": "framing", "type": "match", "prompt": "Sort", "categories": ["fact", "opinion"],
         "items": [{"text": "Visits rose", "answer": "fact"}, {"text": "Everyone loves it", "answer": "opinion"}]},
        {"id": "v", "skill": "framing", "type": "verdict", "prompt": "Fair?",
         "claim": "visits rose six-fold", "verdict": "misleading"},
        {"id": "w", "skill": "framing", "type": "verdict", "prompt": "Fair?",
         "claim": "The council said", "verdict": "fair"},
    ],
}
KEYS = ["pack", "id", "title", "text", "type", "options", "correct", "answer", "range", "accept",
        "items", "categories", "verdict", "claim", "points", "skill", "prompt", "optons", "x"]
values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.sampled_from(KEYS), scalars, max_size=3)


def places(node, path=()):
    """Every (container, key) in a document, to damage one of them."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,)
            yield from places(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield path + (index,)
            yield from places(value, path + (index,))


PLACES = list(places(BASE))


@st.composite
def damaged_packs(draw):
    pack = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PLACES))
        parent = pack
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                parent[last] = draw(values)
            elif action == "delete":
                del parent[last]
            elif isinstance(parent, dict):
                parent[draw(st.sampled_from(KEYS))] = draw(values)
            else:
                parent.append(draw(values))
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an earlier change removed this place
    return pack


def test_the_undamaged_pack_passes_both():
    assert not list(SCHEMA_CHECK.iter_errors(BASE))
    assert load_pack_text(yaml.safe_dump(BASE)).id == "base"


@SETTINGS
@given(pack=damaged_packs())
def test_whatever_the_schema_refuses_the_validator_refuses(pack):
    text = yaml.safe_dump(pack, allow_unicode=True, sort_keys=False)
    loaded, problems = check_text(text, "damaged.yaml")
    assert_calm(loaded, problems)
    schema_errors = [e.message for e in SCHEMA_CHECK.iter_errors(yaml.safe_load(text))]
    if schema_errors:
        assert loaded is None, (schema_errors, text)
