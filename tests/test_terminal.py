"""The installed `quiz` command in a real pseudo-terminal, played by keys to the results.

pexpect runs `quiz play warm-up` at 80x24 and pyte keeps the screen a student
would see, so this checks what no Pilot test can: the console script, the
terminal driver, and that a score is read off a real screen.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

from helpers import keys_for, warm_up  # noqa: E402
from quiz.engine import Run  # noqa: E402

COLUMNS, LINES = 80, 24
KEY_BYTES = {"enter": "\r", "space": " ", "escape": "\x1b"}


def quiz_command() -> str:
    beside_python = Path(sys.executable).with_name("quiz")
    found = shutil.which("quiz") if not beside_python.exists() else str(beside_python)
    if not found:
        pytest.skip("the quiz console script is not installed (pip install -e .)")
    return found


class Terminal:
    """A pty running one command, with the screen as pyte draws it."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, dimensions=(LINES, COLUMNS), timeout=10
        )

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, seconds: float = 0.1) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=seconds)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            return
        self.stream.feed(data)

    def wait_for(self, words: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if words in self.text:
                return self.text
            if not self.child.isalive() and words not in self.text:
                self.pump()
                break
        raise AssertionError(f"{words!r} never appeared on screen:\n{self.text}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.child.send(KEY_BYTES.get(key, key))
            self.pump(0.05)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def open_terminal(*args: str) -> Terminal:
        env = dict(os.environ)
        env.update(
            TERM="xterm-256color",
            QUIZ_RESULTS=str(tmp_path / "results"),
            COLUMNS=str(COLUMNS),
            LINES=str(LINES),
        )
        env.pop("TEXTUAL", None)  # no devtools in a plain run
        t = Terminal([quiz_command(), *args], env)
        opened.append(t)
        return t

    yield open_terminal
    for t in opened:
        t.close()


def test_play_warm_up_by_keys_in_a_real_terminal(terminal, tmp_path):
    t = terminal("play", "warm-up", "--student", "X", "--seed", "1")
    # The same seed gives the same order and options in the engine as in the app.
    run = Run.start(warm_up(), student="X", seed=1, now=datetime.now(timezone.utc))
    questions = run.questions
    for number, question in enumerate(questions, 1):
        t.wait_for(f"Question {number} of {len(questions)}")
        t.wait_for(" ".join(question.prompt.split()[:3]))
        t.press(*keys_for(run, question, right=True))
        t.wait_for("✓ Right")
        t.press("enter")
    screen = t.wait_for("You scored")
    assert "You scored 8 of 8" in screen
    assert "100%" in screen

    files = sorted((tmp_path / "results").rglob("*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved["student"] == "X" and saved["seed"] == 1
    assert saved["finished"] is not None
    assert [a["score"] for a in saved["answers"]] == [1.0] * 8

    t.press("q")
    t.child.expect(pexpect.EOF, timeout=10)
    t.child.close()
    assert t.child.exitstatus == 0
