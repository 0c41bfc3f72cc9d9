"""How `quiz serve` copes with a class, both ways in one run: tabs forked warm, and spawned cold.

Run it with the project's Python and the serve extra installed:

    python benchmarks/bench_serve.py [--sessions 30] [--cap 60] [--crowd 200] [--timeout 180]

For each way of starting a tab (`quiz serve --spawn`: a fresh Python per tab,
as before; the default: forked from the fork server, which prepared the quiz
once) it starts `quiz serve --pack warm-up` on a free loopback port and opens
tabs as websocket clients that speak to the server as the page's JavaScript
does (a websocket to /ws?width=..&height=.., JSON envelopes ["resize", ...],
["focus"], ["stdin", ...]; the screen comes back as terminal output, which
pyte draws). Each client waits for the home screen, clicks the name field,
types a name and presses enter, then waits for "Question 1 of" (read from the
text between the escape sequences rather than drawn: the class's browsers
draw on their own machines, and pyte drawing 30 tabs took a quarter of the
two cores the server was being measured on).

Forked, the server keeps a quiz ready for each tab of the class (`--ready`
--sessions, quiz.serving.spares; 30 by default, the server's own default
without a class list); the benchmark waits until they are, as a class comes
to a server started before the lesson, and again after the tabs opened one
at a time, which took three of them.

It prints, and is not a test (timings depend on the machine):

1. One tab alone (three times, one after another): time to the first question.
2. `--sessions` tabs opened in the same instant: time to the home screen and to
   the first question, median and 95th percentile.
3. Memory with all of them on their first question (Linux: /proc), read
   two seconds after the last one got there: the unshared memory (USS) of
   each tab's process, and the class's total PSS (shared pages split between
   the processes that share them), with and without the server and the fork
   server. The wait lets each attempt's resume code finish hashing: scrypt
   works in 16 MiB while it runs, and a spawned tab starts its hash when its
   student presses Start, so read at once, a spawned class measured 31 or
   45 MiB a tab depending on how many hashes were still running.
4. The ratios the issue asks for: warm p95 over cold p95 (at most 1/3), one
   tab warm over cold (at most 1/2), USS warm over cold (at most 60%).
5. `--crowd` tabs against `--max-sessions --cap` (warm): that the server stays
   up, how many play, how many get the page that says the class is full, and
   the memory of it all.
6. The accessible pages (/accessible/) of the same forked `quiz serve`, once
   its tabs have gone: `--sessions` students answering each question at the
   same instant (benchmarks/bench_web.py's class), the answer's median and
   95th percentile, every page after it, and the server's memory, each beside
   its target.

Everything stays on 127.0.0.1, and every wait is bounded by --timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
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

import bench_web  # the accessible pages' class, beside the tabs (this folder is on the path when run)

REPO = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 80, 24
# A terminal's escape sequences (CSI and OSC), to read the text a frame writes without drawing it.
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# The tabs' quizzes a forked `quiz serve` keeps ready for a class (its default without a class list).
SPARES = 30
SETTLE_SECONDS = 2.0  # after the class's last first question, before its memory is read


class Tab:
    """One student's browser tab, as the server sees it."""

    def __init__(self, number: int) -> None:
        self.name = f"Student {number:02d}"
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.home = math.nan
        self.question = math.nan
        self.unread: list[bytes] = []  # frames not yet drawn (see _until_written)

    @property
    def text(self) -> str:
        for data in self.unread:  # what _until_written passed over
            self.stream.feed(data)
        self.unread.clear()
        return "\n".join(self.screen.display)

    async def play(self, http: aiohttp.ClientSession, url: str, release: asyncio.Event) -> None:
        started = time.perf_counter()
        origin = url.replace("ws://", "http://").rsplit("/", 1)[0]
        async with http.ws_connect(f"{url}?width={COLUMNS}&height={LINES}", max_msg_size=0,
                                   headers={"Origin": origin}) as ws:
            await ws.send_json(["resize", {"width": COLUMNS, "height": LINES}])
            await ws.send_json(["focus"])
            # The pack listed (Enter before that says "Pick a pack first"), and the name box's own "Your name" as
            # well as its heading's: the first frame after a change of size can still have the other layout,
            # where the box is too narrow to show it, and a click there would miss. The pack's second line
            # and its description come a frame later at 80 columns and move the name box four lines down:
            # a click before them landed on the description, and the name was typed again 5 s later.
            await self._until(ws, lambda: "Warm-up" in self.text and self.text.count("Your name") >= 2
                              and "9 questions" in self.text and "Nine questions" in self.text)
            self.home = time.perf_counter() - started
            await self._type_name(ws)
            await ws.send_json(["stdin", "\r"])
            await self._until_written(ws, "Question 1 of")
            self.question = time.perf_counter() - started
            await ws.send_json(["ping", str(time.time())])
            # Stay connected (and reading, which answers the server's heartbeat; nothing is drawn) until
            # every tab is on its first question, so memory is measured with all of them open.
            while not release.is_set():
                data = await self._receive(ws, 0.5)
                if data:
                    self.unread.append(data)

    async def _type_name(self, ws) -> None:
        """Click the name field and type at once, as a student does (the keys come after the click, in order);
        if the name does not show, click and type again."""
        for _ in range(5):
            await self._click(ws, "Your name")
            await ws.send_json(["stdin", self.name])
            if await self._until(ws, lambda: self.name in self.text, seconds=5):
                return
        raise RuntimeError(f"{self.name}: the name field never took the name; the screen showed:\n{self.text}")

    async def _until_written(self, ws, words: str) -> None:
        """Read until `words` are written, looking at the text between the escape sequences.

        Cheaper than drawing every frame with pyte: a class's browsers draw on their own machines, so
        the benchmark's own drawing should take as little of the server's two cores as it can. The
        question screen is drawn in pieces of one style each, and its top line "Question 1 of" is one.
        If it is not found that way within a few seconds, the screen is drawn after all.
        """
        seen = b""
        deadline = time.monotonic() + 5
        wanted = words.encode()
        while time.monotonic() < deadline:
            data = await self._receive(ws, max(0.01, deadline - time.monotonic()))
            if data is None:
                break
            self.unread.append(data)
            seen = seen[-len(wanted):] + ESCAPES.sub(b"", data)
            if wanted in seen:
                return
        await self._until(ws, lambda: words in self.text)  # `text` draws what was passed over

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
            data = await self._receive(ws, left)
            if data is None:
                return False
            self.stream.feed(data)
        return True

    async def _receive(self, ws, seconds: float | None) -> bytes | None:
        """The next frame's bytes (b"" for a message that is not a frame), or None if `seconds` passed
        first; raises if the server closed the session."""
        try:
            message = await ws.receive(timeout=seconds)
        except asyncio.TimeoutError:
            return None
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise RuntimeError(f"{self.name}: the server closed the session; the screen showed:\n{self.text}")
        return message.data if message.type == aiohttp.WSMsgType.BINARY else b""


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


def descendants(pid: int) -> list[int]:
    """Every process `pid` started, and theirs (the fork server's children are the server's grandchildren)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        todo += children
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def memory_kib(pid: int) -> dict[str, int]:
    """RSS, PSS and USS (private clean + private dirty) of one process, in KiB."""
    fields = {"Rss": 0, "Pss": 0, "Private_Clean": 0, "Private_Dirty": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in fields:
                fields[key] = int(line.split()[1])
    except OSError:
        pass
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Server:
    """`quiz serve --pack warm-up` on a free port, warm or with --spawn."""

    def __init__(self, tmp: Path, warm: bool, cap: int, ready: int = SPARES) -> None:
        self.warm = warm
        self.ready = ready
        self.port = free_port()
        self.log_path = tmp / f"server-{'warm' if warm else 'cold'}-{self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115
        argv = [sys.executable, "-m", "quiz", "serve", "--port", str(self.port), "--results", str(tmp / "results"),
                "--pack", "warm-up", "--max-sessions", str(cap), "--ready", str(ready)]
        if not warm:
            argv.append("--spawn")
        self.process = subprocess.Popen(
            argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True,
            # A benchmark must not touch the real settings or packs of whoever runs it.
            env={**os.environ, "QUIZ_SETTINGS": str(tmp / "settings.json"), "QUIZ_USER_PACKS": str(tmp / "packs")},
        )
        self.url = f"ws://127.0.0.1:{self.port}/ws"

    def __enter__(self) -> "Server":
        wait_for_port(self.port, self.process, 120)
        self.settle()
        return self

    def settle(self, seconds: float = 120.0) -> None:
        """Wait until the server has made ready what it makes ready before a class comes: forked, the
        spare tabs' quizzes (quiz.serving.spares; --ready, `ready` of them here); spawned, nothing."""
        deadline = time.monotonic() + seconds
        while self.warm and len(self.tabs()) < self.ready and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)  # the last one's first screen

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.log.close()

    def tabs(self) -> list[int]:
        """The tabs' quiz processes: everything the server started but the fork server itself."""
        helpers = self.helpers()
        return [p for p in descendants(self.process.pid) if p not in helpers]

    def helpers(self) -> list[int]:
        """The fork server (the server's own child; the tabs forked from it are its children)."""
        return [p for p in descendants(self.process.pid) if "quiz.cli.forks" in command_line(p)
                and self._parent(p) == self.process.pid]

    @staticmethod
    def _parent(pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return -1


async def open_tabs(url: str, sessions: int, timeout: float):
    """`sessions` tabs at once, each to its first question; returns them with the event that lets them go."""
    tabs = [Tab(n + 1) for n in range(sessions)]
    release = asyncio.Event()
    http = aiohttp.ClientSession()
    playing = [asyncio.create_task(tab.play(http, url, release)) for tab in tabs]
    deadline = time.monotonic() + timeout
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
            await http.close()
            raise SystemExit(problem)
        await asyncio.sleep(0.05)

    async def done() -> None:
        release.set()
        await asyncio.gather(*playing, return_exceptions=True)
        await http.close()

    return tabs, done


async def one_alone(url: str, timeout: float) -> float:
    tabs, done = await open_tabs(url, 1, timeout)
    await done()
    return tabs[0].question


async def measure_way(server: Server, options) -> dict:
    alone = [await one_alone(server.url, options.timeout) for _ in range(3)]
    # The class arrives later, the spares the three took made again meanwhile (when nobody has opened a tab
    # for quiz.serving.spares.CALM_SECONDS); without them, three of the 30 would be forked as they come.
    await asyncio.to_thread(server.settle)
    tabs, done = await open_tabs(server.url, options.sessions, options.timeout)
    await asyncio.sleep(SETTLE_SECONDS)  # every resume code hashed (see the docstring)
    quiz = server.tabs()
    memory = [memory_kib(pid) for pid in quiz]
    helpers = [memory_kib(pid) for pid in [server.process.pid, *server.helpers()]]
    await done()
    homes = [t.home for t in tabs]
    questions = [t.question for t in tabs]
    return {
        "alone": statistics.median(alone),
        "home_p50": statistics.median(homes), "home_p95": percentile(homes, 0.95),
        "question_p50": statistics.median(questions), "question_p95": percentile(questions, 0.95),
        "processes": len(quiz),
        "uss": statistics.median(m["uss"] for m in memory) / 1024,
        "rss": statistics.median(m["rss"] for m in memory) / 1024,
        "pss_class": sum(m["pss"] for m in memory) / 1024,
        "pss_all": (sum(m["pss"] for m in memory) + sum(m["pss"] for m in helpers)) / 1024,
    }


async def crowd(server: Server, count: int, cap: int, timeout: float) -> str:
    """`count` tabs against a cap: each asks for the page, then (if let in) plays to the first question."""
    release = asyncio.Event()
    page_url = server.url.replace("ws://", "http://").rsplit("/", 1)[0] + "/"
    outcome = {"full page": 0, "other": 0}
    admitted: list[Tab] = []
    peak = {"pss": 0, "tabs": 0}

    async def one(http: aiohttp.ClientSession, n: int) -> None:
        async with http.get(page_url) as page:
            text = await page.text()
        if page.status == 503 and "The class is full" in text:
            outcome["full page"] += 1
            return
        tab = Tab(n)
        try:
            admitted.append(tab)
            await tab.play(http, server.url, release)
        except aiohttp.WSServerHandshakeError as refused:
            admitted.remove(tab)
            if refused.status != 503:
                outcome["other"] += 1
                return
            async with http.get(page_url) as page:  # as the page's reload would
                outcome["full page" if "The class is full" in await page.text() else "other"] += 1

    def playing() -> int:
        return sum(1 for tab in admitted if tab.question == tab.question)  # NaN until reached

    async def watch() -> None:
        while not release.is_set():
            quiz = server.tabs()
            pss = sum(memory_kib(pid)["pss"] for pid in [server.process.pid, *server.helpers(), *quiz])
            peak["pss"], peak["tabs"] = max(peak["pss"], pss), max(peak["tabs"], len(quiz))
            await asyncio.sleep(0.5)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        watcher = asyncio.create_task(watch())
        started = time.monotonic()
        tasks = [asyncio.create_task(one(http, n + 1)) for n in range(count)]
        while playing() + outcome["full page"] + outcome["other"] < count and time.monotonic() - started < timeout:
            failed = [t.exception() for t in tasks if t.done() and not t.cancelled() and t.exception()]
            if failed:
                outcome["other"] += len(failed)
                for t in tasks:
                    if t.done() and not t.cancelled() and t.exception():
                        tasks.remove(t)
            await asyncio.sleep(0.2)
        elapsed = time.monotonic() - started
        await asyncio.sleep(1)  # the watcher's last look, all of them on their first question
        alive = server.process.poll() is None
        played = playing()
        release.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        watcher.cancel()
    return "\n".join([
        f"{count} tabs at once against --max-sessions {cap}: the server {'stayed up' if alive else 'STOPPED'}; "
        f"{played} played to their first question, {outcome['full page']} got the page saying the class is full"
        f"{'' if not outcome['other'] else ', ' + str(outcome['other']) + ' something else'} ({elapsed:.1f} s)",
        f"  memory at its highest: {peak['pss'] / 1024:.0f} MiB PSS in all (the server, the fork server and "
        f"at most {peak['tabs']} tabs' quizzes)",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--cap", type=int, default=60, help="--max-sessions for the crowd (default: 60)")
    parser.add_argument("--crowd", type=int, default=200, help="tabs opened against the cap (default: 200; 0: skip)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds for all sessions to reach the first question")
    options = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        for warm in (False, True):
            # One ready quiz a tab of the class: none left waiting while the class's memory is measured.
            with Server(Path(tmp), warm, cap=max(options.sessions, 60), ready=options.sessions) as server:
                results[warm] = asyncio.run(measure_way(server, options))
                if warm:  # the accessible pages of the same server, once its tabs' quizzes have ended
                    ending = time.monotonic() + 30
                    while server.tabs() and time.monotonic() < ending:
                        time.sleep(0.2)
                    web = asyncio.run(asyncio.wait_for(bench_web.measure(
                        f"http://127.0.0.1:{server.port}", server.process.pid, options.sessions, who="Reader",
                    ), options.timeout))
                    web_load = os.getloadavg()[0]
        crowd_report = ""
        if options.crowd:
            with Server(Path(tmp), True, cap=options.cap) as server:
                crowd_report = asyncio.run(crowd(server, options.crowd, options.cap, options.timeout))

    cold, warm = results[False], results[True]
    n = options.sessions
    lines = [f"quiz serve on {os.cpu_count()} cores: one tab alone (median of 3), then {n} tabs opened at once"]
    for name, r in (("spawned (--spawn)", cold), ("forked (default)", warm)):
        lines += [
            f"  {name}:",
            f"    one tab alone: first question after {r['alone']:.2f} s",
            f"    {n} at once:   home screen median {r['home_p50']:.1f} s, p95 {r['home_p95']:.1f} s; "
            f"first question median {r['question_p50']:.1f} s, p95 {r['question_p95']:.1f} s",
            f"    memory at the first question: USS {r['uss']:.1f} MiB a tab (RSS {r['rss']:.1f}); "
            f"the class's PSS {r['pss_class']:.0f} MiB ({r['processes']} processes), "
            f"{r['pss_all']:.0f} MiB with the server{' and the fork server' if name.startswith('forked') else ''}",
        ]
    lines += [
        "  forked over spawned (targets: p95 at most 0.33, one tab at most 0.5, USS at most 0.6):",
        f"    first question p95 {warm['question_p95'] / cold['question_p95']:.2f}, "
        f"median {warm['question_p50'] / cold['question_p50']:.2f}; one tab alone {warm['alone'] / cold['alone']:.2f}; "
        f"USS a tab {warm['uss'] / cold['uss']:.2f}",
    ]
    lines += [
        f"  the accessible pages of the forked server, {n} students answering each question at the same instant"
        f" (load average {web_load:.1f}):",
        *bench_web.against_targets(web)[1:],
    ]
    print("\n".join(lines))
    if crowd_report:
        print(crowd_report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
