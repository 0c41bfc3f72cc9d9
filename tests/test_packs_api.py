"""The packs layer as other code uses it: problems, loading, the starter pack.

Plain Python: nothing here, and nothing under quiz.packs, imports Textual.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from quiz.model import DEFAULT_SKILLS, QUESTION_TYPES
from quiz.packs import PackError, Problem, check_text, load_pack_text
from quiz.packs.claims import SourceText
from quiz.packs.starter import SCHEMA_PATH, SCHEMA_REF, STARTER, starter_text

QUESTION = "  - {id: q, skill: source, type: text, prompt: Who, accept: [NCA]}\n"


def test_a_problem_prints_as_path_line_col_message():
    assert str(Problem("packs/news.yaml", 12, 5, "unknown key `optons`")) == (
        "packs/news.yaml:12:5: unknown key `optons`"
    )
    warning = Problem("news.yaml", 3, 1, "every verdict is `misleading`", severity="warning")
    assert str(warning) == "news.yaml:3:1: warning: every verdict is `misleading`"
    assert not warning.is_error


def test_pack_error_carries_every_problem():
    problems = [Problem("a.yaml", 1, 1, "one"), Problem("a.yaml", 2, 1, "two")]
    error = PackError(problems)
    assert error.problems == problems
    assert str(error) == "a.yaml:1:1: one\na.yaml:2:1: two"


def test_load_pack_text_fills_in_the_defaults():
    pack = load_pack_text("pack: 1\nid: plain\ntitle: Plain\nquestions:\n" + QUESTION)
    assert (pack.path, pack.format, pack.version, pack.language) == ("<string>", 1, "1", "en")
    assert dict(pack.skills) == dict(DEFAULT_SKILLS)
    assert (pack.hint_penalty, pack.confidence, pack.mode, pack.source) == (0.5, False, "", None)
    question = pack.questions[0]
    assert (question.points, question.line, question.accept) == (1.0, 5, ("NCA",))


def test_values_are_kept_as_written():
    pack = load_pack_text(
        "pack: 1\nid: kept\ntitle: 1984\nversion: 1.10\nsource:\n  published: 2025-03-05\n"
        "  text: |\n    Line one\n    line two\nquestions:\n" + QUESTION
    )
    assert (pack.title, pack.version) == ("1984", "1.10")
    assert pack.source.published == "2025-03-05"
    assert pack.source.text == "Line one\nline two\n"


@pytest.mark.parametrize(
    "written, stored",
    [("2025-03-05", "2025-03-05"), ('"2025-03-05"', "2025-03-05"), ("'20250305'", "2025-03-05"),
     ("2025-03-05 10:30:00", "2025-03-05T10:30:00"), ('"2025-03-05T10:30:00+01:00"', "2025-03-05T10:30:00+01:00"),
     ('"2025-03-05T10:30:00Z"', "2025-03-05T10:30:00+00:00")],
)
def test_dates_bare_or_quoted_are_stored_as_iso(written, stored):
    text = f"pack: 1\nid: d\ntitle: D\nsource:\n  published: {written}\n  text: x\nquestions:\n" + QUESTION
    assert load_pack_text(text).source.published == stored


def test_check_text_never_raises_and_load_pack_text_raises_pack_error():
    pack, problems = check_text("pack: 1\n", "x.yaml")
    assert pack is None and problems[0].path == "x.yaml"
    with pytest.raises(PackError):
        load_pack_text("pack: [")


def test_warnings_do_not_stop_a_pack_loading():
    text = (
        "pack: 1\nid: doubt\ntitle: Doubt\nsource:\n  text: A said B. C said D.\nquestions:\n"
        "  - {id: a, skill: framing, type: verdict, claim: A said B, prompt: Fair, verdict: misleading}\n"
        "  - {id: c, skill: framing, type: verdict, claim: C said D, prompt: Fair, verdict: misleading}\n"
    )
    pack, problems = check_text(text)
    assert pack is not None
    assert [p.severity for p in problems] == ["warning"]
    assert load_pack_text(text).id == "doubt"


def test_the_packs_layer_never_imports_textual():
    code = (
        "import sys, quiz.packs, quiz.packs.starter, quiz.packs.loader;"
        "quiz.packs.load_pack_text(quiz.packs.starter.STARTER);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# Below packs sit only the model and the small modules every layer may use.
BELOW_PACKS = {"quiz", "quiz.model", "quiz.answers", "quiz.display", "quiz.locations", "quiz.timing"}
QUIZ_ROOT = Path(__import__("quiz").__file__).parent


def _quiz_imports(path: Path, package: str) -> set[str]:
    """Every quiz module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            folder = QUIZ_ROOT.parent / base.replace(".", "/")
            for alias in node.names:
                # `from quiz.packs import loader` imports the module quiz.packs.loader.
                is_module = (folder / f"{alias.name}.py").exists() or (folder / alias.name).is_dir()
                found.add(f"{base}.{alias.name}" if is_module else base)
    return {m for m in found if m == "quiz" or m.startswith("quiz.")}


def test_the_packs_modules_import_no_higher_layer_and_form_no_cycle():
    folder = QUIZ_ROOT / "packs"
    modules = {f"quiz.packs.{p.stem}" if p.stem != "__init__" else "quiz.packs": p for p in folder.glob("*.py")}
    graph = {}
    for name, path in modules.items():
        imported = _quiz_imports(path, "quiz.packs")
        upward = {m for m in imported if m not in modules and m not in BELOW_PACKS
                  and not any(m.startswith(b + ".") for b in modules)}
        assert not upward, f"{name} imports a higher layer: {sorted(upward)}"
        graph[name] = {m for m in imported if m in modules and m != name}

    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join(trail[trail.index(name):] + [name])
        if name in done:
            return
        for other in graph[name]:
            visit(other, trail + [name])
        done.add(name)

    for name in graph:
        visit(name, [])


# -- claims in the source ------------------------------------------------------------------


SOURCE = SourceText(
    "The UK\u2019s top crime agency warned that thousands of young\nusers had joined \u201cCom\u201d networks.\n\n"
    "Reports rose six-fold between 2022 and 2024."
)


def test_claims_are_found_across_line_breaks_but_otherwise_word_for_word():
    assert SOURCE.contains("thousands of young users")
    assert SOURCE.contains("thousands   of\nyoung users")
    assert not SOURCE.contains("thousands of young people")
    assert not SOURCE.contains("the UK's top crime agency")


def test_a_near_miss_suggests_the_source_passage():
    assert SOURCE.suggestion("reports rose sixfold between 2022 and 2024") == (
        'did you mean "Reports rose six-fold between 2022 and 2024"?'
    )
    assert SOURCE.suggestion("an unrelated sentence about the weather in Spain") == ""


def test_a_near_miss_in_quote_marks_or_capitals_says_what_differs():
    assert SOURCE.suggestion("The UK's top crime agency") == (
        'did you mean "The UK\u2019s top crime agency"? The source has \u2019 where the pack has \'.'
    )
    assert SOURCE.suggestion('"com" networks') == (
        'did you mean "\u201cCom\u201d networks"? The source has \u201c where the pack has "; '
        'the source has \u201d where the pack has "; capital letters differ too.'
    )
    assert SOURCE.suggestion("reports rose") == 'did you mean "Reports rose"? Only capital letters differ.'


# -- the starter pack -------------------------------------------------------------------


def test_the_starter_pack_validates_as_written_without_warnings():
    pack, problems = check_text(STARTER, "starter.yaml")
    assert problems == []
    assert pack is not None and pack.source is not None


def test_the_starter_pack_uses_every_question_type():
    pack = load_pack_text(STARTER)
    assert {q.type for q in pack.questions} == set(QUESTION_TYPES)
    assert {q.verdict for q in pack.questions if q.type == "verdict"} == {"fair", "misleading"}


def test_the_starter_pack_points_editors_at_the_schema():
    assert STARTER.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_REF}"
    assert SCHEMA_PATH.name == SCHEMA_REF and SCHEMA_PATH.is_file()
    other = starter_text("https://example.org/pack-1.json")
    assert other.splitlines()[0] == "# yaml-language-server: $schema=https://example.org/pack-1.json"
    assert other.splitlines()[1:] == STARTER.splitlines()[1:]


def test_the_starter_pack_passes_the_schema_too():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data = yaml.safe_load(STARTER)
    data["source"]["published"] = str(data["source"]["published"])
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


def test_the_starter_pack_teaches_each_type_in_comments():
    for kind in QUESTION_TYPES:
        assert f"# {kind}: " in STARTER
