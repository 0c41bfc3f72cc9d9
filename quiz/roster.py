"""A class list (`--roster class.csv`) and the rules a teacher sets for a lesson.

The list is read with the csv module whatever Excel saved: UTF-8 with or
without a byte-order mark, UTF-16 ("Unicode text"), or the Windows code page
as a last resort; `;`, `,` or tab between fields; quoted fields; the columns
named loosely (name, student or full name; class, group or form; id, student
id, email or upn; extra time or access arrangements). Every problem is
reported at once as `file:line: what is wrong`.

`ClassRules` is what the command line hands a front end: the list, the time
limit, extra time by name, and how many attempts each student may finish.
Nothing here prints or knows a front end.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

from quiz.model import Pack
from quiz.timing import ExtraTime, TimeError, parse_extra_time

# A class list is a few hundred lines; a file this big is something else.
MAX_ROSTER_BYTES = 2 * 1024 * 1024

# Header names, folded (see _header_key), for each column the quiz reads.
_NAME = {"name", "student", "studentname", "fullname", "pupil", "pupilname", "learner", "displayname"}
_FIRST = {"firstname", "forename", "forenames", "givenname", "first"}
_LAST = {"lastname", "surname", "familyname", "last"}
_GROUP = {"class", "group", "form", "tutorgroup", "formgroup", "registrationgroup", "regroup", "set", "section", "classname"}
_ID = {
    "id", "studentid", "pupilid", "email", "emailaddress", "studentemail", "upn", "idnumber",
    "studentnumber", "username", "userid", "schoolid", "candidatenumber", "login", "loginid",
}
_EXTRA = {"extratime", "accessarrangements", "accessarrangement", "extra", "additionaltime", "timeallowance"}


class RosterError(ValueError):
    """A class list that cannot be used; `problems` holds every `file:line: what is wrong`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def name_key(name: str) -> str:
    """A name folded for comparing: case, accents and spacing aside ("Zoë  Smith" is "zoe smith")."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class Student:
    """One line of the class list."""

    name: str
    group: str = ""
    id: str = ""  # the school's ID number or email, for the gradebook; "" if the list has none
    extra_time: ExtraTime | None = None
    line: int = 0


@dataclass(frozen=True)
class Roster:
    """The students of a class list, in the list's order."""

    students: tuple[Student, ...]
    path: str = ""
    _by_key: Mapping[str, Student] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._by_key:
            object.__setattr__(self, "_by_key", MappingProxyType({name_key(s.name): s for s in self.students}))

    def __len__(self) -> int:
        return len(self.students)

    def __iter__(self) -> Iterator[Student]:
        return iter(self.students)

    def entry(self, name: str) -> Student | None:
        """The student of this name (case, accents and spacing aside), or None if not on the list."""
        return self._by_key.get(name_key(name))

    def find(self, typed: str) -> tuple[Student, ...]:
        """The students whose names hold `typed` (case and accents aside): those whose name or a
        word of it starts with it first, then the rest, each in the list's order. All for "" ."""
        wanted = name_key(typed)
        if not wanted:
            return self.students
        starts, inside = [], []
        for s in self.students:
            key = name_key(s.name)
            if key.startswith(wanted) or f" {wanted}" in key:
                starts.append(s)
            elif wanted in key:
                inside.append(s)
        return tuple(starts + inside)


def read_roster(path: Path) -> Roster:
    """The class list in `path`; raises RosterError with every problem found."""
    path = Path(path)
    shown = path.name
    try:
        if not path.is_file():
            raise RosterError([f"{shown}: not found, or not a file. Give the class list saved as CSV."])
        size = path.stat().st_size
        if size > MAX_ROSTER_BYTES:
            raise RosterError([f"{shown}: {size // 1024} KB is too big for a class list (the most is 2 MB)."])
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError([f"{shown}: could not be read ({exc.strerror or exc})."]) from None
    return parse_roster(data, source=shown, path=str(path))


def decode(data: bytes) -> str:
    """Text from whatever Excel saved: a UTF-8 or UTF-16 mark, else UTF-8, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # "CSV (Comma delimited)" in a Western Excel: Windows-1252, which leaves five bytes undefined.
        return data.decode("cp1252", errors="replace")


def delimiter_of(header: str) -> str:
    """The field separator: whichever of `;`, tab and `,` the header row has most of, outside quotes.

    Excel writes `;` where the decimal mark is a comma, `,` elsewhere, and tabs
    for "Unicode text"; a header row holds no numbers, so counting it is safe.
    A single column has none of them, and any choice reads it.
    """
    counts = {";": 0, "\t": 0, ",": 0}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_key(cell: str) -> str:
    return "".join(ch for ch in name_key(cell) if ch.isalnum())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for column, names in (("name", _NAME), ("first", _FIRST), ("last", _LAST), ("group", _GROUP), ("id", _ID), ("extra", _EXTRA)):
            if key in names and column not in found:
                found[column] = index
    return found


def parse_roster(data: bytes | str, *, source: str = "class list", path: str = "") -> Roster:
    """A class list from its bytes (or text); raises RosterError with every problem at once."""
    text = decode(data) if isinstance(data, bytes) else data
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise RosterError([f"{source}: this is not a text file. Save the class list as CSV."])
    first = next((line for line in text.splitlines() if line.strip(" \t,;\"")), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first))
    problems: list[str] = []
    students: list[Student] = []
    header: list[str] | None = None
    columns: dict[str, int] = {}
    header_line = 0
    seen_names: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            cells = [" ".join(c.split()) for c in cells]
            if not any(cells):
                continue  # a blank line, or a row of empty cells
            if header is None:
                header, header_line = cells, line
                columns = _columns(cells)
                if "name" not in columns and not ("first" in columns and "last" in columns):
                    shown = ", ".join(c for c in cells if c)[:80]
                    raise RosterError([
                        f"{source}:{line}: no name column. The first row should name the columns, "
                        f"like name, class, id (it reads: {shown})."
                    ])
                continue

            def cell(column: str) -> str:
                at = columns.get(column)
                return cells[at] if at is not None and at < len(cells) else ""

            name = cell("name") or " ".join(p for p in (cell("first"), cell("last")) if p)
            if not name:
                problems.append(f"{source}:{line}: no name on this line.")
                continue
            key = name_key(name)
            if key in seen_names:
                problems.append(
                    f"{source}:{line}: {name} is already on line {seen_names[key]}; two students "
                    "need names that tell them apart (add an initial)."
                )
                continue
            seen_names[key] = line
            student_id = cell("id")
            if student_id:
                id_key = student_id.casefold()
                if id_key in seen_ids:
                    problems.append(f"{source}:{line}: the ID {student_id} of {name} is already on line {seen_ids[id_key]}.")
                seen_ids.setdefault(id_key, line)
            try:
                extra = parse_extra_time(cell("extra"))
            except TimeError as exc:
                problems.append(f"{source}:{line}: {exc}")
                extra = None
            students.append(Student(name=name, group=cell("group"), id=student_id, extra_time=extra, line=line))
    except csv.Error as exc:
        problems.append(f"{source}:{reader.line_num}: {exc}.")
    if header is None:
        problems.append(f"{source}: the file is empty. The first row should name the columns, like name, class, id.")
    elif not students and not problems:
        problems.append(f"{source}:{header_line}: the list has no students under its header row.")
    if problems:
        raise RosterError(problems)
    return Roster(tuple(students), path=path)


# --------------------------------------------------------------------------
# The teacher's rules for a lesson
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """The clock one attempt gets: the limit and the student's extra time, in seconds."""

    limit: float
    extra: float = 0.0


@dataclass(frozen=True)
class ClassRules:
    """What the teacher set on the command line, handed to a front end as one object.

    `time_limit` is in seconds (None: the pack's suggestion, or untimed);
    `extra_time` is keyed by `name_key` and wins over the list's column;
    `attempts` is how many finished attempts of a pack a student may have.
    """

    roster: Roster | None = None
    time_limit: float | None = None
    extra_time: Mapping[str, ExtraTime] = field(default_factory=dict)
    attempts: int | None = None

    @property
    def any(self) -> bool:
        """Whether anything is set: without it a front end behaves as it always has."""
        return bool(self.roster is not None or self.time_limit or self.extra_time or self.attempts)

    def student(self, name: str) -> Student | None:
        return self.roster.entry(name) if self.roster is not None else None

    def allows(self, name: str) -> bool:
        """Whether `name` may play: anyone without a list, only those on it with one."""
        return self.roster is None or self.roster.entry(name) is not None

    def student_id(self, name: str) -> str:
        found = self.student(name)
        return found.id if found is not None else ""

    def extra_for(self, name: str) -> ExtraTime | None:
        given = self.extra_time.get(name_key(name))
        if given is not None:
            return given
        found = self.student(name)
        return found.extra_time if found is not None else None

    def limit_for(self, pack: Pack) -> float | None:
        """The time limit of a test on `pack`: the teacher's, else the one the pack suggests."""
        return self.time_limit or getattr(pack, "time_limit", None) or None

    def timing(self, pack: Pack, name: str, mode: str) -> Timing | None:
        """The clock of `name`'s attempt on `pack` in `mode`; None when untimed (practice always is)."""
        if (pack.mode or mode) != "test":
            return None
        limit = self.limit_for(pack)
        if not limit:
            return None
        extra = self.extra_for(name)
        return Timing(limit, extra.on(limit) if extra is not None else 0.0)
