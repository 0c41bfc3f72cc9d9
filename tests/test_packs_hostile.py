"""Hostile and broken files: each gives a located, plain-English problem, fast.

Nothing in a pack is ever run, no input makes the loader raise anything but
PackError, and big or explosive files are refused before they cost anything.
Large inputs are generated here, in tmp_path, rather than committed.
"""

from __future__ import annotations

import builtins
import codecs
import time

import pytest
import yaml

from quiz.packs import PackError, Problem, check_file, check_text, load_pack, load_pack_text
from quiz.packs import reading

GOOD_QUESTION = "  - {id: q, skill: source, type: text, prompt: Who, accept: [NCA]}\n"
HEAD = "pack: 1\nid: hostile\ntitle: Hostile\n"


def only_problem(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- encodings -------------------------------------------------------------------------


def test_invalid_utf8_names_the_line_column_and_byte_offset(tmp_path):
    data = (HEAD + "description: caf").encode() + b"\xe9 au lait\n"
    path = write(tmp_path, "latin1.yaml", data)
    problem = only_problem(check_file(path)[1])
    offset = data.index(b"\xe9")
    assert (problem.line, problem.col) == (4, 17)
    assert problem.message == (
        f"this file is not UTF-8 text: the byte 0xe9 here (byte offset {offset}) cannot be "
        "read; save the file as UTF-8 (in most editors: Save As, then Encoding: UTF-8)"
    )


def test_utf16_is_refused_with_what_to_do(tmp_path):
    path = write(tmp_path, "utf16.yaml", (HEAD + "questions:\n" + GOOD_QUESTION).encode("utf-16"))
    assert "save it as UTF-8" in only_problem(check_file(path)[1]).message


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    path = write(tmp_path, "bom.yaml", codecs.BOM_UTF8 + (HEAD + "questions:\n" + GOOD_QUESTION).encode())
    assert load_pack(path).id == "hostile"


def test_windows_line_endings_are_fine_and_lines_still_count(tmp_path):
    text = HEAD + "questions:\n" + GOOD_QUESTION + "  - {id: q2, skill: nope, type: text, prompt: Who, accept: [x]}\n"
    path = write(tmp_path, "crlf.yaml", text.replace("\n", "\r\n").encode())
    problem = only_problem(check_file(path)[1])
    assert (problem.line, problem.col) == (6, 21)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_are_located(char):
    problem = only_problem(check_text(HEAD + f"description: caf\u00e9 {char}x\n", "ctrl.yaml")[1])
    assert (problem.line, problem.col) == (4, 19)
    assert problem.message.startswith(f"the invisible character U+{ord(char):04X} cannot be in a pack")


# -- YAML syntax -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, start",
    [
        (HEAD + "questions:\n\t- id: q\n", 5, 1, "a tab is used for indentation here"),
        (HEAD + 'description: "open\nquestions: []\n', 4, 14, 'the text starting with " here is never closed'),
        (HEAD + "description: 'open\n", 4, 14, "the text starting with ' here is never closed"),
        (HEAD + "description: a: b\n", 4, 15, "a colon followed by a space confuses YAML here"),
        (HEAD + "authors: [a, b\nquestions: []\n", 5, 10, "the list opened with `[` on line 4 is not closed"),
        (HEAD + "---\npack: 1\n", 4, 1, "a second YAML document starts here"),
        (HEAD + 'description: "a\\qb"\n', 4, 16, "a backslash inside double quotes"),
        (HEAD + "description: @home\n", 4, 14, "a value cannot start with @ in YAML"),
        (HEAD + "description: *nothing\n", 4, 14, "a word starting with `*` is read by YAML as an alias"),
        (HEAD + "description: " + "[" * 2000 + "]" * 2000 + "\n", 4, 1013, "lists or `key: value` mappings are nested too deeply"),
    ],
)
def test_yaml_syntax_errors_are_explained_where_they_are(text, line, col, start):
    problem = only_problem(check_text(text, "syntax.yaml")[1])
    assert (problem.path, problem.line, problem.col) == ("syntax.yaml", line, col)
    assert problem.message.startswith(start)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_an_empty_file_says_how_to_start(text):
    problem = only_problem(check_text(text, "empty.yaml")[1])
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message.startswith(("the file is empty", "a pack is a set of `key: value` lines"))


@pytest.mark.parametrize("text, kind", [("- a\n- b\n", "a list"), ("42\n", "the number `42`"),
                                        ("just words\n", "the text `just words`")])
def test_a_pack_must_be_a_mapping(text, kind):
    problem = only_problem(check_text(text, "top.yaml")[1])
    assert problem.message.endswith(f"but this file holds {kind}")


# -- nothing is ever run ---------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple",
        "!!binary",
        "!!set",
        "!!omap",
        "!local",
        "!<tag:example.com,2026:thing>",
    ],
)
def test_any_tag_outside_core_yaml_is_refused_and_never_run(tmp_path, tag):
    marker = tmp_path / "ran"
    text = HEAD + f'description: {tag} ["touch {marker}"]\nquestions:\n' + GOOD_QUESTION
    pack, problems = check_text(text, "tag.yaml")
    assert pack is None
    problem = only_problem(problems)
    assert (problem.line, problem.col) == (4, 14)
    assert problem.message.startswith("the tag `")
    assert problem.message.endswith("is not allowed: a pack holds only text, numbers, true/false, "
                                    "lists and `key: value` mappings; remove the tag")
    assert not marker.exists()


def test_a_tag_is_refused_even_where_the_key_is_unknown():
    text = HEAD + "extra: !!python/object/apply:os.system [ls]\nquestions:\n" + GOOD_QUESTION
    messages = [p.message for p in check_text(text)[1]]
    assert any(m.startswith("unknown key `extra`") for m in messages)
    assert any(m.startswith("the tag `!!python/object/apply:os.system`") for m in messages)


def test_core_tags_written_out_are_fine():
    text = HEAD + "version: !!str 2\nquestions:\n" + GOOD_QUESTION
    assert load_pack_text(text).version == "2"


def test_markup_in_text_is_kept_as_plain_characters():
    text = HEAD + "description: '[red]alert[/red] <b>x</b> {{ y }}'\nquestions:\n" + GOOD_QUESTION
    assert load_pack_text(text).description == "[red]alert[/red] <b>x</b> {{ y }}"


# -- aliases and size limits -----------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb, set inside the keys a pack really reads."""
    lines = [HEAD.rstrip("\n"), "source:", '  text: "lol"', "questions:"]
    lines.append("  - &l0 {id: q, skill: source, type: text, prompt: lol, accept: [lol]}")
    lines.append(f"  - &l1 [{', '.join(['*l0'] * 9)}]")
    for level in range(2, levels + 1):
        lines.append(f"  - &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    lines.append(f"description: *l{levels}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once():
    start = time.perf_counter()
    pack, problems = check_text(billion_laughs(), "bomb.yaml")
    assert time.perf_counter() - start < 0.5
    assert pack is None
    aliases = [p for p in problems if "(a YAML alias)" in p.message]
    assert len(aliases) == 9 * 9 + 1
    assert str(aliases[0]) == (
        "bomb.yaml:8:10: `*l0` repeats the part marked `&l0` on line 7 (a YAML alias): packs "
        "do not use anchors and aliases, so that every question reads on its own; write "
        "the text out in full here"
    )


def test_any_alias_is_refused_even_a_small_one():
    text = HEAD + "description: &d Short\nlicense: *d\nquestions:\n" + GOOD_QUESTION
    problem = only_problem(check_text(text, "alias.yaml")[1])
    assert (problem.line, problem.col) == (5, 10)
    assert problem.message.startswith("`*d` repeats the part marked `&d` on line 4")


def test_an_anchor_nobody_uses_is_harmless():
    text = HEAD + "description: &d Short\nquestions:\n" + GOOD_QUESTION
    assert load_pack_text(text).description == "Short"


def test_a_file_over_5_mb_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as file:
        file.truncate(1024 * 1024 * 1024)  # sparse: costs no disk, but reading it would
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    start = time.perf_counter()
    problem = only_problem(check_file(path)[1])
    assert time.perf_counter() - start < 0.5
    assert opened == []
    assert str(problem) == (
        f"{path}:1:1: this file is 1,073,741,824 bytes, more than the 5,242,880 bytes (5 MB) "
        "a pack may have: split it into smaller packs"
    )


def test_just_over_5_mb_is_refused_and_just_under_is_read(tmp_path):
    filler = "# " + "x" * 98 + "\n"
    body = HEAD + "questions:\n" + GOOD_QUESTION
    under = body + filler * ((reading.MAX_BYTES - len(body)) // len(filler))
    assert len(under.encode()) <= reading.MAX_BYTES
    assert load_pack(write(tmp_path, "under.yaml", under.encode())).id == "hostile"
    over = under + filler
    assert len(over.encode()) > reading.MAX_BYTES
    assert "5 MB" in only_problem(check_file(write(tmp_path, "over.yaml", over.encode()))[1]).message
    assert "5 MB" in only_problem(check_text(over, "over.yaml")[1]).message


def test_more_than_10000_questions_are_refused(tmp_path):
    text = HEAD + "questions:\n" + "".join(
        f"  - {{id: q{i}, skill: source, type: text, prompt: Who, accept: [x]}}\n" for i in range(10_001)
    )
    start = time.perf_counter()
    problem = only_problem(check_text(text, "many.yaml")[1])
    assert time.perf_counter() - start < 5
    assert str(problem) == (
        "many.yaml:4:1: this pack has 10,001 questions and a pack may have at most 10,000: "
        "split it into several packs"
    )


def test_exactly_10000_questions_are_fine():
    text = HEAD + "questions:\n" + "".join(
        f"  - {{id: q{i}, skill: source, type: text, prompt: Who, accept: [x]}}\n" for i in range(10_000)
    )
    assert len(load_pack_text(text).questions) == 10_000


def test_a_newer_format_is_refused_whole():
    text = "pack: 2\nid: future\nhologram: yes\n"
    assert [str(p) for p in check_text(text, "future.yaml")[1]] == [
        "future.yaml:1:7: this file is pack format 2; this quiz reads format 1: update the quiz, "
        "or ask the pack's author for a format 1 version"
    ]


# -- files that cannot be read ---------------------------------------------------------


def test_a_missing_file_or_a_folder_is_a_problem_not_a_crash(tmp_path):
    assert "there is no file here" in only_problem(check_file(tmp_path / "nope.yaml")[1]).message
    assert "this is a folder" in only_problem(check_file(tmp_path)[1]).message
    with pytest.raises(PackError):
        load_pack(tmp_path / "nope.yaml")


def test_the_path_is_printed_as_the_user_gave_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "p.yaml").write_text("pack: 1\n", encoding="utf-8")
    problem = only_problem(check_file("packs/p.yaml")[1])
    assert str(problem).startswith("packs/p.yaml:1:1: the pack has no `id`, `title` or `questions`")


# -- the pure-Python loader, for PyYAML built without libyaml --------------------------


class _PurePythonLoader(yaml.SafeLoader):
    """The same checks must hold when libyaml is missing."""


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "questions:\n\t- id: q\n",
        HEAD + 'description: "open\n',
        HEAD + "description: !!python/object/apply:os.system [ls]\nquestions:\n" + GOOD_QUESTION,
        HEAD + "description: caf\u00e9 \x07\n",
        billion_laughs(),
        "[" * 5000 + "]" * 5000,
        "",
    ],
)
def test_without_libyaml_problems_are_still_located(monkeypatch, text):
    monkeypatch.setattr(reading, "PackLoader", _PurePythonLoader)
    pack, problems = check_text(text, "pure.yaml")
    assert pack is None and problems
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


def test_without_libyaml_a_good_pack_loads(monkeypatch):
    monkeypatch.setattr(reading, "PackLoader", _PurePythonLoader)
    assert load_pack_text(HEAD + "questions:\n" + GOOD_QUESTION).id == "hostile"


def test_thousands_of_near_miss_claims_on_a_long_source_stay_fast():
    source = "The agency has warned pupils and parents about the survey. " * 2_500
    text = HEAD + "source:\n  text: " + source + "\nquestions:\n" + "".join(
        f"  - {{id: q{i}, skill: source, type: verdict, claim: the agency warned pupils {i},"
        " prompt: Fair, verdict: fair}\n" for i in range(5_000)
    )
    start = time.perf_counter()
    pack, problems = check_text(text, "slow.yaml")
    assert time.perf_counter() - start < 10
    assert pack is None and len(problems) == 5_000
    suggested = sum("did you mean" in p.message for p in problems)
    assert 0 < suggested <= 50


# -- terminal control sequences ----------------------------------------------------------

# Written as a teacher (or someone sending one a pack) would, with YAML's double-quoted escapes.
SEQUENCES = {
    "clipboard": r"\e]52;c;aGk=\a",  # writes the student's clipboard
    "title": r"\e]0;hi\a",  # sets the terminal window's title
    "clear-screen": r"\e[2J",
    "blink": r"\e[5m",
}


def _pack_with(prompt: str = "Who", title: str = "Hostile", option: str = "NCA", hint: str = "") -> str:
    return (
        f'pack: 1\nid: hostile\ntitle: "{title}"\nquestions:\n'
        f'  - id: q\n    skill: source\n    type: choice\n    prompt: "{prompt}"\n'
        + (f'    hint: "{hint}"\n' if hint else "")
        + f'    options:\n      - text: "{option}"\n        correct: true\n      - text: BBC\n'
    )


@pytest.mark.parametrize("name", SEQUENCES)
@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_a_control_sequence_in_pack_text_is_refused_at_the_character(monkeypatch, name, loader):
    if loader == "pure":
        monkeypatch.setattr(reading, "PackLoader", _PurePythonLoader)
    sequence = SEQUENCES[name]
    cases = [
        (_pack_with(title=f"Fake news {sequence}"), 3, 19, "`title` of the pack"),
        (_pack_with(prompt=f"Who said it? {sequence}"), 8, 27, "`prompt` of question `q`"),
        (_pack_with(option=f"{sequence}NCA"), 10, 16, "`text` of option 1 of question `q`"),
        (_pack_with(hint=f"Look {sequence}"), 9, 17, "`hint` of question `q`"),
    ]
    for text, line, col, what in cases:
        pack, problems = check_text(text, "pack.yaml")
        problem = only_problem(problems)
        assert pack is None
        assert (problem.line, problem.col) == (line, col), str(problem)
        assert problem.message.startswith(f"{what} holds ")
        assert "ESC (U+001B)" in problem.message and problem.message.endswith("remove it" if name in ("clear-screen", "blink") else "remove them")
        assert text.splitlines()[line - 1][col - 1:col + 1] == "\\e"


@pytest.mark.parametrize("name", SEQUENCES)
def test_quiz_validate_refuses_a_control_sequence_with_exit_2(tmp_path, capsys, name):
    from quiz.cli import main

    path = tmp_path / "pack.yaml"
    path.write_text(_pack_with(prompt=f"Who said it? {SEQUENCES[name]}"), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr()
    shown = out.out + out.err
    assert f"{path}:8:27: `prompt` of question `q` holds " in shown
    assert "ESC (U+001B)" in shown
    assert "\x1b" not in shown and "\x07" not in shown


def test_tabs_and_line_breaks_in_pack_text_are_fine():
    pack = load_pack_text(
        _pack_with(prompt=r"Who said it?\n\tThe council\tor the NCA?", title=r"Two\tcolumns")
    )
    assert pack.title == "Two\tcolumns"
    assert pack.questions[0].prompt == "Who said it?\n\tThe council\tor the NCA?"


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_a_control_character_written_as_itself_is_found_in_any_style(monkeypatch, loader):
    """Direction overrides are allowed raw in YAML: found where they stand, whatever the quoting."""
    if loader == "pure":
        monkeypatch.setattr(reading, "PackLoader", _PurePythonLoader)
    text = (
        "pack: 1\nid: hostile\ntitle: Fake \u202enews\nquestions:\n"
        "  - id: q\n    skill: source\n    type: text\n    prompt: |\n      First line\n"
        "      second \u2066line\n    hint: 'it''s \u202ahere'\n    accept: [NCA]\n"
    )
    pack, problems = check_text(text, "pack.yaml")
    assert pack is None
    assert [(p.line, p.col, p.message.split(" holds ")[0]) for p in problems] == [
        (3, 13, "`title` of the pack"),
        (10, 14, "`prompt` of question `q`"),
        (11, 18, "`hint` of question `q`"),
    ]
    assert "a direction override (U+202E)" in problems[0].message


def test_a_control_character_in_quotes_over_several_lines_is_located_at_the_text():
    text = HEAD + 'description: "first line\n  second \\e[2J line"\nquestions:\n' + GOOD_QUESTION
    problem = only_problem(check_text(text, "pack.yaml")[1])
    assert (problem.line, problem.col) == (4, 14)
    assert problem.message == (
        "`description` of the pack holds a control character, ESC (U+001B): remove it"
    )


def test_every_kind_of_pack_text_is_checked():
    """Ids, skills, claims, source, accepted answers, match items and categories too."""
    bell = r"\a"
    text = (
        f'pack: 1\nid: hostile\ntitle: T\ncontent_note: "n{bell}"\nauthors: ["a{bell}"]\n'
        f'source:\n  title: "s{bell}"\n  text: "The council said{bell} it."\n'
        f'skills:\n  source: "Who{bell}"\n'
        "questions:\n"
        f'  - {{id: "q{bell}", skill: source, type: text, prompt: P, explain: "e{bell}", accept: ["x{bell}"]}}\n'
        f'  - {{id: m, skill: source, type: match, prompt: P, categories: [fact, "op{bell}"],'
        f' items: [{{text: "i{bell}", answer: fact, explain: "x{bell}"}}]}}\n'
        f'  - {{id: v, skill: source, type: verdict, prompt: P, claim: "said{bell}", verdict: fair}}\n'
    )
    problems = check_text(text, "pack.yaml")[1]
    named = [p.message.split(" holds ")[0] for p in problems if "BEL (U+0007)" in p.message]
    assert named == [
        "`content_note` of the pack", "entry 1 of `authors` of the pack", "`title` of the source",
        "`text` of the source", "the skill `source`", "`id` of question `q␇`",
        "`explain` of question `q␇`", "entry 1 of `accept` of question `q␇`",
        "entry 2 of `categories` of question `m`", "`text` of item 1 of question `m`",
        "`explain` of item 1 of question `m`", "`claim` of question `v`",
    ]
