"""How the commands talk to people: exit codes, problems, plurals, tables, whole-file writes."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

EXIT_OK = 0
EXIT_PROBLEMS = 2
EXIT_INTERRUPTED = 130


def print_problems(problems, err: TextIO) -> None:
    for p in problems:
        print(str(p), file=err)


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def print_table(rows: list[tuple[str, ...]], out: TextIO, right_aligned: set[int] = frozenset()) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right_aligned else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip(), file=out)


def write_whole(path: Path, text: str, err: TextIO) -> bool:
    """Write `text` whole or not at all; on failure say why, plainly, and return False."""
    from quiz.store import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"Could not write {path}: {exc.strerror or exc}", file=err)
        return False
    return True
