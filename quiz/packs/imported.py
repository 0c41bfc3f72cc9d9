"""Importing a Moodle file: reading it from disk and handing it to the right reader.

`import_file` reads a GIFT or Aiken file, picks the reader (by the file's
extension, else by its content) and gives clear errors for unreadable files.
The readers and what they hand back live in `quiz.packs.gift`,
`quiz.packs.aiken` and `quiz.packs.draft`.
"""

from __future__ import annotations

import re
from pathlib import Path

from quiz.packs.aiken import read_aiken
from quiz.packs.draft import Imported
from quiz.packs.gift import read_gift
from quiz.packs.problems import PackError, Problem
from quiz.packs.reading import decode

FORMATS = ("gift", "aiken")

__all__ = ["FORMATS", "Imported", "detect_format", "import_file", "read_text"]


def detect_format(path: Path, text: str) -> str:
    """"gift" or "aiken": by extension, else Aiken if it has ANSWER: lines and no braces."""
    suffixes = [s.lower() for s in path.suffixes]
    if ".gift" in suffixes:
        return "gift"
    if ".aiken" in suffixes:
        return "aiken"
    has_answer_lines = re.search(r"^[ \t]*ANSWER\s*:", text, re.MULTILINE | re.IGNORECASE)
    if has_answer_lines and "{" not in text and "}" not in text:
        return "aiken"
    return "gift"


def import_file(
    path: Path,
    *,
    fmt: str | None = None,
    pack_id: str | None = None,
    title: str | None = None,
) -> Imported:
    """Read a GIFT or Aiken file into a pack. Raises PackError if the file cannot be read."""
    path = Path(path)
    text = read_text(path)
    fmt = (fmt or detect_format(path, text)).lower()
    if fmt not in FORMATS:
        raise PackError([Problem(str(path), 1, 1, f"unknown format '{fmt}': use gift or aiken")])
    reader = read_gift if fmt == "gift" else read_aiken
    return reader(text, path=str(path), pack_id=pack_id, title=title)


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a PackError saying why not."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PackError([Problem(str(path), 1, 1, f"cannot read the file: {e.strerror or e}")]) from None
    text, problems = decode(data, str(path))
    if text is None:
        raise PackError(problems)
    return text
