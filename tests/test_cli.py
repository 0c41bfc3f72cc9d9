"""The teacher's commands, as a teacher types them: what they print and their exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO
from quiz.cli import main

GOOD = """\
pack: 1
id: tiny
title: Tiny pack
questions:
  - id: q1
    skill: source
    type: choice
    prompt: Who said it?
    options:
      - text: The council
        correct: true
      - text: Nobody
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("quiz ")


def test_validate_clean_pack(tmp_path, capsys):
    (tmp_path / "tiny.yaml").write_text(GOOD)
    code, out, err = run(capsys, "validate", str(tmp_path / "tiny.yaml"))
    assert code == 0
    assert err == ""
    assert out.strip().splitlines()[-1] == "1 pack, 1 question, 0 errors"


def test_validate_reports_every_error_located_and_exits_2(tmp_path, capsys):
    bad = GOOD.replace("    options:", "    optons:").replace("skill: source", "skill: sauce")
    (tmp_path / "bad.yaml").write_text(bad)
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 2
    lines = err.strip().splitlines()
    assert any(line.startswith(f"{tmp_path / 'bad.yaml'}:9:5: ") and "optons" in line for line in lines), err
    assert any(":6:12: " in line and "sauce" in line for line in lines), err
    assert "Traceback" not in err
    assert out.strip().splitlines()[-1].endswith("errors")
    assert out.strip().startswith("0 packs")


def test_validate_names_a_missing_path(tmp_path, capsys):
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "no such file or folder" in err
    assert out.strip() == "0 packs, 0 questions, 1 error"


def test_validate_the_bundled_packs_is_clean(capsys):
    code, out, err = run(capsys, "validate", str(REPO / "questions"))
    assert code == 0, err
    packs = out.strip().split(",")[0]
    assert packs == "2 packs"


def test_new_writes_a_pack_that_validates_and_never_overwrites(tmp_path, capsys):
    target = tmp_path / "mine.yaml"
    code, out, _ = run(capsys, "new", str(target))
    assert code == 0 and "quiz validate" in out
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=file://")
    from urllib.parse import unquote, urlparse

    schema = Path(unquote(urlparse(text.split("$schema=", 1)[1].split()[0]).path))
    assert schema.name == "pack-1.json" and schema.is_file()  # an editor can open it
    # What the comment says about that line is true of it: no "next to this pack".
    assert "next to this pack" not in text
    assert "`quiz new` names the\n# copy installed with the quiz" in text
    types = {q["type"] for q in yaml.safe_load(text)["questions"]}
    assert types == {"choice", "multi", "phrase", "number", "text", "match", "verdict"}
    assert run(capsys, "validate", str(target))[0] == 0
    target.write_text("my own work")
    code, _, err = run(capsys, "new", str(target))
    assert code == 2 and "never overwrites" in err
    assert target.read_text() == "my own work"


def test_packs_lists_bundled_and_added_packs(tmp_path, capsys):
    code, out, _ = run(capsys, "packs")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["ID", "TITLE", "QUESTIONS"]
    assert any(r.startswith("com-networks-2025") and "bundled" in r for r in rows)

    (tmp_path / "tiny.yaml").write_text(GOOD)
    code, out, _ = run(capsys, "packs", "add", str(tmp_path / "tiny.yaml"))
    assert code == 0 and "Added 'Tiny pack'" in out
    installed = Path(os.environ["QUIZ_USER_PACKS"]) / "tiny.yaml"
    assert installed.read_text() == GOOD
    code, out, _ = run(capsys, "packs")
    assert any(r.startswith("tiny ") and "user" in r for r in out.splitlines())

    code, _, err = run(capsys, "packs", "add", str(tmp_path / "tiny.yaml"))
    assert code == 2 and "--force" in err


def test_packs_remove_takes_an_added_pack_out_and_says_what_it_removed(tmp_path, capsys):
    (tmp_path / "tiny.yaml").write_text(GOOD)
    run(capsys, "packs", "add", str(tmp_path / "tiny.yaml"))
    installed = Path(os.environ["QUIZ_USER_PACKS"]) / "tiny.yaml"
    code, out, err = run(capsys, "packs", "remove", "tiny")
    assert code == 0 and err == ""
    assert out == f"Removed 'Tiny pack' (tiny) from your packs folder: {installed}\n"
    assert not installed.exists()
    assert (tmp_path / "tiny.yaml").read_text() == GOOD  # the teacher's own copy is untouched
    assert not any(r.startswith("tiny ") for r in run(capsys, "packs")[1].splitlines())
    # Gone already: said plainly, exit 2.
    code, out, err = run(capsys, "packs", "remove", "tiny")
    assert code == 2 and out == ""
    assert "No pack with the id 'tiny' is in your packs folder" in err


def test_help_names_every_packs_command(capsys):
    for argv in (["--help"], ["packs", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = " ".join(capsys.readouterr().out.split())
        assert re.search(r"packs .*list installed packs, add one,? or remove one", out, re.I), argv


def test_packs_remove_never_removes_a_pack_that_comes_with_the_quiz(capsys):
    code, out, err = run(capsys, "packs", "remove", "com-networks-2025")
    assert code == 2 and out == ""
    assert err == (
        "'com-networks-2025' comes with the quiz and cannot be removed: `quiz packs remove` only removes "
        "packs added with `quiz packs add`.\n"
    )
    assert any(r.startswith("com-networks-2025") for r in run(capsys, "packs")[1].splitlines())


def test_packs_remove_also_takes_out_a_broken_pack_file_by_its_name(capsys):
    folder = Path(os.environ["QUIZ_USER_PACKS"])
    folder.mkdir(parents=True)
    (folder / "half-written.yaml").write_text("id: half-written\nquestions: [")
    code, out, _ = run(capsys, "packs", "remove", "half-written")
    assert code == 0 and "Removed the pack file for 'half-written'" in out
    assert not (folder / "half-written.yaml").exists()


def test_packs_add_refuses_an_invalid_pack_and_says_why(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text(GOOD.replace("correct: true", "correct: false"))
    code, _, err = run(capsys, "packs", "add", str(tmp_path / "bad.yaml"))
    assert code == 2
    assert "was not added" in err and "correct" in err
    assert not Path(os.environ["QUIZ_USER_PACKS"]).exists()


def test_quiz_packs_env_path_is_searched(tmp_path, capsys, monkeypatch):
    (tmp_path / "tiny.yaml").write_text(GOOD)
    monkeypatch.setenv("QUIZ_PACKS", str(tmp_path))
    _, out, _ = run(capsys, "packs")
    assert any(r.startswith("tiny ") for r in out.splitlines())


def test_a_hostile_pack_runs_nothing_and_exits_2(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.yaml").write_text(
        f"!!python/object/apply:os.system ['touch {marker}']\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "quiz", "validate", str(tmp_path / "evil.yaml")],
        capture_output=True, text=True, timeout=20,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{tmp_path / 'evil.yaml'}:1:1: ")
    assert "Traceback" not in proc.stderr
    assert not marker.exists()


def test_console_script_is_installed():
    script = str(Path(sys.executable).parent / "quiz")
    proc = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("quiz ")


def test_import_writes_a_pack_that_validates_and_lists_each_question(tmp_path, capsys):
    from helpers import FIXTURES

    target = tmp_path / "moodle.yaml"
    code, out, _ = run(capsys, "import", str(FIXTURES / "import" / "moodle-questions.gift.txt"), "-o", str(target))
    assert code == 0
    assert "moodle-questions.gift.txt:2:1: warning: skipped: 'Q8': an essay question" in out
    assert "moodle-questions.gift.txt:14:1: imported choice question 'q2'" in out
    assert "8 imported, 1 skipped" in out
    assert run(capsys, "validate", str(target))[0] == 0
    code, _, err = run(capsys, "import", str(FIXTURES / "import" / "moodle-questions.gift.txt"), "-o", str(target))
    assert code == 2 and "--force" in err


def test_import_aiken_by_flag(tmp_path, capsys):
    from helpers import FIXTURES

    target = tmp_path / "aiken.yaml"
    code, out, _ = run(capsys, "import", str(FIXTURES / "import" / "moodle-questions.aiken.txt"), "--format", "aiken", "-o", str(target))
    assert code == 0, out
    assert yaml.safe_load(target.read_text())["questions"][0]["prompt"] == "The Moodle project was started by:"


def test_export_gift_lists_what_gift_cannot_hold(tmp_path, capsys):
    target = tmp_path / "com.gift"
    code, out, err = run(capsys, "export", "com-networks-2025", "--to", "gift", "-o", str(target))
    assert code == 0
    assert "warning: the source text (the article) is not exported" in err
    text = target.read_text()
    assert "::who-warned::" in text and "####" in text


def test_export_says_each_kind_of_warning_once_and_nothing_before_a_refusal(tmp_path, capsys):
    target = tmp_path / "com.gift"
    code, _, err = run(capsys, "export", "com-networks-2025", "--to", "gift", "-o", str(target))
    assert code == 0
    lines = err.splitlines()
    hints = [line for line in lines if "hint" in line]
    assert len(hints) == 1 and re.match(r"warning: \d+ hints are not exported \(GIFT has no hints\): \S+, ", hints[0])
    assert len(lines) == len(set(lines)) < 12
    # The file is there now: the refusal is the only thing said.
    code, out, err = run(capsys, "export", "com-networks-2025", "--to", "gift", "-o", str(target))
    assert code == 2 and out == ""
    assert err == f"{target} already exists. Add --force to replace it.\n"


def test_export_to_a_place_that_cannot_be_written_says_so(tmp_path, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code, _, err = run(capsys, "export", "warm-up", "--to", "gift", "-o", str(blocked / "out.gift"))
    assert code == 2
    assert err.splitlines()[-1].startswith(f"Could not write {blocked / 'out.gift'}: ")


def test_play_with_a_pack_that_does_not_open_says_so_and_exits_2(capsys):
    assert main(["play", "no-such-pack", "--student", "Sam"]) == 2
    err = capsys.readouterr().err
    assert "no installed pack has the id `no-such-pack`" in err
    assert "Could not open the pack 'no-such-pack'. `quiz packs` lists the installed ones." in err
