"""The fork server: the quiz prepared once, and a process forked from it for each browser tab.

A fresh Python for every tab spends about half a second of CPU importing
Textual and the quiz and reading the packs, and 30 tabs opened at once queue
for the two cores of a teacher's laptop. So `quiz serve` starts one helper
process before it listens, with the environment textual-serve gives a tab,
which prepares everything once and then waits. For each tab the server makes
two socket pairs and hands one end of each to the helper over a Unix socket
(SCM_RIGHTS); the helper forks, and the child makes them its standard input
and output (one pair, both ways) and its error output (the other), sets the
tab's size, and runs the same quiz `quiz --served` runs. Each tab is still
its own process: one student's crash reaches nobody else.

The helper reaps its children and tells the server when one ends, with its
exit status; it ends a child when asked (SIGTERM, then SIGKILL if it is still
there after a grace period), and when the server goes away it ends them all
and itself.

Messages are JSON, one per SOCK_SEQPACKET packet, so a request and the file
descriptors sent with it always arrive together:

    server -> helper   {"fork": n, "columns": c, "rows": r}  + 2 descriptors
                       {"end": pid}
    helper -> server   {"ready": pid}
                       {"forked": n, "pid": pid}  or  {"forked": n, "error": "..."}
                       {"exited": pid, "status": code}   (negative: the signal that ended it)

POSIX only: where there is no fork (Windows) the server spawns each tab as before.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import socket
import sys
import time
from typing import Callable

# How long a child asked to end may take to save and go before it is killed.
GRACE_SECONDS = 2.0

AVAILABLE = hasattr(os, "fork") and hasattr(socket, "send_fds") and hasattr(socket, "SOCK_SEQPACKET")


def _send(sock: socket.socket, message: dict, fds: list[int] = ()) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


# --------------------------------------------------------------------------
# The helper's side (it runs in its own process: see quiz.cli.forks)
# --------------------------------------------------------------------------


def serve_forks(control_fd: int, run: Callable[[], int]) -> int:
    """Fork a child running `run()` for every request on `control_fd`, until the server goes away.

    Call it after preparing everything the children share, and before
    starting any thread: a forked child has only the thread that forked.
    """
    # The collector is left as it is: freezing it here would share a little more
    # memory with the children, but it is process-wide state (see docs/serve.md).
    control = socket.socket(fileno=control_fd)
    control.setblocking(True)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # only to wake select() through the pipe
    # Ctrl+C in the teacher's terminal is the server's to handle; it tells us by going away.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: None)
    children: dict[int, float | None] = {}  # pid -> when to kill it (None: not asked to end)
    _send(control, {"ready": os.getpid()})
    running = True
    while running:
        waits = [deadline - time.monotonic() for deadline in children.values() if deadline is not None]
        timeout = max(0.0, min(waits)) if waits else None
        try:
            readable, _, _ = select.select([control, wake_read], [], [], timeout)
        except InterruptedError:
            readable = []
        if wake_read in readable:
            try:
                os.read(wake_read, 512)
            except BlockingIOError:
                pass
        _reap(control, children)
        now = time.monotonic()
        for pid, deadline in list(children.items()):
            if deadline is not None and now >= deadline:
                _signal(pid, signal.SIGKILL)
                children[pid] = None
        if control in readable:
            try:
                data, fds, _flags, _addr = socket.recv_fds(control, 65536, 4)
            except OSError:
                data, fds = b"", []
            if not data:
                running = False
                for fd in fds:
                    os.close(fd)
                continue
            try:
                message = json.loads(data)
            except ValueError:
                message = {}
            if "fork" in message and len(fds) == 2:
                pid = _fork(control, wake_read, wake_write, fds, message, run)
                children[pid] = None
                _send(control, {"forked": message["fork"], "pid": pid})
            elif "fork" in message:
                for fd in fds:
                    os.close(fd)
                _send(control, {"forked": message["fork"], "error": "no descriptors"})
            elif "end" in message and message["end"] in children:
                pid = message["end"]
                _signal(pid, signal.SIGTERM)
                if children[pid] is None:
                    children[pid] = time.monotonic() + GRACE_SECONDS
    _end_all(control, children)
    return 0


def _fork(control, wake_read: int, wake_write: int, fds: list[int], message: dict, run: Callable[[], int]) -> int:
    stdio, errors = fds
    pid = os.fork()
    if pid:
        os.close(stdio)
        os.close(errors)
        return pid
    # The child: a tab's quiz, with the tab's pipes as its terminal.
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        control.close()
        os.close(wake_read)
        os.close(wake_write)
        os.dup2(stdio, 0)
        os.dup2(stdio, 1)
        os.dup2(errors, 2)
        os.close(stdio)
        os.close(errors)
        os.environ["COLUMNS"] = str(int(message.get("columns", 80)))
        os.environ["ROWS"] = str(int(message.get("rows", 24)))
        code = run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code or 0)
    return 0  # never reached


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _reap(control, children: dict[int, float | None]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.pop(pid, None)
        try:
            _send(control, {"exited": pid, "status": os.waitstatus_to_exitcode(status)})
        except OSError:
            pass  # the server is gone: the loop ends on its next read


def _end_all(control, children: dict[int, float | None]) -> None:
    """The server has gone: every child is asked to end, then made to."""
    for pid in children:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while children and time.monotonic() < deadline:
        _reap(control, children)
        time.sleep(0.05)
    for pid in children:
        _signal(pid, signal.SIGKILL)
    while children:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            break
        children.pop(pid, None)


# --------------------------------------------------------------------------
# The server's side (inside its asyncio loop)
# --------------------------------------------------------------------------


class ForkServerGone(RuntimeError):
    """The helper process stopped: tabs are spawned instead."""


class ForkServer:
    """The server's handle on the helper: start it, ask for children, hear when they end."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.argv = argv
        self.env = env
        self.process = None
        self.alive = False
        self._control: socket.socket | None = None
        self._next = 0
        self._pending: dict[int, asyncio.Future[int]] = {}
        self._exits: dict[int, asyncio.Future[int]] = {}
        self._early: dict[int, int] = {}  # exits heard before anyone waited for them
        self._ready = None
        self.errors = b""

    async def start(self, timeout: float = 120.0) -> None:
        """Start the helper and wait until it has prepared the quiz (raises ForkServerGone if it cannot)."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv, str(theirs.fileno()),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE, env=self.env, pass_fds=(theirs.fileno(),),
                # Its own session: Ctrl+C in the teacher's terminal reaches the server, which ends the lesson.
                start_new_session=True,
            )
        finally:
            theirs.close()
        ours.setblocking(False)
        self._control = ours
        self._ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._readable)
        errors = asyncio.ensure_future(self._read_errors())
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except (asyncio.TimeoutError, ForkServerGone):
            await self.stop()
            errors.cancel()
            raise ForkServerGone(self.errors.decode("utf-8", "replace").strip()[-2000:] or "the helper did not start")
        self.alive = True

    async def _read_errors(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        while True:
            data = await self.process.stderr.read(4096)
            if not data:
                return
            self.errors = (self.errors + data)[-8192:]

    def _readable(self) -> None:
        assert self._control is not None
        while True:
            try:
                data = self._control.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                self._gone()
                return
            try:
                message = json.loads(data)
            except ValueError:
                continue
            self._heard(message)

    def _heard(self, message: dict) -> None:
        if "ready" in message and self._ready is not None and not self._ready.done():
            self._ready.set_result(message["ready"])
        elif "forked" in message:
            future = self._pending.pop(message["forked"], None)
            if future is not None and not future.done():
                if "pid" in message:
                    future.set_result(message["pid"])
                else:
                    future.set_exception(ForkServerGone(message.get("error", "could not fork")))
        elif "exited" in message:
            pid, status = message["exited"], message.get("status", -1)
            future = self._exits.pop(pid, None)
            if future is not None and not future.done():
                future.set_result(status)
            else:
                self._early[pid] = status

    def _gone(self) -> None:
        self.alive = False
        if self._control is not None:
                asyncio.get_running_loop().remove_reader(self._control.fileno())
        failure = ForkServerGone("the helper process stopped")
        for future in [*self._pending.values(), *([self._ready] if self._ready else [])]:
            if not future.done():
                future.set_exception(failure)
        for future in self._exits.values():
            if not future.done():
                future.set_result(-signal.SIGKILL)  # its children were ended with it
        self._pending.clear()
        self._exits.clear()

    async def fork(self, columns: int, rows: int) -> tuple[int, socket.socket, socket.socket]:
        """A new child with this terminal size: (pid, its stdin/stdout socket, its stderr socket)."""
        if not self.alive or self._control is None:
            raise ForkServerGone("the helper process stopped")
        stdio_ours, stdio_theirs = socket.socketpair()
        errors_ours, errors_theirs = socket.socketpair()
        self._next += 1
        number = self._next
        future = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        try:
            _send(self._control, {"fork": number, "columns": columns, "rows": rows},
                  [stdio_theirs.fileno(), errors_theirs.fileno()])
        except OSError as exc:
            self._pending.pop(number, None)
            stdio_ours.close()
            errors_ours.close()
            raise ForkServerGone(str(exc)) from exc
        finally:
            stdio_theirs.close()
            errors_theirs.close()
        try:
            pid = await future
        except BaseException:
            stdio_ours.close()
            errors_ours.close()
            raise
        return pid, stdio_ours, errors_ours

    async def wait(self, pid: int) -> int:
        """The exit status of child `pid`, once the helper has reaped it."""
        if pid in self._early:
            return self._early.pop(pid)
        if not self.alive:
            return -signal.SIGKILL
        future = self._exits.get(pid)
        if future is None:
            future = self._exits[pid] = asyncio.get_running_loop().create_future()
        return await asyncio.shield(future)

    def end(self, pid: int) -> None:
        """Ask the helper to end child `pid`: SIGTERM now, SIGKILL after GRACE_SECONDS."""
        if self.alive and self._control is not None:
            try:
                _send(self._control, {"end": pid})
            except OSError:
                pass

    async def stop(self) -> None:
        """Close the helper: it ends every child it has, then itself."""
        control, self._control = self._control, None
        if control is not None:
            try:
                asyncio.get_running_loop().remove_reader(control.fileno())
            except (ValueError, RuntimeError):
                pass
            control.close()
        self.alive = False
        process = self.process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), GRACE_SECONDS + 3)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
