"""Attempt files: one JSON file per attempt, rewritten after every answer.

Each write goes to a temporary file in the same folder, is flushed to disk,
then renamed over the old file, so a killed terminal leaves either the
previous answer's file or this one, never half of one. One file per attempt
means a whole class can share one folder; files and folders made in a
set-group-ID folder stay readable (and folders writable) by its group.

Reading never trusts a file: only regular files up to MAX_ATTEMPT_BYTES are
opened, and anything that is not an attempt is skipped with a reason.

An attempt open in a window is an OpenAttempt: it holds a lock beside the
file, so a second window is told the attempt is open elsewhere, and it keeps
a salted hash of the attempt's resume code in the file (field RESUME_FIELD),
never the code.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import stat
import tempfile
import threading
import unicodedata
from concurrent.futures import Future
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from quiz.model import ATTEMPT_FORMAT, CBM_MARKS, Answer, Attempt

# A file bigger than this is not read: a real attempt is about 10 KB, and one
# of the largest pack the quiz accepts (10,000 questions) about 3 MB.
MAX_ATTEMPT_BYTES = 8 * 1024 * 1024

# Where an attempt file keeps the salted hash of its resume code. Exports
# are built from the Attempt (to_dict), which never holds it.
RESUME_FIELD = "resume"

# Numbers in an attempt beyond this are not marks, times or seeds anyone wrote.
_LARGEST = 1e9
_SEEDS = range(-(2**63), 2**64)


class StoreError(OSError):
    """The attempt could not be written where it should go."""


class OpenElsewhere(StoreError):
    """The attempt is open in another window, which alone may write it."""


class AnswersElsewhere(StoreError):
    """The file on disk holds answers this window does not know; they are kept."""


class WrongCode(LookupError):
    """No unfinished attempt of this student on this pack has the code given."""


@dataclass(frozen=True)
class Saved:
    """Where an attempt was written, and why if not where it was meant to go."""

    path: Path
    fallback_reason: str = ""


# --------------------------------------------------------------------------
# JSON form
# --------------------------------------------------------------------------


def to_dict(attempt: Attempt) -> dict[str, Any]:
    """The attempt exactly as the design's attempt file shows it (no resume hash)."""
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
        if a.at is not None:
            row["at"] = a.at
        if a.confidence is not None:
            row["confidence"] = a.confidence
            row["cbm"] = a.cbm
        answers.append(row)
    data = {
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
    # Written only when there is something to say, so an untimed attempt
    # without a class list reads exactly as the design's attempt file shows it.
    if attempt.student_id:
        data["student_id"] = attempt.student_id
    if attempt.time_limit is not None:
        data["time_limit"] = attempt.time_limit
        data["extra_time"] = attempt.extra_time
        data["deadline"] = attempt.deadline
        data["timed_out"] = attempt.timed_out
    return data


class NotAnAttempt(ValueError):
    """A file that is not an attempt file of a format this quiz reads."""


def from_dict(data: Any) -> Attempt:
    """Read an attempt back; raises NotAnAttempt saying what is wrong.

    `data` is left as it was: the attempt shares nothing with it.
    """
    try:
        fresh = json.loads(json.dumps(data, allow_nan=True))
    except (TypeError, ValueError, RecursionError):
        raise NotAnAttempt("it is not plain JSON data") from None
    return _from_json(fresh)


def _text(value: Any, what: str, *, missing: str | None = None) -> str:
    if value is None and missing is not None:
        return missing
    if type(value) is not str:
        raise NotAnAttempt(f"{what} is not text")
    return value


def _from_json(data: Any) -> Attempt:
    # `data` is fresh from json.loads and used by nothing else: answers take
    # their dictionaries over as they stand (see _answer_from_dict).
    if not isinstance(data, dict):
        raise NotAnAttempt("it is not a JSON object")
    if data.get("format") != ATTEMPT_FORMAT:
        shown = data.get("format")
        shown = shown[:40] if isinstance(shown, str) else type(shown).__name__
        raise NotAnAttempt(f"its format is {shown!r}, not {ATTEMPT_FORMAT!r}")
    pack = data.get("pack")
    if not isinstance(pack, dict):
        raise NotAnAttempt("a field is missing or of the wrong kind (pack)")
    if "id" not in data or "started" not in data:
        raise NotAnAttempt("a field is missing or of the wrong kind (id and started are required)")
    seed = data.get("seed") or 0
    if type(seed) is not int or seed not in _SEEDS:
        raise NotAnAttempt("a field is missing or of the wrong kind (seed is not a whole number in range)")
    order = data.get("order") or []
    if type(order) is not list or any(type(q) is not str for q in order):
        raise NotAnAttempt("a field is missing or of the wrong kind (order is not a list of question ids)")
    answers = data.get("answers") or []
    if type(answers) is not list:
        raise NotAnAttempt("a field is missing or of the wrong kind (answers is not a list)")
    finished = data.get("finished")
    limit = data.get("time_limit")
    if limit is not None and (type(limit) not in (int, float) or not 0 < limit <= _LARGEST):
        raise NotAnAttempt("a field is missing or of the wrong kind (time_limit is not a number of seconds)")
    extra = data.get("extra_time") or 0.0
    if type(extra) not in (int, float) or not 0 <= extra <= _LARGEST:
        raise NotAnAttempt("a field is missing or of the wrong kind (extra_time is not a number of seconds)")
    deadline = data.get("deadline") or None
    if deadline is not None and not _is_moment(deadline):
        # The engine compares it with the time now: a time without its offset cannot be.
        raise NotAnAttempt("a field is missing or of the wrong kind (deadline is not a date and time with its offset)")
    try:
        return Attempt(
            id=_text(data["id"], "id"),
            student=_text(data.get("student"), "student", missing=""),
            group=_text(data.get("group"), "group", missing=""),
            pack_id=_text(pack.get("id"), "the pack id"),
            pack_version=_text(pack.get("version"), "the pack version", missing=""),
            pack_sha256=_text(pack.get("sha256"), "the pack sha256", missing=""),
            mode=_text(data.get("mode"), "mode", missing="practice") or "practice",
            seed=seed,
            started=_text(data["started"], "started"),
            finished=_text(finished, "finished") if finished else None,
            order=tuple(order),
            answers=tuple(_answer(a, n) for n, a in enumerate(answers, 1)),
            student_id=_text(data.get("student_id"), "student_id", missing=""),
            time_limit=float(limit) if limit is not None else None,
            extra_time=float(extra),
            deadline=deadline,
            timed_out=data.get("timed_out") is True,
        )
    except NotAnAttempt as exc:
        raise NotAnAttempt(f"a field is missing or of the wrong kind ({exc})") from None


def _is_moment(value: Any) -> bool:
    """Whether `value` is an ISO 8601 date and time with its offset, as the engine writes one."""
    if type(value) is not str or len(value) > 40:
        return False
    try:
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return False
    return moment.tzinfo is not None


_new_object = object.__new__
_set_attribute = object.__setattr__
_finite = math.isfinite


def _answer(a: Any, n: int) -> Answer:
    try:
        return _answer_from_dict(a)
    except NotAnAttempt as exc:
        raise NotAnAttempt(f"answer {n}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise NotAnAttempt(f"answer {n}: {exc}") from None


def _answer_from_dict(a: dict[str, Any]) -> Answer:
    # A class report reads tens of thousands of answers, and building each one
    # through the frozen dataclass's __init__ (nine calls to set nine fields)
    # was most of the cost of reading a file. An answer exactly as `to_dict`
    # writes it, every field of the type the model says, becomes the answer's
    # own attributes as it stands (what pickle does to restore an object);
    # a missing confidence, cbm and time ("at") read as the class's defaults, None.
    # Anything else (a hand-edited file, an int for a float) is converted field by field.
    if type(a) is not dict:
        raise NotAnAttempt("it is not a JSON object")
    score, most, seconds, response = a.get("score"), a.get("max"), a.get("seconds"), a.get("response")
    fields = len(a) - (type(a.get("at")) is str)
    if (
        type(a.get("question")) is str
        and type(a.get("skill")) is str
        and type(score) is float
        and type(most) is float
        and type(a.get("hinted")) is bool
        and type(seconds) is float
        and "response" in a
        and -_LARGEST <= score <= _LARGEST
        and -_LARGEST <= most <= _LARGEST
        and -_LARGEST <= seconds <= _LARGEST
        and (type(response) is str or _plain_response(response))
        and (
            fields == 7
            or (
                fields == 9
                and type(a.get("confidence")) is int
                and a["confidence"] in CBM_MARKS
                and type(a.get("cbm")) is float
                and -_LARGEST <= a["cbm"] <= _LARGEST
            )
        )
    ):
        answer = _new_object(Answer)
        _set_attribute(answer, "__dict__", a)
        return answer
    return _converted_answer(a)


def _number(value: Any, what: str) -> float:
    if type(value) not in (int, float) or not -_LARGEST <= value <= _LARGEST:
        raise NotAnAttempt(f"{what} is not a finite number" if type(value) is float else f"{what} is not a number in range")
    return float(value)


def _scalar(value: Any) -> bool:
    return value is None or type(value) in (str, bool, int) or (type(value) is float and _finite(value))


def _plain_response(value: Any) -> bool:
    """What the engine writes: text, a list of texts, or text -> category (see design.md)."""
    if _scalar(value):
        return True
    if type(value) is list:
        return all(map(_scalar, value))
    if type(value) is dict:
        return all(map(_scalar, value.values()))
    return False


def _converted_answer(a: dict[str, Any]) -> Answer:
    get = a.get
    confidence = get("confidence")
    cbm = get("cbm")
    response = get("response")
    if not _plain_response(response):
        raise NotAnAttempt("response is not text, a list of texts or a mapping of texts")
    if confidence is not None and (type(confidence) is not int or confidence not in CBM_MARKS):
        raise NotAnAttempt("confidence is not 1, 2 or 3")
    answer = _new_object(Answer)
    answer.__dict__.update(
        question=_text(a["question"], "question"),
        skill=_text(get("skill"), "skill", missing=""),
        response=response,
        score=_number(a["score"], "score"),
        max=_number(a["max"], "max"),
        hinted=get("hinted") is True,
        seconds=_number(get("seconds") or 0.0, "seconds"),
        confidence=confidence,
        cbm=None if cbm is None else _number(cbm, "cbm"),
        at=get("at") if type(get("at")) is str else None,
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
    return pack_folder(results_dir, attempt.pack_id) / name


def pack_folder(results_dir: Path, pack_id: str) -> Path:
    """The folder of `results_dir` that holds the attempts at one pack."""
    return Path(results_dir) / slug(pack_id, limit=80, empty="pack")


_STAMP = len("YYYYMMDD-HHMMSS-")


def _student_prefixes(student: str) -> set[str]:
    # The slug in the file name is of the name as first typed; the name typed
    # now may differ in case (casefold turns "ß" into "ss", lower does not).
    return {slug(student) + "-", slug(student.casefold()) + "-"}


def same_student(a: str, b: str) -> bool:
    """Whether two typed names are one student's: case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# --------------------------------------------------------------------------
# Folders and modes
# --------------------------------------------------------------------------

_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _shared(folder: Path) -> int:
    """The mode of `folder` if it is set-group-ID (a shared folder), else 0."""
    if not _POSIX:
        return 0
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return 0
    return mode if mode & stat.S_ISGID else 0


def make_folders(folder: Path) -> None:
    """Make `folder` and any missing parents.

    Each gets what the umask allows (0o777 & ~umask); in a set-group-ID
    folder it also gets that folder's group permissions, its set-group-ID bit
    and its sticky bit, so every member of the group can save there.
    """
    folder = Path(folder)
    if folder.is_dir():
        return
    missing = []
    for p in (folder, *folder.parents):
        if p.is_dir():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            os.mkdir(p, 0o777)
        except FileExistsError:
            if not p.is_dir():
                raise
            continue
        parent = _shared(p.parent)
        if parent:
            try:
                mode = stat.S_IMODE(os.stat(p).st_mode)
                os.chmod(p, mode | (parent & (0o070 | stat.S_ISGID | stat.S_ISVTX)))
            except OSError:
                pass  # the folder works for its owner; the group is the teacher's to fix


def _open_new(path: Path, access: int = os.O_WRONLY) -> int:
    """Create `path` (it must not exist) with the mode the umask and its folder allow."""
    fd = os.open(
        path,
        access | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0),
        0o666,  # less the umask, as for any file a program makes
    )
    parent = _shared(path.parent)
    if parent & 0o040:  # a shared folder the group reads: so may it read this file
        try:
            os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) | 0o040)
        except OSError:
            pass
    return fd


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (temp file, fsync, rename)."""
    path = Path(path)
    make_folders(path.parent)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = _open_new(tmp)
            break
        except FileExistsError:
            continue
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


def encode(attempt: Attempt, seal: dict[str, str] | None = None) -> bytes:
    data = to_dict(attempt)
    if seal is not None:
        data[RESUME_FIELD] = seal
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def save(attempt: Attempt, results_dir: Path) -> Path:
    """Write the attempt to its file in `results_dir`; raises StoreError if it cannot.

    Without a lock: an OpenAttempt is how a window writes. A resume hash
    already in the file is kept.
    """
    path = attempt_path(attempt, results_dir)
    seal = None
    if os.path.lexists(path):
        try:
            seal = _seal_of(_read_json(path, follow_symlinks=False))
        except (NotAnAttempt, OSError):
            seal = None
    try:
        write_atomic(path, encode(attempt, seal if isinstance(seal, dict) else None))
    except OSError as exc:
        raise StoreError(f"could not save answers to {path.parent}: {exc.strerror or exc}") from exc
    return path


def fallback_dir() -> Path:
    """Where answers go when the results folder cannot be written."""
    return Path(tempfile.gettempdir()) / "media-literacy-quiz-rescued"


def fallback_dirs() -> list[Path]:
    """Where answers go, in turn, when the results folder cannot be written."""
    found = []
    try:
        found.append(Path.home() / "quiz-results")
    except (RuntimeError, KeyError):
        pass  # no home folder: only the temporary one
    return [*found, fallback_dir()]


def save_somewhere(attempt: Attempt, results_dir: Path) -> Saved:
    """Save to `results_dir`, or, if that fails, to a fallback folder, saying why.

    Nothing is lost silently: the caller shows `fallback_reason` to the student.
    """
    try:
        return Saved(save(attempt, results_dir))
    except StoreError as first:
        for other in fallback_dirs():
            try:
                return Saved(save(attempt, other), fallback_reason=str(first))
            except StoreError:
                continue
        raise


# --------------------------------------------------------------------------
# Reading and listing
# --------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise NotAnAttempt(f"it holds {name}, which is not a number an attempt has")


def _read_bytes(path: Path, *, follow_symlinks: bool) -> bytes:
    """The bytes of a regular file of at most MAX_ATTEMPT_BYTES; NotAnAttempt otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        if not _NOFOLLOW and os.path.islink(path):
            raise NotAnAttempt("it is a symbolic link, and links in a results folder are not followed")
        flags |= _NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise NotAnAttempt("it is a symbolic link, and links in a results folder are not followed") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAnAttempt("it is not a regular file (a folder, pipe or device)")
        if st.st_size > MAX_ATTEMPT_BYTES:
            raise NotAnAttempt(f"it is {st.st_size:,} bytes, more than the {MAX_ATTEMPT_BYTES:,} an attempt file may have")
        chunks = []
        left = MAX_ATTEMPT_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise NotAnAttempt(f"it is more than the {MAX_ATTEMPT_BYTES:,} bytes an attempt file may have")
        return b"".join(chunks)
    finally:
        os.close(fd)


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _read_json(path: Path, *, follow_symlinks: bool = False) -> Any:
    raw = _read_bytes(path, follow_symlinks=follow_symlinks)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        if _SURROGATE.search(raw):  # \ud800 alone: text no file or screen can hold
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data
    except UnicodeEncodeError:
        raise NotAnAttempt("it holds text that is not valid Unicode") from None
    except UnicodeDecodeError:
        raise NotAnAttempt("it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise NotAnAttempt(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise NotAnAttempt("its JSON is nested too deeply to be an attempt") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise NotAnAttempt(f"it is not JSON this quiz reads ({str(exc)[:80]})") from None


def read_attempt(path: Path, *, follow_symlinks: bool = False) -> Attempt:
    """Read one attempt file; raises NotAnAttempt or OSError with a reason, nothing else.

    Only a regular file of at most MAX_ATTEMPT_BYTES is read; a symbolic link
    only with `follow_symlinks` (a file a person named, not one found in a folder).
    """
    return _from_json(_read_json(path, follow_symlinks=follow_symlinks))


def _walk(folder: Path) -> Iterator[Path]:
    # Not recursive (a hostile folder can be nested deeper than Python's
    # stack), and never into a linked folder.
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        is_dir = entry.is_dir(follow_symlinks=False)
                    except OSError:
                        is_dir = False
                    if is_dir:
                        stack.append(Path(entry.path))
                    elif entry.name.endswith(".json"):
                        yield Path(entry.path)
        except OSError:
            continue


def attempt_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every `*.json` entry named or found below the folders named, in a stable order.

    Links, pipes and other entries that are not regular files are listed too:
    the readers skip them with a reason.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(_walk(p), key=str)
        elif os.path.lexists(p):
            yield p


def each_attempt(paths: Iterable[Path]) -> Iterator[tuple[Path, Attempt | None, str]]:
    """Every attempt file under `paths`, read only when the caller comes to it:
    (file, attempt, "") or, for a file that was skipped, (file, None, a warning
    saying which file and why).

    A class report takes what it needs of each attempt and lets the rest go,
    so a class of 10,000 is never held whole. A file named in `paths` may be
    a link (the person chose it); one found in a folder may not.
    """
    paths = [Path(p) for p in paths]
    named = {p for p in paths if not p.is_dir()}
    for f in attempt_files(paths):
        try:
            attempt = read_attempt(f, follow_symlinks=f in named)
        except (NotAnAttempt, OSError) as exc:
            yield f, None, f"{f}: skipped: {_reason(exc)}"
        else:
            yield f, attempt, ""


def read_attempts(paths: Iterable[Path]) -> tuple[list[tuple[Path, Attempt]], list[str]]:
    """All readable attempts, and one warning for each file that was skipped (see each_attempt)."""
    found: list[tuple[Path, Attempt]] = []
    warnings: list[str] = []
    for f, attempt, warning in each_attempt(paths):
        if attempt is None:
            warnings.append(warning)
        else:
            found.append((f, attempt))
    return found, warnings


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


# --------------------------------------------------------------------------
# Resume codes
# --------------------------------------------------------------------------

# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by
# hand is not mistaken. Eight characters are 40 bits.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 8
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# scrypt's interactive parameters: about 50 ms and 16 MB a check, so a copy of
# the folder does not give the code away to a laptop trying all 2**40.
_KDF = "scrypt-16384-8-1"
_KDF_FALLBACK = "pbkdf2-sha256-200000"


def new_code() -> str:
    """A fresh resume code, `ABCD-EFGH`: 40 random bits from `secrets`."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{chars[:4]}-{chars[4:]}"


def normal_code(typed: str) -> str:
    """A typed code as compared: capitals, no spaces or dashes, O read as 0, I and L as 1."""
    return re.sub(r"[\s\-]+", "", typed or "").upper().translate(_TYPOS)[:32]


def _derive(kdf: str, code: str, salt: bytes) -> bytes:
    secret = normal_code(code).encode("ascii", "replace")
    if kdf == _KDF:
        return hashlib.scrypt(secret, salt=salt, n=16384, r=8, p=1, dklen=32)
    if kdf == _KDF_FALLBACK:
        return hashlib.pbkdf2_hmac("sha256", secret, salt, 200_000)
    raise ValueError(kdf)


def seal_code(code: str) -> dict[str, str]:
    """What the attempt file keeps of `code`: the salted hash, never the code."""
    kdf = _KDF if hasattr(hashlib, "scrypt") else _KDF_FALLBACK
    salt = secrets.token_bytes(16)
    return {"kdf": kdf, "salt": salt.hex(), "hash": _derive(kdf, code, salt).hex()}


_HEX = re.compile(r"[0-9a-f]+")


def _seal_of(data: Any) -> dict[str, str] | None | bool:
    """The resume hash of a file's JSON: None if it has none (written before
    codes were hashed), False if the field is there but not one this quiz wrote."""
    if not isinstance(data, dict) or RESUME_FIELD not in data:
        return None
    seal = data[RESUME_FIELD]
    if (
        type(seal) is dict
        and seal.get("kdf") in (_KDF, _KDF_FALLBACK)
        and type(seal.get("salt")) is str
        and len(seal["salt"]) == 32
        and type(seal.get("hash")) is str
        and len(seal["hash"]) in (64,)
        and _HEX.fullmatch(seal["salt"])
        and _HEX.fullmatch(seal["hash"])
    ):
        return {"kdf": seal["kdf"], "salt": seal["salt"], "hash": seal["hash"]}
    return False


def code_matches(seal: dict[str, str], typed: str) -> bool:
    """Whether `typed` is the code whose salted hash is `seal` (a checked RESUME_FIELD)."""
    try:
        given = _derive(seal["kdf"], typed, bytes.fromhex(seal["salt"]))
    except (ValueError, AttributeError):  # a kdf this Python lacks
        return False
    return hmac.compare_digest(given, bytes.fromhex(seal["hash"]))


def resume_code(attempt: Attempt) -> str:
    """The old six-character code of an attempt written before codes were hashed.

    It is the start of the attempt's id, which the file name shows: it only
    carries on attempts whose file has no RESUME_FIELD. New attempts have the
    code from `start` (OpenAttempt.code).
    """
    return attempt.id[:6].upper()


@dataclass
class CodeTries:
    """How long a window waits before it checks another typed code.

    Pure: the caller passes the time (time.monotonic()). The first `free`
    wrong codes cost nothing (typing slips); each after that doubles the wait,
    up to `longest`.
    """

    free: int = 3
    first: float = 2.0
    longest: float = 60.0
    failures: int = 0
    not_before: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds to wait before the next code may be checked (0: check it now)."""
        return max(0.0, self.not_before - now)

    def failed(self, now: float) -> float:
        """Record a wrong code; the wait it brings."""
        self.failures += 1
        over = self.failures - self.free - 1
        delay = 0.0 if over < 0 else min(self.longest, self.first * 2**over)
        self.not_before = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.not_before = 0.0


# --------------------------------------------------------------------------
# Locks: one window an attempt
# --------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """The lock file beside an attempt file (hidden, so no reader lists it)."""
    return path.parent / f".{path.name}.lock"


class _Lock:
    """An exclusive lock on the lock file beside one attempt file.

    POSIX: flock, which the kernel drops when the process ends, so a crash
    cannot leave it stuck. Windows: msvcrt.locking of the file's first byte,
    which Windows drops when the process ends too.
    """

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    @classmethod
    def take(cls, attempt_file: Path) -> "_Lock":
        path = lock_path(attempt_file)
        for _ in range(20):
            fd = _open_lock_file(path)
            try:
                locked = lock_now(fd)
            except OSError:
                os.close(fd)
                raise
            if not locked:
                os.close(fd)
                raise OpenElsewhere(
                    "This attempt is open in another window. Carry on there, "
                    "or close that window and try again."
                )
            # The holder before us removes the lock file as it lets go: if ours
            # is no longer the one at `path`, we locked a file nobody else sees.
            try:
                here = os.stat(path, follow_symlinks=False)
                mine = os.fstat(fd)
                if not _POSIX or (here.st_ino, here.st_dev) == (mine.st_ino, mine.st_dev):
                    return cls(fd, path)
            except FileNotFoundError:
                pass
            os.close(fd)
        raise StoreError(f"could not lock {path.name}: it keeps changing")

    def release(self) -> None:
        if self.fd < 0:
            return
        if _POSIX:
            try:
                os.unlink(self.path)  # while still held, see take()
            except OSError:
                pass
        try:
            os.close(self.fd)  # closing drops the lock
        finally:
            self.fd = -1


def _open_lock_file(path: Path) -> int:
    try:
        return _open_new(path, os.O_RDWR)
    except FileExistsError:
        pass
    try:
        return os.open(path, os.O_RDWR | _NOFOLLOW | _CLOEXEC)
    except PermissionError:
        return os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)  # a lock file another user made


if _POSIX:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

else:  # pragma: no cover - Windows
    import msvcrt

    def _lock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

_HELD = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK)


def lock_now(fd: int) -> bool:
    """Take the kernel's exclusive lock on the open file `fd` without waiting: False if another
    process (or another open of the file) holds it. Closing `fd`, or the process ending, lets go.
    Any other failure is raised."""
    try:
        _lock_fd(fd)
    except OSError as exc:
        if exc.errno in _HELD:
            return False
        raise
    return True


# --------------------------------------------------------------------------
# An attempt open in a window
# --------------------------------------------------------------------------


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _release_all(locks: dict[Path, _Lock]) -> None:
    for lock in locks.values():
        try:
            lock.release()
        except OSError:
            pass
    locks.clear()


class OpenAttempt:
    """One attempt, open in this window: only it writes the attempt's file.

    `code` is the resume code to show the student (once, or when they leave);
    it is "" when the window opened the attempt without it (`resume_newest`
    of an attempt that has one). `code_is_new` says a resumed attempt got a
    code it did not have: show it. Close it (or use `with`) to let another
    window open the attempt; a crash lets go by itself.
    """

    def __init__(
        self,
        attempt: Attempt,
        results_dir: Path,
        *,
        code: str,
        seal: dict[str, str] | Future[dict[str, str]] | None,
        code_is_new: bool = False,
    ) -> None:
        self.attempt = attempt
        self.results_dir = Path(results_dir)
        self.code = code
        self.code_is_new = code_is_new
        self.saved: Saved | None = None
        self._seal = seal
        self._locks: dict[Path, _Lock] = {}
        self._written: dict[Path, tuple[int, int, int, int]] = {}
        self._closer = weakref.finalize(self, _release_all, self._locks)

    def __enter__(self) -> "OpenAttempt":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the attempt: another window may open it now."""
        self._closer()

    @property
    def closed(self) -> bool:
        return not self._closer.alive

    def save(self, attempt: Attempt) -> Saved:
        """Write `attempt` (this one, with its new answers), falling back as save_somewhere does.

        Raises OpenElsewhere if another window holds the attempt, AnswersElsewhere
        if the file holds answers this window does not know (they are kept),
        StoreError if it could be written nowhere.
        """
        if self.closed:
            raise StoreError("this attempt was closed: open it again to save to it")
        if attempt.id != self.attempt.id:
            raise ValueError("an OpenAttempt saves only its own attempt")
        first: StoreError | None = None
        for folder in (self.results_dir, *fallback_dirs()):
            path = attempt_path(attempt, folder)
            try:
                self._write(path, attempt)
            except (OpenElsewhere, AnswersElsewhere):
                raise
            except StoreError as exc:
                first = first or exc
                continue
            self.attempt = attempt
            self.saved = Saved(path, fallback_reason=str(first) if first else "")
            return self.saved
        assert first is not None
        raise first

    def hold(self, path: Path) -> None:
        """Take the lock beside `path` (already held: nothing to do)."""
        if path not in self._locks:
            self._locks[path] = _Lock.take(path)

    def _write(self, path: Path, attempt: Attempt) -> None:
        try:
            make_folders(path.parent)
            self.hold(path)
        except StoreError:
            raise
        except OSError as exc:
            raise StoreError(f"could not save answers to {path.parent}: {exc.strerror or exc}") from exc
        self._refuse_unknown_answers(path, attempt)
        try:
            write_atomic(path, encode(attempt, self._seal.result() if isinstance(self._seal, Future) else self._seal))
            self._written[path] = _signature(os.stat(path, follow_symlinks=False))
        except OSError as exc:
            raise StoreError(f"could not save answers to {path.parent}: {exc.strerror or exc}") from exc

    def _refuse_unknown_answers(self, path: Path, attempt: Attempt) -> None:
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            return  # nothing there yet
        if self._written.get(path) == _signature(st):
            return  # what this window wrote last
        try:
            on_disk = read_attempt(path)
        except (NotAnAttempt, OSError) as exc:
            raise StoreError(f"could not save answers to {path.parent}: {path.name} is in the way ({_reason(exc)})") from None
        if on_disk.id != attempt.id:
            raise StoreError(f"could not save answers to {path.parent}: {path.name} holds another attempt")
        theirs = [(a.question, a.response) for a in on_disk.answers]
        ours = [(a.question, a.response) for a in attempt.answers]
        if ours[: len(theirs)] != theirs or (on_disk.is_finished and on_disk.finished != attempt.finished):
            raise AnswersElsewhere(
                f"{path.name} holds answers this window does not have (another window wrote "
                f"{len(theirs)}); they were kept and this answer was not saved. Close this window "
                "and carry on in the other one, or open the attempt again."
            )


@dataclass(frozen=True)
class CodeInAdvance:
    """A resume code made before its attempt, its hash worked out meanwhile in a thread (`code_in_advance`)."""

    code: str
    seal: Future[dict[str, str]]


def code_in_advance() -> CodeInAdvance:
    """A fresh resume code whose hash starts now, for an attempt that starts later.

    `quiz serve`'s tabs make one while they wait for their student, so the
    50 ms of scrypt is not spent when a whole class presses Start at once.
    """
    code = new_code()
    return CodeInAdvance(code, _seal_in_thread(code))


def start(
    attempt: Attempt, results_dir: Path, *, in_background: bool = True, code: CodeInAdvance | None = None
) -> OpenAttempt:
    """A new attempt, open in this window, and its resume code (`.code`) to show once.

    Nothing is written until the first save. The code's salted hash (scrypt,
    about 50 ms) is worked out in a thread of its own, so the first question
    need not wait for it; the first save waits for it if it is not ready.
    `in_background=False` works it out here, for a caller that already runs
    this off its main thread. `code` is one made earlier (`code_in_advance`),
    used instead of a new one: give each to one attempt only.
    """
    if code is not None:
        return OpenAttempt(attempt, results_dir, code=code.code, seal=code.seal)
    code_now = new_code()
    seal = _seal_in_thread(code_now) if in_background else seal_code(code_now)
    return OpenAttempt(attempt, results_dir, code=code_now, seal=seal)


def _seal_in_thread(code: str) -> Future[dict[str, str]]:
    """The code's hash, worked out in a thread of its own (scrypt lets go of the interpreter meanwhile)."""
    sealed: Future[dict[str, str]] = Future()

    def work() -> None:
        try:
            sealed.set_result(seal_code(code))
        except BaseException as exc:  # handed to the first save, which raises it there
            sealed.set_exception(exc)

    threading.Thread(target=work, name="seal-resume-code", daemon=True).start()
    return sealed


@dataclass
class _Found:
    """One unfinished attempt of a student, as found on disk (maybe in several folders)."""

    attempt: Attempt
    paths: list[Path]
    seal: dict[str, str] | None | bool
    signatures: dict[Path, tuple[int, int, int, int]] = field(default_factory=dict)


def _student_files(folder: Path, student: str) -> list[Path]:
    # Only names with this student's slug are opened: a start reads the
    # student's own files whatever else the folder holds.
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    prefixes = tuple(_student_prefixes(student))
    return [
        folder / n
        for n in names
        if n.endswith(".json") and not n.startswith(".") and any(n.startswith(p, _STAMP) for p in prefixes)
    ]


def _unfinished(results_dir: Path, pack_id: str, student: str) -> list[_Found]:
    """The student's unfinished attempts at the pack, newest first, from the
    results folder and the fallback folders; a copy in each folder is one attempt."""
    by_id: dict[str, _Found] = {}
    done: set[str] = set()
    for root in (Path(results_dir), *fallback_dirs()):
        for path in _student_files(pack_folder(root, pack_id), student):
            try:
                st = os.stat(path, follow_symlinks=False)
                data = _read_json(path)
                attempt = _from_json(data)
            except (NotAnAttempt, OSError):
                continue  # not this student's attempt, whatever it is
            if attempt.pack_id != pack_id or not same_student(attempt.student, student):
                continue
            if attempt.is_finished:
                done.add(attempt.id)
                continue
            seen = by_id.get(attempt.id)
            if seen is None:
                by_id[attempt.id] = _Found(attempt, [path], _seal_of(data), {path: _signature(st)})
                continue
            seen.paths.append(path)
            seen.signatures[path] = _signature(st)
            if len(attempt.answers) > len(seen.attempt.answers):
                seen.attempt, seen.seal = attempt, _seal_of(data)
    found = [f for i, f in by_id.items() if i not in done]
    return sorted(found, key=lambda f: f.attempt.started, reverse=True)


def finished_count(results_dir: Path, pack_id: str, student: str) -> int:
    """How many attempts `student` has finished on the pack (for `--attempts N`).

    Like the resume lookup, it opens only the files named for this student,
    in the results folder and the fallback folders; a copy of one attempt in
    several folders counts once.
    """
    done: set[str] = set()
    for root in (Path(results_dir), *fallback_dirs()):
        for path in _student_files(pack_folder(root, pack_id), student):
            try:
                attempt = read_attempt(path)
            except (NotAnAttempt, OSError):
                continue  # not this student's attempt, whatever it is
            if attempt.pack_id == pack_id and attempt.is_finished and same_student(attempt.student, student):
                done.add(attempt.id)
    return len(done)


def finished_by_code(results_dir: Path, pack_id: str, student: str, code: str) -> tuple[Path, Attempt]:
    """The student's finished attempt on the pack whose resume code is `code`, to read its results.

    A finished attempt keeps its code's salted hash, so the code a student
    was given still proves the attempt is theirs once it is over (for
    `--attempts N`, which stops them starting again). Raises WrongCode,
    saying nothing about any attempt.
    """
    typed = normal_code(code)
    if typed:
        for root in (Path(results_dir), *fallback_dirs()):
            for path in _student_files(pack_folder(root, pack_id), student):
                try:
                    data = _read_json(path)
                    attempt = _from_json(data)
                except (NotAnAttempt, OSError):
                    continue
                if attempt.pack_id != pack_id or not attempt.is_finished or not same_student(attempt.student, student):
                    continue
                seal = _seal_of(data)
                if isinstance(seal, dict) and code_matches(seal, typed):
                    return path, attempt
    raise WrongCode("That code does not match a finished attempt by this name on this pack.")


def has_unfinished(results_dir: Path, pack_id: str, student: str) -> bool:
    """Whether `student` has an unfinished attempt at the pack (and nothing more about it)."""
    return bool(_unfinished(results_dir, pack_id, student))


def _open_found(found: _Found, results_dir: Path, *, code: str, code_is_new: bool, seal) -> OpenAttempt:
    opened = OpenAttempt(found.attempt, results_dir, code=code, seal=seal, code_is_new=code_is_new)
    try:
        for path in found.paths:
            opened.hold(path)
        # Read again under the lock: another window may have saved since the lookup.
        best = found.attempt
        for path in found.paths:
            try:
                again = read_attempt(path)
                opened._written[path] = _signature(os.stat(path, follow_symlinks=False))
            except (NotAnAttempt, OSError):
                continue
            if again.id == best.id and len(again.answers) > len(best.answers):
                best = again
        if best.is_finished:
            raise WrongCode("That attempt was finished in another window.")
        opened.attempt = best
    except BaseException:
        opened.close()
        raise
    return opened


def resume(results_dir: Path, pack_id: str, student: str, code: str) -> OpenAttempt:
    """The student's unfinished attempt whose code is `code`, open in this window.

    Any of the student's unfinished attempts can be carried on by its own
    code, however many newer ones there are under the same name. Raises
    WrongCode (nothing about any attempt is told) or OpenElsewhere.

    An attempt written before codes were hashed (no RESUME_FIELD) takes its
    old code, `resume_code`; it is then given a new code (`code_is_new`),
    and the old one stops working at its next save.
    """
    typed = normal_code(code)
    if typed:
        for found in _unfinished(results_dir, pack_id, student):
            if isinstance(found.seal, dict):
                if code_matches(found.seal, typed):
                    shown = f"{typed[:4]}-{typed[4:]}" if len(typed) == _CODE_LENGTH else typed
                    return _open_found(found, results_dir, code=shown, code_is_new=False, seal=found.seal)
            # As bytes: compare_digest refuses str with other than ASCII (a code typed with an accent,
            # or an id from a file someone made), and that raised instead of saying the code is wrong.
            elif found.seal is None and hmac.compare_digest(
                typed.encode("utf-8"), normal_code(resume_code(found.attempt)).encode("utf-8")
            ):
                fresh = new_code()
                return _open_found(found, results_dir, code=fresh, code_is_new=True, seal=seal_code(fresh))
    raise WrongCode("That code does not match an unfinished attempt by this name on this pack.")


def resume_newest(results_dir: Path, pack_id: str, student: str) -> OpenAttempt | None:
    """The student's newest unfinished attempt, open in this window, without a code.

    For a quiz in a student's own terminal, whose results folder is theirs:
    a served quiz, or a folder classmates can write, must use `resume`.
    """
    found = _unfinished(results_dir, pack_id, student)
    if not found:
        return None
    newest = found[0]
    if isinstance(newest.seal, dict):
        return _open_found(newest, results_dir, code="", code_is_new=False, seal=newest.seal)
    fresh = new_code()
    return _open_found(newest, results_dir, code=fresh, code_is_new=True, seal=seal_code(fresh))


def find_unfinished(results_dir: Path, pack_id: str, student: str) -> tuple[Path, Attempt] | None:
    """The newest unfinished attempt of `student` on `pack_id`, if any (no lock, no code).

    Kept for callers written before `has_unfinished`, `resume` and `resume_newest`.
    """
    found = _unfinished(results_dir, pack_id, student)
    return (found[0].paths[0], found[0].attempt) if found else None


# --------------------------------------------------------------------------
# Codes kept for the teacher (quiz serve)
# --------------------------------------------------------------------------

# `<results>/.codes/<attempt id>`: in `quiz serve` every tab runs as the
# teacher, so a tab keeps its attempt's code here, readable by the teacher
# alone, and the live table shows it on a key press to a student who lost
# theirs. The folder starts with a dot: no reader, report or export opens it.
CODES_FOLDER = ".codes"
_KEEPABLE_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_SHOWN_CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}")


def _codes_folder(results_dir: Path) -> Path | None:
    """`<results>/.codes`, made if missing, mode 0700 and this user's; None if it cannot be."""
    folder = Path(results_dir) / CODES_FOLDER
    try:
        make_folders(Path(results_dir))
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        st = os.stat(folder, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode) or (_POSIX and st.st_uid != os.getuid()):
            return None  # a link, a file, or someone else's folder: keep nothing there
        if stat.S_IMODE(st.st_mode) != 0o700:
            os.chmod(folder, 0o700)  # also drops the set-group-ID bit a shared folder passes on
    except OSError:
        return None
    return folder


def keep_code(results_dir: Path, attempt_id: str, code: str) -> bool:
    """Keep `code` for the teacher in `<results>/.codes/<attempt_id>` (mode 0600); whether it was kept.

    Only for a quiz whose windows all run as the teacher (`quiz serve`):
    elsewhere the student's own user would own the file.
    """
    if not _KEEPABLE_ID.fullmatch(attempt_id) or not _SHOWN_CODE.fullmatch(code):
        return False
    folder = _codes_folder(results_dir)
    if folder is None:
        return False
    tmp = folder / f".{attempt_id}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
        try:
            if _POSIX:
                os.fchmod(fd, 0o600)
            os.write(fd, (code + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, folder / attempt_id)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True


def kept_code(results_dir: Path, attempt_id: str) -> str:
    """The code `keep_code` kept for this attempt, or "" (none, or not one this quiz wrote)."""
    if not _KEEPABLE_ID.fullmatch(attempt_id or ""):
        return ""
    path = Path(results_dir) / CODES_FOLDER / attempt_id
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        text = os.read(fd, 64).decode("ascii", "replace").strip()
    except OSError:
        return ""
    finally:
        os.close(fd)
    return text if _SHOWN_CODE.fullmatch(text) else ""


def forget_code(results_dir: Path, attempt_id: str) -> None:
    """Remove a kept code (the attempt is finished: nothing is left to carry on)."""
    if _KEEPABLE_ID.fullmatch(attempt_id or ""):
        try:
            os.unlink(Path(results_dir) / CODES_FOLDER / attempt_id)
        except OSError:
            pass
