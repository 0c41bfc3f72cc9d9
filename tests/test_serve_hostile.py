"""`quiz serve` against browsers that cannot be trusted: a real server on 127.0.0.1, hostile messages.

Most tests serve a stand-in for the quiz (a small Python program that speaks
textual-serve's protocol and says what it was sent), so they are about the
server; the last ones serve the real quiz, forked from the fork server, and
check what a student and the teacher would notice.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from quiz import serve
from quiz.serving import limits

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve", reason="the serve extra is not installed")

from helpers import Screen, Served, alive, quiz_children, until  # noqa: E402  (after the skips)

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


# -- sizes ---------------------------------------------------------------------------------


def test_sizes_are_clamped_to_what_a_screen_can_show():
    assert limits.clamp_size(100_000, 100_000) == (500, 200)
    assert limits.clamp_size("20000", "20000") == (500, 200)
    assert limits.clamp_size(-5, 0) == (30, 4)
    assert limits.clamp_size("wide", None) == (80, 24)
    assert limits.clamp_size(float("nan"), True) == (80, 24)
    assert limits.clamp_size(1e300, [1]) == (500, 24)


@pytest.mark.parametrize("with_class_list", [False, True])
async def test_the_narrowest_tab_a_browser_can_ask_for_shows_the_home_screen(tmp_path, with_class_list):
    # At 12 columns (the home screen) or 20 (with a class list) Textual could not lay the quiz out, and the
    # tab's quiz crashed: the clamp keeps a tab wider than that.
    from helpers import screen_name, screen_text
    from quiz.roster import ClassRules, read_roster
    from quiz.ui.app import make_app

    class_list = tmp_path / "class.csv"
    class_list.write_text("name;class\nBen Shaw;10B\nAna Silva;10A\n", encoding="utf-8")
    rules = ClassRules(roster=read_roster(class_list)) if with_class_list else None
    app = make_app(pack=None, results_dir=tmp_path / "r", served=True, only_packs=["warm-up"], rules=rules)
    async with app.run_test(size=limits.clamp_size(1, 24)) as pilot:
        # The packs are looked for in a thread: wait (a while, on a busy machine) until the list has them.
        for _ in range(100):
            await pilot.pause(0.05)
            if screen_name(app) == "HomeScreen" and app.screen.query_one("#packs").option_count:
                break
        # Drawn, its title and keys in place; the pack is on its list (which part shows depends on focus).
        shown = screen_text(app)
        assert screen_name(app) == "HomeScreen" and "Media literacy quiz" in shown and "Quit" in shown
        assert app.screen.query_one("#packs").option_count == 1
    assert app.return_code in (None, 0)


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


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
async def test_the_real_quiz_forked_stays_small_for_a_huge_resize_shows_hostile_names_and_ends_with_its_socket(tmp_path):
    await asyncio.wait_for(_play_hostile_tab(tmp_path), 60)


async def _play_hostile_tab(tmp_path):
    # No spare tabs (tests/test_serve_spares.py has them): this tab's process is the only one forked.
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=0) as served:
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
