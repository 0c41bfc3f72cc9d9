"""Tabs' quizzes made ready before the class arrives (quiz.serving.spares), on a real `quiz serve`.

Each test serves the real quiz, forked from the fork server, keeps one or two
spares, and checks what a student and the teacher would notice: a tab that
takes a spare shows its whole first screen at its own size and plays as any
other, with a resume code that carries the attempt on; a spare made before
the class list changed, or one that has died, is never what a tab gets; and
nothing is left running when the lesson stops.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys

import pytest

from quiz import serve, store
from quiz.roster import ClassRules, read_roster

pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve", reason="the serve extra is not installed")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks tabs and reads /proc")

from helpers import Screen, Served, alive, quiz_children, until  # noqa: E402  (after the skips)

# The resume code as the quiz says it when the attempt starts (wording.code_at_start), wrapped or not.
CODE = re.compile(r"carrying on later is ([A-Z0-9]{4}-[A-Z0-9]{4})")


@pytest.fixture(autouse=True)
def _no_refill(monkeypatch):
    """Spares taken are not made again during a test (a server does that once no tab has opened for a while)."""
    from quiz.serving import spares

    monkeypatch.setattr(spares, "CALM_SECONDS", 3600.0)


async def ready(served: Served, count: int) -> list[int]:
    """Wait until the server has `count` spares with their first screen drawn; their processes."""
    spares = served.classroom._spares
    await until(lambda: len(spares.ready) == count, 60)
    return [spare.pid for spare in spares.ready]


async def test_a_tab_takes_a_ready_quiz_sees_its_whole_first_screen_at_its_own_size_and_plays(tmp_path):
    await asyncio.wait_for(_take_a_spare(tmp_path), 120)


async def _take_a_spare(tmp_path):
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=2) as served:
        forks = served.classroom._forks.process.pid
        spares = await ready(served, 2)
        assert sorted(quiz_children(forks)) == sorted(spares)  # nothing else started
        await until(lambda: served.classroom.events_seen == 1)
        assert [line for _, line in served.classroom.events] == [
            "2 tabs are ready for the class: students who open the page now start at once."]

        # A big tab: the spare was drawn 80 x 3 for nobody; the tab sees all of its home screen at 120 x 30,
        # the keys on its last line, and no other process is started for it.
        ws = await served.tab("width=120&height=30")
        screen = Screen(ws, 120, 30)
        await ws.send_json(["resize", {"width": 120, "height": 30}])
        await ws.send_json(["focus"])
        await screen.until(lambda: "Quit" in screen.display[29] and "Your name" in screen.text)
        shown = await screen.settled()
        assert "Warm-up" in shown and "Start" in shown
        assert max(len(line.rstrip()) for line in screen.display) > 80  # laid out for 120 columns
        assert sorted(quiz_children(forks)) == sorted(spares)
        assert [s.pid for s in served.classroom._spares.ready] == spares[1:]  # the first spare is this tab's
        # What the teacher's screen says of it.
        assert serve.summary_line(len(served.classroom.sessions), [], served.classroom.started, 60,
                                  ready=served.classroom.ready_tabs).startswith("1 of 60 tabs open · 1 ready · ")

        # The student plays; the code the quiz gives is the one made while the spare waited, and it works.
        await screen.click("Your name")
        await asyncio.sleep(0.3)
        await ws.send_json(["stdin", "Sam Lee\r"])
        await screen.until("Question 1 of")
        said = await screen.until(lambda: CODE.search(" ".join(screen.text.split())))
        code = CODE.search(" ".join(said.split())).group(1)
        answers = ["1", "\r", "f", "\r", "1", "1", "1", "1", "\r", "2", "\r"]
        rows: list = []
        while not rows:
            await ws.send_json(["stdin", answers[0]])
            answers.append(answers.pop(0))
            await asyncio.sleep(0.3)
            rows = await asyncio.to_thread(served.classroom.progress)
        assert rows[0].student == "Sam Lee" and rows[0].answered >= 1
        await ws.close()
        await until(lambda: not alive(spares[0]), 10)
        assert store.resume(tmp_path / "results", "warm-up", "Sam Lee", code).attempt.student == "Sam Lee"

        # A tab 80 x 24, the page's usual size, gets the other spare, and its whole screen too.
        other = Screen(await served.tab("width=80&height=24"))
        await other.until(lambda: "Quit" in other.display[23] and "Your name" in other.text)
        assert served.classroom._spares.ready == []
        assert sorted(quiz_children(forks)) == spares[1:]
    # The lesson stopped: its tabs' quizzes and the spares have ended with it.
    await until(lambda: not any(alive(pid) for pid in spares), 10)


async def test_a_class_list_changed_after_the_spares_were_made_is_the_one_a_new_tab_uses(tmp_path):
    await asyncio.wait_for(_changed_class_list(tmp_path), 120)


async def _changed_class_list(tmp_path):
    class_list = tmp_path / "class.csv"
    class_list.write_text("name;class\nBen Shaw;10B\nAna Silva;10A\n", encoding="utf-8")
    rules = ClassRules(roster=read_roster(class_list))
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=1, rules=rules) as served:
        (stale,) = await ready(served, 1)
        # The teacher adds a student who was missing from the list, during the lesson.
        class_list.write_text("name;class\nBen Shaw;10B\nAna Silva;10A\nZoë Adams;10C\n", encoding="utf-8")
        screen = Screen(await served.tab("width=120&height=40"), 120, 40)
        shown = await screen.until("Zoë Adams")  # the new list: this is not the spare made before it
        assert "Ben Shaw" in shown
        await until(lambda: not alive(stale), 10)


async def test_a_spare_that_died_is_never_what_a_tab_gets(tmp_path):
    await asyncio.wait_for(_dead_spare(tmp_path), 120)


async def _dead_spare(tmp_path):
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=1) as served:
        forks = served.classroom._forks.process.pid
        (dead,) = await ready(served, 1)
        os.kill(dead, signal.SIGKILL)
        await until(lambda: served.classroom._spares.ready[0].exited.done(), 10)
        screen = Screen(await served.tab())
        await screen.until(lambda: "Quit" in screen.display[23] and "Your name" in screen.text)
        (child,) = quiz_children(forks)
        assert child != dead
        # The teacher heard that a tab was ready, and nothing about the one that died before any tab took it.
        assert [line for _, line in served.classroom.events] == [
            "1 tab is ready for the class: students who open the page now start at once."]


@pytest.fixture
def quick(monkeypatch):
    """Spares made again half a second after the last tab opened, and looked at twice a second."""
    from quiz.serving import spares

    monkeypatch.setattr(spares, "CALM_SECONDS", 0.5)
    monkeypatch.setattr(spares, "CHECK_SECONDS", 0.5)


async def test_spares_made_again_never_take_the_quiz_processes_past_the_cap(tmp_path, quick):
    await asyncio.wait_for(_within_the_cap(tmp_path), 120)


async def _within_the_cap(tmp_path):
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=2, max_sessions=2) as served:
        forks = served.classroom._forks.process.pid
        await ready(served, 2)
        tabs = [Screen(await served.tab()) for _ in range(2)]
        for tab in tabs:
            await tab.until("Your name")
        # The class is full: nothing is made ready for a tab that cannot come.
        await asyncio.sleep(2)
        assert len(quiz_children(forks)) == 2 and served.classroom._spares.ready == []
        # One leaves: a place is free, and a spare waits in it.
        await tabs[0].ws.close()
        await until(lambda: len(served.classroom._spares.ready) == 1, 30)
        await asyncio.sleep(1)
        assert len(quiz_children(forks)) == 2


async def test_spares_end_with_the_lesson_even_when_the_fork_server_went_first(tmp_path):
    await asyncio.wait_for(_fork_server_killed(tmp_path), 120)


async def _fork_server_killed(tmp_path):
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=2) as served:
        spares = await ready(served, 2)
        os.kill(served.classroom._forks.process.pid, signal.SIGKILL)
        await until(lambda: not served.classroom._forks.alive, 10)
        assert all(alive(pid) for pid in spares)
    # Nobody could reap them for the fork server, but each was asked to quit, and did.
    await until(lambda: not any(alive(pid) for pid in spares), 10)


async def test_a_class_list_saved_broken_stops_spares_only_until_it_is_fixed(tmp_path, quick):
    await asyncio.wait_for(_broken_class_list(tmp_path), 120)


async def _broken_class_list(tmp_path):
    class_list = tmp_path / "class.csv"
    good = "name;class\nBen Shaw;10B\nAna Silva;10A\n"
    class_list.write_text(good, encoding="utf-8")
    rules = ClassRules(roster=read_roster(class_list))
    async with Served(tmp_path, behaviour=None, packs=("warm-up",), spares=1, rules=rules) as served:
        (first,) = await ready(served, 1)
        class_list.write_text("", encoding="utf-8")  # saved half-written: a tab's quiz cannot start with it
        await until(lambda: not alive(first), 10)
        await asyncio.sleep(2)
        assert served.classroom._spares.ready == []
        class_list.write_text(good + "Zoë Adams;10C\n", encoding="utf-8")
        (second,) = await ready(served, 1)
        screen = Screen(await served.tab("width=120&height=40"), 120, 40)
        await screen.until("Zoë Adams")
        assert served.classroom._spares.ready == []  # the tab took it


def test_only_a_meta_message_saying_drawn_makes_a_spare_ready():
    from quiz.serving.packets import is_drawn

    assert is_drawn(b"M", b'{"type": "drawn"}')
    # The screen's own bytes, other messages, and anything malformed are not it, and never stop the reading.
    assert not is_drawn(b"D", b'{"type": "drawn"}')
    assert not is_drawn(b"M", b'{"type": "exit"}')
    for payload in (b"[1, 2]", b"not json", b'"drawn"', b"\xff\xfe"):
        assert not is_drawn(b"M", payload)
