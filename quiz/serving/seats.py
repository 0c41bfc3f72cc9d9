"""One live session of a pack per student in `quiz serve`, whichever tab or page it is in.

A student who is playing a pack holds its seat: an exclusive lock on a small
file named for the pack and the student (case and spacing aside) in a hidden
folder of the results folder. A second terminal tab (its own process) or
accessible page (in the server's process) that asks for the same seat is
refused with a plain sentence. The lock is the kernel's (flock on POSIX,
msvcrt.locking on Windows), so a tab that crashes or is closed lets go of it
with its process, and nothing is left held.

The attempt's own lock (quiz.store) stops two windows writing one attempt; a
seat stops a second tab starting a new attempt beside one being played.
A seat that cannot be made (a folder nobody may write) refuses nobody.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from quiz import store

FOLDER = ".live"

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

class SeatTaken(Exception):
    """The student is playing this pack in another tab or page; the message says so in words."""


def seat_path(results_dir: Path, pack_id: str, student: str) -> Path:
    """The lock file of one student's seat at one pack (the name hashed: no name is written in clear)."""
    who = " ".join(student.split()).casefold()
    digest = hashlib.sha256(f"{pack_id}\0{who}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return Path(results_dir) / FOLDER / f"{store.slug(pack_id, limit=40, empty='pack')}-{digest}.lock"


def refusal(student: str, pack_title: str) -> str:
    """The sentence a second tab or page reads."""
    return (
        f"{' '.join(student.split())} is already playing {' '.join(pack_title.split())} in another tab or "
        "browser. Carry on there, or close it and try again here (your answers there are saved)."
    )


class Seat:
    """A held seat; `release()` (or the process ending) lets go of it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    @property
    def held(self) -> bool:
        return self.fd >= 0

    def release(self) -> None:
        fd, self.fd = self.fd, -1
        if fd >= 0:
            os.close(fd)  # closing drops the lock


def take(results_dir: Path, pack_id: str, student: str, pack_title: str = "") -> Seat:
    """The student's seat at the pack; raises SeatTaken if another tab or page holds it."""
    path = seat_path(results_dir, pack_id, student)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _CLOEXEC | _NOFOLLOW, 0o600)
    except OSError:
        return Seat(-1)  # nowhere to keep seats: nobody is refused for it
    try:
        locked = store.lock_now(fd)  # the attempt's own lock, the same way
    except OSError:
        os.close(fd)
        return Seat(-1)
    if not locked:
        os.close(fd)
        raise SeatTaken(refusal(student, pack_title or pack_id))
    return Seat(fd)
