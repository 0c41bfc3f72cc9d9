"""Every validation rule, one fixture each, with the exact lines a teacher sees.

Each file in tests/fixtures/packs/bad/ says in `# expect: line:col: message`
comments what `quiz validate` must print for it (after the file's path), and
nothing else. Files in good/ must load; their `# expect:` lines are warnings.
The JSON Schema goes over the same files: whatever it refuses, the validator
refuses too, and it accepts every good file.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from quiz.packs.starter import SCHEMA_PATH
from quiz.packs import PackError, check_file, load_pack

PACKS = Path(__file__).resolve().parent / "fixtures" / "packs"
BAD = sorted((PACKS / "bad").glob("*.yaml"))
GOOD = sorted((PACKS / "good").glob("*.yaml"))
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
EXPECT = "# expect: "


def expected_lines(path: Path) -> list[str]:
    return [
        f"{path}:{line[len(EXPECT):].rstrip()}"
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(EXPECT)
    ]


def test_there_is_a_fixture_for_every_rule():
    assert len(BAD) >= 50
    assert all(expected_lines(p) for p in BAD), "every bad fixture says what it expects"


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_pack_reports_exactly_what_a_teacher_should_read(path):
    pack, problems = check_file(path)
    assert pack is None
    assert [str(p) for p in problems] == expected_lines(path)
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_load_pack_raises_with_every_error_of_the_file(path):
    with pytest.raises(PackError) as caught:
        load_pack(path)
    errors = [str(p) for p in caught.value.problems]
    assert errors == [line for line in expected_lines(path) if ": warning: " not in line]
    assert str(caught.value) == "\n".join(errors)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_pack_loads_with_only_its_expected_warnings(path):
    pack, problems = check_file(path)
    assert pack is not None, [str(p) for p in problems]
    assert [str(p) for p in problems] == expected_lines(path)
    assert all(p.severity == "warning" for p in problems)
    assert pack.path == str(path)


def test_a_good_fixture_uses_all_seven_types():
    used = {q.type for path in GOOD for q in load_pack(path).questions}
    assert used == {"choice", "multi", "phrase", "number", "text", "match", "verdict"}


# -- the JSON Schema --------------------------------------------------------------


class _PlainLoader(yaml.SafeLoader):
    """Reads dates as the text written, as editors' YAML servers do."""


_PlainLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def schema_refuses(path: Path) -> bool:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return True  # not YAML an editor can read: the schema cannot pass it
    return any(True for _ in jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))


def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_the_schema_accepts_every_good_pack(path):
    assert not schema_refuses(path)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_what_the_schema_refuses_the_validator_refuses(path):
    if schema_refuses(path):
        assert check_file(path)[0] is None


def test_the_schema_catches_most_structural_mistakes_too():
    # Not a rule, but a schema that refused nothing would make the test above empty.
    refused = [p.stem for p in BAD if schema_refuses(p)]
    assert len(refused) >= len(BAD) * 2 // 3, refused
