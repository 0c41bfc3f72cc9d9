"""A student's browser tab on `quiz serve`: headless Chromium plays the warm-up pack by keys.

The page draws the terminal on a canvas, so the screen is rebuilt here from
what the server sends the page over its websocket (pyte plays the terminal),
and the keys go through the page's own keyboard handler, as a student's do.
The test passes when the right answers, given by keys alone, land as a
finished attempt with full marks in the teacher's results folder.

Needs Debian's chromium (.ci/run installs it) and Playwright for Python. Off
CI a missing browser or Playwright skips the test, saying which; on CI (CI set)
it fails. Anything else that stops a tab being served is a failure.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, free_port, right_response
from quiz.model import Pack, Question
from quiz.packs import load_pack

# About 82x26 cells: narrow enough that the story is a toggle, not a side pane.
VIEWPORT = {"width": 740, "height": 480}
STUDENT = "Sam Lee"


@pytest.fixture
def served(tmp_path):
    """`quiz serve` of the warm-up pack in test mode, on a free port; stopped, with every tab's quiz, after.

    It keeps two tabs' quizzes ready, and the browser comes once they are, so the tab it opens is one
    drawn before it came (quiz.serving.spares), as a class's tabs are.
    """
    results = tmp_path / "results"
    port = free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "quiz", "serve", "--port", str(port), "--results", str(results),
         "--pack", "warm-up", "--mode", "test", "--ready", "2"],
        stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
        # Its own process group, so the cleanup below reaches every tab's quiz too.
        start_new_session=True,
    )
    try:
        _wait_for_port(port, server, tmp_path / "server.log")
        _wait_for_log(server, tmp_path / "server.log", "2 tabs are ready for the class")
        yield f"http://127.0.0.1:{port}/", results
    finally:
        _stop(server)
        log.close()


def _wait_for_port(port: int, server: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"quiz serve stopped at once:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"quiz serve did not listen within {seconds}s:\n{log.read_text()}")


def _wait_for_log(server: subprocess.Popen, log: Path, words: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while words not in log.read_text():
        if server.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"quiz serve never said {words!r}:\n{log.read_text()}")
        time.sleep(0.2)


def _stop(server: subprocess.Popen) -> None:
    """Ctrl+C as a teacher would; then, if anything is left, end the whole group."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait(timeout=10)


class BrowserTerminal:
    """The screen a student sees in the tab, rebuilt from the websocket's output."""

    def __init__(self, page) -> None:
        import pyte

        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.last_output = time.monotonic()
        page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:
        websocket.on("framesent", self._sent)
        websocket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        # The page tells the server its size in cells; the pyte screen must match it.
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)
            self.last_output = time.monotonic()

    @property
    def lines(self) -> list[str]:
        return [" ".join(line.split()) for line in self.screen.display]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def picture(self) -> tuple:
        """Every cell with its colours and styles: a pick often changes only a highlight, not the words."""
        buffer, columns = self.screen.buffer, self.screen.columns
        return tuple(tuple(buffer[row][col] for col in range(columns)) for row in range(self.screen.lines))

    def wait_for(self, condition, what: str, seconds: float = 20):
        """Wait (letting the page's events run) until `condition(self)` is true; return its value."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = condition(self)
            if found:
                return found
            self.page.wait_for_timeout(50)
        raise AssertionError(f"waited {seconds}s for {what}; the screen shows:\n{self.text}")

    def settle(self, quiet: float = 0.3, seconds: float = 10) -> None:
        """Wait until the app has drawn nothing for `quiet` seconds.

        A new screen is drawn before its field takes focus, and keys that
        arrive in between go elsewhere (an `s` opens the story), so keys
        wait for the app to be done drawing.
        """
        deadline = time.monotonic() + seconds
        while time.monotonic() - self.last_output < quiet and time.monotonic() < deadline:
            self.page.wait_for_timeout(25)

    def press(self, key: str) -> None:
        """One key (or a word typed), then a wait for the screen to answer it and settle."""
        before = self.picture()
        if len(key) > 1 and key not in ("Enter", "Tab"):
            self.page.keyboard.type(key)
        else:
            self.page.keyboard.press(key)
        deadline = time.monotonic() + 2
        while self.picture() == before and time.monotonic() < deadline:
            self.page.wait_for_timeout(20)
        self.settle()

    def click(self, words: str) -> None:
        """Click the middle of the lowest `words` on screen (a field, not its heading), as a student would."""
        row = max(r for r, line in enumerate(self.screen.display) if words in line)
        col = self.screen.display[row].index(words) + len(words) / 2
        box = self.page.locator(".xterm-screen").bounding_box()
        cell_width, cell_height = box["width"] / self.screen.columns, box["height"] / self.screen.lines
        self.page.mouse.click(box["x"] + col * cell_width, box["y"] + (row + 0.5) * cell_height)

    def row_of(self, words: str) -> int:
        """The screen row where `words` begin (their first 25 characters, spaces folded)."""
        start = " ".join(words.split())[:25]
        for row, line in enumerate(self.lines):
            if start in line:
                return row
        raise AssertionError(f"{words!r} is not on screen:\n{self.text}")


def on_screen_question(terminal: BrowserTerminal, pack: Pack, done: set[str]) -> Question | None:
    """The question on screen, if it has not been answered yet: by its prompt, and by its claim
    where several share a prompt (every verdict asks "Fair or misleading?")."""
    text = " ".join(terminal.text.split())

    def shown(words: str) -> bool:
        return " ".join(words.split())[:30] in text

    candidates = [q for q in pack.questions if q.id not in done and shown(q.prompt)]
    if len(candidates) > 1:
        candidates = [q for q in candidates if q.claim and shown(q.claim)]
    return candidates[0] if len(candidates) == 1 else None


def keys_for(terminal: BrowserTerminal, question: Question) -> list[str]:
    """The keys that answer `question` right, worked out from where its options are on screen."""
    wanted = right_response(question)
    if question.type in ("choice", "phrase", "multi"):
        shown = sorted(question.options, key=lambda o: terminal.row_of(o.text))
        picks = wanted if question.type == "multi" else [wanted]
        return [str([o.text for o in shown].index(text) + 1) for text in picks] + ["Enter"]
    if question.type == "match":
        shown = sorted(question.items, key=lambda i: terminal.row_of(i.text))
        return [str(question.categories.index(wanted[i.text]) + 1) for i in shown] + ["Enter"]
    if question.type == "number":
        return [f"{float(wanted):g}", "Enter"]
    if question.type == "text":
        return [wanted, "Enter"]
    return ["f" if wanted == "fair" else "m", "Enter"]


def attempt_files(results: Path) -> list[Path]:
    return sorted(results.rglob("*.json"))


def answers_saved(results: Path) -> int:
    files = attempt_files(results)
    if not files:
        return 0
    try:
        return len(json.loads(files[0].read_text(encoding="utf-8"))["answers"])
    except (OSError, ValueError):
        return 0  # caught between writes; the next look will see it


def test_a_browser_tab_plays_the_warm_up_to_a_saved_full_score(served, browser, tmp_path):
    url, results = served
    pack = load_pack(REPO / "questions" / "00-warm-up.yaml")
    page = browser.new_page(viewport=VIEWPORT)
    terminal = BrowserTerminal(page)
    # Every address the tab asks for, websockets too: all must be the teacher's server.
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda websocket: asked.append(websocket.url))
    try:
        page.goto(url, wait_until="domcontentloaded")
        home = terminal.wait_for(lambda t: "Pick a pack" in t.text and "Warm-up" in t.text and t.text, "the home screen")
        assert "Com networks" not in home, "a pack the teacher did not choose is on offer"
        assert "set by your teacher" in home
        # The whole terminal is in the window, under the link to the accessible version: its last line
        # (the keys, "esc Quit") was drawn below the window's bottom edge, out of sight.
        terminal.wait_for(lambda t: "Quit" in t.lines[-1], "the keys on the last line")
        box = page.locator(".xterm-screen").bounding_box()
        link = page.locator("#accessible").bounding_box()
        assert box["y"] >= link["y"] + link["height"] - 1
        assert box["y"] + box["height"] <= VIEWPORT["height"], f"the terminal ends at {box['y'] + box['height']} px"

        # The first Tab stop is the link to the accessible version.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Accessible version"
        assert page.evaluate("document.activeElement.getAttribute('href')") == "accessible/"

        page.locator(".xterm-helper-textarea").focus()
        terminal.settle()
        terminal.click("Your name")
        terminal.settle()
        terminal.press(STUDENT)
        terminal.wait_for(lambda t: STUDENT in t.text, "the name typed")
        terminal.press("Enter")

        done: set[str] = set()
        while len(done) < len(pack.questions):
            question = terminal.wait_for(lambda t: on_screen_question(t, pack, done), f"question {len(done) + 1}")
            terminal.settle()
            for key in keys_for(terminal, question):
                terminal.press(key)
            done.add(question.id)
            terminal.wait_for(lambda t: answers_saved(results) == len(done), f"answer {len(done)} to be saved")

        terminal.wait_for(lambda t: "You scored 9 of 9" in t.text, "the results screen")
    finally:
        page.screenshot(path=str(tmp_path / "browser.png"))

    server = url.split("//", 1)[1].rstrip("/")
    network = [a for a in asked if not a.startswith(("data:", "blob:"))]
    elsewhere = [a for a in network if "//" not in a or a.split("//", 1)[1].split("/", 1)[0] != server]
    assert asked and not elsewhere, f"the tab asked other addresses than the server's: {elsewhere}"
    assert any(a.startswith(f"ws://{server}/ws") for a in asked)

    (path,) = attempt_files(results)
    assert path.parent == results / "warm-up"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["student"] == STUDENT and saved["mode"] == "test"
    assert saved["finished"] is not None
    assert sorted(saved["order"]) == sorted(q.id for q in pack.questions)
    assert [a["score"] for a in saved["answers"]] == [1.0] * 9
