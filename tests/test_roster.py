"""The class list: read as Excel saves it, every problem located, names found as a student types."""

from __future__ import annotations

import codecs

import pytest

from quiz.model import Pack, Question
from quiz.roster import ClassRules, Roster, RosterError, Student, delimiter_of, parse_roster, read_roster
from quiz.timing import ExtraTime


def excel_semicolons() -> bytes:
    """What a European Excel writes for "CSV UTF-8": a byte-order mark, `;` and CRLF."""
    text = (
        "Name;Class;Student ID;Extra time\r\n"
        "Sam Lee;10B;S1001;+50%\r\n"
        "\"O'Brien; Róisín\";10B;S1002;\r\n"
        "Zoë Adams ;10C;S1003;10m\r\n"
        ";;;\r\n"
    )
    return codecs.BOM_UTF8 + text.encode("utf-8")


def test_excel_utf8_with_bom_semicolons_and_crlf(tmp_path):
    path = tmp_path / "class.csv"
    path.write_bytes(excel_semicolons())
    roster = read_roster(path)
    assert [s.name for s in roster] == ["Sam Lee", "O'Brien; Róisín", "Zoë Adams"]
    assert roster.entry("sam lee") == Student("Sam Lee", "10B", "S1001", ExtraTime(percent=50), line=2)
    assert roster.entry("Zoe Adams").extra_time == ExtraTime(seconds=600)
    assert roster.entry("O'Brien; Róisín").extra_time is None


def test_quoted_fields_with_commas_and_a_windows_code_page(tmp_path):
    # "CSV (Comma delimited)" in a Western Excel: Windows-1252, commas, quotes round names with commas.
    text = 'Full name,Form,Email,Access arrangements\r\n"Lee, Sam",10B,sam@school.org,25% extra time\r\nJosé Núñez,10B,jose@school.org,\r\n'
    path = tmp_path / "class.csv"
    path.write_bytes(text.encode("cp1252"))
    roster = read_roster(path)
    assert [s.name for s in roster] == ["Lee, Sam", "José Núñez"]
    assert roster.entry("jose nunez").id == "jose@school.org"
    assert roster.entry("Lee, Sam").extra_time == ExtraTime(percent=25)


def test_tabs_from_unicode_text_and_first_and_last_name_columns():
    text = "First name\tSurname\tGroup\r\nAmir\tKhan\t11A\r\n\r\nBeth\tJones\t11A\r\n"
    roster = parse_roster(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [(s.name, s.group, s.line) for s in roster] == [("Amir Khan", "11A", 2), ("Beth Jones", "11A", 4)]


def test_delimiter_is_the_headers_most_common_separator_outside_quotes():
    assert delimiter_of("name;class;id") == ";"
    assert delimiter_of('"name, full";class') == ";"
    assert delimiter_of("name\tclass") == "\t"
    assert delimiter_of("name") == ","


def test_every_problem_is_reported_with_its_line():
    text = (
        "name,class,id,extra_time\n"
        "Sam Lee,10B,1,\n"
        ",10B,2,\n"
        "sam  LEE,10C,3,\n"
        "Ann Bell,10B,1,lots\n"
    )
    with pytest.raises(RosterError) as caught:
        parse_roster(text, source="class.csv")
    assert caught.value.problems == (
        "class.csv:3: no name on this line.",
        "class.csv:4: sam LEE is already on line 2; two students need names that tell them apart (add an initial).",
        "class.csv:5: the ID 1 of Ann Bell is already on line 2.",
        "class.csv:5: extra time 'lots' is neither a share of the limit like +25% nor a time like +10m.",
    )


def test_a_list_without_a_name_column_says_what_the_first_row_should_be():
    with pytest.raises(RosterError) as caught:
        parse_roster("\n\nSam Lee,10B\nAnn Bell,10B\n", source="class.csv")
    assert caught.value.problems == (
        "class.csv:3: no name column. The first row should name the columns, like name, class, id "
        "(it reads: Sam Lee, 10B).",
    )


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(RosterError, match=r"class.csv: the file is empty"):
        parse_roster(b"\xef\xbb\xbf\r\n", source="class.csv")
    with pytest.raises(RosterError, match=r"nope.csv: not found"):
        read_roster(tmp_path / "nope.csv")


def test_find_filters_as_a_student_types_ignoring_case_and_accents():
    roster = parse_roster("name\nZoë Adams\nChloe Zhang\nBen Shaw\nAdam Zola\n")
    assert [s.name for s in roster.find("zo")] == ["Zoë Adams", "Adam Zola"]
    assert [s.name for s in roster.find("ADAM")] == ["Zoë Adams", "Adam Zola"]
    assert [s.name for s in roster.find("hl")] == ["Chloe Zhang"]
    assert len(roster.find("")) == 4
    assert roster.find("xyz") == ()
    assert roster.entry("nobody") is None


def test_class_rules_give_the_extra_time_flag_before_the_list_and_time_only_tests():
    roster = parse_roster("name,extra time\nSam Lee,+50%\nAnn Bell,\n")
    pack = Pack(id="p", title="P", questions=(Question("q", "source", "verdict", "?", verdict="fair"),))
    rules = ClassRules(roster=roster, time_limit=1200, extra_time={"ann bell": ExtraTime(seconds=300)})
    assert rules.timing(pack, "sam lee", "test").extra == 600
    assert rules.timing(pack, "Ann Bell", "test").extra == 300
    assert rules.timing(pack, "Sam Lee", "practice") is None
    assert rules.allows("SAM LEE") and not rules.allows("Someone Else")
    assert ClassRules().allows("Anyone") and not ClassRules().any


def test_a_pack_suggested_limit_is_used_when_the_teacher_gives_none():
    pack = Pack(id="p", title="P", questions=(), time_limit=900.0)
    assert ClassRules().timing(pack, "Sam", "test").limit == 900
    assert ClassRules(time_limit=600).timing(pack, "Sam", "test").limit == 600


def test_roster_is_iterable_and_sized():
    roster = Roster((Student("A"), Student("B")))
    assert len(roster) == 2 and [s.name for s in roster] == ["A", "B"]


# --------------------------------------------------------------------------
# Through the command line: picking a name, the ID in the file, attempt limits
# --------------------------------------------------------------------------

import io  # noqa: E402
import json  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from quiz import store  # noqa: E402
from quiz.cli import main  # noqa: E402
from quiz.engine import Run  # noqa: E402

PACK_YAML = """\
pack: 1
id: roster-pack
title: Roster pack
questions:
  - id: q1
    skill: source
    type: choice
    prompt: "Pick Yes"
    options:
      - text: "Yes"
        correct: true
      - text: "No"
"""


@pytest.fixture
def lesson(tmp_path, monkeypatch):
    (tmp_path / "pack.yaml").write_text(PACK_YAML, encoding="utf-8")
    (tmp_path / "class.csv").write_bytes(excel_semicolons())
    monkeypatch.setenv("TERM", "xterm")
    return tmp_path


def cli(monkeypatch, capsys, args, typed=()):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(t + "\n" for t in typed)))
    code = main(args)
    said = capsys.readouterr()
    return code, said.out, said.err


def test_a_student_picks_their_name_and_the_id_goes_into_the_attempt(lesson, monkeypatch, capsys):
    results = lesson / "results"
    code, out, err = cli(monkeypatch, capsys, [
        "play", str(lesson / "pack.yaml"), "--plain", "--results", str(results), "--roster", str(lesson / "class.csv"),
        "--mode", "practice",
    ], ["zzz", "ro", "1", "Yes"])
    assert code == 0, err
    assert "No name on the class list matches that. Check the spelling, or ask your teacher." in out
    assert "1. O'Brien; Róisín (10B)" in out
    saved = json.loads(next(results.rglob("*.json")).read_text("utf-8"))
    assert (saved["student"], saved["group"], saved["student_id"]) == ("O'Brien; Róisín", "10B", "S1002")


def test_a_name_given_on_the_command_line_must_be_on_the_list(lesson, monkeypatch, capsys):
    results = lesson / "results"
    code, out, _ = cli(monkeypatch, capsys, [
        "play", str(lesson / "pack.yaml"), "--plain", "--results", str(results), "--roster", str(lesson / "class.csv"),
        "--student", "Someone Else",
    ], ["zoe adams", "Yes"])
    assert "Someone Else is not on the class list. Find your name on it." in out
    assert json.loads(next(results.rglob("*.json")).read_text("utf-8"))["student"] == "Zoë Adams"


def test_a_class_list_with_mistakes_stops_the_quiz_with_each_line(lesson, monkeypatch, capsys):
    (lesson / "class.csv").write_text("name,extra time\nSam,+5m\nSam,\n", encoding="utf-8")
    code, out, err = cli(monkeypatch, capsys, ["play", str(lesson / "pack.yaml"), "--plain", "--roster", str(lesson / "class.csv")])
    assert code == 2 and out == ""
    assert "class.csv:3: Sam is already on line 2" in err


def test_extra_time_for_a_name_not_on_the_list_is_refused(lesson, monkeypatch, capsys):
    code, _, err = cli(monkeypatch, capsys, [
        "play", str(lesson / "pack.yaml"), "--plain", "--roster", str(lesson / "class.csv"), "--extra-time", "Sam Leigh=+25%",
    ])
    assert code == 2 and "--extra-time: Sam Leigh is not on the class list class.csv; check the spelling." in err


def test_attempts_limit_stops_a_student_who_has_finished_enough(lesson, monkeypatch, capsys):
    results = lesson / "results"
    args = ["play", str(lesson / "pack.yaml"), "--plain", "--results", str(results), "--student", "Ben Shaw", "--attempts", "1"]
    assert cli(monkeypatch, capsys, args, ["Yes"])[0] == 0
    assert store.finished_count(results, "roster-pack", "ben shaw") == 1
    code, out, _ = cli(monkeypatch, capsys, args, ["Yes"])
    assert code == 0
    assert "You have finished this pack once, as many as your teacher allows, so it cannot be started again." in out
    assert len(list(results.rglob("*.json"))) == 1
    assert cli(monkeypatch, capsys, [*args[:-1], "2"], ["Yes"])[0] == 0
    assert store.finished_count(results, "roster-pack", "Ben Shaw") == 2


def test_attempts_must_be_a_whole_number_from_one(lesson, monkeypatch, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["play", str(lesson / "pack.yaml"), "--plain", "--attempts", "0"])
    assert stopped.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_finished_count_reads_only_that_students_finished_attempts(tmp_path):
    pack = Pack(id="p", title="P", questions=(Question("q", "source", "verdict", "?", verdict="fair"),))
    now = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
    for student, finish in (("Sam Lee", True), ("Sam Lee", False), ("Sam Leeson", True), ("Ann", True)):
        r = Run.start(pack, student=student, now=now, seed=len(student) + finish, attempt_id=f"{student}{finish}".replace(" ", ""))
        r.answer("fair", seconds=1)
        if finish:
            r.finish(now)
        store.save(r.attempt, tmp_path)
    assert store.finished_count(tmp_path, "p", "SAM  LEE") == 1
    assert store.finished_count(tmp_path, "p", "Nobody") == 0
