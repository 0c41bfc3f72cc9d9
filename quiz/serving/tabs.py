"""One browser tab's quiz process, behind textual-serve's protocol.

`TabService` is textual-serve's AppService with what a classroom needs: the
process comes from the fork server (warm) or is spawned (cold, where there is
no fork); its error output is kept to the last few KB; and it ends within
seconds when the tab goes, whatever it was doing: asked to quit, then
SIGTERM, then SIGKILL. When the process ends on its own, the server hears
why, so the tab can be told in words.

The packet format, the meta messages and file downloads are textual-serve's
own code, reused as it is.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Awaitable, Callable, Sequence

from textual_serve.app_service import AppService

from quiz.serving.fork import GRACE_SECONDS, ForkServer
from quiz.serving.limits import Tail
from quiz.serving.packets import is_drawn, read_handshake, read_packet
from quiz.serving.spares import Spares, open_child

log = logging.getLogger("quiz.serve")

# How long a tab's quiz has to quit on its own when asked, before it is ended.
QUIT_SECONDS = 2.0
# How long a write to a tab's quiz may wait for it to read, before the tab counts as stuck.
DRAIN_SECONDS = 10.0
# How much of a tab's error output is kept: enough for the end of a traceback.
ERROR_TAIL_BYTES = 8 * 1024

# Why a tab closed, as the page's words choose them (quiz/serving/page.html).
ENDED, CRASHED, IDLE, STOPPED, STUCK, FULL = "ended", "crashed", "idle", "stopped", "stuck", "full"


def tab_environment(width: int = 80, height: int = 24) -> dict[str, str]:
    """The environment textual-serve gives a tab's process (AppService._build_environment).

    The fork server starts with it, since Textual reads the driver, frame
    rate and colours when it is imported; each child then sets its size.
    """
    from importlib.metadata import version

    env = dict(os.environ)
    env.update({
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TERM_PROGRAM": "textual",
        "TERM_PROGRAM_VERSION": version("textual-serve"),
        "COLUMNS": str(width),
        "ROWS": str(height),
    })
    return env


class Starter:
    """How a tab's quiz process is started: spawned (cold) or forked (warm)."""

    warm = False

    async def start(self, service: "TabService", width: int, height: int) -> None:
        raise NotImplementedError


class Spawn(Starter):
    """A fresh process per tab: `argv`, or a shell `command` (a stand-in in tests)."""

    def __init__(self, argv: Sequence[str] | None = None, command: str | None = None) -> None:
        self.argv = list(argv or ())
        self.command = command

    async def start(self, service: "TabService", width: int, height: int) -> None:
        env = service._build_environment(width=width, height=height)
        pipes = dict(stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                     stderr=asyncio.subprocess.PIPE, env=env)
        if self.command is not None:
            process = await asyncio.create_subprocess_shell(self.command, **pipes)
        else:
            process = await asyncio.create_subprocess_exec(*self.argv, **pipes)
        service._process = process
        service.pid = process.pid
        service._stdin = process.stdin
        service._stdout, service._stderr = process.stdout, process.stderr
        service._wait = process.wait

        def end(signum_kill: bool) -> None:
            try:
                process.kill() if signum_kill else process.terminate()
            except ProcessLookupError:
                pass

        service._end = end


class Fork(Starter):
    """A child of the fork server per tab, its stdin and stdout one socket pair, its stderr another.

    With `spares`, a tab takes a child forked before it opened (quiz.serving.spares) when one is ready.
    """

    warm = True

    def __init__(self, server: ForkServer, spares: Spares | None = None) -> None:
        self.server = server
        self.spares = spares

    async def start(self, service: "TabService", width: int, height: int) -> None:
        spare = self.spares.take() if self.spares is not None else None
        child = spare or await open_child(self.server, width, height)
        service.pid = child.pid
        service._stdin, service._stdout, service._stderr = child.writer, child.reader, child.error_reader
        service._closers = [child.writer, child.error_writer]
        service.prelude = child.prelude
        service._wait = lambda: asyncio.shield(child.exited)
        service._end = lambda kill: self.server.end(child.pid)  # the helper sends SIGTERM, then SIGKILL
        if spare is not None:
            # A spare was drawn at a size no tab has: this tab's size makes Textual lay it out and draw it whole.
            await service.set_terminal_size(width, height)


class TabService(AppService):
    """One tab's quiz process, started by `starter`, ended within seconds when the tab goes."""

    def __init__(
        self,
        starter: Starter,
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager,
        on_end: Callable[["TabService"], None] | None = None,
    ) -> None:
        super().__init__("quiz", write_bytes=write_bytes, write_str=write_str, close=close,
                         download_manager=download_manager)
        self.starter = starter
        self.pid: int | None = None
        self.errors = Tail(ERROR_TAIL_BYTES)
        self.status: int | None = None  # the exit status, once it has ended
        self.stuck = False
        self.asked_to_stop = False
        self._stdout: asyncio.StreamReader | None = None
        self._stderr: asyncio.StreamReader | None = None
        self._wait: Callable[[], Awaitable[int]] | None = None
        self._end: Callable[[bool], None] = lambda kill: None
        self._closers: list[asyncio.StreamWriter] = []
        # A spare's packets from before this tab took it (its handshake already read), sent to the tab
        # first; None for a quiz started for this tab, whose handshake is still to be read.
        self.prelude: list[tuple[bytes, bytes]] | None = None
        self._exited: asyncio.Future[int] | None = None
        self._on_end = on_end

    async def start(self, width: int, height: int) -> None:
        await self.starter.start(self, width, height)
        assert self._wait is not None
        self._exited = asyncio.ensure_future(self._wait())
        self._exited.add_done_callback(self._ended)
        self._task = asyncio.create_task(self.run())

    def _ended(self, future: asyncio.Future[int]) -> None:
        self.status = future.result() if not future.cancelled() else None
        if self._on_end is not None:
            self._on_end(self)

    # -- writing to the quiz, never waiting for ever --

    async def _write(self, packet: bytes) -> bool:
        stdin = self._stdin
        if stdin is None or stdin.is_closing():
            return False
        try:
            stdin.write(packet)
            await asyncio.wait_for(stdin.drain(), DRAIN_SECONDS)
        except asyncio.TimeoutError:
            # The quiz reads nothing: it is stuck, and the tab is closed rather than the server waiting.
            self.stuck = True
            await self.remote_close()
            return False
        except (RuntimeError, OSError, ConnectionError):
            return False
        return True

    async def send_bytes(self, data: bytes) -> bool:
        return await self._write(self.encode_packet(b"D", data))

    async def send_meta(self, data: dict) -> bool:
        return await self._write(self.encode_packet(b"M", json.dumps(data).encode("utf-8")))

    # -- reading from it --

    async def run(self) -> None:
        """textual-serve's reading loop, with the error output kept to its last few KB."""
        stdout, stderr = self._stdout, self._stderr
        assert stdout is not None and stderr is not None
        errors = self.errors

        async def read_stderr() -> None:
            try:
                while data := await stderr.read(4096):
                    errors.write(data)
            except (asyncio.CancelledError, OSError):
                pass

        stderr_task = asyncio.create_task(read_stderr())
        try:
            if self.prelude is None:
                await read_handshake(stdout)
            for kind, payload in self.prelude or ():
                await self._packet(kind, payload)  # what a spare wrote before this tab took it
            self.prelude = None
            while True:
                await self._packet(*await read_packet(stdout))
        except (asyncio.IncompleteReadError, ConnectionError, OSError, asyncio.CancelledError, ValueError):
            pass
        finally:
            # The error output is read to its end, or for a moment if something else still holds it.
            try:
                await asyncio.wait_for(asyncio.shield(stderr_task), 1)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                stderr_task.cancel()

    async def _packet(self, kind: bytes, payload: bytes) -> None:
        if kind == b"D":
            await self.on_data(payload)
        elif kind == b"M":
            if not is_drawn(kind, payload):  # that one is for the spares only (see quiz.serving.spares)
                await self.on_meta(payload)
        elif kind == b"P":
            await self.on_packed(payload)

    # -- ending --

    async def stop(self) -> None:
        """End the quiz within seconds, whatever it is doing: quit, then SIGTERM, then SIGKILL."""
        if self.asked_to_stop or self._exited is None:
            return
        self.asked_to_stop = True
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        exited = self._exited
        if not exited.done():
            try:
                await asyncio.wait_for(self.send_meta({"type": "quit"}), 1)
            except asyncio.TimeoutError:
                pass
            await asyncio.wait([exited], timeout=QUIT_SECONDS)
        if not exited.done():
            self._end(False)
            await asyncio.wait([exited], timeout=GRACE_SECONDS + 0.5)
        if not exited.done():
            self._end(True)
            await asyncio.wait([exited], timeout=GRACE_SECONDS + 2)
        for writer in self._closers:
            writer.close()
        if self._stdin is not None and not self._closers:
            self._stdin.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 2)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                pass
            self._task = None

    @property
    def running(self) -> bool:
        return self._exited is not None and not self._exited.done()


def fork_available() -> bool:
    """Whether tabs can be forked from a prepared process here (not on Windows)."""
    from quiz.serving.fork import AVAILABLE

    return AVAILABLE
