"""Timed tests: the limit as a teacher writes it, extra time, the clock in the engine, the attempt file."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from quiz import store, wording
from quiz.engine import Run, TimeUp
from quiz.model import Pack, Question
from quiz.timing import ExtraTime, TimeError, in_words, parse_duration, parse_extra_time, parse_time_limit

START = datetime(2026, 11, 27, 10, 0, 0, tzinfo=timezone.utc)


def pack() -> Pack:
    return Pack(
        id="timed",
        title="Timed",
        questions=tuple(Question(f"q{n}", "framing", "verdict", "Fair?", verdict="fair") for n in range(1, 4)),
        shuffle="none",
    )


def run(**kwargs) -> Run:
    options = dict(student="Sam Lee", now=START, seed=1, mode="test", time_limit=1200.0)
    options.update(kwargs)
    return Run.start(pack(), **options)


@pytest.mark.parametrize(
    "text, seconds",
    [("20m", 1200), ("1h30m", 5400), ("1h 30 min", 5400), ("90s", 90), ("1:30:00", 5400),
     ("1:30", 5400), ("45 minutes", 2700), ("2h", 7200), ("1m30s", 90), ("0.5h", 1800)],
)
def test_durations_as_teachers_write_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text, message",
    [("20", "'20' has no unit: write 20m for minutes or 20s for seconds."),
     ("soon", "'soon' is not a length of time; write it like 20m, 1h30m, 90s or 1:30:00."),
     ("0m", "A time limit of 0m leaves no time at all"),
     ("30s", "under a minute"),
     ("11h", "over ten hours"),
     ("20m20m", "is not a length of time")],
)
def test_limits_that_make_no_sense_are_refused_in_plain_words(text, message):
    with pytest.raises(TimeError) as caught:
        parse_time_limit(text)
    assert message in str(caught.value)


def test_extra_time_as_a_share_or_a_time():
    assert parse_extra_time("+50%") == ExtraTime(percent=50)
    assert parse_extra_time("25% extra time") == ExtraTime(percent=25)
    assert parse_extra_time("+10m") == ExtraTime(seconds=600)
    assert parse_extra_time("") is None and parse_extra_time("none") is None and parse_extra_time("0") is None
    assert ExtraTime(percent=50).on(1200) == 600 and ExtraTime(seconds=600).on(1200) == 600
    assert str(ExtraTime(percent=50)) == "+50%" and str(ExtraTime(seconds=5400)) == "+1h30m"
    with pytest.raises(TimeError, match="more than 300%"):
        parse_extra_time("+500%")


def test_time_in_words_never_says_more_time_than_there_is():
    assert in_words(299) == "4 minutes"
    assert in_words(300) == "5 minutes"
    assert in_words(5400) == "1 hour 30 minutes"
    assert in_words(59.9) == "59 seconds"
    assert in_words(60) == "1 minute"


def test_the_deadline_is_the_start_plus_the_limit_plus_extra_time():
    r = run(extra_time=600.0)
    assert r.attempt.deadline == "2026-11-27T10:30:00+00:00"
    assert r.time_left(START + timedelta(minutes=10)) == 1200
    assert not r.expired(START + timedelta(minutes=29))
    assert r.expired(START + timedelta(minutes=30))
    assert r.time_left(START + timedelta(hours=2)) == 0


def test_practice_is_never_timed():
    r = run(mode="practice")
    assert r.attempt.time_limit is None and r.attempt.deadline is None
    assert r.time_left(START + timedelta(hours=5)) is None and not r.expired(START + timedelta(hours=5))


def test_warnings_at_five_and_one_minute_each_once():
    r = run()
    assert r.warning_due(START + timedelta(minutes=10)) is None
    assert r.warning_due(START + timedelta(minutes=15, seconds=1)) == 300
    assert r.warning_due(START + timedelta(minutes=16), {300}) is None
    assert r.warning_due(START + timedelta(minutes=19, seconds=30), {300}) == 60
    # Back after a break with 40 seconds left: only the latest warning.
    assert r.warning_due(START + timedelta(minutes=19, seconds=20)) == 60


def test_at_zero_the_attempt_finishes_with_what_was_answered():
    r = run()
    r.answer("fair", seconds=30, now=START + timedelta(minutes=5))
    with pytest.raises(TimeUp):
        r.answer("fair", seconds=30, now=START + timedelta(minutes=21))
    assert len(r.attempt.answers) == 1  # the late answer is not recorded
    done = r.time_up(START + timedelta(hours=3))
    assert done.timed_out and done.finished == "2026-11-27T10:20:00+00:00"
    assert [a.question for a in done.answers] == ["q1"] and done.score == 1


def test_an_answer_as_the_clock_reaches_zero_still_counts():
    r = run()
    r.answer("fair", seconds=30, now=START + timedelta(minutes=20, seconds=3))
    assert len(r.attempt.answers) == 1


def test_finishing_every_question_in_time_is_not_running_out():
    r = run()
    for n in range(3):
        r.answer("fair", seconds=10, now=START + timedelta(minutes=n + 1))
    assert not r.finish(START + timedelta(minutes=25)).timed_out


def test_the_attempt_file_records_the_clock_and_when_each_answer_came(tmp_path):
    r = run(extra_time=300.0, student_id="S1001")
    r.answer("misleading", seconds=12.3, now=START + timedelta(seconds=40))
    r.time_up(START + timedelta(minutes=26))
    path = store.save(r.attempt, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["student_id"] == "S1001"
    assert (data["time_limit"], data["extra_time"], data["deadline"], data["timed_out"]) == (
        1200.0, 300.0, "2026-11-27T10:25:00+00:00", True,
    )
    assert data["answers"][0]["at"] == "2026-11-27T10:00:40+00:00"
    assert data["answers"][0]["seconds"] == 12.3
    again = store.read_attempt(path)
    assert again == r.attempt
    resumed = Run.resume(pack(), again)
    assert resumed.expired(START + timedelta(minutes=25))


def test_an_untimed_attempt_file_has_no_clock_fields_and_old_files_read_as_before(tmp_path):
    r = Run.start(pack(), student="Ann", now=START, seed=2)
    r.answer("fair", seconds=3.0)
    data = store.to_dict(r.attempt)
    assert not {"time_limit", "extra_time", "deadline", "timed_out", "student_id"} & set(data)
    assert "at" not in data["answers"][0]
    old = store.from_dict(data)
    assert old.time_limit is None and not old.timed_out and old.answers[0].at is None


def test_a_hand_edited_clock_is_refused_with_its_field():
    data = store.to_dict(run().attempt)
    data["time_limit"] = "twenty minutes"
    with pytest.raises(store.NotAnAttempt, match="time_limit"):
        store.from_dict(data)


def test_time_up_says_how_many_answers_count_in_plain_words_even_none():
    assert wording.time_up(1) == "Time is up. Your test is finished with the 1 answer you gave."
    assert wording.time_up(0) == "Time is up. Your test is finished before any question was answered."
    assert "0 answers" not in wording.time_up(0, late_answer=True)


@pytest.mark.parametrize("deadline", ["2026-11-27T10:20:00", "at twenty past", 1200])
def test_a_deadline_without_its_offset_is_refused_rather_than_crash_the_clock(deadline):
    # Compared with the time now, which has its offset, a bare time raises TypeError.
    data = store.to_dict(run().attempt)
    data["deadline"] = deadline
    with pytest.raises(store.NotAnAttempt, match="deadline"):
        store.from_dict(data)
    data["deadline"] = "2026-11-27T10:20:00Z"
    assert Run.resume(pack(), store.from_dict(data)).time_left(START) == 1200


# --------------------------------------------------------------------------
# The plain mode and the command line
# --------------------------------------------------------------------------

import io  # noqa: E402

from quiz.cli import main  # noqa: E402
from quiz.plain import play as play_plain  # noqa: E402
from quiz.roster import ClassRules  # noqa: E402

PACK_YAML = """\
pack: 1
id: timed-pack
title: Timed pack
questions:
""" + "".join(
    f"""  - id: q{n}
    skill: source
    type: choice
    prompt: "Question {n}: pick Yes"
    options:
      - text: "Yes"
        correct: true
      - text: "No"
"""
    for n in range(1, 4)
)


class Clock:
    """The time now, moved on by the keyboard as the student types."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class TimedKeyboard:
    """Typed lines, each at a number of minutes after the start."""

    def __init__(self, clock: Clock, typed: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.typed = list(typed)

    def readline(self) -> str:
        if not self.typed:
            return ""
        minutes, line = self.typed.pop(0)
        self.clock.now = START + timedelta(minutes=minutes)
        return line + "\n"


def test_plain_says_the_time_warns_and_ends_at_zero_keeping_the_answers(tmp_path):
    clock = Clock()
    keys = TimedKeyboard(clock, [(1, "fair"), (16, "fair"), (21, "fair")])
    screen = io.StringIO()
    code = play_plain(
        pack(), student="Sam Lee", mode="test", seed=3, results_dir=tmp_path,
        rules=ClassRules(time_limit=1200), stdin=keys, stdout=screen, clock=clock,
    )
    said = screen.getvalue()
    assert code == 0
    assert "This test has a time limit of 20 minutes." in said
    assert "Time left: 20 minutes." in said
    assert "Time left: 19 minutes." in said
    assert "Only 4 minutes left." in said  # shown at 16 minutes: the 5-minute warning, with the time there is
    assert "Time is up. That answer came after the end of the test, so it does not count." in said
    assert "Your test is finished with the 2 answers you gave." in said
    assert "Results: Timed" in said
    saved = json.loads(next(tmp_path.rglob("*.json")).read_text("utf-8"))
    assert saved["timed_out"] is True and len(saved["answers"]) == 2
    assert saved["finished"] == "2026-11-27T10:20:00+00:00"


def test_plain_with_extra_time_from_the_roster_gives_the_student_longer(tmp_path):
    from quiz.roster import parse_roster

    clock = Clock()
    keys = TimedKeyboard(clock, [(0, "sam"), (0, "1"), (1, "fair"), (21, "fair"), (22, "fair")])
    screen = io.StringIO()
    rules = ClassRules(roster=parse_roster("name;class;id;extra time\nSam Lee;10B;S1;+50%\n"), time_limit=1200)
    play_plain(pack(), mode="test", seed=3, results_dir=tmp_path, rules=rules, stdin=keys, stdout=screen, clock=clock)
    said = screen.getvalue()
    assert "1. Sam Lee (10B)" in said
    assert "with 10 minutes extra time" in said
    saved = json.loads(next(tmp_path.rglob("*.json")).read_text("utf-8"))
    assert (saved["student"], saved["group"], saved["student_id"]) == ("Sam Lee", "10B", "S1")
    assert saved["extra_time"] == 600 and saved["timed_out"] is False and len(saved["answers"]) == 3


def test_coming_back_after_the_deadline_finishes_the_test_at_once(tmp_path):
    r = run()
    r.answer("fair", seconds=5, now=START + timedelta(minutes=1))
    opened = store.start(r.attempt, tmp_path)
    opened.save(r.attempt)
    code_ = opened.code
    opened.close()
    clock = Clock()
    keys = TimedKeyboard(clock, [(60, code_)])
    screen = io.StringIO()
    play_plain(pack(), student="Sam Lee", mode="test", results_dir=tmp_path,
               rules=ClassRules(time_limit=1200), stdin=keys, stdout=screen, clock=clock)
    said = screen.getvalue()
    assert "Time is up." in said and "Your test is finished with the 1 answer you gave." in said
    assert store.read_attempt(next(tmp_path.rglob("*.json"))).finished == "2026-11-27T10:20:00+00:00"


@pytest.fixture
def pack_file(tmp_path, monkeypatch):
    path = tmp_path / "timed.yaml"
    path.write_text(PACK_YAML, encoding="utf-8")
    monkeypatch.setenv("TERM", "xterm")
    return path


def cli(monkeypatch, capsys, args: list[str], typed: list[str] = ()) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(t + "\n" for t in typed)))
    code = main(args)
    said = capsys.readouterr()
    return code, said.out, said.err


def test_play_time_limit_makes_a_timed_test_and_records_it(pack_file, tmp_path, monkeypatch, capsys):
    results = tmp_path / "results"
    code, out, err = cli(monkeypatch, capsys, [
        "play", str(pack_file), "--plain", "--student", "Sam Lee", "--results", str(results),
        "--time-limit", "20m", "--extra-time", "Sam Lee=+50%",
    ], ["Yes", "Yes", "Yes"])
    assert code == 0, err
    assert "This test has a time limit of 20 minutes, with 10 minutes extra time." in out
    saved = json.loads(next(results.rglob("*.json")).read_text("utf-8"))
    assert (saved["mode"], saved["time_limit"], saved["extra_time"], saved["timed_out"]) == ("test", 1200.0, 600.0, False)
    assert all(a["at"] for a in saved["answers"])


@pytest.mark.parametrize(
    "flags, message",
    [(["--time-limit", "0m"], "--time-limit: A time limit of 0m leaves no time at all"),
     (["--time-limit", "20"], "--time-limit: '20' has no unit: write 20m for minutes or 20s for seconds."),
     (["--time-limit", "20m", "--mode", "practice"], "--time-limit is for tests: practice is never timed."),
     (["--extra-time", "Sam Lee"], "--extra-time 'Sam Lee': write the student's name, = and the extra time"),
     (["--extra-time", "Sam Lee=lots"], "--extra-time for Sam Lee: extra time 'lots' is neither"),
     (["--extra-time", "Sam=+5m", "--extra-time", "sam=+10m"], "--extra-time: sam is given extra time twice")],
)
def test_bad_values_are_refused_in_plain_words_with_exit_2(pack_file, monkeypatch, capsys, flags, message):
    code, out, err = cli(monkeypatch, capsys, ["play", str(pack_file), "--plain", "--student", "Sam", *flags])
    assert code == 2
    assert message in err and out == ""


def test_serve_checks_the_rules_as_play_does_before_it_listens(pack_file, monkeypatch, capsys):
    # quiz serve takes the rules (tests/test_serve_rules.py plays them); a bad one is refused before any server starts.
    code, out, err = cli(monkeypatch, capsys, ["serve", "--time-limit", "20m", "--mode", "practice"])
    assert code == 2 and "--time-limit is for tests: practice is never timed." in err
    with pytest.raises(SystemExit) as refused:
        cli(monkeypatch, capsys, ["serve", "--attempts", "0"])
    assert refused.value.code == 2 and "each student needs at least one attempt" in capsys.readouterr().err


def test_practice_is_not_timed_when_the_pack_fixes_practice(pack_file, tmp_path, monkeypatch, capsys):
    pack_file.write_text(PACK_YAML.replace("title: Timed pack\n", "title: Timed pack\nmode: practice\n"), encoding="utf-8")
    results = tmp_path / "results"
    code, out, err = cli(monkeypatch, capsys, [
        "play", str(pack_file), "--plain", "--student", "Sam", "--results", str(results), "--time-limit", "20m",
    ], ["Yes", "", "Yes", "", "Yes"])
    assert code == 0, err
    assert "Practice is not timed." in out
    assert "time_limit" not in json.loads(next(results.rglob("*.json")).read_text("utf-8"))


def test_a_pack_may_suggest_a_time_limit_and_a_bad_one_is_located(tmp_path):
    from quiz.packs import PackError, load_pack
    from quiz.packs.writer import dump_pack

    good = tmp_path / "good.yaml"
    good.write_text(PACK_YAML.replace("title: Timed pack\n", "title: Timed pack\ntime_limit: 1h30m\n"), encoding="utf-8")
    loaded = load_pack(good)
    assert loaded.time_limit == 5400
    assert "time_limit: 1h30m" in dump_pack(loaded)
    bad = tmp_path / "bad.yaml"
    bad.write_text(PACK_YAML.replace("title: Timed pack\n", "title: Timed pack\ntime_limit: 20\n"), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(bad)
    assert any(
        "bad.yaml:4:" in str(p) and "'20' has no unit: write 20m for minutes" in str(p) for p in caught.value.problems
    )


def test_the_packs_suggested_limit_times_a_test_in_the_plain_mode(pack_file, tmp_path, monkeypatch, capsys):
    pack_file.write_text(PACK_YAML.replace("title: Timed pack\n", "title: Timed pack\ntime_limit: 15m\n"), encoding="utf-8")
    results = tmp_path / "results"
    code, out, err = cli(monkeypatch, capsys, [
        "play", str(pack_file), "--plain", "--student", "Sam", "--mode", "test", "--results", str(results),
    ], ["Yes", "Yes", "Yes"])
    assert code == 0, err
    assert "This test has a time limit of 15 minutes." in out
    assert json.loads(next(results.rglob("*.json")).read_text("utf-8"))["time_limit"] == 900
