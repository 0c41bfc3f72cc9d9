"""Grades a school's system takes: `quiz report --for moodle|canvas`, and the ID and clock in the gradebook."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from quiz import store
from quiz.cli import main
from quiz.engine import Run
from quiz.model import Pack, Question
from quiz.report import build_report, school_csv

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def verdicts(pack_id: str, title: str, count: int = 4) -> Pack:
    return Pack(
        id=pack_id,
        title=title,
        questions=tuple(Question(f"q{n}", "framing", "verdict", "Fair?", verdict="fair") for n in range(count)),
        shuffle="none",
    )


def play(results, pack: Pack, student: str, right: int, *, group="10B", student_id="", when=MONDAY,
         time_limit=None, run_out=False) -> None:
    """One finished attempt with `right` of the pack's questions right."""
    r = Run.start(pack, student=student, group=group, now=when, seed=7, mode="test",
                  student_id=student_id, time_limit=time_limit)
    for n, _ in enumerate(pack.questions):
        if run_out and n == right:
            break
        r.answer("fair" if n < right else "misleading", seconds=10, now=when + timedelta(seconds=10 * (n + 1)))
    if run_out:
        r.time_up(when + timedelta(hours=1))
    else:
        r.finish(when + timedelta(minutes=5))
    store.save(r.attempt, results)


def rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def results(tmp_path):
    folder = tmp_path / "results"
    news, ads = verdicts("news-1", "Reading the news"), verdicts("ads-1", "Adverts, honestly")
    play(folder, news, "Sam Lee", 3, student_id="S1001")
    play(folder, news, "Ann Bell", 4, student_id="S1002")
    play(folder, ads, "Sam Lee", 2, student_id="S1001")
    play(folder, news, "Nobody Listed", 1)
    return folder


def test_moodle_file_maps_by_id_number_with_one_grade_column_per_pack(results, tmp_path, capsys):
    out = tmp_path / "grades.csv"
    code = main(["report", str(results), "--out", str(out), "--for", "moodle"])
    said = capsys.readouterr()
    assert code == 0, said.err
    # The packs are not installed here: their columns take the pack's id, and the teacher is told.
    assert rows(out) == [
        ["Full name", "ID number", "ads-1 (Real)", "news-1 (Real)"],
        ["Sam Lee", "S1001", "50", "75"],
        ["Ann Bell", "S1002", "", "100"],
    ]
    assert "matched by ID number" in said.out
    assert "ads-1, news-1: not installed on this computer, so the column is named by the pack's id" in said.err
    assert "1 student has no ID and is left out, since Moodle could not match them: Nobody Listed (10B)." in said.err


def test_moodle_maps_by_email_address_when_every_id_is_an_email(tmp_path, capsys):
    folder = tmp_path / "results"
    play(folder, verdicts("news-1", "News"), "Sam Lee", 2, student_id="sam.lee@school.org")
    out = tmp_path / "grades.csv"
    assert main(["report", str(folder), "--out", str(out), "--for", "moodle"]) == 0
    assert rows(out)[0][:2] == ["Full name", "Email address"]
    assert rows(out)[1] == ["Sam Lee", "sam.lee@school.org", "50"]


def test_canvas_file_has_canvas_columns_points_possible_and_a_named_assignment(results, tmp_path, capsys):
    out = tmp_path / "canvas.csv"
    assert main(["report", str(results), "--out", str(out), "--for", "canvas"]) == 0
    got = rows(out)
    assert got[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ads-1", "news-1"]
    assert got[1] == ["    Points Possible", "", "", "", "", "100", "100"]
    assert got[2:] == [["Sam Lee", "", "S1001", "", "10B", "50", "75"], ["Ann Bell", "", "S1002", "", "10B", "", "100"]]
    assert out.read_bytes().startswith(b"Student,")  # no byte-order mark before Canvas's first heading


def test_a_roster_given_to_the_report_supplies_missing_ids(results, tmp_path, capsys):
    roster = tmp_path / "class.csv"
    roster.write_bytes("\ufeffName;Class;Student ID\r\nNobody Listed;10B;S1003\r\n".encode("utf-8"))
    out = tmp_path / "grades.csv"
    assert main(["report", str(results), "--out", str(out), "--for", "moodle", "--roster", str(roster)]) == 0
    assert ["Nobody Listed", "S1003", "", "25"] in rows(out)
    assert "left out" not in capsys.readouterr().err


def test_best_counts_the_best_attempt_and_all_is_refused(results, tmp_path, capsys):
    play(results, verdicts("news-1", "Reading the news"), "Sam Lee", 1, student_id="S1001", when=MONDAY + timedelta(days=1))
    out = tmp_path / "grades.csv"
    assert main(["report", str(results), "--out", str(out), "--for", "moodle", "--attempts", "best"]) == 0
    assert rows(out)[1] == ["Sam Lee", "S1001", "50", "75"]
    assert main(["report", str(results), "--out", str(out), "--for", "moodle", "--force"]) == 0
    assert rows(out)[1] == ["Sam Lee", "S1001", "50", "25"]  # the last attempt, by default
    capsys.readouterr()
    assert main(["report", str(results), "--out", str(tmp_path / "x.csv"), "--for", "moodle", "--attempts", "all"]) == 2
    assert "use --attempts last, first or best, not all" in capsys.readouterr().err


def test_for_without_a_csv_out_says_what_to_add(results, capsys):
    assert main(["report", str(results), "--for", "canvas"]) == 2
    assert "--for canvas writes a CSV file for Canvas: add --out grades.csv." in capsys.readouterr().err


def test_nobody_with_an_id_writes_nothing_and_says_how_to_give_ids(tmp_path, capsys):
    folder = tmp_path / "results"
    play(folder, verdicts("news-1", "News"), "Sam Lee", 2)
    out = tmp_path / "grades.csv"
    assert main(["report", str(folder), "--out", str(out), "--for", "moodle"]) == 1
    assert "None of the attempts counted has a student ID" in capsys.readouterr().err
    assert not out.exists()


def test_a_roster_that_cannot_be_read_is_reported_by_line(results, tmp_path, capsys):
    roster = tmp_path / "class.csv"
    roster.write_text("name,id\nSam Lee,1\nSam Lee,2\n", encoding="utf-8")
    assert main(["report", str(results), "--out", str(tmp_path / "g.csv"), "--for", "moodle", "--roster", str(roster)]) == 2
    assert "class.csv:3: Sam Lee is already on line 2" in capsys.readouterr().err


def test_gradebook_shows_the_id_and_who_ran_out_of_time(tmp_path, capsys):
    folder = tmp_path / "results"
    news = verdicts("news-1", "News")
    play(folder, news, "Sam Lee", 2, student_id="S1001", time_limit=600, run_out=True)
    play(folder, news, "Ann Bell", 4, student_id="S1002", time_limit=600)
    out = tmp_path / "grades.csv"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    got = {r[0]: r for r in rows(out)[1:]}
    header = rows(out)[0]
    assert header[:2] == ["\ufeffstudent", "student id"]
    at = header.index("ran out of time")
    assert header[at - 1] == "minutes allowed"
    assert (got["Sam Lee"][1], got["Sam Lee"][at - 1], got["Sam Lee"][at]) == ("S1001", "10", "yes")
    assert got["Ann Bell"][at] == ""
    capsys.readouterr()
    assert main(["report", str(folder)]) == 0
    assert "Ran out of time (marked on what they had answered): Sam Lee (10B)." in capsys.readouterr().out


def test_gradebook_without_ids_or_clocks_keeps_its_columns(tmp_path, capsys):
    folder = tmp_path / "results"
    play(folder, verdicts("news-1", "News"), "Sam Lee", 2)
    out = tmp_path / "grades.csv"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    header = rows(out)[0]
    assert "student id" not in header and "ran out of time" not in header


def test_installed_packs_give_their_titles_to_the_columns(results):
    packs = [verdicts("news-1", "Reading the news"), verdicts("ads-1", "Adverts, honestly")]
    found, _ = store.read_attempts([results])
    report = build_report(found, packs=packs)
    moodle = list(csv.reader(io.StringIO(school_csv(report, "moodle").data.decode("utf-8"))))
    canvas = list(csv.reader(io.StringIO(school_csv(report, "canvas").data.decode("utf-8"))))
    assert moodle[0][2:] == ["Adverts, honestly (Real)", "Reading the news (Real)"]
    assert canvas[0][5:] == ["Adverts, honestly (ads-1)", "Reading the news (news-1)"]
    assert school_csv(report, "canvas").untitled == ()
