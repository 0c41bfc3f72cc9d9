"""`quiz serve` with the teacher's rules: --roster, --time-limit, --extra-time and --attempts.

The rules reach every tab's quiz through its command (parsed back exactly as
the teacher gave them), the teacher reads them in one line at the start, and
a real server on 127.0.0.1 refuses a student a second live session of a pack,
whether the first is a terminal tab or an accessible page.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, free_port
from quiz import serve
from quiz.cli import build_parser, main
from quiz.cli.rules import rules_from
from quiz.roster import ClassRules, read_roster
from quiz.timing import parse_extra_time

CLASS = "name;class;id;extra time\nBen Shaw;10B;S1;\nAna Silva;10A;S2;+25%\nZoë Adams;10C;S3;\n"


@pytest.fixture
def class_list(tmp_path) -> Path:
    path = tmp_path / "class.csv"
    path.write_text(CLASS, encoding="utf-8-sig")
    return path


def teachers_rules(class_list: Path) -> ClassRules:
    return ClassRules(
        roster=read_roster(class_list), time_limit=20 * 60,
        extra_time={"ben shaw": parse_extra_time("+10m")}, attempts=2,
    )


# -- the tabs' command ----------------------------------------------------------------


def test_each_tab_is_started_with_the_teachers_rules_and_reads_them_back_the_same(tmp_path, class_list, monkeypatch):
    rules = teachers_rules(class_list)
    argv = shlex.split(serve.student_command(tmp_path / "r", packs=["warm-up"], mode="test", rules=rules))
    rest = argv[argv.index("quiz") + 1:]
    assert rest[rest.index("--roster") + 1] == str(class_list.absolute())
    assert rest[rest.index("--time-limit") + 1] == "20m"
    assert rest[rest.index("--extra-time") + 1] == "ben shaw=+10m"
    assert rest[rest.index("--attempts") + 1] == "2"
    monkeypatch.chdir(REPO)  # the list is found wherever the tab's quiz runs
    again = rules_from(build_parser().parse_args(rest))
    assert again.time_limit == rules.time_limit and again.attempts == 2
    assert dict(again.extra_time) == dict(rules.extra_time)
    assert [s.name for s in again.roster] == ["Ben Shaw", "Ana Silva", "Zoë Adams"]
    # The fork server prepares the quiz with the same arguments its tabs run.
    lesson = serve.Lesson(results_dir=tmp_path / "r", packs=("warm-up",), mode="test", rules=rules)
    assert serve.fork_server_argv(lesson)[-len(rest):] == rest


def test_without_rules_the_tabs_command_is_as_before(tmp_path):
    assert "--roster" not in serve.student_argv(tmp_path, packs=["warm-up"])
    assert serve.rules_line(serve.Lesson(results_dir=tmp_path)) is None


def test_a_served_tab_builds_the_app_with_the_rules(tmp_path, class_list, monkeypatch):
    import quiz.ui.app

    built = {}

    class FakeApp:
        return_code = 0

        def run(self):
            pass

    monkeypatch.setattr(quiz.ui.app, "make_app", lambda **options: built.update(options) or FakeApp())
    argv = serve.quiz_arguments(tmp_path, packs=["warm-up"], mode="test", rules=teachers_rules(class_list))
    assert main(argv) == 0
    rules = built["rules"]
    assert built["served"] is True and rules.attempts == 2 and rules.time_limit == 1200
    assert rules.student("zoe adams").id == "S3"


# -- the teacher's side -------------------------------------------------------------------


def test_the_teacher_reads_the_rules_in_one_line_at_the_start(tmp_path, class_list):
    lesson = serve.Lesson(results_dir=tmp_path, mode="test", rules=teachers_rules(class_list))
    line = serve.rules_line(lesson)
    assert line == (
        "Rules: time limit 20 minutes in test mode; extra time for 2 students; "
        "class list of 3 names (others are refused); at most 2 finished attempts a pack each."
    )
    assert line in serve.welcome(lesson)
    only_attempts = serve.Lesson(results_dir=tmp_path, rules=ClassRules(attempts=1))
    assert serve.rules_line(only_attempts) == "Rules: at most 1 finished attempt a pack each."


def test_serve_help_lists_the_four_flags(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    for flag in ("--roster CLASS.csv", "--time-limit TIME", "--extra-time NAME=+50%", "--attempts N"):
        assert flag in said


def test_serve_takes_the_flags_and_a_time_limit_makes_it_a_test(tmp_path, class_list, monkeypatch):
    import quiz.cli.serve as command

    seen = {}
    monkeypatch.setattr(command, "serve_plain", lambda lesson, out, err: seen.setdefault("lesson", lesson) and 0)
    monkeypatch.setattr(serve, "check_lesson", lambda lesson: [])
    code = main(["serve", "--results", str(tmp_path / "r"), "--roster", str(class_list), "--time-limit", "20m",
                 "--extra-time", "Zoë Adams=+50%", "--attempts", "1"])
    assert code == 0
    lesson = seen["lesson"]
    assert lesson.mode == "test" and lesson.rules.time_limit == 1200 and lesson.rules.attempts == 1
    assert len(lesson.rules.roster) == 3 and "zoe adams" in lesson.rules.extra_time


def test_serve_refuses_rules_it_cannot_use_in_plain_words(tmp_path, class_list, capsys):
    code = main(["serve", "--results", str(tmp_path / "r"), "--roster", str(class_list),
                 "--extra-time", "Mallory=+50%", "--time-limit", "20", "--mode", "practice"])
    assert code == 2
    said = capsys.readouterr().err
    assert "--extra-time: Mallory is not on the class list class.csv" in said
    assert "--time-limit: '20' has no unit" in said
    assert "--time-limit is for tests: practice is never timed." in said


# -- a real server: one live session a student ---------------------------------------------------------


class Screen:
    """What a tab shows, as a wide terminal draws it (long sentences stay on one line)."""

    def __init__(self, ws, columns: int = 160, rows: int = 40) -> None:
        import pyte

        self.ws = ws
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.screen.display).split())

    async def until(self, words: str, seconds: float = 40) -> str:
        import aiohttp

        deadline = time.monotonic() + seconds
        while words not in self.text:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {words!r}; the tab shows:\n" + "\n".join(self.screen.display)
            try:
                # Short waits: aiohttp starts a receive's timeout again each time it answers the server's
                # heartbeat ping (every 15 s), so one long wait on a quiet tab could outlast the limit.
                message = await self.ws.receive(timeout=min(left, 1.0))
            except asyncio.TimeoutError:
                continue
            assert message.type == aiohttp.WSMsgType.BINARY, f"the tab closed: {message}"
            self.stream.feed(message.data)
        return self.text

    async def click(self, words: str) -> None:
        row = max(r for r, line in enumerate(self.screen.display) if words in line)
        col = self.screen.display[row].index(words) + len(words) // 2
        await self.ws.send_json(["stdin", f"\x1b[<0;{col + 1};{row + 1}M\x1b[<0;{col + 1};{row + 1}m"])
        await asyncio.sleep(0.3)

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.ws.send_json(["stdin", key])
            await asyncio.sleep(0.3)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks tabs and reads the screen as Linux draws it")
async def test_a_real_server_gives_a_student_one_live_session_of_a_pack_across_tabs_and_pages(tmp_path, class_list):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    pytest.importorskip("pyte")
    await asyncio.wait_for(_one_session(tmp_path, class_list), 240)


async def pick(tab: Screen, typed: str) -> None:
    """Find a name on the tab's class list as a student does, pick it, and start."""
    await tab.until("First letters of your name")
    await tab.click("First letters of your name")
    await tab.keys(*typed)
    await tab.until(f"Enter picks {typed.capitalize()}")
    await tab.keys("\r")
    await tab.until("Enter starts")
    await tab.keys("\r")


async def _page(http, url: str, name: str) -> tuple[int, str]:
    """An accessible page's start form posted with this name: (status, the page's words)."""
    import html
    import re

    async with http.get(f"{url}/accessible/") as r:
        csrf = re.search(r'name="csrf" value="([^"]+)"', await r.text()).group(1)
    form = {"csrf": csrf, "pack": "warm-up", "student": name, "mode": "test"}
    async with http.post(f"{url}/accessible/start", data=form) as r:
        return r.status, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", await r.text())).split())


async def _one_session(tmp_path, class_list):
    import aiohttp

    from quiz.cli.serve import accessible_pages

    port = free_port()
    lesson = serve.Lesson(results_dir=tmp_path / "results", port=port, packs=("warm-up",), mode="test",
                          rules=ClassRules(roster=read_roster(class_list), time_limit=20 * 60))
    classroom = serve.Classroom(lesson, extra_routes=accessible_pages(lesson))
    await classroom.start()
    url = f"http://127.0.0.1:{port}"
    origin = {"Origin": url}
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http, \
                aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other_http:
            assert classroom.warm, "the fork server did not start"
            first = Screen(await http.ws_connect(f"{url}/ws?width=160&height=40", headers=origin))
            # The tab's home screen has the teacher's class list: the rules reached its quiz.
            await first.until("Zoë Adams")
            await pick(first, "ben")
            shown = await first.until("Question 1 of")
            assert "Time left: 20 minutes" in shown or "Time left: 19 minutes" in shown

            # A second tab with the same name is refused in words; nothing new is started.
            second = Screen(await http.ws_connect(f"{url}/ws?width=160&height=40", headers=origin))
            await second.until("Zoë Adams")
            await pick(second, "ben")
            said = await second.until("already playing")
            assert ("Ben Shaw is already playing Warm-up: an invented local news story in another tab or browser. "
                    "Carry on there, or close it and try again here") in said
            assert "Question 1 of" not in said

            # So is an accessible page; and a name not on the list is refused there as well.
            status, said = await _page(other_http, url, "Ben Shaw")
            assert status == 409 and "Ben Shaw is already playing Warm-up: an invented local news story in another tab" in said
            status, said = await _page(other_http, url, "Mallory")
            assert status == 400 and "Mallory is not on your teacher's class list." in said

            # The other way round: a page playing keeps a tab from starting the same pack.
            status, said = await _page(other_http, url, "Ana Silva")
            assert status == 200 and "This test has a time limit of 20 minutes, with 5 minutes extra time." in said
            third = Screen(await http.ws_connect(f"{url}/ws?width=160&height=40", headers=origin))
            await third.until("Zoë Adams")
            await pick(third, "ana")
            await third.until("Ana Silva is already playing")
            await third.ws.close()

            # Closing the first tab ends its quiz, which lets go: the name plays again.
            await first.ws.close()
            deadline = time.monotonic() + 20
            while True:
                status, said = await _page(http, url, "Ben Shaw")
                if status == 200 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.5)
            assert status == 200 and "Start question 1" in said, said
            await second.ws.close()
    finally:
        await classroom.stop()
