"""A class report gives back every attempt it counts whole, and holds them where the cycle collector does not walk.

The JSON export writes each counted attempt in full, so nothing may be lost in
the form the report keeps them in (quiz/report/rows.py). And a class of
thousands must not leave an object per answer for Python's cycle collector to
walk on every pass: that made a report of 10,000 attempts take twice as long
per attempt as one of 1,000 (benchmarks/bench_report.py times it).
"""

from __future__ import annotations

import gc
from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpers import answered_run, every_type_pack
from quiz import store
from quiz.model import Pack
from quiz.report import load_report, report_dict

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def a_class(results: Path, count: int) -> Pack:
    """`count` finished attempts on the every-type pack, some answers right, some wrong, with confidence."""
    pack = every_type_pack(confidence=True)
    for k in range(count):
        started = MONDAY + timedelta(minutes=k)
        run = answered_run(
            pack, student=f"Student {k:03d}", group="10A", seed=k, now=started,
            right=lambda n, q, k=k: (n + k) % 3 != 0, sure=lambda n: 1 + n % 3,
        )
        run.finish(started + timedelta(minutes=10))
        store.save(run.attempt, results)
    return pack


def test_every_counted_attempt_comes_back_as_its_file_holds_it(tmp_path):
    pack = a_class(tmp_path, 12)
    report = load_report([tmp_path], attempts="all", packs=[pack])
    rows = report.sections[0].rows
    assert len(rows) == 12
    for r in rows:
        assert r.attempt == store.read_attempt(r.path)
        assert report_dict(report)["sections"][0]["attempts"][rows.index(r)]["attempt"] == store.to_dict(r.attempt)
    # Text, a list of options (multi) and a mapping of items to categories (match) all come back as they were.
    assert {type(a.response) for r in rows for a in r.attempt.answers} == {str, list, dict}


def test_the_answers_of_a_class_are_not_left_for_the_cycle_collector_to_walk(tmp_path):
    pack = a_class(tmp_path, 60)
    load_report([tmp_path], attempts="all", packs=[pack])  # everything the report imports is loaded now
    gc.collect()
    before = len(gc.get_objects())
    report = load_report([tmp_path], attempts="all", packs=[pack])
    for _ in range(3):  # the collector lets go of one level of tuples in tuples at each pass
        gc.collect()
    rows = report.sections[0].rows
    assert len(rows) == 60
    assert not any(gc.is_tracked(r.answers) for r in rows)
    # A row, the attempt's header, its file's path and its verdicts: a handful of objects an attempt,
    # where one for each of its nine answers (and each answer's list or mapping) was kept before.
    assert (len(gc.get_objects()) - before) / len(rows) < 8
