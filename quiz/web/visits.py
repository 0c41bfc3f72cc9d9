"""The students' visits to the accessible pages, kept in the server process.

A visit is one browser's way through a pack: the pack, name and mode chosen,
the engine's run, the attempt open in it (holding the store's lock, as a
terminal window does), the student's seat at the pack while it is played
(one live session a student, with the terminal tabs: quiz.serving.seats),
and what the next page shows. It is found by an opaque
random token in a cookie and protected by its own CSRF token; no process is
started for it. Visits left idle are closed (their answers are already
saved, so the attempt carries on with its code), and there are never more
than a set number, so a page reloaded in a loop cannot fill the memory.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from quiz import store
from quiz.engine import Grade, Run
from quiz.model import Pack
from quiz.roster import ClassRules
from quiz.serving.seats import Seat

IDLE_MINUTES = 60.0
MAX_VISITS = 300
# Wrong resume codes remembered for this many (pack, name) pairs at most.
MAX_CODE_TRIES = 2_000
SAVING_THREADS = 32


@dataclass
class Visit:
    """One browser's way through one pack, from the home page to the results."""

    token: str
    csrf: str
    seen: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pack: Pack | None = None
    student: str = ""
    group: str = ""
    mode: str = "practice"
    note_read: bool = False
    unfinished: bool = False  # an unfinished attempt by this name waits for its code
    run: Run | None = None
    opened: store.OpenAttempt | None = None
    saved: store.Saved | None = None
    # The answer being written to disk in one of the desk's saving threads, if any: the next save
    # waits for it (one writer at a time for an attempt), and closing lets go of the attempt after it.
    writing: Future | None = None
    resumed: bool = False
    shown: dict[str, float] = field(default_factory=dict)  # question id -> when it was first shown
    hinted: set[str] = field(default_factory=set)  # question ids whose hint was shown
    last_grade: Grade | None = None  # practice: the answer the feedback page explains
    notice: str = ""  # said once on the next page
    told_fallback: str = ""
    stopped: str = ""  # why this visit cannot go on (another tab or window took the attempt)
    seat: Seat | None = None  # held while the pack is played here: no second live session elsewhere
    warned: set[int] = field(default_factory=set)  # the time warnings given (seconds left)
    used: int = 0  # finished attempts, when the teacher's limit is reached: only their results are offered

    def csrf_ok(self, given: str) -> bool:
        return hmac.compare_digest(self.csrf.encode(), (given or "").encode("utf-8", "replace"))

    def close(self) -> None:
        """Let go of the attempt, so another tab or window may open it with its code, and of the seat.

        An answer still being written keeps the attempt's lock until it is on
        disk: nobody else may open the file before the last write lands.
        """
        opened, writing = self.opened, self.writing
        if opened is not None:
            if writing is not None:
                writing.add_done_callback(lambda _: opened.close())  # at once if already written
            else:
                opened.close()
        self.free_seat()

    def free_seat(self) -> None:
        if self.seat is not None:
            self.seat.release()
            self.seat = None

    @property
    def playing(self) -> bool:
        """Whether an attempt is open here and not yet finished."""
        return self.run is not None and not self.run.attempt.is_finished and not self.stopped

    def take_notice(self) -> str:
        said, self.notice = self.notice, ""
        return said


class Full(Exception):
    """Every place is taken by a visit that is playing."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Desk:
    """Every visit of one lesson, the packs on offer, where answers go, and the teacher's rules.

    `clock` (monotonic seconds) times idle visits; `now` (a datetime with its
    offset) is the clock of timed tests. Tests pass their own.
    """

    def __init__(
        self,
        packs: Sequence[Pack],
        results_dir: Path,
        *,
        mode: str | None = None,
        idle_minutes: float | None = IDLE_MINUTES,
        max_visits: int = MAX_VISITS,
        rules: ClassRules | None = None,
        clock=time.monotonic,
        now=utc_now,
    ) -> None:
        self.packs = {p.id: p for p in packs}
        self.results_dir = Path(results_dir)
        self.mode = mode
        self.rules = rules or ClassRules()
        self.now = now
        # None or 0: a visit is never closed for being idle (only to make room).
        self.idle_seconds = idle_minutes * 60 if idle_minutes else float("inf")
        self.max_visits = max_visits
        self.clock = clock
        self.visits: OrderedDict[str, Visit] = OrderedDict()  # least recently seen first
        self.code_tries: OrderedDict[tuple[str, str], store.CodeTries] = OrderedDict()
        # Codes are hashed with scrypt (about 16 MB and 50 ms each) in two threads of their own:
        # the memory a thread's hashing leaves with the allocator is then kept by two threads, not by every one.
        self.codes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="quiz-web-codes")
        # Saving waits on the disk (fsync), not the processor: a class's answers wait side by side,
        # and the file system commits them together.
        self.saves = ThreadPoolExecutor(max_workers=SAVING_THREADS, thread_name_prefix="quiz-web-saves")

    # -- finding and making visits --

    def find(self, token: str | None) -> Visit | None:
        self.sweep()
        visit = self.visits.get(token or "")
        if visit is not None:
            visit.seen = self.clock()
            self.visits.move_to_end(visit.token)
        return visit

    def new(self) -> Visit:
        """A fresh visit; raises Full when every place holds a student who is playing."""
        self.sweep()
        while len(self.visits) >= self.max_visits:
            # Make room from the visits that have no attempt open, least recently seen first.
            idle = next((v for v in self.visits.values() if not v.playing), None)
            if idle is None:
                raise Full
            self.drop(idle)
        visit = Visit(token=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), seen=self.clock())
        self.visits[visit.token] = visit
        return visit

    def drop(self, visit: Visit) -> None:
        visit.close()
        self.visits.pop(visit.token, None)

    def sweep(self) -> None:
        """Close the visits nobody has used for the idle limit (their answers are saved)."""
        limit = self.clock() - self.idle_seconds
        while self.visits:
            oldest = next(iter(self.visits.values()))
            if oldest.seen > limit:
                break
            self.drop(oldest)

    def close_all(self) -> None:
        for visit in list(self.visits.values()):
            self.drop(visit)
        self.codes.shutdown(wait=False)
        self.saves.shutdown(wait=True)  # answers being written are written

    def holder(self, pack_id: str, student: str, code: str) -> Visit | None:
        """The visit here that has this student's attempt open under `code`, if any."""
        wanted = store.normal_code(code).encode()
        for visit in self.visits.values():
            opened = visit.opened
            if (
                visit.playing
                and opened is not None
                and not opened.closed
                and opened.code
                and visit.pack is not None
                and visit.pack.id == pack_id
                and store.same_student(visit.student, student)
                and hmac.compare_digest(store.normal_code(opened.code).encode(), wanted)
            ):
                return visit
        return None

    # -- wrong codes, slowed down by name, whichever tab they come from --

    def tries(self, pack_id: str, student: str) -> store.CodeTries:
        key = (pack_id, " ".join(student.split()).casefold())
        tries = self.code_tries.get(key)
        if tries is None:
            tries = self.code_tries[key] = store.CodeTries()
            while len(self.code_tries) > MAX_CODE_TRIES:
                self.code_tries.popitem(last=False)
        self.code_tries.move_to_end(key)
        return tries
