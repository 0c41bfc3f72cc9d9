"""Attempt files: one JSON file per attempt, rewritten after every answer.

Each write goes to a temporary file in the same folder, is flushed to disk,
then renamed over the old file, so a killed terminal leaves either the
previous answer's file or this one, never half of one. One file per attempt
means a whole class can share one folder with no locking.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from quiz.model import ATTEMPT_FORMAT, Answer, Attempt

# A file bigger than this cannot be an attempt (10,000 questions of answers is far less).
MAX_ATTEMPT_BYTES = 20 * 1024 * 1024


class StoreError(OSError):
    """The attempt could not be written where it should go."""


@dataclass(frozen=True)
class Saved:
    """Where an attempt was written, and why if not where it was meant to go."""

    path: Path
    fallback_reason: str = ""


# --------------------------------------------------------------------------
# JSON form
# --------------------------------------------------------------------------


def to_dict(attempt: Attempt) -> dict[str, Any]:
    """The attempt exactly as the design's attempt file shows it."""
    answers = []
    for a in attempt.answers:
        row: dict[str, Any] = {
            "question": a.question,
            "skill": a.skill,
            "response": a.response,
            "score": a.score,
            "max": a.max,
            "hinted": a.hinted,
            "seconds": a.seconds,
        }
        if a.confidence is not None:
            row["confidence"] = a.confidence
            row["cbm"] = a.cbm
        answers.append(row)
    return {
        "format": ATTEMPT_FORMAT,
        "id": attempt.id,
        "student": attempt.student,
        "group": attempt.group,
        "pack": {
            "id": attempt.pack_id,
            "version": attempt.pack_version,
            "sha256": attempt.pack_sha256,
        },
        "mode": attempt.mode,
        "seed": attempt.seed,
        "started": attempt.started,
        "finished": attempt.finished,
        "order": list(attempt.order),
        "answers": answers,
    }


class NotAnAttempt(ValueError):
    """A JSON file that is not an attempt file of a format this quiz reads."""


def from_dict(data: Any) -> Attempt:
    """Read an attempt back; raises NotAnAttempt saying what is wrong.

    `data` is left as it was: the attempt shares nothing with it.
    """
    return _from_json(copy.deepcopy(data))


def _from_json(data: Any) -> Attempt:
    # `data` is fresh from json.loads and used by nothing else: answers take
    # their dictionaries over as they stand (see _answer_from_dict).
    if not isinstance(data, dict):
        raise NotAnAttempt("it is not a JSON object")
    if data.get("format") != ATTEMPT_FORMAT:
        raise NotAnAttempt(f"its format is {data.get('format')!r}, not {ATTEMPT_FORMAT!r}")
    try:
        pack = data["pack"]
        answers = tuple(map(_answer_from_dict, data.get("answers") or ()))
        return Attempt(
            id=str(data["id"]),
            student=str(data.get("student") or ""),
            group=str(data.get("group") or ""),
            pack_id=str(pack["id"]),
            pack_version=str(pack.get("version") or ""),
            pack_sha256=str(pack.get("sha256") or ""),
            mode=str(data.get("mode") or "practice"),
            seed=int(data.get("seed") or 0),
            started=str(data["started"]),
            finished=str(data["finished"]) if data.get("finished") else None,
            order=tuple(map(str, data.get("order") or ())),
            answers=answers,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotAnAttempt(f"a field is missing or of the wrong kind ({exc})") from None


_new_object = object.__new__
_set_attribute = object.__setattr__


def _answer_from_dict(a: dict[str, Any]) -> Answer:
    # A class report reads tens of thousands of answers, and building each one
    # through the frozen dataclass's __init__ (nine calls to set nine fields)
    # was most of the cost of reading a file. An answer exactly as `to_dict`
    # writes it, every field of the type the model says, becomes the answer's
    # own attributes as it stands (what pickle does to restore an object);
    # a missing confidence and cbm read as the class's defaults, None. Anything
    # else (a hand-edited file, an int for a float) is converted field by field.
    if (
        type(a.get("question")) is str
        and type(a.get("skill")) is str
        and type(a.get("score")) is float
        and type(a.get("max")) is float
        and type(a.get("hinted")) is bool
        and type(a.get("seconds")) is float
        and "response" in a
        and (
            len(a) == 7
            or (len(a) == 9 and type(a.get("confidence")) is int and type(a.get("cbm")) is float)
        )
    ):
        answer = _new_object(Answer)
        _set_attribute(answer, "__dict__", a)
        return answer
    return _converted_answer(a)


def _converted_answer(a: dict[str, Any]) -> Answer:
    get = a.get
    confidence = get("confidence")
    cbm = get("cbm")
    answer = _new_object(Answer)
    answer.__dict__.update(
        question=str(a["question"]),
        skill=str(get("skill", "")),
        response=get("response"),
        score=float(a["score"]),
        max=float(a["max"]),
        hinted=get("hinted") is True,
        seconds=float(get("seconds") or 0.0),
        confidence=None if confidence is None else int(confidence),
        cbm=None if cbm is None else float(cbm),
    )
    return answer


# --------------------------------------------------------------------------
# File names
# --------------------------------------------------------------------------


def slug(text: str, *, limit: int = 40, empty: str = "anonymous") -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes only."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return s[:limit].strip("-") or empty


def attempt_path(attempt: Attempt, results_dir: Path) -> Path:
    """`<results>/<pack-id>/<YYYYMMDD-HHMMSS>-<student-slug>-<short-id>.json`."""
    try:
        stamp = datetime.fromisoformat(attempt.started).strftime("%Y%m%d-%H%M%S")
    except ValueError:
        stamp = "00000000-000000"
    name = f"{stamp}-{slug(attempt.student)}-{slug(attempt.id, limit=8, empty='x')}.json"
    return Path(results_dir) / slug(attempt.pack_id, limit=80, empty="pack") / name


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is only durable once the folder's entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def encode(attempt: Attempt) -> bytes:
    return (json.dumps(to_dict(attempt), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def save(attempt: Attempt, results_dir: Path) -> Path:
    """Write the attempt to its file in `results_dir`; raises StoreError if it cannot."""
    path = attempt_path(attempt, results_dir)
    try:
        write_atomic(path, encode(attempt))
    except OSError as exc:
        raise StoreError(f"could not save answers to {path.parent}: {exc.strerror or exc}") from exc
    return path


def fallback_dir() -> Path:
    """Where answers go when the results folder cannot be written."""
    return Path(tempfile.gettempdir()) / "media-literacy-quiz-rescued"


def save_somewhere(attempt: Attempt, results_dir: Path) -> Saved:
    """Save to `results_dir`, or, if that fails, to a fallback folder, saying why.

    Nothing is lost silently: the caller shows `fallback_reason` to the student.
    """
    try:
        return Saved(save(attempt, results_dir))
    except StoreError as first:
        for other in (Path.home() / "quiz-results", fallback_dir()):
            try:
                return Saved(save(attempt, other), fallback_reason=str(first))
            except StoreError:
                continue
        raise


# --------------------------------------------------------------------------
# Reading and listing
# --------------------------------------------------------------------------


def read_attempt(path: Path) -> Attempt:
    """Read one attempt file; raises NotAnAttempt or OSError with a reason."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_ATTEMPT_BYTES:
            raise NotAnAttempt(f"it is {size:,} bytes, too big to be an attempt file")
        raw = fh.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotAnAttempt("it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise NotAnAttempt(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return _from_json(data)


def attempt_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every `*.json` file named or found below the folders named, in a stable order."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = (f for f in p.rglob("*.json") if not f.name.startswith("."))
            yield from sorted(found, key=str)
        elif p.is_file():
            yield p


def read_attempts(paths: Iterable[Path]) -> tuple[list[tuple[Path, Attempt]], list[str]]:
    """All readable attempts, and one warning for each file that was skipped."""
    found: list[tuple[Path, Attempt]] = []
    warnings: list[str] = []
    for f in attempt_files(paths):
        try:
            found.append((f, read_attempt(f)))
        except (NotAnAttempt, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            warnings.append(f"{f}: skipped: {reason}")
    return found, warnings


def resume_code(attempt: Attempt) -> str:
    """A short code that proves an unfinished attempt is yours (served quizzes ask for it).

    It is the start of the attempt's random id, which no other student sees.
    """
    return attempt.id[:6].upper()


def find_unfinished(
    results_dir: Path, pack_id: str, student: str
) -> tuple[Path, Attempt] | None:
    """The newest unfinished attempt of `student` on `pack_id`, if any."""
    folder = Path(results_dir) / slug(pack_id, limit=80, empty="pack")
    if not folder.is_dir():
        return None
    found, _ = read_attempts([folder])
    mine = [
        (p, a)
        for p, a in found
        if a.pack_id == pack_id
        and a.student.strip().casefold() == student.strip().casefold()
        and not a.is_finished
    ]
    return max(mine, key=lambda pa: pa[1].started) if mine else None
