"""`quiz serve` against browsers that cannot be trusted: a real server on 127.0.0.1, hostile messages.

Most tests serve a stand-in for the quiz (a small Python program that speaks
textual-serve's protocol and says what it was sent), so they are about the
server; the last ones serve the real quiz, forked from the fork server, and
check what a student and the teacher would notice.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import socket
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quiz import serve
from quiz.serving import limits

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve", reason="the serve extra is not installed")
pyte = pytest.importorskip("pyte")

# A stand-in for a tab's quiz: says its size, then answers each packet with what it got, as text.
STAND_IN = textwrap.dedent(r"""
    import json, os, signal, sys, time
    out = sys.stdout.buffer
    def say(text):
        data = text.encode()
        out.write(b"D" + len(data).to_bytes(4, "big") + data)
        out.flush()
    behaviour = sys.argv[1]
    pidfile = sys.argv[2]
    open(pidfile, "w").write(str(os.getpid()))
    out.write(b"__GANGLION__\n")
    say(f"size {os.environ['COLUMNS']}x{os.environ['ROWS']}")
    if behaviour == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if behaviour == "crash":
        sys.stderr.write("noise " * 20000 + "\nValueError: the last words\n")
        sys.stderr.flush()
        sys.exit(3)
    buffer = b""
    while True:
        data = os.read(0, 65536)
        if not data:
            break
        buffer += data
        while len(buffer) >= 5 and len(buffer) >= 5 + int.from_bytes(buffer[1:5], "big"):
            size = int.from_bytes(buffer[1:5], "big")
            kind, payload, buffer = buffer[:1], buffer[5:5 + size], buffer[5 + size:]
            if kind == b"M":
                meta = json.loads(payload)
                if meta.get("type") == "quit" and behaviour != "stubborn":
                    sys.exit(0)
                say("meta " + json.dumps(meta, sort_keys=True))
            else:
                say(f"stdin {len(payload)}")
        if behaviour == "stubborn":
            while True:
                pass  # busy, and deaf to quit and SIGTERM
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Served:
    """A Classroom on a free loopback port, serving the stand-in (or the quiz)."""

    def __init__(self, tmp_path: Path, behaviour: str | None = "echo", **options) -> None:
        self.port = free_port()
        self.pidfile = tmp_path / "pid"
        command = None
        if behaviour is not None:
            script = tmp_path / "stand_in.py"
            script.write_text(STAND_IN)
            command = " ".join(shlex.quote(p) for p in [sys.executable, str(script), behaviour, str(self.pidfile)])
            command = f"exec {command}"
        lesson = serve.Lesson(results_dir=tmp_path / "results", port=self.port, **options)
        self.classroom = serve.Classroom(lesson, command=command)
        self.url = f"http://127.0.0.1:{self.port}"
        self.origin = {"Origin": self.url}

    async def __aenter__(self) -> "Served":
        await self.classroom.start()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.close()
        await self.classroom.stop()

    async def tab(self, query: str = "width=80&height=24", headers=None):
        return await self.http.ws_connect(f"{self.url}/ws?{query}", headers=self.origin if headers is None else headers)


async def said(ws, seconds: float = 15) -> list[str]:
    """Everything the stand-in said until it is quiet for a moment."""
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await ws.receive(timeout=0.5 if lines else min(left, 1.0))
        except asyncio.TimeoutError:
            if lines:
                break
            continue
        if message.type != aiohttp.WSMsgType.BINARY:
            break
        lines.append(message.data.decode())
    return lines


async def next_message(ws, seconds: float = 15):
    """The tab's next message, within `seconds`.

    Always in short waits: aiohttp starts a receive's timeout again each time it
    answers the server's heartbeat ping (every 15 s), so one long wait could never end.
    """
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            return await ws.receive(timeout=min(left, 1.0))
        except asyncio.TimeoutError:
            continue
    raise AssertionError(f"nothing came from the tab within {seconds} s")


async def until(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


# -- sizes ---------------------------------------------------------------------------------


def test_sizes_are_clamped_to_what_a_screen_can_show():
    assert limits.clamp_size(100_000, 100_000) == (500, 200)
    assert limits.clamp_size("20000", "20000") == (500, 200)
    assert limits.clamp_size(-5, 0) == (10, 4)
    assert limits.clamp_size("wide", None) == (80, 24)
    assert limits.clamp_size(float("nan"), True) == (80, 24)
    assert limits.clamp_size(1e300, [1]) == (500, 24)


async def test_a_huge_size_at_connect_and_in_every_resize_reaches_the_quiz_clamped(tmp_path):
    async with Served(tmp_path) as served:
        ws = await served.tab("width=20000&height=20000")
        assert (await said(ws))[0] == "size 500x200"
        await ws.send_json(["resize", {"width": 100_000, "height": 100_000}])
        await ws.send_json(["resize", {"width": "80", "height": -3}])
        await ws.send_json(["resize", {"width": None}])
        heard = await said(ws)
        assert heard == [
            'meta {"height": 200, "type": "resize", "width": 500}',
            'meta {"height": 4, "type": "resize", "width": 80}',
            'meta {"height": 24, "type": "resize", "width": 80}',
        ]
        await ws.close()


async def test_messages_the_page_never_sends_are_ignored_and_the_tab_carries_on(tmp_path):
    async with Served(tmp_path) as served:
        ws = await served.tab()
        await said(ws)
        for junk in ["not json", "[]", "{}", "[1, 2]", '["stdin", 5]', '["resize", "big"]', '["ping", "' + "x" * 100 + '"]',
                     '["quit"]', "null", '"stdin"']:
            await ws.send_str(junk)
        await ws.send_json(["stdin", "a" * 10_000])  # a long paste is fine
        assert await said(ws) == ["stdin 10000"]
        await ws.close()


# -- who may connect ---------------------------------------------------------------------------


async def test_a_websocket_from_another_sites_page_is_refused(tmp_path):
    async with Served(tmp_path) as served:
        for origin in ["http://evil.example", f"http://evil.example:{served.port}", "null", "file://",
                       f"http://127.0.0.1:{served.port + 1}"]:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await served.tab(headers={"Origin": origin})
            assert refused.value.status == 403
        # DNS rebinding: a page at evil.example reaching this server by that name.
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await served.tab(headers={"Origin": f"http://evil.example:{served.port}", "Host": f"evil.example:{served.port}"})
        assert len(served.classroom.sessions) == 0
        assert not served.pidfile.exists()  # no quiz was started for any of them
        # The quiz's own page, by any name the server answers to, is let in.
        for name in ["127.0.0.1", "localhost"]:
            ws = await served.tab(headers={"Origin": f"http://{name}:{served.port}", "Host": f"{name}:{served.port}"})
            assert (await said(ws))[0] == "size 80x24"
            await ws.close()
        assert any("not the quiz's: 'http://evil.example'" in line for _, line in served.classroom.events)


def test_origins_by_the_names_the_server_answers_to():
    addresses = limits.Addresses.of(["localhost", "127.0.0.1", "teacher-laptop", "192.168.1.20"], [8000])
    assert addresses.origin_allowed("http://teacher-laptop:8000", "teacher-laptop:8000")
    assert addresses.origin_allowed("http://192.168.1.20:8000", "192.168.1.20:8000")
    assert addresses.origin_allowed("http://10.0.0.7:8000", "10.0.0.7:8000", arrived_at="10.0.0.7")
    assert not addresses.origin_allowed("http://10.0.0.7:8000", "10.0.0.7:8000", arrived_at="10.0.0.8")
    assert not addresses.origin_allowed("http://teacher-laptop:8001", "teacher-laptop:8000")
    assert not addresses.origin_allowed("https://evil.example", "teacher-laptop:8000")
    assert addresses.origin_allowed(None, "teacher-laptop:8000")  # not a browser: no page to fear


async def test_a_plain_get_of_the_websocket_address_is_one_line_not_a_traceback(tmp_path, caplog):
    async with Served(tmp_path) as served:
        async with served.http.get(f"{served.url}/ws") as response:
            assert response.status == 400
            assert "Open the quiz's main address" in await response.text()
        events = [line for _, line in served.classroom.events]
        assert len(events) == 1 and "asked for the quiz's connection address as a page" in events[0]
    assert "Traceback" not in caplog.text


# -- limits --------------------------------------------------------------------------------------


async def test_a_full_class_gets_a_page_saying_so_and_no_more_processes(tmp_path):
    async with Served(tmp_path, max_sessions=2) as served:
        tabs = [await served.tab(), await served.tab()]
        for ws in tabs:
            await said(ws)
        async with served.http.get(served.url + "/") as page:
            assert page.status == 503
            text = await page.text()
        assert "The class is full" in text and "2 quizzes are open" in text
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await served.tab()
        assert refused.value.status == 503
        assert len(served.classroom.sessions) == 2
        await tabs[0].close()
        await until(lambda: len(served.classroom.sessions) == 1)
        async with served.http.get(served.url + "/") as page:
            assert page.status == 200  # a place is free again
        await tabs[1].close()


async def test_an_idle_tab_is_closed_with_words_and_its_process_ends(tmp_path):
    async with Served(tmp_path, idle_minutes=0.02) as served:  # 1.2 seconds
        ws = await served.tab()
        await said(ws, seconds=5)
        pid = int(served.pidfile.read_text())
        message = await next_message(ws)
        assert message.type == aiohttp.WSMsgType.CLOSE and message.extra == "idle"
        await until(lambda: not alive(pid), 10)
        assert any("idle for 0.02 minutes" in line for _, line in served.classroom.events)


async def test_a_tab_whose_quiz_crashes_is_told_and_its_error_output_stays_small(tmp_path):
    async with Served(tmp_path, behaviour="crash") as served:
        ws = await served.tab()
        while (message := await next_message(ws)).type == aiohttp.WSMsgType.BINARY:
            pass
        assert message.type == aiohttp.WSMsgType.CLOSE and message.extra == "crashed"
        (event,) = [line for _, line in served.classroom.events]
        assert "exit status 3" in event and "ValueError: the last words" in event
        assert len(event) < 400  # the last line of 120 KB of noise, not the noise


async def test_a_tabs_process_ends_within_seconds_of_its_socket_closing_whatever_it_is_doing(tmp_path):
    async with Served(tmp_path, behaviour="stubborn") as served:
        ws = await served.tab()
        await said(ws)
        await ws.send_json(["stdin", "x"])  # now it spins, deaf to quit and to SIGTERM
        await asyncio.sleep(0.5)
        pid = int(served.pidfile.read_text())
        assert alive(pid)
        closed = time.monotonic()
        await ws.close()
        await until(lambda: not alive(pid), 15)
        assert time.monotonic() - closed < 10
        await until(lambda: len(served.classroom.sessions) == 0)


# -- the page ------------------------------------------------------------------------------------


async def test_the_page_fetches_nothing_from_elsewhere_and_links_the_accessible_version_first(tmp_path):
    async with Served(tmp_path) as served:
        async with served.http.get(served.url + "/") as response:
            page = await response.text()
            policy = response.headers["Content-Security-Policy"]
        for resource in ["static/js/textual.js", "static/css/xterm.css", "quiz-static/page.js",
                         "static/fonts/RobotoMono-VariableFont_wght.ttf"]:
            assert resource in page
            async with served.http.get(f"{served.url}/{resource}") as got:
                assert got.status == 200, resource
    assert "googleapis" not in page and "http://" not in page and "https://" not in page
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    body = page.split("<body>", 1)[1]
    first = body.split("<", 2)[1]
    assert first.startswith('a id="accessible" href="accessible/"')
    assert ">Accessible version</a>" in body.split("\n", 2)[1]


# -- the real quiz, forked ----------------------------------------------------------------------------


class Screen:
    """The tab's terminal as the page draws it, the size the page asked for (once the server has clamped it)."""

    def __init__(self, ws, columns: int = 80, lines: int = 24) -> None:
        self.ws = ws
        self.size = (columns, lines)
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)

    def resize(self, columns: int, lines: int) -> None:
        """The tab is now this size. What it showed stays until the quiz draws over it at the new size: the
        terminal only ever grows, so nothing the quiz drew for the old size is clamped into the new one."""
        self.size = (columns, lines)
        if columns > self.screen.columns or lines > self.screen.lines:
            self.screen.resize(max(lines, self.screen.lines), max(columns, self.screen.columns))

    @property
    def display(self) -> list[str]:
        columns, lines = self.size
        return [line[:columns] for line in self.screen.display[:lines]]

    @property
    def text(self) -> str:
        return "\n".join(self.display)

    async def _read(self, seconds: float) -> None:
        # Never one long wait (see next_message).
        try:
            message = await self.ws.receive(timeout=min(seconds, 1.0))
        except asyncio.TimeoutError:
            return
        if message.type == aiohttp.WSMsgType.BINARY:
            self.stream.feed(message.data)
        else:
            raise AssertionError(f"the tab closed ({message.extra}); the screen showed:\n{self.text}")

    async def until(self, words, seconds: float = 20) -> str:
        """Read the tab until `words` show (or `words()` holds), for at most `seconds`."""
        shown = (lambda: words in self.text) if isinstance(words, str) else words
        deadline = time.monotonic() + seconds
        while not shown():
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {words!r}; the screen shows:\n{self.text}"
            await self._read(left)
        return self.text

    async def settled(self, still: float = 1.0, seconds: float = 20) -> str:
        """Read the tab until what it shows has not changed for `still` seconds."""
        deadline = time.monotonic() + seconds
        shown, since = self.text, time.monotonic()
        while time.monotonic() - since < still:
            assert time.monotonic() < deadline, f"the tab never stopped changing; it shows:\n{self.text}"
            await self._read(still)
            if self.text != shown:
                shown, since = self.text, time.monotonic()
        return shown

    async def read_for(self, seconds: float) -> None:
        """Draw whatever the tab sends for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            await self._read(left)

    async def click(self, words: str) -> None:
        row = max(r for r, line in enumerate(self.display) if words in line)
        col = self.display[row].index(words) + len(words) // 2
        await self.ws.send_json(["stdin", f"\x1b[<0;{col + 1};{row + 1}M\x1b[<0;{col + 1};{row + 1}m"])


def quiz_children(server_pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == server_pid:
                found.append(int(entry.name))
    return found


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
async def test_the_real_quiz_forked_stays_small_for_a_huge_resize_shows_hostile_names_and_ends_with_its_socket(tmp_path):
    await asyncio.wait_for(_play_hostile_tab(tmp_path), 60)


async def _play_hostile_tab(tmp_path):
    async with Served(tmp_path, behaviour=None, packs=("warm-up",)) as served:
        assert served.classroom.warm, "the fork server did not start"
        forks = served.classroom._forks.process.pid
        ws = await served.tab(headers=served.origin)
        screen = Screen(ws)
        await screen.until("Your name")
        (child,) = quiz_children(forks)

        # A page that asks for 100,000 x 100,000 cells gets 500 x 200: the quiz draws a screen that size,
        # its keys on the 200th line, and stays small.
        await ws.send_json(["resize", {"width": 100_000, "height": 100_000}])
        screen.resize(500, 200)
        await screen.until(lambda: "Quit" in screen.display[199])
        await screen.read_for(3)
        assert alive(child) and rss_mib(child) < 300

        # Back to 80 x 24. Until the quiz has drawn that size (its keys on the 24th line), the terminal still
        # shows the big screen's corner; and the first frame at 80 columns still has the wide layout (Textual
        # sets the narrow one's class just after drawing it). The name box is where it shows once all is drawn.
        await ws.send_json(["resize", {"width": 80, "height": 24}])
        await ws.send_json(["focus"])
        screen.resize(80, 24)
        await screen.until(lambda: "Quit" in screen.display[23])
        assert "Your name" in await screen.settled()

        # A hostile name shows literally in the tab, and a 10,000-character paste after it is only text.
        await screen.click("Your name")
        await asyncio.sleep(0.5)
        await ws.send_json(["stdin", "[@click=app.quit] [/] \x1b[2J"])
        await screen.until("[@click=app.quit] [/]")
        await ws.send_json(["stdin", "\t\x1b[200~" + "[/]" + "p" * 10_000 + "\x1b[201~"])
        await screen.until("ppppppppppppppppppppppp")
        assert alive(child)
        await ws.send_json(["stdin", "\r"])
        await screen.until("Question 1 of")

        # One answer saves the attempt; the keys that answer whatever question came first.
        rows = []
        answers = ["1", "\r", "f", "\r", "1", "1", "1", "1", "\r", "2", "\r"]
        deadline = time.monotonic() + 20
        while not rows and time.monotonic() < deadline:
            await ws.send_json(["stdin", answers[0]])
            answers.append(answers.pop(0))
            await asyncio.sleep(0.5)
            rows = await asyncio.to_thread(served.classroom.progress)
        # The teacher's table, read from the attempt file that tab wrote, shows both as typed.
        (row,) = rows
        assert row.student.startswith("[@click=app.quit] [/]") and "[/]ppppp" in row.student + row.group
        assert serve.progress_cells(row)[:2] == (row.student, row.group)  # as typed, nothing interpreted
        assert alive(child) and served.classroom.events_seen == 0  # nothing went wrong

        # Another student's tab is served meanwhile, and its process is its own.
        other = Screen(await served.tab())
        await other.until("Your name")
        assert len(quiz_children(forks)) == 2

        await ws.close()
        await until(lambda: not alive(child), 10)
        await other.ws.close()
        await until(lambda: quiz_children(forks) == [], 10)
