"""How `quiz serve` copes with a class: 30 browser tabs opening the quiz at once.

Run it with the project's Python and the serve extra installed:

    python benchmarks/bench_serve.py [--sessions 30] [--spread 0] [--timeout 180]

It starts `quiz serve --pack warm-up` on a free loopback port, then opens the
sessions all at once as websocket clients that speak to the server as the
page's JavaScript does (a websocket to /ws?width=..&height=.., JSON envelopes
["resize", ...], ["focus"], ["stdin", ...]; the screen comes back as terminal
output, which pyte draws). Each client waits for the home screen, clicks the
name field, types a name and presses enter, then waits for "Question 1 of".
`--spread 30` opens them evenly over 30 seconds instead, as a class arriving.

It prints, and is not a test (timings depend on the machine):

1. Time from opening the websocket to the home screen, and to the first
   question: median and 95th percentile over the sessions.
2. Memory each session costs: the resident memory (VmRSS) of the quiz
   processes the server started, summed and divided by the sessions, and the
   same for PSS (shared pages split between the processes that share them),
   with all sessions on their first question. Linux only (reads /proc).

Everything stays on 127.0.0.1, and every wait is bounded by --timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.serve import REFRESH_SECONDS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 80, 24


class Tab:
    """One student's browser tab, as the server sees it."""

    def __init__(self, number: int) -> None:
        self.name = f"Student {number:02d}"
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.home = math.nan
        self.question = math.nan

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def play(self, http: aiohttp.ClientSession, url: str, delay: float = 0) -> None:
        await asyncio.sleep(delay)
        started = time.perf_counter()
        async with http.ws_connect(f"{url}?width={COLUMNS}&height={LINES}", max_msg_size=0) as ws:
            await ws.send_json(["resize", {"width": COLUMNS, "height": LINES}])
            await ws.send_json(["focus"])
            await self._until(ws, lambda: "Pick a pack" in self.text and "Your name" in self.text)
            self.home = time.perf_counter() - started
            await self._type_name(ws)
            await ws.send_json(["stdin", "\r"])
            await self._until(ws, lambda: "Question 1 of" in self.text)
            self.question = time.perf_counter() - started
            await ws.send_json(["ping", str(time.time())])
            # Stay connected (and reading, which answers the server's heartbeat) until every tab is on
            # its first question, so memory is measured with all of them open.
            while not ALL_ON_QUESTION.is_set():
                await self._until(ws, ALL_ON_QUESTION.is_set, seconds=0.5)

    async def _type_name(self, ws) -> None:
        """Click the name field and type; keys sent before the click has moved focus are lost, so retry."""
        for _ in range(5):
            await self._click(ws, "Your name")
            await self._until(ws, lambda: False, seconds=0.3)
            await ws.send_json(["stdin", self.name])
            if await self._until(ws, lambda: self.name in self.text, seconds=5):
                return
        raise RuntimeError(f"{self.name}: the name field never took the name; the screen showed:\n{self.text}")

    async def _click(self, ws, words: str) -> None:
        """A left click on the lowest `words` on screen (the field, not its heading), as xterm.js sends it."""
        row = max(r for r, line in enumerate(self.screen.display) if words in line)
        col = self.screen.display[row].index(words) + len(words) // 2
        press = f"\x1b[<0;{col + 1};{row + 1}M"
        release = f"\x1b[<0;{col + 1};{row + 1}m"
        await ws.send_json(["stdin", press + release])

    async def _until(self, ws, condition, seconds: float | None = None) -> bool:
        """Read the screen until `condition()` holds (True), or `seconds` pass (False)."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while not condition():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            try:
                message = await ws.receive(timeout=left)
            except asyncio.TimeoutError:
                return False
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise RuntimeError(f"{self.name}: the server closed the session; the screen showed:\n{self.text}")
        return True


ALL_ON_QUESTION: asyncio.Event


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("quiz serve stopped at once; is the serve extra installed?")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"quiz serve did not listen within {seconds:.0f}s")


def children(pid: int) -> list[int]:
    """The processes `pid` started (one quiz per tab: the served command execs Python)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The parent pid is the second field after the command name in parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process, in KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def open_tabs(port: int, sessions: int, spread: float, timeout: float) -> tuple[list[Tab], list[asyncio.Task]]:
    tabs = [Tab(n + 1) for n in range(sessions)]
    url = f"http://127.0.0.1:{port}/ws"
    async with aiohttp.ClientSession() as http:
        playing = [asyncio.create_task(tab.play(http, url, spread * n / sessions)) for n, tab in enumerate(tabs)]
        deadline = time.monotonic() + spread + timeout
        problem = None
        while not all(tab.question == tab.question for tab in tabs):  # NaN until reached
            failed = [task.exception() for task in playing if task.done() and not task.cancelled() and task.exception()]
            if failed:
                problem = str(failed[0])
            elif time.monotonic() > deadline:
                stuck = next(tab for tab in tabs if tab.question != tab.question)
                problem = f"not every session reached the first question within {timeout:.0f}s; {stuck.name} shows:\n{stuck.text}"
            if problem:
                for task in playing:
                    task.cancel()
                await asyncio.gather(*playing, return_exceptions=True)
                raise SystemExit(problem)
            await asyncio.sleep(0.1)
        return tabs, playing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--spread", type=float, default=0, help="open the sessions evenly over this many seconds (default: all at once)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds for all sessions to reach the first question")
    options = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [sys.executable, "-m", "quiz", "serve", "--port", str(port), "--results", str(Path(tmp) / "results"),
             "--pack", "warm-up"],
            stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True,
            # A benchmark must not touch the real settings or packs of whoever runs it.
            env={**os.environ, "QUIZ_SETTINGS": str(Path(tmp) / "settings.json"),
                 "QUIZ_USER_PACKS": str(Path(tmp) / "packs")},
        )
        try:
            wait_for_port(port, server, 30)
            result = asyncio.run(measure(server.pid, port, options))
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    pass
            try:
                os.killpg(server.pid, signal.SIGKILL)  # anything left of the sessions
            except ProcessLookupError:
                pass
            server.wait()
            log.close()
        tabs_seen = max((int(line.split()[0]) for line in (Path(tmp) / "server.log").read_text().splitlines()
                         if line.endswith(")") and "browser tab" in line), default=0)
    print(result)
    print(f"  the server's own count of open tabs (printed every {REFRESH_SECONDS:g} s) reached {tabs_seen}")
    return 0


async def measure(server_pid: int, port: int, options) -> str:
    global ALL_ON_QUESTION
    ALL_ON_QUESTION = asyncio.Event()
    tabs, playing = await open_tabs(port, options.sessions, options.spread, options.timeout)
    quiz_pids = children(server_pid)
    memory = [memory_kib(pid) for pid in quiz_pids]
    server_rss, _ = memory_kib(server_pid)
    await asyncio.sleep(REFRESH_SECONDS + 0.5)  # long enough for the server's printed count to include every tab
    ALL_ON_QUESTION.set()
    await asyncio.gather(*playing, return_exceptions=True)

    homes = [t.home for t in tabs]
    questions = [t.question for t in tabs]
    n = len(tabs)
    rss = sum(m[0] for m in memory) / 1024
    pss = sum(m[1] for m in memory) / 1024
    return "\n".join([
        f"quiz serve: {n} sessions opened {f'over {options.spread:g} s' if options.spread else 'at once'} on {os.cpu_count()} cores",
        f"  home screen:     median {statistics.median(homes):5.1f} s   95th percentile {percentile(homes, 0.95):5.1f} s",
        f"  first question:  median {statistics.median(questions):5.1f} s   95th percentile {percentile(questions, 0.95):5.1f} s",
        f"  memory per session: {rss / n:5.1f} MiB RSS, {pss / n:5.1f} MiB PSS  "
        f"({len(quiz_pids)} quiz processes; the server itself {server_rss / 1024:.1f} MiB RSS)",
    ])


if __name__ == "__main__":
    raise SystemExit(main())
