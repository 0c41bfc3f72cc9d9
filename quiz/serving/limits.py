"""What a browser may ask of `quiz serve`, and how many tabs may ask at once.

Nothing here trusts the browser: a terminal size arrives from the page's
address and from its resize messages, and is clamped to what a screen can
show; a websocket says which page opened it (its `Origin`), and only the
quiz's own page is let in; the number of live tabs has a cap, and a tab that
does nothing for too long is closed. Pure Python, so it is tested without a
server.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Awaitable, Callable, Iterable, Iterator
from urllib.parse import urlsplit

# The biggest terminal a browser may ask for: a 4K screen at a small font is
# about 480 x 135 cells. Each cell costs the tab's quiz memory, so a page that
# asks for 100,000 x 100,000 gets this instead.
MAX_COLUMNS, MAX_ROWS = 500, 200
# And the smallest, so that nothing divides by zero or draws in no room at all: Textual cannot lay
# out the home screen at 12 columns or fewer, nor with a class list at 20 or fewer (the quiz
# crashed), and a tab gets at least 30; the quiz plays to its results at 25 x 10 and 30 x 4.
MIN_COLUMNS, MIN_ROWS = 30, 4
DEFAULT_COLUMNS, DEFAULT_ROWS = 80, 24

# How many live tabs a 2-core laptop holds (docs/serve.md and the README give the measurements).
DEFAULT_MAX_SESSIONS = 60
# A tab nobody has typed in, clicked or resized for this long is closed (its answers are saved).
DEFAULT_IDLE_MINUTES = 30.0


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size from the browser, as whole cells within what a screen can show.

    Anything that is not a number (a string, null, a list) counts as the default size.
    """
    return (
        _clamp(width, DEFAULT_COLUMNS, MIN_COLUMNS, MAX_COLUMNS),
        _clamp(height, DEFAULT_ROWS, MIN_ROWS, MAX_ROWS),
    )


def _clamp(value: object, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return default
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return default
        value = int(value)
    if not isinstance(value, int):
        return default
    return max(low, min(high, value))


# --------------------------------------------------------------------------
# Which pages may open a tab
# --------------------------------------------------------------------------


def _split_host(host: str) -> tuple[str, int | None]:
    """"example:8000" -> ("example", 8000); "[::1]:8000" -> ("::1", 8000); no port -> None."""
    try:
        parts = urlsplit(f"//{host}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


def _same_address(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b


@dataclass(frozen=True)
class Addresses:
    """The names and port the quiz's own page is reached by.

    `names` are host names and addresses this server answers to (localhost,
    this computer's name and addresses, the --public-url's host). A request
    also counts as addressed to us when it names the very address the
    connection arrived at, whatever that is.
    """

    names: frozenset[str]
    ports: frozenset[int]

    @classmethod
    def of(cls, names: Iterable[str], ports: Iterable[int]) -> "Addresses":
        return cls(frozenset(n.strip("[]").lower() for n in names if n), frozenset(ports))

    def is_ours(self, host: str, port: int | None, arrived_at: str | None = None) -> bool:
        if port is None or port not in self.ports:
            return False
        if host in self.names:
            return True
        return arrived_at is not None and _same_address(host, arrived_at)

    def origin_allowed(self, origin: str | None, host_header: str | None, arrived_at: str | None = None) -> bool:
        """Whether a websocket from the page at `origin`, sent to `host_header`, comes from the quiz's own page.

        A browser always says which page opened a websocket, so another
        site's page (or one that reaches this server by a name of its own,
        DNS rebinding) is refused. A client that is not a browser sends no
        Origin and can do nothing a page could make it do: it is let in.
        """
        if origin is None:
            return True
        try:
            parts = urlsplit(origin)
            origin_port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        host, port = _split_host(host_header or "")
        if not host or not self.is_ours(host, port or 80, arrived_at):
            return False
        return self.is_ours(parts.hostname.lower(), origin_port, arrived_at)


# --------------------------------------------------------------------------
# The tabs open now
# --------------------------------------------------------------------------


@dataclass
class Session:
    """One browser tab with its own quiz process."""

    remote: str
    since: datetime
    last_active: float = field(default_factory=time.monotonic)
    # Closes the tab's websocket with a reason the page puts in words; set once the tab is running.
    close: Callable[[str], Awaitable[None]] | None = None

    def touched(self) -> None:
        self.last_active = time.monotonic()


@dataclass
class Sessions:
    """The browser tabs the server has open right now, at most `cap` of them."""

    cap: int = DEFAULT_MAX_SESSIONS
    open: dict[int, Session] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=count, repr=False)

    @property
    def full(self) -> bool:
        return len(self.open) >= self.cap

    def opened(self, remote: str | None) -> int | None:
        """A new tab's key, or None when the class is full."""
        if self.full:
            return None
        key = next(self._ids)
        self.open[key] = Session(remote or "unknown", datetime.now())
        return key

    def closed(self, key: int) -> None:
        self.open.pop(key, None)

    def idle(self, seconds: float, now: float | None = None) -> list[Session]:
        """The tabs nobody has used for `seconds` or more."""
        now = time.monotonic() if now is None else now
        return [s for s in self.open.values() if now - s.last_active >= seconds]

    def __len__(self) -> int:
        return len(self.open)


class Tail:
    """The last `limit` bytes written to it: a tab's error output, kept bounded."""

    def __init__(self, limit: int = 8 * 1024) -> None:
        self.limit = limit
        self._data = bytearray()
        self.dropped = 0

    def write(self, data: bytes) -> None:
        self._data += data
        extra = len(self._data) - self.limit
        if extra > 0:
            del self._data[:extra]
            self.dropped += extra

    def text(self) -> str:
        return self._data.decode("utf-8", "replace")

    def last_line(self) -> str:
        lines = [line for line in self.text().splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""

    def __len__(self) -> int:
        return len(self._data)
