"""Packs already read, kept as JSON so `quiz play` need not parse YAML again.

Reading a pack means importing PyYAML, parsing and checking every field;
starting the quiz on a pack read before, none of that is needed. Each entry
is named by the sha256 of the pack file's bytes, so an edited pack is a new
entry and is read and checked afresh: no stale pack is ever used. An entry
holds only a pack that had no errors.

The cache is a convenience and never a cause of failure: an entry that is
missing, unreadable or made by other pack-reading code (another version of
the quiz, or one changed since) is ignored, and a folder that cannot be
written means no entry is kept. It lives in the user's own cache folder and
is trusted as the user's own files are: it is never shared between users.

`quiz validate` never uses it: checking a pack always reads the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from quiz import __version__
from quiz.locations import pack_cache_dir
from quiz.model import MatchItem, Option, Pack, Question, Source

CACHE_FORMAT = "quiz-pack-cache/1"

# The biggest pack file the loader reads (quiz.packs.reading.MAX_BYTES); anything
# bigger is left to the loader, which says why it refuses it.
READ_LIMIT = 5 * 1024 * 1024


def cached_pack(path: str) -> Pack | None:
    """The pack in the file at `path`, from the cache; None when it is not there."""
    try:
        # Only an ordinary file: reading a pipe or a device would wait for ever
        # (the loader then says what the path is instead).
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            data = fh.read(READ_LIMIT + 1)
        if len(data) > READ_LIMIT:
            return None
        digest = hashlib.sha256(data).hexdigest()
        with open(pack_cache_dir() / f"{digest}.json", encoding="utf-8") as fh:
            entry = json.load(fh)
        if entry.get("format") != CACHE_FORMAT or entry.get("reader") != reader_fingerprint():
            return None
        return _pack(entry["pack"], path=path, sha256=digest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remember(pack: Pack) -> None:
    """Keep `pack` (read from `pack.path` without errors) for the next start; quietly skipped if it cannot be."""
    if not pack.sha256:
        return
    try:
        reader = reader_fingerprint()
        if reader is None:
            return
        entry = {"format": CACHE_FORMAT, "reader": reader, "pack": _plain(pack)}
        from quiz.store import write_atomic

        write_atomic(pack_cache_dir() / f"{pack.sha256}.json", json.dumps(entry).encode("ascii"))
    except (OSError, ValueError):
        pass


# The code that turns a file into a Pack: an entry made by any other version of
# it is not used, so a change to how packs are read takes effect at once.
_READER_SOURCES = (
    "../__init__.py", "../model.py", "../answers.py",
    "build.py", "claims.py", "loader.py", "problems.py", "reading.py", "cache.py",
)


@cache
def reader_fingerprint() -> str | None:
    """The sha256 of the quiz's pack-reading code; None if it cannot be read (then nothing is cached)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    try:
        for name in _READER_SOURCES:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _plain(pack: Pack) -> dict[str, Any]:
    """The pack as JSON types; where it was read from is not kept (the same file may move)."""
    out = {name: getattr(pack, name) for name in _PACK_FIELDS}
    out["skills"] = dict(pack.skills)
    out["source"] = vars(pack.source).copy() if pack.source is not None else None
    out["questions"] = [
        {
            **{name: getattr(q, name) for name in _QUESTION_FIELDS},
            "options": [vars(o).copy() for o in q.options],
            "items": [vars(i).copy() for i in q.items],
        }
        for q in pack.questions
    ]
    return out


def _pack(data: dict[str, Any], *, path: str, sha256: str) -> Pack:
    fields = {name: data[name] for name in _PACK_FIELDS}
    fields["authors"] = tuple(fields["authors"])
    source = data["source"]
    return Pack(
        **fields,
        skills=MappingProxyType(dict(data["skills"])),
        source=Source(**source) if source is not None else None,
        questions=tuple(_question(q) for q in data["questions"]),
        path=path,
        sha256=sha256,
    )


def _question(data: dict[str, Any]) -> Question:
    fields = {name: data[name] for name in _QUESTION_FIELDS}
    fields["accept"] = tuple(fields["accept"])
    fields["categories"] = tuple(fields["categories"])
    return Question(
        **fields,
        options=tuple(Option(**o) for o in data["options"]),
        items=tuple(MatchItem(**i) for i in data["items"]),
    )


# Every field of Pack and Question that JSON holds as it is (tuples become lists and back).
_PACK_FIELDS = (
    "id", "title", "format", "version", "language", "audience", "authors", "license",
    "description", "content_note", "hint_penalty", "confidence", "mode",
)
_QUESTION_FIELDS = (
    "id", "skill", "type", "prompt", "points", "claim", "hint", "explain", "answer",
    "tolerance", "low", "high", "unit", "accept", "categories", "verdict", "line",
)
