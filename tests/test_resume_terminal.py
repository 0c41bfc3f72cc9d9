"""The two shared-computer cases, played through the installed `quiz` command in a real terminal.

One pupil plays and leaves; the next sits down at the same computer. pexpect
runs the console script at 80x24 and pyte keeps the screen the next pupil
sees: no name filled in, and a classmate's attempt not offered (nor told
about) without its code.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from helpers import COLUMNS, LINES, Terminal, quiz_command  # noqa: E402

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b")




@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def open_terminal(*args: str) -> Terminal:
        env = dict(os.environ)  # QUIZ_SETTINGS and QUIZ_RESULTS are the test's (conftest)
        env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
        env.pop("TEXTUAL", None)
        t = Terminal([quiz_command(), *args], env)
        opened.append(t)
        return t

    yield open_terminal
    for t in opened:
        t.close()


def feedback_on_screen(t: Terminal, timeout: float = 15) -> None:
    """Wait for the answer's feedback (its headline; a long one may push "press enter" below the fold)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        t.pump()
        if any(word in t.text for word in ("✓ Right", "✗ Not quite", "◐ Partly")):
            return
    raise AssertionError(f"no feedback on screen:\n{t.text}")


def first_pupil_leaves(terminal) -> str:
    """Alex Kim picks the warm-up on the home screen, answers one question and leaves; the code they were shown."""
    t = terminal()
    t.wait_for("Warm-up")
    t.press("tab")  # from the pack list to the name
    t.press(*"Alex Kim", "tab", *"10B", "enter")
    t.wait_for("Question 1 of 9")
    t.pump(0.5)
    # Answer question 1 whatever it is (the order is the attempt's own): a number, or option 1.
    if "Type a number" in t.text:
        t.press("2", "7", "enter")
    elif "Type your answer" in t.text:
        t.press("x", "enter")
    elif "Choose…" in t.text:  # a match question: 1 sorts the item in focus and moves to the next; then send
        # Until none is left to sort, looking again after each key: counted once, on a screen still being
        # drawn, one item could be missed, and enter on it opens its list instead of sending the answer.
        for _ in range(12):
            t.pump(0.2)
            if "Choose…" not in t.text:
                break
            t.press("1")
        t.press("enter")
    else:
        t.press("1", "enter")
    feedback_on_screen(t)
    t.press("enter")
    t.wait_for("Question 2 of 9")
    t.pump(0.5)
    t.child.sendcontrol("q")
    screen = t.wait_for("Leave the quiz?")
    code = CODE.search(screen.replace("\n", " "))
    assert code, screen
    t.press("y")
    t.child.expect(pexpect.EOF, timeout=10)
    t.pump()
    return code.group(0)


def test_the_next_pupil_finds_no_name_filled_in(terminal, tmp_path):
    first_pupil_leaves(terminal)
    settings = Path(os.environ["QUIZ_SETTINGS"]).read_text("utf-8")
    assert "Alex" not in settings and "10B" in settings

    t = terminal()
    t.wait_for("Warm-up")
    t.pump(0.5)
    assert "Alex" not in t.text
    assert "10B" in t.text  # the class may be remembered
    # Enter on the pack list, then Enter in the empty name box: asked for a name, not playing as Alex.
    t.press("enter")
    t.pump(0.5)
    t.press("enter")
    t.wait_for("Type your name first")


def test_the_next_pupil_typing_the_same_name_is_told_nothing_and_needs_the_code(terminal):
    code = first_pupil_leaves(terminal)

    t = terminal("play", "warm-up", "--student", "Alex Kim")
    screen = t.wait_for("unfinished attempt")
    flat = " ".join(screen.split())
    for leak in ("1 of 9", "answered", "Welcome back", "Score"):
        assert leak not in flat
    t.press(*"ZZZZ-ZZZZ", "enter")
    t.wait_for("does not match")
    assert "Question" not in t.text
    t.press(*code.lower(), "enter")
    t.wait_for("Question 2 of 9")
