"""Which attempts a report counts, and the report they make: one section per pack version.

Reading the attempt files, the filters (pack, group, since), which of a
student's attempts count (last, first, best, all), and the `Report` and
`Section` every output format and the dashboard show.

The files are read one at a time, and each attempt is kept only in the
compact form of quiz.report.rows (its header, its answers as plain values)
before the next is read, so the memory a class takes, and the work Python's
cycle collector does over it, grow in step with the class.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, Mapping, NamedTuple, Sequence

from quiz import store
from quiz.model import DEFAULT_SKILLS, Attempt, Pack
from quiz.report.items import ItemStats, item_statistics
from quiz.report.rows import (
    MAX,
    QUESTION,
    SCORE,
    SKILL,
    KeptAnswer,
    Layout,
    QuestionInfo,
    Row,
    kept_answer,
    row,
    student_key,
    when,
)
from quiz.report.summary import ClassSummary, class_summary

SELECTIONS = ("last", "first", "best", "all")

_SELECTION_WORDS = {
    "last": "each student's last finished attempt",
    "first": "each student's first finished attempt",
    "best": "each student's best finished attempt",
    "all": "every finished attempt",
}


class ReportError(Exception):
    """Something the teacher must fix (a bad date, a file in the way); the message says what."""


@dataclass(frozen=True)
class Section:
    """The attempts on one version of one pack: versions are never mixed in a statistic.

    The gradebook needs only the rows; the class summary and the item
    analysis are worked out the first time something asks for them, so a
    teacher who wants the gradebook alone does not wait for statistics.
    """

    pack_id: str
    version: str
    sha256: str
    title: str
    version_label: str  # the version, with the checksum when two versions share a number
    asked: tuple[QuestionInfo, ...]  # in the pack's order; without the pack, types are ""
    skills: tuple[tuple[str, str], ...]  # (skill id, label) in the pack's order
    rows: tuple[Row, ...]
    unfinished: tuple[Row, ...]

    @cached_property
    def items(self) -> tuple[ItemStats, ...]:
        return item_statistics(self.asked, self.rows)

    @cached_property
    def questions(self) -> tuple[QuestionInfo, ...]:
        """The questions, with the types the responses gave away where the pack is not installed."""
        return tuple(it.info for it in self.items)

    @cached_property
    def summary(self) -> ClassSummary:
        return class_summary(self.rows, self.asked, self.skills)

    @property
    def heading(self) -> str:
        if self.title:
            return f"{self.title} ({self.pack_id}, version {self.version_label})"
        return f"{self.pack_id} (version {self.version_label})"


@dataclass(frozen=True)
class Report:
    sections: tuple[Section, ...]
    selection: str = "last"
    filters: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # files skipped, each with its reason
    notes: tuple[str, ...] = ()  # things a teacher should know about the numbers
    generated: str = ""
    files_read: int = 0

    @property
    def attempt_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    @property
    def unfinished_count(self) -> int:
        return sum(len(s.unfinished) for s in self.sections)

    @property
    def counting(self) -> str:
        """What the numbers count, in words: "each student's last finished attempt"."""
        return _SELECTION_WORDS.get(self.selection, self.selection)


def parse_since(text: str | None) -> date | None:
    """`--since` as a date; raises ReportError with an example if it is not YYYY-MM-DD."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(
            f"--since needs a date written year-month-day, like 2026-09-01 (got {text!r})."
        ) from None


def check_selection(attempts: str) -> None:
    """Raise ReportError unless `attempts` is one of SELECTIONS."""
    if attempts not in SELECTIONS:
        raise ReportError(f"--attempts must be one of {', '.join(SELECTIONS)} (got {attempts!r}).")


def installed_packs() -> list[Pack]:
    """The packs this machine knows, for titles and answer keys; none if they cannot be read.

    A report must come out from attempt files alone, so any failure here
    (no packs, a broken one, the packs module missing) is no failure at all.
    """
    try:
        from quiz.packs import discover

        return [found.pack for found in discover().packs]
    except Exception:  # noqa: BLE001 - the packs only add titles; the report works without them
        return []


def load_report(
    paths: Sequence[Path],
    *,
    pack: str | None = None,
    group: str | None = None,
    since: date | None = None,
    attempts: str = "last",
    packs: Iterable[Pack] | None = None,
    now: datetime | None = None,
) -> Report:
    """Read every attempt file under `paths`, one at a time, and build the report."""
    check_selection(attempts)
    known = installed_packs() if packs is None else packs
    warnings: list[str] = []

    def readable() -> Iterator[tuple[Path, Attempt]]:
        for path, attempt, warning in store.each_attempt(paths):
            if attempt is None:
                warnings.append(warning)
            else:
                yield path, attempt

    kept = _keep(readable(), pack=pack, group=group, since=since)
    return _report(
        kept, attempts=attempts, packs=known, warnings=warnings, now=now,
        filters=_filters(pack, group, since),
    )


class _Member(NamedTuple):
    """One attempt as the report keeps it while it reads the class."""

    path: Path | None
    header: Attempt  # the attempt without its answers
    answers: tuple[KeptAnswer, ...]
    started: datetime | None


class _Kept(NamedTuple):
    """The attempts that passed the filters, by pack version, and how many were read."""

    groups: dict[tuple[str, str], list[_Member]]  # (pack id, sha256) -> its attempts, in the files' order
    files_read: int


def build_report(
    found: Iterable[tuple[Path | None, Attempt]],
    *,
    pack: str | None = None,
    group: str | None = None,
    since: date | None = None,
    attempts: str = "last",
    packs: Iterable[Pack] = (),
    warnings: Sequence[str] = (),
    now: datetime | None = None,
    count_unfinished: bool = False,
) -> Report:
    """Filter, choose and analyse attempts; one section per pack version.

    `found` is read once, one attempt at a time. `count_unfinished` is for a
    student's own copy of an attempt they left early; a class report never
    counts unfinished attempts.
    """
    check_selection(attempts)
    return _report(
        _keep(found, pack=pack, group=group, since=since),
        attempts=attempts, packs=packs, warnings=warnings, now=now,
        filters=_filters(pack, group, since), count_unfinished=count_unfinished,
    )


def _keep(
    found: Iterable[tuple[Path | None, Attempt]],
    *,
    pack: str | None,
    group: str | None,
    since: date | None,
) -> _Kept:
    """The attempts that pass the filters, each kept as a _Member, by pack version."""
    wanted_group = group.strip().casefold() if group else None
    groups: dict[tuple[str, str], list[_Member]] = defaultdict(list)
    files_read = 0
    for path, attempt in found:
        files_read += 1
        if pack is not None and attempt.pack_id != pack:
            continue
        if wanted_group is not None and attempt.group.strip().casefold() != wanted_group:
            continue
        started = when(attempt.started)
        if since is not None and (started is None or started.date() < since):
            continue
        answers = tuple(map(kept_answer, attempt.answers))
        member = _Member(path, replace(attempt, answers=()), answers, started)
        groups[(attempt.pack_id, attempt.pack_sha256)].append(member)
    return _Kept(groups, files_read)


def _filters(pack: str | None, group: str | None, since: date | None) -> dict[str, str]:
    asked = (("pack", pack), ("group", group), ("since", since.isoformat() if since else None))
    return {name: value for name, value in asked if value}


def _report(
    kept: _Kept,
    *,
    attempts: str,
    packs: Iterable[Pack],
    warnings: Sequence[str],
    now: datetime | None,
    filters: dict[str, str],
    count_unfinished: bool = False,
) -> Report:
    groups = kept.groups
    by_version = {(p.id, p.sha256): p for p in packs}
    titles = {p.id: p.title for p in by_version.values()}

    def first_started(key: tuple[str, str]) -> tuple[str, float]:
        times = [m.started.timestamp() for m in groups[key] if m.started is not None]
        return (key[0], min(times) if times else math.inf)

    keys = sorted(groups, key=first_started)
    versions_of: dict[str, list[str]] = defaultdict(list)
    for pack_id, sha in keys:
        versions_of[pack_id].append(groups[(pack_id, sha)][0].header.pack_version)

    sections = []
    for pack_id, sha in keys:
        members = groups[(pack_id, sha)]
        version = members[0].header.pack_version
        label = version or "unknown"
        if versions_of[pack_id].count(version) > 1:
            label = f"{label} ({sha[:8] or 'no checksum'})"
        sections.append(
            _section(
                pack_id, version, sha, label, members, attempts,
                by_version.get((pack_id, sha)), titles.get(pack_id, ""), count_unfinished,
            )
        )

    notes = [
        f"Counting {_SELECTION_WORDS[attempts]} on each pack; "
        "unfinished attempts are listed but not counted."
    ]
    for pack_id, versions in versions_of.items():
        if len(versions) > 1:
            shown = ", ".join(s.version_label for s in sections if s.pack_id == pack_id)
            notes.append(
                f"Pack {pack_id} changed between attempts ({len(versions)} versions: {shown}). "
                "Each version is reported apart, because scores on a changed pack do not compare."
            )
            if len(set(versions)) < len(versions):
                notes.append(
                    f"Pack {pack_id} was edited without a new version number; its versions "
                    "are told apart by the file's checksum (the code in brackets)."
                )
    return Report(
        sections=tuple(sections),
        selection=attempts,
        filters=filters,
        warnings=tuple(warnings),
        notes=tuple(notes),
        generated=(now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        files_read=kept.files_read,
    )


def _choose(members: list[_Member], attempts: str) -> list[_Member]:
    """Which finished attempts count, in the files' order."""
    if attempts == "all":
        return members
    by_student: dict[tuple[str, str], list[_Member]] = defaultdict(list)
    for m in members:
        by_student[student_key(m.header)].append(m)

    def started(m: _Member) -> float:
        return m.started.timestamp() if m.started is not None else -math.inf

    def score(m: _Member) -> float:
        return round(float(sum([a[SCORE] for a in m.answers])), 4)

    chosen = []
    for mine in by_student.values():
        if attempts == "last":
            chosen.append(max(mine, key=started))
        elif attempts == "first":
            chosen.append(min(mine, key=started))
        else:  # best: the highest score; of equal scores, the earlier one
            chosen.append(max(mine, key=lambda m: (score(m), -started(m))))
    # Keep the files' order, so the gradebook reads the same on every run.
    position = {id(m): i for i, m in enumerate(members)}
    return sorted(chosen, key=lambda m: position[id(m)])


def _questions(pack: Pack | None, members: Sequence[_Member]) -> tuple[QuestionInfo, ...]:
    """The questions in the pack's order if it is installed, else as the first attempt met them.

    Without the pack, a question's type is left "" here; the item analysis
    guesses it from the responses once it has counted them.
    """
    seen: dict[str, list] = {}  # id -> [skill, max], empty until an answer tells
    unknown = 0  # how many of `seen` are still empty
    for m in members:
        for qid in m.header.order:
            if qid not in seen:
                seen[qid] = []
                unknown += 1
        # Most attempts add nothing new: only read answers while something is unknown.
        if unknown:
            for a in m.answers:
                info = seen.get(a[QUESTION])
                if not info:
                    unknown -= info is not None  # an asked question now known; an unasked one was never counted
                    seen[a[QUESTION]] = [a[SKILL], a[MAX]]
    seen = {qid: info or ["", 0.0] for qid, info in seen.items()}
    if pack is None:
        return tuple(QuestionInfo(qid, skill, "", top) for qid, (skill, top) in seen.items())
    known = {q.id for q in pack.questions}
    out = [QuestionInfo(q.id, q.skill, q.type, float(q.points), q.prompt, q) for q in pack.questions]
    # Answers to questions the pack no longer has still belong in the report.
    out += [QuestionInfo(qid, skill, "", top) for qid, (skill, top) in seen.items() if qid not in known]
    return tuple(out)


def _skills(pack: Pack | None, questions: Sequence[QuestionInfo]) -> tuple[tuple[str, str], ...]:
    used = [q.skill for q in questions if q.skill]
    labels = dict(DEFAULT_SKILLS)
    if pack is not None:
        labels.update(pack.skills)
    order = [s for s in labels if s in used] + [s for s in dict.fromkeys(used) if s not in labels]
    return tuple((s, labels.get(s, s)) for s in order)


def _section(
    pack_id: str,
    version: str,
    sha: str,
    label: str,
    members: list[_Member],
    attempts: str,
    pack: Pack | None,
    title: str,
    count_unfinished: bool = False,
) -> Section:
    questions = _questions(pack, members)
    layout = Layout.of(questions, pack)
    finished = [m for m in members if m.header.is_finished or count_unfinished]
    rows = tuple(row(*m, layout) for m in _choose(finished, attempts))
    unfinished = tuple(
        row(*m, layout) for m in members if not (m.header.is_finished or count_unfinished)
    )
    return Section(
        pack_id=pack_id,
        version=version,
        sha256=sha,
        title=title,
        version_label=label,
        asked=questions,
        skills=_skills(pack, questions),
        rows=rows,
        unfinished=unfinished,
    )
