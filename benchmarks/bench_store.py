"""What a start costs with 10,000 earlier attempts of the pack, against an empty folder.

A start looks for the student's unfinished attempts (quiz.store.has_unfinished,
then resume) before question 1. It lists the pack's folder and opens only the
files whose names carry the student's slug, so 10,000 other attempts cost a
listing of their names, not a reading of their files.

Two figures, each the best of several runs, measured in the same run:

- a start: a fresh Python process that imports the quiz, loads a pack, looks
  for the student's unfinished attempts, starts one and saves the first
  answer. Target: at most 1.2x the same start with an empty folder.
- the lookup alone, in this process, with how many files it opened (listing
  10,000 names takes a few milliseconds, opening them took seconds).

    python benchmarks/bench_store.py          # 10,000 earlier attempts
    python benchmarks/bench_store.py 50000    # another number

The attempt files are generated into a temporary folder and removed after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz import store  # noqa: E402
from quiz.model import Answer, Attempt  # noqa: E402

TARGET = 1.2
START = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
PACK_ID = "warm-up"
STUDENT = "Sam Lee"

A_START = textwrap.dedent(
    """
    import sys, time
    began = time.perf_counter()
    sys.path.insert(0, {root!r})
    from datetime import datetime, timezone
    from pathlib import Path
    from quiz import store
    from quiz.engine import Run
    from quiz.packs import find_pack
    results = Path({results!r})
    pack = find_pack({pack!r})
    if store.has_unfinished(results, pack.id, {student!r}):
        raise SystemExit("the benchmark's student should have nothing to resume")
    run = Run.start(pack, student={student!r}, seed=1, now=datetime.now(timezone.utc), attempt_id="be9c4000" * 4)
    opened = store.start(run.attempt, results)
    question = run.current
    run.answer(question.options[0].text if question.options else "1", seconds=1)
    opened.save(run.attempt)
    opened.close()
    print(time.perf_counter() - began)
    """
)


def make_attempts(folder: Path, count: int) -> None:
    """`count` attempts of the pack by 400 other students, a tenth unfinished, as the quiz writes them."""
    answers = tuple(
        Answer(question=f"q{i:02d}", skill="source", response="fair", score=1.0, max=1.0, hinted=False, seconds=4.0)
        for i in range(25)
    )
    for n in range(count):
        attempt = Attempt(
            id=f"{n:012x}", student=f"Student {n % 400:03d}", group="10A", pack_id=PACK_ID,
            pack_version="1.0", pack_sha256="0" * 64, mode="practice", seed=n,
            started=(START + timedelta(minutes=n)).isoformat(),
            finished=None if n % 10 == 0 else (START + timedelta(minutes=n + 20)).isoformat(),
            order=tuple(a.question for a in answers), answers=answers,
        )
        path = store.attempt_path(attempt, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(store.encode(attempt))


def clear_own(folder: Path) -> None:
    for f in store.pack_folder(folder, PACK_ID).glob("*-sam-lee-*"):
        f.unlink()


def one_start(folder: Path) -> float:
    script = A_START.format(root=str(ROOT), results=str(folder), pack=PACK_ID, student=STUDENT)
    clear_own(folder)
    env = {**os.environ, "TMPDIR": str(folder.parent), "HOME": str(folder.parent)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    clear_own(folder)
    return float(done.stdout.strip())


def lookup(folder: Path) -> tuple[float, int, int]:
    """Best time of the lookup alone, the files it opened, and its peak memory in bytes."""
    opened = []
    real = store._read_json

    def counting(path, **kw):
        opened.append(path)
        return real(path, **kw)

    store._read_json = counting
    try:
        best = float("inf")
        for _ in range(7):
            opened.clear()
            began = time.perf_counter()
            store.has_unfinished(folder, PACK_ID, STUDENT)
            best = min(best, time.perf_counter() - began)
        tracemalloc.start()
        store.has_unfinished(folder, PACK_ID, STUDENT)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        store._read_json = real
    return best, len(opened), peak


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        empty, full = Path(tmp) / "empty" / "results", Path(tmp) / "full" / "results"
        empty.mkdir(parents=True)
        make_attempts(full, count)
        # Interleaved, best of five each, so a busy machine weighs on both alike.
        starts = {empty: [], full: []}
        for _ in range(5):
            for folder in (empty, full):
                starts[folder].append(one_start(folder))
        start_empty, start_full = min(starts[empty]), min(starts[full])
        look_empty, read_empty, _ = lookup(empty)
        look_full, read_full, peak = lookup(full)
    ratio = start_full / start_empty
    print(f"a start, empty folder:           {start_empty * 1000:8.1f} ms")
    print(f"a start, {count:,} earlier attempts: {start_full * 1000:8.1f} ms   ratio {ratio:.2f}x (target at most {TARGET}x)")
    print(f"the lookup alone, empty folder:  {look_empty * 1000:8.2f} ms, {read_empty} files opened")
    print(f"the lookup alone, {count:,}:       {look_full * 1000:8.2f} ms, {read_full} files opened, peak {peak / 1e6:.1f} MB")
    ok = ratio <= TARGET and read_full == 0
    print("OK" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
