"""How fast `quiz report` turns a class's attempt files into a gradebook CSV.

Targets: 1,000 attempts of 25 questions to CSV in under a second, and at most
four times what it takes merely to `json.load` the same files, measured in
the same run, with the garbage collector left as Python sets it. The gradebook is what `--out grades.csv` writes; the last two
columns add `--items items.csv`, the item analysis, which is worked out only
when it is asked for. 100 and 10,000 attempts show that the time grows in a straight
line with the number of attempts.

    python benchmarks/bench_report.py            # 100, 1,000 and 10,000 attempts
    python benchmarks/bench_report.py 1000       # just one size

The attempt files are generated into a temporary folder and removed after.
Each figure is the best of a few runs, so a busy machine shows less noise.
"""

from __future__ import annotations

import gc
import io
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz import store  # noqa: E402
from quiz.model import Answer, Attempt  # noqa: E402
from quiz.cli.report import run_report  # noqa: E402

QUESTIONS = 25
SKILLS = ("source", "sample-size", "framing")
START = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


def _question(i: int) -> tuple[str, str, str]:
    """(id, skill, type) of question i: a mix like a real pack's."""
    kinds = ("choice", "verdict", "multi", "number", "choice", "phrase", "text", "match")
    return f"q{i:02d}", SKILLS[i % len(SKILLS)], kinds[i % len(kinds)]


def _response(kind: str, rng: random.Random, right: bool):
    if kind in ("choice", "phrase"):
        return "the right option" if right else rng.choice(("a distractor", "another distractor"))
    if kind == "verdict":
        return "misleading" if right else "fair"
    if kind == "multi":
        return ["visits", "residents"] if right else ["visits", "opening day"]
    if kind == "number":
        return "500" if right else rng.choice(("6", "600"))
    if kind == "text":
        return "The Example Gazette" if right else "the council"
    return {"opens on Sundays": "fact", "everyone loves it": "opinion" if right else "fact"}


def make_attempts(folder: Path, count: int, seed: int = 1) -> None:
    """`count` finished attempts, about four a student, written as the quiz writes them."""
    rng = random.Random(seed)
    questions = [_question(i) for i in range(QUESTIONS)]
    for n in range(count):
        ability = rng.random()
        started = START + timedelta(minutes=n)
        answers = []
        for qid, skill, kind in questions:
            right = rng.random() < 0.3 + 0.6 * ability
            points = 2.0 if kind in ("multi", "match") else 1.0
            confidence = rng.choice((1, 2, 3))
            answers.append(
                Answer(
                    question=qid, skill=skill, response=_response(kind, rng, right),
                    score=points if right else 0.0, max=points, hinted=rng.random() < 0.05,
                    seconds=round(rng.uniform(3, 60), 1), confidence=confidence,
                    cbm=float((1, 2, 3)[confidence - 1] if right else (0, -2, -6)[confidence - 1]),
                )
            )
        attempt = Attempt(
            id=f"{n:012x}", student=f"Student {n // 4:05d}", group=f"10{'ABCD'[n % 4]}",
            pack_id="bench-pack", pack_version="1.0", pack_sha256="b" * 64, mode="test",
            seed=n, started=started.isoformat(timespec="seconds"),
            finished=(started + timedelta(minutes=12)).isoformat(timespec="seconds"),
            order=tuple(q[0] for q in questions), answers=tuple(answers),
        )
        path = store.attempt_path(attempt, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(store.encode(attempt))


def time_json_load(folder: Path) -> float:
    """The floor: find the same files and json.load each, nothing more."""
    began = time.perf_counter()
    for f in store.attempt_files([folder]):
        with open(f, encoding="utf-8") as fh:
            json.load(fh)
    return time.perf_counter() - began


def time_store_read(folder: Path) -> float:
    """What quiz.store.read_attempts alone takes: JSON plus building the attempts."""
    began = time.perf_counter()
    store.read_attempts([folder])
    return time.perf_counter() - began


def time_report(folder: Path, out: Path, items: Path | None = None) -> float:
    """The whole `quiz report FOLDER --attempts all --out grades.csv --force`,
    and with `items`, `--items items.csv` as well (the item analysis and its CSV)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    began = time.perf_counter()
    code = run_report(
        [folder], None, None, None, "all", out, items, True, False, stdout, stderr
    )
    elapsed = time.perf_counter() - began
    if code != 0:
        raise SystemExit(f"report failed ({code}): {stderr.getvalue()}")
    # The figures count only if the report left the collector as it found it.
    assert gc.isenabled() and gc.get_freeze_count() == 0, "the report touched the garbage collector"
    return elapsed


def measure(count: int, repeats: int) -> tuple[float, float, float, float]:
    """Best of `repeats` runs of each, taken in turn so a busy moment hits all four alike."""
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder, out = Path(tmp) / "results", Path(tmp) / "grades.csv"
        items = Path(tmp) / "items.csv"
        make_attempts(folder, count)
        time_json_load(folder)  # warm the file cache so every run reads from memory
        loads, reads, reports, with_items = [], [], [], []
        for _ in range(repeats):
            loads.append(time_json_load(folder))
            reads.append(time_store_read(folder))
            reports.append(time_report(folder, out))
            with_items.append(time_report(folder, out, items))
        rows = out.read_text("utf-8-sig").count("\n") - 1
        assert rows == count, f"expected {count} rows in the CSV, found {rows}"
        questions = items.read_text("utf-8-sig").count("\n") - 1
        assert questions == QUESTIONS, f"expected {QUESTIONS} rows of item analysis, found {questions}"
    return min(loads), min(reads), min(reports), min(with_items)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [100, 1_000, 10_000]
    print(
        f"{'attempts':>9} {'json.load':>10} {'store read':>11} {'report':>9} "
        f"{'report/json.load':>17} {'per attempt':>12} {'+ --items':>10} {'ratio':>6}"
    )
    verdicts = []
    per_attempt: dict[int, float] = {}
    for count in sizes:
        load, read, report, with_items = measure(count, repeats=7 if count <= 1_000 else 3)
        ratio = report / load if load else float("inf")
        per_attempt[count] = report / count
        items_ratio = with_items / load if load else float("inf")
        print(
            f"{count:>9,} {load:>9.3f}s {read:>10.3f}s {report:>8.3f}s "
            f"{ratio:>16.2f}x {report / count * 1e6:>9.0f} µs {with_items:>9.3f}s {items_ratio:>5.2f}x"
        )
        if count == 1_000:
            verdicts.append(f"under 1 s: {'yes' if report < 1.0 else 'NO'}")
            verdicts.append(f"at most 4x json.load: {'yes' if ratio <= 4.0 else 'NO'} ({ratio:.2f}x)")
            verdicts.append(f"of which quiz.store.read_attempts alone: {read / load:.2f}x")
            verdicts.append(f"with the item analysis too: {items_ratio:.2f}x")
    if verdicts:
        print("1,000 attempts: " + "; ".join(verdicts))
    if 1_000 in per_attempt and 10_000 in per_attempt:
        growth = per_attempt[10_000] / per_attempt[1_000]
        # A straight line keeps the time per attempt the same; allow a little for a busy machine.
        print(f"10,000 attempts: time per attempt {growth:.2f}x that at 1,000 "
              f"(linear: {'yes' if growth <= 1.5 else 'NO'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
