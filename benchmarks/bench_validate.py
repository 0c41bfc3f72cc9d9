"""How long loading and validating a pack takes, next to a bare YAML parse.

Run from the repository root:  python benchmarks/bench_validate.py

For packs of 100 to 10,000 questions (each with a claim checked against a
source text), prints the best-of-N time of `quiz.packs.load_pack` and its ratio
to `yaml.load(text, Loader=yaml.CSafeLoader)` of the same file, measured in the
same run. The target: validating 5,000 questions takes at most 2x the bare
C-loader parse. Both run as Python leaves them, with the cycle collector on.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.packs import load_pack  # noqa: E402

SIZES = (100, 1_000, 5_000, 10_000)
TARGET = 2.0

SENTENCES = [
    "The town library will open on Sundays from March, the council said on Tuesday.",
    "Visits rose six-fold last year, according to a survey of 40 residents.",
    '"Everyone loves the new reading room," said the head librarian.',
    "The council did not say how much the extra day will cost.",
    "A spokesperson for the library said opening hours would be reviewed in a year.",
    "Figures from the survey were not published in full.",
]


def make_pack(count: int) -> str:
    """A valid pack of `count` questions cycling through every type."""
    source = "\n\n".join(SENTENCES * 5)
    claims = ["the council said on Tuesday", "a survey of 40 residents",
              "Everyone loves the new reading room", "how much the extra day will cost"]
    questions = []
    for i in range(count):
        kind = i % 5
        q = {"id": f"q{i}", "skill": ["source", "sample-size", "framing"][i % 3],
             "claim": claims[i % len(claims)], "prompt": f"Question {i}: what does the claim say?",
             "explain": "Because the source says so, in these words."}
        if kind == 0:
            q.update(type="choice", options=[
                {"text": "The council", "correct": True, "explain": "It says so."},
                {"text": "The librarian"}, {"text": "Residents"}])
        elif kind == 1:
            q.update(type="multi", points=2, options=[
                {"text": "visits", "correct": True}, {"text": "residents", "correct": True},
                {"text": "opening day"}])
        elif kind == 2:
            q.update(type="number", answer="6-fold", tolerance=0.5, unit="times")
        elif kind == 3:
            q.update(type="match", categories=["fact", "opinion"], items=[
                {"text": "The library opens on Sundays", "answer": "fact"},
                {"text": "Everyone loves the reading room", "answer": "opinion"}])
        else:
            q.update(type="verdict", verdict=["fair", "misleading"][i % 2])
        questions.append(q)
    pack = {"pack": 1, "id": f"bench-{count}", "title": f"Benchmark, {count} questions",
            "source": {"title": "Library opens on Sundays", "published": "2026-01-10",
                       "text": source},
            "questions": questions}
    return yaml.safe_dump(pack, sort_keys=False, allow_unicode=True, width=100)


def best_of(runs: int, action) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        print("PyYAML has no libyaml here (yaml.CSafeLoader): the comparison needs it.")
        return 1
    print(f"{'questions':>10} {'size':>9} {'yaml.load':>10} {'load_pack':>10} {'ratio':>6}")
    worst_at_target = None
    with tempfile.TemporaryDirectory() as folder:
        for count in SIZES:
            path = Path(folder) / f"bench-{count}.yaml"
            text = make_pack(count)
            path.write_text(text, encoding="utf-8")
            runs = 7 if count <= 1_000 else 3
            assert len(load_pack(path).questions) == count
            bare = best_of(runs, lambda: yaml.load(text, Loader=c_loader))
            ours = best_of(runs, lambda: load_pack(path))
            ratio = ours / bare
            if count == 5_000:
                worst_at_target = ratio
            print(f"{count:>10,} {len(text) / 1024:>7.0f}KB {bare * 1000:>8.1f}ms "
                  f"{ours * 1000:>8.1f}ms {ratio:>5.2f}x")
    verdict = "met" if worst_at_target is not None and worst_at_target <= TARGET else "missed"
    print(f"target: 5,000 questions within {TARGET:g}x the bare C-loader parse: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
