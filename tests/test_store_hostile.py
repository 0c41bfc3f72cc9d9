"""Every reader survives every file a classmate can put in a shared results folder.

The readers: the report's (read_attempts), a start's (find_unfinished,
has_unfinished, resume) and the served live table's (serve.class_progress).
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import every_type_pack, right_response
from quiz import serve, store
from quiz.engine import Run

NOW = datetime(2026, 11, 27, 10, 2, 11, tzinfo=timezone.utc)
PACK = every_type_pack()
NAME = "20261127-100211-sam-lee-{}.json"  # the lookup for Sam Lee opens every one of these


def good_attempt() -> dict:
    run = Run.start(PACK, student="Sam Lee", seed=7, now=NOW, attempt_id="900dbeef0000")
    for _ in range(3):
        run.answer(right_response(run.current), seconds=2)
    return store.to_dict(run.attempt)


@contextmanager
def no_hang(seconds: float = 20):
    """Fail, rather than hang the suite, if a reader blocks (a named pipe)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def hung(*_):
        raise TimeoutError("a reader hung")

    old = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def every_reader(results: Path) -> tuple[list, list[str]]:
    """Run every reader over `results`; what the report read and why it skipped the rest."""
    with no_hang():
        found, warnings = store.read_attempts([results])
        store.find_unfinished(results, PACK.id, "Sam Lee")
        store.has_unfinished(results, PACK.id, "Sam Lee")
        with pytest.raises(store.WrongCode):
            store.resume(results, PACK.id, "Sam Lee", "ABCD-EFGH")
        serve.class_progress(results, since=0)
    return found, warnings


def put(results: Path, name: str, content: bytes) -> Path:
    folder = results / "every-type"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def edited(**changes) -> bytes:
    data = good_attempt()
    for key, value in changes.items():
        data[key] = value
    return json.dumps(data).encode()


ATTACKS = {
    "nested brackets": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "nested objects": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "nested too deeply"),
    "seed 1e400": (edited(seed=1e400).replace(b"Infinity", b"1e400"), "seed"),
    "a seed of 5000 digits": (edited(seed=0).replace(b'"seed": 0', b'"seed": ' + b"9" * 5000), "JSON this quiz reads"),
    "a NaN score": (json.dumps({**good_attempt(), "answers": [{**good_attempt()["answers"][0], "score": float("nan")}]}).encode(), "NaN"),
    "an infinite time": (
        json.dumps({**good_attempt(), "answers": [{**good_attempt()["answers"][0], "seconds": 123.25}]}).encode().replace(b"123.25", b"1e999"),
        "seconds is not a finite number",
    ),
    "a response nested deep": (
        json.dumps({**good_attempt(), "answers": [{**good_attempt()["answers"][0], "response": [[[["x"]]]]}]}).encode(),
        "response",
    ),
    "answers that are not a list": (edited(answers={"q": 1}), "answers is not a list"),
    "a student that is a number": (edited(student=12), "student is not text"),
    "no start time": (json.dumps({k: v for k, v in good_attempt().items() if k != "started"}).encode(), "required"),
    "a lone surrogate": (edited(student="\ud800"), "not valid Unicode"),
    "a pack that is a list": (edited(pack=[1]), "pack"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_one_crafted_file_is_skipped_with_a_reason_and_the_rest_are_read(tmp_path, attack):
    content, reason = ATTACKS[attack]
    good = put(tmp_path, NAME.format("900dbeef"), json.dumps(good_attempt()).encode())
    bad = put(tmp_path, NAME.format("bad"), content)
    found, warnings = every_reader(tmp_path)
    assert [p for p, _ in found] == [good]
    assert len(warnings) == 1 and warnings[0].startswith(f"{bad}: skipped: ")
    assert reason in warnings[0]
    assert store.find_unfinished(tmp_path, PACK.id, "Sam Lee")[0] == good
    assert [r.path for r in serve.class_progress(tmp_path, since=0)] == [good]


def test_a_link_to_an_endless_device_is_refused_before_reading(tmp_path):
    put(tmp_path, NAME.format("good"), json.dumps(good_attempt()).encode())
    (tmp_path / "every-type" / NAME.format("zero")).symlink_to("/dev/zero")
    started = time.perf_counter()
    found, warnings = every_reader(tmp_path)
    assert time.perf_counter() - started < 5
    assert len(found) == 1
    assert len(warnings) == 1 and "symbolic link" in warnings[0]


def test_a_named_pipe_does_not_hang_anyone(tmp_path):
    put(tmp_path, NAME.format("good"), json.dumps(good_attempt()).encode())
    os.mkfifo(tmp_path / "every-type" / NAME.format("pipe"))
    found, warnings = every_reader(tmp_path)
    assert len(found) == 1
    assert len(warnings) == 1 and "not a regular file" in warnings[0]


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path):
    big = put(tmp_path, NAME.format("big"), b"")
    os.truncate(big, store.MAX_ATTEMPT_BYTES + 1)  # sparse: no disk needed
    found, warnings = every_reader(tmp_path)
    assert found == [] and f"{store.MAX_ATTEMPT_BYTES:,} an attempt file may have" in warnings[0]


def test_a_file_the_teacher_names_may_be_a_link_but_not_to_a_device(tmp_path):
    real = put(tmp_path, "real.json", json.dumps(good_attempt()).encode())
    link = tmp_path / "link.json"
    link.symlink_to(real)
    found, warnings = store.read_attempts([link])
    assert [p for p, _ in found] == [link] and warnings == []
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    found, warnings = store.read_attempts([zero])
    assert found == [] and "not a regular file" in warnings[0]


def test_a_folder_nested_deeper_than_python_recurses_is_walked(tmp_path):
    levels = [tmp_path / "d"]
    for _ in range(1200):
        levels.append(levels[-1] / "d")
    try:
        for level in levels:
            level.mkdir()
        (levels[-1] / "x.json").write_text(json.dumps(good_attempt()))
        found, warnings = store.read_attempts([tmp_path])
        assert len(found) == 1 and warnings == []
    finally:  # bottom up: removing it recursively would hit the same limit
        (levels[-1] / "x.json").unlink(missing_ok=True)
        for level in reversed(levels):
            if level.is_dir():
                level.rmdir()


# -- generated hostile folders ------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["format", "id", "student", "group", "pack", "mode", "seed", "started", "finished", "order", "answers", store.RESUME_FIELD]
ANSWER_FIELDS = ["question", "skill", "response", "score", "max", "hinted", "seconds", "confidence", "cbm"]


@st.composite
def hostile_files(draw) -> tuple[str, object]:
    kind = draw(st.sampled_from(["random json", "wrong field", "wrong answer field", "deep", "number", "bytes", "link", "fifo"]))
    if kind == "random json":
        return kind, json.dumps(draw(json_values)).encode()
    if kind == "wrong field":
        data = good_attempt()
        data[draw(st.sampled_from(FIELDS))] = draw(json_values)
        return kind, json.dumps(data).encode()
    if kind == "wrong answer field":
        data = good_attempt()
        answer = data["answers"][draw(st.integers(0, 2))]
        answer[draw(st.sampled_from(ANSWER_FIELDS))] = draw(json_values)
        return kind, json.dumps(data).encode()
    if kind == "deep":
        depth = draw(st.integers(1, 120_000))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
        return kind, opener * depth + b"0" + closer * depth
    if kind == "number":
        data = good_attempt()
        target = draw(st.sampled_from(["seed", "score", "seconds", "max", "cbm"]))
        (data if target == "seed" else data["answers"][0])[target] = 123.25  # a mark to replace
        number = draw(st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "9" * 5000, "1" + "0" * 400 + ".0"]))
        return kind, json.dumps(data).replace("123.25", number).encode()
    if kind == "bytes":
        return kind, draw(st.binary(max_size=200))
    if kind == "link":
        return kind, draw(st.sampled_from(["/dev/zero", "/dev/null", "/etc/passwd", "/", "nowhere", "../../outside.json"]))
    return kind, None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(hostile_files(), min_size=1, max_size=6))
def test_generated_hostile_files_are_skipped_with_reasons_never_raised(files):
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results"
        good = put(results, NAME.format("900dbeef"), json.dumps(good_attempt()).encode())
        folder = good.parent
        (Path(tmp) / "outside.json").write_text(json.dumps(good_attempt()))
        for n, (kind, content) in enumerate(files):
            path = folder / NAME.format(f"h{n}")
            if kind == "link":
                path.symlink_to(content)
            elif kind == "fifo":
                os.mkfifo(path)
            else:
                path.write_bytes(content)
        found, warnings = every_reader(results)
        assert good in [p for p, _ in found]
        assert len(found) + len(warnings) == len(files) + 1  # each file read or skipped, none lost
        for warning in warnings:
            where, _, reason = warning.partition(": skipped: ")
            assert Path(where).parent == folder and reason.strip()
        for _, attempt in found:  # whatever was read can be written again and exported
            store.encode(attempt)
            json.dumps(store.to_dict(attempt), allow_nan=False)
