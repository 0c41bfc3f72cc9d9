"""Attempts that belong to their student: codes, one window an attempt, answers never lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import every_type_pack, right_response, wrong_response
from quiz import store
from quiz.engine import Run

NOW = datetime(2026, 11, 27, 10, 2, 11, tzinfo=timezone.utc)
PACK = every_type_pack()
ROOT = Path(store.__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _own_fallback(tmp_path, monkeypatch):
    rescued = tmp_path / "rescued"
    monkeypatch.setattr(store, "fallback_dir", lambda: rescued)
    return rescued


def playing(student="Sam Lee", *, attempt_id="6f1c0a9e55d2", minutes=0, answers=0):
    run = Run.start(PACK, student=student, group="10B", seed=1234, now=NOW + timedelta(minutes=minutes), attempt_id=attempt_id)
    for _ in range(answers):
        run.answer(right_response(run.current), seconds=2)
    return run


def test_a_code_has_40_bits_and_is_not_in_the_file_or_its_name(tmp_path):
    run = playing(answers=1)
    opened = store.start(run.attempt, tmp_path)
    saved = opened.save(run.attempt)
    code = opened.code
    assert len(store.normal_code(code)) == 8 and set(store.normal_code(code)) <= set(store._ALPHABET)  # 32**8 = 2**40
    text = saved.path.read_text("utf-8")
    for form in (code, store.normal_code(code), code.lower()):
        assert form not in text and form not in saved.path.name
    seal = json.loads(text)[store.RESUME_FIELD]
    assert set(seal) == {"kdf", "salt", "hash"}
    assert store.code_matches(seal, code) and not store.code_matches(seal, store.new_code())
    assert "resume" not in store.to_dict(store.read_attempt(saved.path))  # exports never carry it
    assert len({store.new_code() for _ in range(200)}) == 200


@pytest.mark.parametrize("in_background", [True, False])
def test_the_first_save_holds_the_codes_hash_whether_it_was_worked_out_in_a_thread_or_not(tmp_path, in_background):
    # In the background the first question need not wait ~50 ms for scrypt; the file must hold the hash all the same.
    run = playing(answers=1)
    opened = store.start(run.attempt, tmp_path, in_background=in_background)
    seal = json.loads(opened.save(run.attempt).path.read_text("utf-8"))[store.RESUME_FIELD]
    assert store.code_matches(seal, opened.code)
    opened.close()
    assert store.resume(tmp_path, PACK.id, "Sam Lee", opened.code).attempt.id == run.attempt.id


def test_a_code_made_in_advance_is_the_attempts_and_only_its(tmp_path):
    # quiz serve's tabs make the code while they wait for their student; the attempt started later keeps it.
    ready = store.code_in_advance()
    run = playing(answers=1)
    opened = store.start(run.attempt, tmp_path, code=ready)
    assert opened.code == ready.code
    seal = json.loads(opened.save(run.attempt).path.read_text("utf-8"))[store.RESUME_FIELD]
    assert store.code_matches(seal, ready.code)
    opened.close()
    assert store.resume(tmp_path, PACK.id, "Sam Lee", ready.code).attempt.id == run.attempt.id
    # Another attempt started without it gets a code of its own.
    other = store.start(playing("Ali Khan", attempt_id="0a0b0c0d0e0f", answers=1).attempt, tmp_path)
    assert other.code != ready.code


def test_a_typed_code_is_forgiving_about_case_spaces_and_look_alike_letters(tmp_path):
    run = playing(answers=1)
    opened = store.start(run.attempt, tmp_path)
    opened.save(run.attempt)
    opened.close()
    typed = " " + opened.code.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    with store.resume(tmp_path, PACK.id, "Sam Lee", typed) as again:
        assert again.attempt == run.attempt


def test_a_classmate_starting_again_under_your_name_does_not_lock_you_out(tmp_path):
    mine = playing(answers=3)
    opened = store.start(mine.attempt, tmp_path)
    opened.save(mine.attempt)
    my_code = opened.code
    opened.close()
    # A classmate types the same name, starts again and answers one question.
    theirs = playing("sam lee", attempt_id="0badc0ffee00", minutes=5, answers=1)
    with store.start(theirs.attempt, tmp_path) as other:
        other.save(theirs.attempt)
        their_code = other.code
    with store.resume(tmp_path, PACK.id, "Sam Lee", my_code) as back:
        assert back.attempt.id == mine.attempt.id and len(back.attempt.answers) == 3
    with store.resume(tmp_path, PACK.id, "SAM  LEE", their_code) as back:
        assert back.attempt.id == theirs.attempt.id


def test_a_wrong_code_tells_nothing_about_the_attempt(tmp_path):
    run = playing(answers=4)
    with store.start(run.attempt, tmp_path) as opened:
        opened.save(run.attempt)
    assert store.has_unfinished(tmp_path, PACK.id, "Sam Lee") is True
    assert store.has_unfinished(tmp_path, PACK.id, "Alex Kim") is False
    for wrong in ("", "ABCD-EFGH", store.resume_code(run.attempt), run.attempt.id):
        with pytest.raises(store.WrongCode) as caught:
            store.resume(tmp_path, PACK.id, "Sam Lee", wrong)
        message = str(caught.value)
        assert "4" not in message and "Sam" not in message and "score" not in message.lower()


def test_an_attempt_from_before_hashed_codes_takes_its_old_code_once(tmp_path):
    run = playing(answers=2)
    path = store.save(run.attempt, tmp_path)  # as the quiz wrote it before: no resume field
    assert store.RESUME_FIELD not in json.loads(path.read_text("utf-8"))
    old = store.resume_code(run.attempt)
    with store.resume(tmp_path, PACK.id, "Sam Lee", old) as back:
        assert back.code_is_new and store.normal_code(back.code) != store.normal_code(old)
        run.answer(right_response(run.current), seconds=2)
        back.save(run.attempt)
        new = back.code
    with pytest.raises(store.WrongCode):
        store.resume(tmp_path, PACK.id, "Sam Lee", old)
    with store.resume(tmp_path, PACK.id, "Sam Lee", new) as back:
        assert len(back.attempt.answers) == 3


@pytest.mark.parametrize("typed", ["ÉCOLE1", "6f1c0é", "ß", "\u0080"])
def test_a_code_typed_with_letters_beyond_ascii_is_only_a_wrong_code(tmp_path, typed):
    # Against an attempt from before codes were hashed, and one whose id is not ASCII (a file someone made).
    run = playing(answers=1)
    store.save(run.attempt, tmp_path)
    odd = playing(attempt_id="\u0080é0b0c", answers=1)
    store.save(odd.attempt, tmp_path / "elsewhere")
    for folder in (tmp_path, tmp_path / "elsewhere"):
        with pytest.raises(store.WrongCode):
            store.resume(folder, PACK.id, "Sam Lee", typed)
    with store.resume(tmp_path / "elsewhere", PACK.id, "Sam Lee", store.resume_code(odd.attempt)) as back:
        assert back.attempt.id == odd.attempt.id


def test_a_resume_field_someone_tampered_with_accepts_no_code(tmp_path):
    run = playing(answers=1)
    with store.start(run.attempt, tmp_path) as opened:
        path = opened.save(run.attempt).path
    data = json.loads(path.read_text("utf-8"))
    data[store.RESUME_FIELD] = {"kdf": "scrypt-1-1-1", "salt": "00" * 16, "hash": "00" * 32}
    path.write_text(json.dumps(data), "utf-8")
    for code in (store.resume_code(run.attempt), "0000-0000"):
        with pytest.raises(store.WrongCode):
            store.resume(tmp_path, PACK.id, "Sam Lee", code)
    assert store.read_attempt(path) == run.attempt  # the report still counts it


def test_wrong_codes_wait_longer_and_longer():
    tries = store.CodeTries(free=2, first=1.0, longest=8.0)
    waits = [tries.failed(now=100.0) for _ in range(7)]
    assert waits == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert tries.wait(now=103.0) == 5.0 and tries.wait(now=200.0) == 0.0
    tries.succeeded()
    assert tries.failed(now=300.0) == 0.0


def test_answers_saved_in_the_fallback_folder_are_offered_for_resume(tmp_path, _own_fallback):
    results = tmp_path / "results"
    results.write_text("a file where the folder should be: the disk was full")
    run = playing(answers=2)
    with store.start(run.attempt, results) as opened:
        saved = opened.save(run.attempt)
        code = opened.code
    assert saved.fallback_reason and not saved.path.is_relative_to(results)
    assert store.find_unfinished(results, PACK.id, "Sam Lee")[1] == run.attempt
    with store.resume(results, PACK.id, "Sam Lee", code) as back:
        assert back.attempt == run.attempt


def test_a_copy_in_the_fallback_folder_with_more_answers_wins(tmp_path, _own_fallback):
    run = playing(answers=1)
    store.save(run.attempt, tmp_path)
    run.answer(right_response(run.current), seconds=2)
    store.save(run.attempt, _own_fallback)  # the disk filled up after the first answer
    with store.resume(tmp_path, PACK.id, "Sam Lee", store.resume_code(run.attempt)) as back:
        assert len(back.attempt.answers) == 2
    run.finish(NOW)
    store.save(run.attempt, tmp_path)
    assert not store.has_unfinished(tmp_path, PACK.id, "Sam Lee")  # finished in one copy: finished


def test_a_writer_that_finds_answers_it_does_not_know_keeps_them(tmp_path):
    run = playing(answers=2)
    opened = store.start(run.attempt, tmp_path)
    path = opened.save(run.attempt).path
    # Something other than this window (an older quiz, a copied file) writes other answers.
    other = Run.resume(PACK, store.read_attempt(path))
    other.answer(right_response(other.current), seconds=2)
    other.answer(right_response(other.current), seconds=2)
    store.write_atomic(path, store.encode(other.attempt))
    run.answer(wrong_response(run.current), seconds=2)  # not the third answer on disk
    with pytest.raises(store.AnswersElsewhere, match="another window wrote 4"):
        opened.save(run.attempt)
    assert store.read_attempt(path) == other.attempt
    opened.close()


# -- two windows, two processes --------------------------------------------

WINDOW = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {here!r}]
    from pathlib import Path
    from quiz import store
    results = Path({results!r})
    try:
        opened = store.resume(results, {pack!r}, "Sam Lee", {code!r})
    except store.OpenElsewhere as exc:
        print("ELSEWHERE", exc, flush=True)
        sys.exit(3)
    print("OPEN", len(opened.attempt.answers), flush=True)
    sys.stdin.readline()  # hold the attempt until told
    """
)


def window(tmp_path, code):
    script = WINDOW.format(root=str(ROOT), here=str(HERE), results=str(tmp_path), pack=PACK.id, code=code)
    return subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_a_second_window_is_told_the_attempt_is_open_elsewhere_and_a_crash_frees_it(tmp_path):
    run = playing(answers=3)
    with store.start(run.attempt, tmp_path) as opened:
        opened.save(run.attempt)
        code = opened.code
    first = window(tmp_path, code)
    try:
        assert first.stdout.readline().split() == ["OPEN", "3"]
        second = window(tmp_path, code)
        out, _ = second.communicate(timeout=60)
        assert second.returncode == 3
        assert out.startswith("ELSEWHERE This attempt is open in another window.")
        with pytest.raises(store.OpenElsewhere):
            store.resume(tmp_path, PACK.id, "Sam Lee", code)
    finally:
        first.kill()  # a crash: no close, no clean-up
        first.wait(timeout=60)
    third = window(tmp_path, code)
    assert third.stdout.readline().split() == ["OPEN", "3"]
    third.communicate("\n", timeout=60)
    assert third.returncode == 0


def test_only_the_window_holding_the_attempt_writes_it(tmp_path):
    run = playing(answers=1)
    holder = store.start(run.attempt, tmp_path)
    path = holder.save(run.attempt).path
    with pytest.raises(store.OpenElsewhere):
        store.resume(tmp_path, PACK.id, "Sam Lee", holder.code)
    stray = store.OpenAttempt(run.attempt, tmp_path, code="", seal=None)
    run.answer(right_response(run.current), seconds=1)
    with pytest.raises(store.OpenElsewhere):
        stray.save(run.attempt)  # no fallback folder either: the holder has it
    assert len(store.read_attempt(path).answers) == 1
    holder.save(run.attempt)
    holder.close()
    assert not store.lock_path(path).exists()  # and nothing left behind
    with store.resume(tmp_path, PACK.id, "Sam Lee", holder.code) as back:
        assert len(back.attempt.answers) == 2


# -- start-up reads only the student's files --------------------------------


def test_finding_an_unfinished_attempt_opens_only_that_students_files(tmp_path, monkeypatch):
    for n in range(40):
        run = playing(f"Student {n:02d}", attempt_id=f"{n:012x}", minutes=n, answers=1)
        store.save(run.attempt, tmp_path)
    mine = playing("Sam Lee", attempt_id="5a5a5a5a5a5a", answers=2)
    store.save(mine.attempt, tmp_path)
    read = []
    real = store._read_json
    monkeypatch.setattr(store, "_read_json", lambda path, **kw: read.append(path.name) or real(path, **kw))
    assert store.find_unfinished(tmp_path, PACK.id, "sam lee")[1] == mine.attempt
    assert read == [store.attempt_path(mine.attempt, tmp_path).name]
    read.clear()
    assert store.has_unfinished(tmp_path, PACK.id, "Nobody") is False and read == []


def test_a_name_typed_with_another_case_still_finds_its_files(tmp_path):
    run = playing("Straße", answers=1)
    store.save(run.attempt, tmp_path)
    assert store.find_unfinished(tmp_path, PACK.id, "straße")[1] == run.attempt
    assert store.find_unfinished(tmp_path, PACK.id, "  Straße ")[1] == run.attempt


def test_an_attempt_of_another_pack_with_the_same_folder_name_is_not_offered(tmp_path):
    run = playing(answers=1)
    other = replace(run.attempt, pack_id="Every Type")  # same slug, another pack
    store.save(other, tmp_path)
    assert store.find_unfinished(tmp_path, PACK.id, "Sam Lee") is None
    assert os.listdir(tmp_path / "every-type")
