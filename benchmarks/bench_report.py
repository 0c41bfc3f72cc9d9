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
Every run is timed twice: by the clock (what a teacher waits) and in CPU
time used by this process, which another program busy on the same cores
barely moves; the ratios and the straight-line check are given for both.
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


class Timer:
    """Wall-clock and CPU seconds of what runs inside `with Timer() as t:`."""

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def time_json_load(folder: Path) -> Timer:
    """The floor: find the same files and json.load each, nothing more."""
    with Timer() as t:
        for f in store.attempt_files([folder]):
            with open(f, encoding="utf-8") as fh:
                json.load(fh)
    return t


def time_store_read(folder: Path) -> Timer:
    """What quiz.store alone takes to read and check every file, one at a time, as the report reads them."""
    with Timer() as t:
        for _ in store.each_attempt([folder]):
            pass
    return t


def time_report(folder: Path, out: Path, items: Path | None = None) -> Timer:
    """The whole `quiz report FOLDER --attempts all --out grades.csv --force`,
    and with `items`, `--items items.csv` as well (the item analysis and its CSV)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with Timer() as t:
        code = run_report(
            [folder], None, None, None, "all", out, items, True, False, stdout, stderr
        )
    if code != 0:
        raise SystemExit(f"report failed ({code}): {stderr.getvalue()}")
    # The figures count only if the report left the collector as it found it.
    assert gc.isenabled() and gc.get_freeze_count() == 0, "the report touched the garbage collector"
    return t


Figures = dict[str, tuple[float, float, float, float]]  # "wall"/"cpu" -> (json.load, store, report, + items)


def measure(count: int, repeats: int) -> Figures:
    """Best of `repeats` runs of each, taken in turn so a busy moment hits all four alike."""
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder, out = Path(tmp) / "results", Path(tmp) / "grades.csv"
        items = Path(tmp) / "items.csv"
        make_attempts(folder, count)
        time_json_load(folder)  # warm the file cache so every run reads from memory
        runs: list[tuple[Timer, Timer, Timer, Timer]] = []
        for _ in range(repeats):
            runs.append((
                time_json_load(folder), time_store_read(folder),
                time_report(folder, out), time_report(folder, out, items),
            ))
        rows = out.read_text("utf-8-sig").count("\n") - 1
        assert rows == count, f"expected {count} rows in the CSV, found {rows}"
        questions = items.read_text("utf-8-sig").count("\n") - 1
        assert questions == QUESTIONS, f"expected {QUESTIONS} rows of item analysis, found {questions}"
    return {
        clock: tuple(min(getattr(run[i], clock) for run in runs) for i in range(4))  # type: ignore[misc]
        for clock in ("wall", "cpu")
    }


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [100, 1_000, 10_000]
    figures = {count: measure(count, repeats=7 if count <= 1_000 else 3) for count in sizes}
    for clock, title in (("wall", "By the clock"), ("cpu", "In CPU time")):
        print(f"{title}:")
        print(
            f"{'attempts':>9} {'json.load':>10} {'store':>9} {'report':>9} "
            f"{'report/json.load':>17} {'per attempt':>12} {'+ --items':>10} {'ratio':>6}"
        )
        for count, by_clock in figures.items():
            load, read, report, with_items = by_clock[clock]
            print(
                f"{count:>9,} {load:>9.3f}s {read:>8.3f}s {report:>8.3f}s "
                f"{report / load:>16.2f}x {report / count * 1e6:>9.0f} µs {with_items:>9.3f}s "
                f"{with_items / load:>5.2f}x"
            )
        if 1_000 in figures:
            load, read, report, with_items = figures[1_000][clock]
            verdicts = []
            if clock == "wall":
                verdicts.append(f"under 1 s: {'yes' if report < 1.0 else 'NO'}")
            verdicts.append(f"at most 4x json.load: {'yes' if report <= 4 * load else 'NO'} ({report / load:.2f}x)")
            verdicts.append(f"of which quiz.store reading the files: {read / load:.2f}x")
            verdicts.append(f"with the item analysis too: {with_items / load:.2f}x")
            print("1,000 attempts: " + "; ".join(verdicts))
        if 1_000 in figures and 10_000 in figures:
            growth = (figures[10_000][clock][2] / 10_000) / (figures[1_000][clock][2] / 1_000)
            # A straight line keeps the time per attempt the same; allow a little for a busy machine.
            print(f"10,000 attempts: time per attempt {growth:.2f}x that at 1,000 "
                  f"(linear: {'yes' if growth <= 1.5 else 'NO'})")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
