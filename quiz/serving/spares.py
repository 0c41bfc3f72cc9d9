"""Tabs' quizzes forked before their tabs open, so a class arriving at once finds them ready.

Forking from the prepared fork server saves each tab the imports and the
packs, but each child still builds and draws its first screen, and 30 of
them doing it in the same second queue for the two cores of a teacher's
laptop. So while the server waits for the class, it forks spare children,
one after another, each running its quiz to the home screen with nobody
attached. A tab that opens takes one (`Spares.take`): the server sends it
the tab's size, Textual lays the screen out again for it and draws it
whole, and from then on it is that tab's quiz like any other. The spares
are refilled only when no tab has opened for a while (CALM_SECONDS), so
refilling never competes with a class arriving, and never beyond the cap
on tabs: tabs and spares together are at most `--max-sessions` processes.

A spare counts as ready once its quiz says it has drawn its first screen
(QuizApp, served, sends a "drawn" message): before that, a size sent to it
could be lost. What it wrote until then (the driver's set-up and its first
frames) is kept and sent to the browser first when a tab takes it, since the
browser must see the driver's set-up; what it writes after waits in its
socket, bounded (a chatty spare's writes simply wait).

A spare is thrown away instead of used when it has ended, or when the class
list changed since it was forked (a tab reads the teacher's rules when it
starts, and a spare started earlier).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Callable

from textual_serve.app_service import AppService

from quiz.serving.fork import ForkServer, ForkServerGone
from quiz.serving.limits import DEFAULT_COLUMNS, MIN_ROWS
from quiz.serving.packets import is_drawn, read_handshake, read_packet

log = logging.getLogger("quiz.serve")

# The size a spare is drawn at before its tab comes: one row shorter than any tab may be, so the
# tab's own size always differs from it, and Textual lays the screen out again and draws all of it.
# (Textual ignores a resize to the size it has, and the tab's page would stay blank.)
SIZE = (DEFAULT_COLUMNS, MIN_ROWS - 1)
# How long after the last tab opened before spares are forked again.
CALM_SECONDS = 10.0
# A pause between two spares forked in a row (each has drawn its first screen before the next starts),
# so that a server just started leaves room on the cores for its first students.
PAUSE_SECONDS = 0.15
# How often full spares are looked at again, for one that has ended or a class list that changed.
CHECK_SECONDS = 30.0
# How long a spare may take to draw its first screen before it is given up.
DRAWN_SECONDS = 60.0
# What a child's socket holds before its tab reads it (a spare's, until its tab comes); beyond that its writes wait.
BUFFER_BYTES = 2**20


@dataclass
class Child:
    """A tab's quiz forked from the fork server: its process, its streams, and its end.

    Forked as its tab opens (quiz.serving.tabs), or before, as a spare.
    """

    pid: int
    reader: asyncio.StreamReader  # its standard output
    writer: asyncio.StreamWriter  # its standard input
    error_reader: asyncio.StreamReader
    error_writer: asyncio.StreamWriter
    exited: asyncio.Future = field(repr=False)  # its exit status, once it has ended
    rules_stamp: object = None  # the class list's file_stamp when it was forked
    # A spare's packets until its first screen was drawn (its handshake read); None: nothing read yet.
    prelude: list[tuple[bytes, bytes]] | None = field(default=None, repr=False)

    def close(self) -> None:
        self.writer.close()
        self.error_writer.close()


async def open_child(forks: ForkServer, columns: int, rows: int, rules_stamp: object = None) -> Child:
    """Fork a tab's quiz at `columns` x `rows` and open its streams."""
    pid, stdio, errors = await forks.fork(columns, rows)
    reader, writer = await asyncio.open_connection(sock=stdio, limit=BUFFER_BYTES)
    error_reader, error_writer = await asyncio.open_connection(sock=errors)
    return Child(pid, reader, writer, error_reader, error_writer, asyncio.ensure_future(forks.wait(pid)), rules_stamp)


def file_stamp(path: str | os.PathLike | None) -> object:
    """What changes when the file at `path` is written again (None for no file)."""
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return "missing"
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def usable(spare: Child, rules_stamp: object) -> bool:
    """Whether a spare may still be given to a tab: running, and forked under the class list as it is now."""
    return not spare.exited.done() and spare.rules_stamp == rules_stamp


class Spares:
    """Up to `count` spare children of `forks`, forked while the class is calm, taken one per tab."""

    def __init__(
        self,
        forks: ForkServer,
        count: int,
        rules_stamp: Callable[[], object] = lambda: None,
        on_ready: Callable[[int], None] = lambda count: None,
        room: Callable[[], int] = lambda: 2**31,
    ) -> None:
        self.forks = forks
        self.count = count
        self.room = room  # how many more tabs may open now (the cap less the tabs open)
        self.rules_stamp = rules_stamp
        self.on_ready = on_ready  # called once, the first time `count` spares are ready
        self._told_ready = False
        self.ready: list[Child] = []
        self._last_taken = 0.0
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()

    def start(self) -> None:
        if self.count > 0 and self._task is None:
            self._task = asyncio.ensure_future(self._keep())

    def take(self) -> Child | None:
        """A spare for a tab opening now, or None (fork one for it instead)."""
        self._last_taken = time.monotonic()
        self._wake.set()
        stamp = self.rules_stamp()
        while self.ready:
            spare = self.ready.pop(0)
            if usable(spare, stamp):
                return spare
            self._discard(spare)
        return None

    async def stop(self) -> None:
        """Stop forking spares and end the ones waiting."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        while self.ready:
            self._discard(self.ready.pop())

    def _discard(self, spare: Child) -> None:
        # Asked to quit, as a closing tab's quiz is. That reaches it even when the fork server has gone
        # (which counts its children as ended, without being able to end them).
        try:
            spare.writer.write(AppService.encode_packet(b"M", json.dumps({"type": "quit"}).encode()))
        except (OSError, RuntimeError):
            pass
        if not spare.exited.done():
            self.forks.end(spare.pid)
        spare.close()

    async def _keep(self) -> None:
        """Fork spares up to `wanted()`, one at a time, whenever no tab has opened for CALM_SECONDS."""
        failed = False
        while self.forks.alive:
            stamp = self.rules_stamp()
            for spare in [s for s in self.ready if not usable(s, stamp)]:
                self.ready.remove(spare)
                self._discard(spare)
            calm_in = self._last_taken + CALM_SECONDS - time.monotonic()
            if len(self.ready) >= self.wanted() or calm_in > 0:
                self._wake.clear()
                try:  # a spare that ended, or a tab that closed, is seen at the latest after CHECK_SECONDS
                    await asyncio.wait_for(self._wake.wait(), calm_in if calm_in > 0 else CHECK_SECONDS)
                except asyncio.TimeoutError:
                    pass
                continue
            try:
                spare = await self._fork(stamp)
            except (ForkServerGone, OSError) as exc:
                log.warning("could not fork a spare tab: %s", exc)
                spare = None
            if spare is None:
                # A class list saved half-written stops a tab's quiz as it starts: tabs are forked as they
                # come meanwhile (and say what is wrong), and a spare is tried again every CHECK_SECONDS.
                if not failed:
                    log.warning("a spare tab's quiz did not start; trying again every %g s", CHECK_SECONDS)
                failed = True
                await asyncio.sleep(CHECK_SECONDS)
                continue
            failed = False
            self.ready.append(spare)
            if len(self.ready) >= self.count and not self._told_ready:
                self._told_ready = True
                self.on_ready(len(self.ready))
            await asyncio.sleep(PAUSE_SECONDS)

    def wanted(self) -> int:
        """How many spares to keep now: `count`, but no more than the tabs that may still open
        (`room()`: the cap on tabs less those open), so the processes never outnumber the cap."""
        return max(0, min(self.count, self.room()))

    async def _fork(self, stamp: object) -> Child | None:
        """A new spare, once its first screen is drawn (None if it ended or took too long)."""
        spare = await open_child(self.forks, *SIZE, rules_stamp=stamp)
        try:
            await asyncio.wait_for(self._until_drawn(spare), DRAWN_SECONDS)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, OSError, ValueError):
            self._discard(spare)
            return None
        return spare

    @staticmethod
    async def _until_drawn(spare: Child) -> None:
        """Read what the spare writes until it says its first screen is drawn, keeping it for its tab.

        Until then its quiz may not have taken in its own size yet, and a tab's size sent to it
        could be lost; after it, a tab's size always makes it draw the whole screen again.
        """
        await read_handshake(spare.reader)
        spare.prelude = []
        while True:
            kind, payload = await read_packet(spare.reader)
            if is_drawn(kind, payload):
                return
            spare.prelude.append((kind, payload))
