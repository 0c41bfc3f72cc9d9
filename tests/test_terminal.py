"""The installed `quiz` command in a real pseudo-terminal, played by keys to the results.

pexpect runs `quiz play warm-up` at 80x24 and pyte keeps the screen a student
would see, so this checks what no Pilot test can: the console script, the
terminal driver, and that a score is read off a real screen.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

from helpers import COLUMNS, LINES, Terminal, keys_for, quiz_command, warm_up  # noqa: E402
from quiz.engine import Run  # noqa: E402

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
    assert "You scored 9 of 9" in screen
    assert "100%" in screen

    files = sorted((tmp_path / "results").rglob("*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved["student"] == "X" and saved["seed"] == 1
    assert saved["finished"] is not None
    assert [a["score"] for a in saved["answers"]] == [1.0] * 9

    t.press("q")
    t.child.expect(pexpect.EOF, timeout=10)
    t.child.close()
    assert t.child.exitstatus == 0
