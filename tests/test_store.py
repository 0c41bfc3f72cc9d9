"""Attempt files: what lands on disk after each answer, and reading it back."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import every_type_pack, right_response
from quiz import store
from quiz.engine import Run

NOW = datetime(2026, 11, 27, 10, 2, 11, tzinfo=timezone.utc)
PACK = every_type_pack()


def started(student="Sam Lee", **kw):
    return Run.start(PACK, student=student, group="10B", seed=1234, now=NOW, attempt_id="6f1c0a9e55d2", **kw)


def test_the_file_is_exactly_the_documented_format(tmp_path):
    run = started(confidence=True)
    first = run.current
    run.answer(right_response(first), seconds=8.44, confidence=2)
    path = store.save(run.attempt, tmp_path)
    assert path == tmp_path / "every-type" / "20261127-100211-sam-lee-6f1c0a9e.json"
    data = json.loads(path.read_text("utf-8"))
    assert list(data) == ["format", "id", "student", "group", "pack", "mode", "seed", "started", "finished", "order", "answers"]
    assert data["format"] == "quiz-attempt/1"
    assert data["pack"] == {"id": "every-type", "version": "1.0", "sha256": "0" * 64}
    assert (data["student"], data["group"], data["mode"], data["seed"]) == ("Sam Lee", "10B", "practice", 1234)
    assert data["started"] == "2026-11-27T10:02:11+00:00" and data["finished"] is None
    assert data["answers"] == [
        {
            "question": first.id, "skill": first.skill, "response": right_response(first),
            "score": float(first.points), "max": float(first.points), "hinted": False,
            "seconds": 8.4, "confidence": 2, "cbm": 2.0,
        }
    ]


def test_round_trip_keeps_every_answer(tmp_path):
    run = started()
    while run.current is not None:
        run.answer(right_response(run.current), seconds=2)
    run.finish(NOW)
    back = store.read_attempt(store.save(run.attempt, tmp_path))
    assert back == run.attempt


def test_a_hand_edited_file_reads_as_the_same_answers(tmp_path):
    """A teacher who fixes a mark by hand writes `1` for `1.0`, drops a field,
    or adds a note: the answers read back as the model's types, the note is ignored."""
    run = started(confidence=True)
    run.answer(right_response(run.current), seconds=8, confidence=3)
    run.answer(right_response(run.current), seconds=4, confidence=1)
    path = store.save(run.attempt, tmp_path)
    as_written = store.read_attempt(path)
    assert as_written == run.attempt
    data = json.loads(path.read_text("utf-8"))
    first, second = data["answers"]
    first.update(score=int(first["score"]), max=int(first["max"]), seconds=8, note="checked by Ms Khan")
    del second["hinted"], second["cbm"]
    path.write_text(json.dumps(data), "utf-8")
    edited = store.read_attempt(path)
    a, b = edited.answers
    assert a == run.attempt.answers[0]
    assert (type(a.score), type(a.max), type(a.seconds)) == (float, float, float)
    assert not hasattr(a, "note")
    assert (b.hinted, b.confidence, b.cbm) == (False, 1, None)
    assert edited.score == run.attempt.score


def test_an_attempt_read_from_a_dict_does_not_change_when_the_dict_does():
    run = started()
    run.answer(right_response(run.current), seconds=2)
    while run.current is not None and run.current.type not in ("multi", "match"):
        run.answer(right_response(run.current), seconds=2)
    run.answer(right_response(run.current), seconds=2)  # a list or mapping of a response
    data = json.loads(json.dumps(store.to_dict(run.attempt)))
    attempt = store.from_dict(data)
    data["answers"][0]["score"] = 99.0
    response = data["answers"][-1]["response"]
    response.append("added later") if isinstance(response, list) else response.update({"added": "later"})
    assert attempt.answers[0].score == run.attempt.answers[0].score != 99.0
    assert attempt == run.attempt


def test_a_mark_that_is_not_a_number_skips_the_file(tmp_path):
    run = started()
    run.answer(right_response(run.current), seconds=2)
    path = store.save(run.attempt, tmp_path)
    data = json.loads(path.read_text("utf-8"))
    data["answers"][0]["score"] = "full marks"
    path.write_text(json.dumps(data), "utf-8")
    found, warnings = store.read_attempts([tmp_path])
    assert found == []
    assert len(warnings) == 1 and "wrong kind" in warnings[0]


def test_every_answer_is_on_disk_at_once_and_resume_finds_it(tmp_path):
    run = started()
    for n in range(1, 4):
        run.answer(right_response(run.current), seconds=1)
        store.save(run.attempt, tmp_path)
        path, on_disk = store.find_unfinished(tmp_path, PACK.id, "sam lee ")
        assert len(on_disk.answers) == n
    resumed = Run.resume(PACK, on_disk)
    assert resumed.index == 3


def test_finished_attempts_are_not_offered_for_resume(tmp_path):
    run = started()
    run.answer(right_response(run.current), seconds=1)
    store.save(run.attempt, tmp_path)
    run.finish(NOW)
    store.save(run.attempt, tmp_path)
    assert store.find_unfinished(tmp_path, PACK.id, "Sam Lee") is None
    assert store.find_unfinished(tmp_path, "another-pack", "Sam Lee") is None


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("Zoë Ñúñez", "zoe-nunez"),
        ("😀🎉", "anonymous"),
        ("", "anonymous"),
        ("x" * 200, "x" * 40),
        ("..", "anonymous"),
    ],
)
def test_any_student_name_gives_a_safe_file_name(tmp_path, name, expected):
    run = Run.start(PACK, student=name, seed=1, now=NOW, attempt_id="abcdef123456")
    path = store.save(run.attempt, tmp_path)
    assert path.parent == tmp_path / "every-type"
    assert path.name == f"20261127-100211-{expected}-abcdef12.json"
    assert store.read_attempt(path).student == name  # the real name is kept inside


def test_corrupt_truncated_and_foreign_files_are_skipped_with_a_warning(tmp_path):
    good = store.save(started().attempt, tmp_path)
    folder = good.parent
    (folder / "truncated.json").write_text(good.read_text()[:50])
    (folder / "foreign.json").write_text(json.dumps({"hello": "world"}))
    (folder / "list.json").write_text("[1, 2]")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00junk")
    (folder / "notes.txt").write_text("not looked at")
    found, warnings = store.read_attempts([tmp_path])
    assert [p for p, _ in found] == [good]
    assert len(warnings) == 4
    assert all("skipped" in w for w in warnings)
    assert any("truncated.json" in w and "not valid JSON" in w for w in warnings)
    assert any("foreign.json" in w and "format" in w for w in warnings)


def test_a_killed_write_leaves_the_previous_file_valid(tmp_path):
    run = started()
    run.answer(right_response(run.current), seconds=1)
    path = store.save(run.attempt, tmp_path)
    before = path.read_bytes()
    # A second process writes the next answer and is killed between writing
    # the temporary file and renaming it over the attempt.
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path[:0] = {[str(Path(__file__).parent), str(Path(store.__file__).parent.parent)]!r}
        from pathlib import Path
        from datetime import datetime, timezone
        from helpers import every_type_pack, right_response
        from quiz import store
        from quiz.engine import Run
        run = Run.resume(every_type_pack(), store.read_attempt(Path({str(path)!r})))
        run.answer(right_response(run.current), seconds=1)
        os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        store.save(run.attempt, Path({str(tmp_path)!r}))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    assert path.read_bytes() == before
    assert len(store.read_attempt(path).answers) == 1
    found, warnings = store.read_attempts([tmp_path])
    assert len(found) == 1 and warnings == []  # the half-written temp file is not an attempt


def test_an_unwritable_results_folder_saves_elsewhere_and_says_where(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    run = started()
    with pytest.raises(store.StoreError, match="could not save answers"):
        store.save(run.attempt, blocked)
    saved = store.save_somewhere(run.attempt, blocked)
    assert saved.fallback_reason.startswith("could not save answers to")
    assert saved.path.is_relative_to(tmp_path / "home" / "quiz-results")
    assert store.read_attempt(saved.path) == run.attempt


def test_a_full_disk_is_reported_not_swallowed(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(store.StoreError, match="No space left"):
        store.save(started().attempt, tmp_path)
    assert not any(p.suffix == ".tmp" for p in tmp_path.rglob("*"))  # no litter either
