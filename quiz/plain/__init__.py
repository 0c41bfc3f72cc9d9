"""The quiz as plain lines of text, for screen readers and braille displays (`--plain`).

A second front end beside the Textual one, over the same engine, store and
packs: no cursor movement, colour or box drawing, each question said once in
reading order, answers typed as numbers or words and Enter. The command line
calls `play` for one pack and `choose` for the pack list.
"""

from quiz.plain.play import choose, play

__all__ = ["choose", "play"]
