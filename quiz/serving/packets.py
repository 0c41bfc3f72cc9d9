"""What a tab's quiz writes to `quiz serve`: textual-serve's packets, read off its standard output.

The quiz's driver (Textual's web driver) first writes a few lines ending
with `__GANGLION__`, then packets: a kind byte (b"D" data for the screen,
b"M" meta as JSON, b"P" packed), the payload's length in four bytes, and
the payload. Read the same way by a tab (quiz.serving.tabs) and by a spare
waiting for one (quiz.serving.spares).
"""

from __future__ import annotations

import asyncio
import json

# What a tab's quiz (QuizApp, served) says once its first screen is drawn: a spare is ready then.
DRAWN = "drawn"


async def read_handshake(stdout: asyncio.StreamReader) -> None:
    """The lines a quiz's driver writes before its packets (textual-serve reads at most ten)."""
    for _ in range(10):
        line = await stdout.readline()
        if not line or line == b"__GANGLION__\n":
            return


async def read_packet(stdout: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """The next packet from a quiz's driver: its kind (b"D", b"M" or b"P") and its payload."""
    kind = await stdout.readexactly(1)
    size = int.from_bytes(await stdout.readexactly(4), "big")
    return kind, await stdout.readexactly(size)


def is_drawn(kind: bytes, payload: bytes) -> bool:
    """Whether a packet is the quiz's word that its first screen is drawn (never raises on a bad one)."""
    if kind != b"M":
        return False
    try:
        meta = json.loads(payload)
    except ValueError:
        return False
    return isinstance(meta, dict) and meta.get("type") == DRAWN
