"""Importing a Moodle file: reading it from disk and handing it to the right reader.

`import_file` reads a GIFT, Aiken or Moodle XML file, picks the reader (by the
file's extension, else by its content) and gives clear errors for unreadable
files. The readers and what they hand back live in `quiz.packs.gift`,
`quiz.packs.aiken`, `quiz.packs.moodle_xml` and `quiz.packs.draft`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from quiz.packs.aiken import read_aiken
from quiz.packs.draft import Imported
from quiz.packs.gift import read_gift
from quiz.packs.moodle_xml import read_moodle_xml
from quiz.packs.problems import PackError, Problem
from quiz.packs.reading import MAX_BYTES, decode, size_problem

FORMATS = ("gift", "aiken", "moodle-xml")
_READERS = {"gift": read_gift, "aiken": read_aiken, "moodle-xml": read_moodle_xml}

__all__ = ["FORMATS", "Imported", "detect_format", "import_file", "read_text"]


def detect_format(path: Path, text: str) -> str:
    """"gift", "aiken" or "moodle-xml": by extension, else Moodle XML if it starts
    like XML, Aiken if it has ANSWER: lines and no braces, GIFT otherwise."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".xml"] or re.match(r"\ufeff?\s*<(?:\?xml\b|quiz\b)", text):
        return "moodle-xml"
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
    """Read a GIFT, Aiken or Moodle XML file into a pack. Raises PackError if the file cannot be read."""
    path = Path(path)
    text = read_text(path)
    fmt = (fmt or detect_format(path, text)).lower()
    if fmt not in FORMATS:
        raise PackError([Problem(str(path), 1, 1, f"unknown format '{fmt}': use gift, aiken or moodle-xml")])
    return _READERS[fmt](text, path=str(path), pack_id=pack_id, title=title)


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a PackError saying why not.

    Only a regular file of at most the pack size limit is read, and that is
    checked before a byte is read: a named pipe would hang, and /dev/zero or
    a huge file would fill the memory.
    """
    data = _read_bytes(path)
    text, problems = decode(data, str(path))
    if text is None:
        raise PackError(problems)
    return text


def _read_bytes(path: Path) -> bytes:
    where = str(path)

    def refuse(message: str) -> PackError:
        return PackError([Problem(where, 1, 1, message)])

    try:
        # Non-blocking: opening a named pipe with no writer must not wait for one.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise refuse(f"cannot read the file: {e.strerror or e}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("this is a folder, not a file: name the Moodle XML, GIFT or Aiken file to import")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("this is not an ordinary file (a pipe or a device): save the questions as a file and import that")
        too_big = size_problem(info.st_size, where)
        if too_big:
            raise PackError([too_big])
        chunks, left = [], MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise refuse(f"cannot read the file: {e.strerror or e}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    too_big = size_problem(len(data), where)  # it grew since it was measured
    if too_big:
        raise PackError([too_big])
    return data
