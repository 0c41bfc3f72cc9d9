"""Lines out and lines in: the only place the plain quiz touches its streams.

Every line is written whole and flushed at once, so a screen reader or a
braille display gets it as soon as it is said; nothing moves the cursor,
clears the screen or sets a colour. A question ends with one line listing
what can be typed, then `> ` and the student's line.
"""

from __future__ import annotations

from typing import TextIO

PROMPT = "> "


class EndOfInput(Exception):
    """The student closed the input (Ctrl+D, or the end of a piped file)."""


class Console:
    """Plain lines to `stdout`, typed lines from `stdin`."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.stdout = stdout

    def say(self, *lines: str) -> None:
        """Print each line. Text from packs and people must already be through `display.printable`."""
        if lines:
            self.stdout.write("".join(line + "\n" for line in lines))
            self.stdout.flush()

    def gap(self) -> None:
        """An empty line between one thing and the next."""
        self.say("")

    def ask(self, instruction: str) -> str:
        """Say what can be typed, then read one line; raises EndOfInput when there is no more."""
        self.stdout.write(f"{instruction}\n{PROMPT}")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            # The student's Enter never came: end the prompt's line so what follows starts clean.
            self.stdout.write("\n")
            raise EndOfInput
        return line.rstrip("\r\n")
