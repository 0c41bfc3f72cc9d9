"""How the accessible pages (/accessible/) cope with a class answering at the same instant.

Run it with the project's Python and the serve extra installed:

    python benchmarks/bench_web.py [--students 30] [--via pages|serve] [--timeout 120]

It starts a server on a free loopback port (`--via pages`: the accessible
pages alone; `--via serve`: the whole `quiz serve` once it offers them), and
30 students, each a client with its own cookies, pick the warm-up pack and
type a name as a browser without scripts would. Then, question after
question, all of them submit their answer at the same instant and follow
the redirect to the next page, as the browser does.

It prints, and is not a test (timings depend on the machine):

1. Each answer posted (the engine grades it, the attempt file is written)
   and each page fetched after it: median, 95th percentile and slowest.
2. Starting (name and pack posted, the resume code hashed), separately.
3. The server's memory: resident (VmRSS) and proportional (PSS) at the end,
   and the highest resident size seen while the class answered, in MiB.
   Linux only (reads /proc).
4. The issue's figures beside their targets: the answer's median and 95th
   percentile, the 95th percentile of every page after it (each under 100 ms
   at the 95th percentile), and the server's memory at its highest (under
   100 MiB).

`measure(url, pid, students)` does the class's part against a server that is
already listening, and `against_targets(timings)` says the figures beside
their targets, so benchmarks/bench_serve.py prints them beside its tabs'.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
PAGES_SERVER = """
import sys
from pathlib import Path
from aiohttp import web
from quiz.web import lesson_packs, make_app
web.run_app(make_app(lesson_packs(["warm-up"]), Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            print=None, access_log=None)
"""


# The targets: every request of the answering under this at the 95th percentile; the server's memory under this.
PAGE_P95_MS = 100.0
SERVER_MIB = 100.0


@dataclass
class Timings:
    answers: list[float] = field(default_factory=list)  # ms per answer posted
    pages: list[float] = field(default_factory=list)  # ms per page fetched
    starts: list[float] = field(default_factory=list)  # ms from posting a name to the welcome page
    cpu_seconds: float = 0.0  # the server's processor time while the class answered
    peak_rss_kib: int = 0
    rss_kib: int = 0
    pss_kib: int = 0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    at = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[at]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def form_for(html: str) -> list[tuple[str, str]]:
    """Some answer to the question on this page (right or wrong does not matter for timing)."""
    fields = [("csrf", csrf_of(html)), ("action", "answer")]
    fields.append(("question", unescape(re.search(r'name="question" value="([^"]*)"', html).group(1))))
    first = re.search(r'<input type="(radio|checkbox)" name="answer" id="[^"]+" value="([^"]+)"', html)
    if first:
        fields.append(("answer", unescape(first.group(2))))
    elif 'id="typed-field"' in html:
        fields.append(("answer", "27"))
    for name in re.findall(r'<select id="[^"]+" name="(item-\d+)"', html):
        fields.append((name, "1"))
    return fields


def cpu_seconds(pid: int) -> float:
    """User and system time the process has used, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, PSS) of one process in KiB."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class Student:
    """One browser without scripts: its own cookies, the page it is on."""

    def __init__(self, name: str, base: str, http: aiohttp.ClientSession, timings: Timings) -> None:
        self.name = name
        self.base, self.http, self.timings = base, http, timings
        self.page = ""

    async def get(self, path: str) -> str:
        begun = time.perf_counter()
        async with self.http.get(f"{self.base}{path}") as r:
            text = await r.text()
        self.timings.pages.append((time.perf_counter() - begun) * 1000)
        return text

    async def start(self) -> None:
        async with self.http.get(f"{self.base}/accessible/") as r:
            home = await r.text()
        begun = time.perf_counter()
        form = {"csrf": csrf_of(home), "pack": "warm-up", "student": self.name, "mode": "practice"}
        async with self.http.post(f"{self.base}/accessible/start", data=form) as r:
            text = await r.text()
            assert r.url.path.endswith("/welcome"), (r.status, text[:2000])
        self.timings.starts.append((time.perf_counter() - begun) * 1000)
        async with self.http.get(f"{self.base}/accessible/question") as r:
            self.page = await r.text()

    async def answer(self) -> None:
        """Submit, then fetch the page it leads to (the feedback, then the next question)."""
        begun = time.perf_counter()
        async with self.http.post(f"{self.base}/accessible/answer", data=form_for(self.page), allow_redirects=False) as r:
            assert r.status == 303, (r.status, await r.text())
            where = r.headers["Location"]
        self.timings.answers.append((time.perf_counter() - begun) * 1000)
        await self.get(where)
        if where.endswith("/feedback"):
            self.page = await self.get("/accessible/question")


async def measure(base: str, pid: int, students: int = 30, questions: int = 8, who: str = "Student") -> Timings:
    """The class's part: `students` start, then answer `questions` questions, each at the same instant.

    They are called `who` 01, 02, ...: another name than a class already
    playing the pack on the same server, so nobody is sent to carry on theirs.
    """
    timings = Timings()
    answering = True

    async def watch_memory() -> None:
        while answering:
            timings.peak_rss_kib = max(timings.peak_rss_kib, memory_kib(pid)[0])
            await asyncio.sleep(0.01)

    # unsafe: keep cookies from an IP address (127.0.0.1), as browsers do.
    sessions = [
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60), cookie_jar=aiohttp.CookieJar(unsafe=True))
        for _ in range(students)
    ]
    try:
        class_ = [Student(f"{who} {n:02d}", base, http, timings) for n, http in enumerate(sessions, 1)]
        await asyncio.gather(*(s.start() for s in class_))
        timings.pages.clear()
        watcher = asyncio.create_task(watch_memory())
        cpu = cpu_seconds(pid)
        for _ in range(questions):
            # Everyone is on a question page: they all press Submit now.
            await asyncio.gather(*(s.answer() for s in class_))
        timings.cpu_seconds = cpu_seconds(pid) - cpu
        answering = False
        await watcher
    finally:
        for http in sessions:
            await http.close()
    timings.rss_kib, timings.pss_kib = memory_kib(pid)
    timings.peak_rss_kib = max(timings.peak_rss_kib, timings.rss_kib)
    return timings


def report(timings: Timings, students: int) -> list[str]:
    def line(what: str, values: list[float]) -> str:
        return (f"{what:<34} median {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
                f"   slowest {max(values):6.1f} ms   ({len(values)})")

    mib = 1024
    return [
        f"Accessible pages, {students} students answering each question at the same instant:",
        line("  answer posted (graded, saved)", timings.answers),
        line("  page after it", timings.pages),
        line("  every request of the answering", timings.answers + timings.pages),
        line("  start (name posted, code hashed)", timings.starts),
        f"  server processor time while answering: {timings.cpu_seconds * 1000 / max(1, len(timings.answers)):.1f} ms"
        " an answer (its pages included), on a machine with"
        f" {os.cpu_count()} cores and a load average of {os.getloadavg()[0]:.1f}",
        f"  server memory: {timings.rss_kib / mib:.1f} MiB resident, {timings.pss_kib / mib:.1f} MiB PSS at the end;"
        f" {timings.peak_rss_kib / mib:.1f} MiB resident at most while answering",
        *against_targets(timings),
    ]


def against_targets(timings: Timings) -> list[str]:
    """The figures the issue sets targets for, each beside its target."""

    def said(value: float, limit: float) -> str:
        return "met" if value < limit else "NOT met"

    answer_p95 = percentile(timings.answers, 0.95)
    page_p95 = percentile(timings.pages, 0.95)
    peak_mib = timings.peak_rss_kib / 1024
    return [
        f"  against the targets (every page under {PAGE_P95_MS:.0f} ms at p95, the server under {SERVER_MIB:.0f} MiB):",
        f"    answer posted: median {statistics.median(timings.answers):.1f} ms, p95 {answer_p95:.1f} ms"
        f" (target p95 under {PAGE_P95_MS:.0f} ms: {said(answer_p95, PAGE_P95_MS)})",
        f"    every page after it: p95 {page_p95:.1f} ms (target under {PAGE_P95_MS:.0f} ms: {said(page_p95, PAGE_P95_MS)})",
        f"    server memory: {peak_mib:.1f} MiB resident at most (target under {SERVER_MIB:.0f} MiB:"
        f" {said(peak_mib, SERVER_MIB)})",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at once:\n{server.stderr.read().decode() if server.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the server did not listen within {seconds} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--via", choices=("pages", "serve"), default="pages")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        results = Path(folder) / "results"
        if args.via == "pages":
            command = [sys.executable, "-c", PAGES_SERVER, str(results), str(port)]
        else:
            command = [sys.executable, "-m", "quiz", "serve", "--pack", "warm-up", "--port", str(port), "--results", str(results)]
        server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_port(port, server, 30)
            timings = asyncio.run(asyncio.wait_for(
                measure(f"http://127.0.0.1:{port}", server.pid, args.students), args.timeout
            ))
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    print("\n".join(report(timings, args.students)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
