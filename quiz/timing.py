"""Time limits and extra time as a teacher writes them: "20m", "1h30m", "1:30:00", "+50%", "+10m".

Reading these (with a plain message for anything else) and saying a number of
seconds back in words. Used by the command line, the class list's extra_time
column and a pack's `time_limit:`; the engine works in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A limit under a minute leaves no time to read a question; over ten hours is not a lesson.
SHORTEST_LIMIT = 60.0
LONGEST_LIMIT = 10 * 3600.0
# Access arrangements are 25% to 100% in practice; beyond this it is a typing slip.
MOST_EXTRA_PERCENT = 300.0

EXAMPLES = "like 20m, 1h30m, 90s or 1:30:00"

_UNITS = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>h(?:ours?|rs?)?|m(?:in(?:ute)?s?)?|s(?:ec(?:ond)?s?)?)",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_PERCENT = re.compile(r"\+?\s*(\d+(?:\.\d+)?)\s*%")
_NONE = frozenset({"", "-", "0", "0%", "+0%", "no", "none", "n/a", "na"})


class TimeError(ValueError):
    """A duration or an extra time that cannot be read; the message says what to write."""


def parse_duration(text: str) -> float:
    """Seconds in "20m", "1h30m", "1h 30 min", "90s", "1:30" (h:mm) or "1:30:00" (h:mm:ss).

    A bare number is refused: 20 could be minutes or seconds.
    """
    shown = " ".join(str(text).split())
    squeezed = shown.replace(" ", "")
    clock = _CLOCK.fullmatch(squeezed)
    if clock:
        hours, minutes, seconds = clock.group(1), clock.group(2), clock.group(3) or "0"
        return int(hours) * 3600.0 + int(minutes) * 60.0 + int(seconds)
    total, at = 0.0, 0
    seen: set[str] = set()
    for match in _UNITS.finditer(squeezed):
        unit = match.group("unit")[0].lower()
        if match.start() != at or unit in seen:
            break
        seen.add(unit)
        total += float(match.group("number")) * {"h": 3600.0, "m": 60.0, "s": 1.0}[unit]
        at = match.end()
    if not seen or at != len(squeezed):
        if re.fullmatch(r"\d+(?:\.\d+)?", squeezed):
            raise TimeError(f"{shown!r} has no unit: write {shown}m for minutes or {shown}s for seconds.")
        raise TimeError(f"{shown!r} is not a length of time; write it {EXAMPLES}.")
    return total


def parse_time_limit(text: str) -> float:
    """A test's time limit in seconds, refusing 0, under a minute and over ten hours."""
    seconds = parse_duration(text)
    shown = " ".join(str(text).split())
    if seconds <= 0:
        raise TimeError(f"A time limit of {shown} leaves no time at all; give one {EXAMPLES}.")
    if seconds < SHORTEST_LIMIT:
        raise TimeError(f"A time limit of {shown} is under a minute, too short to read a question.")
    if seconds > LONGEST_LIMIT:
        raise TimeError(f"A time limit of {shown} is over ten hours; leave the limit out for an untimed test.")
    return seconds


@dataclass(frozen=True)
class ExtraTime:
    """Extra time for one student: a share of the limit (+50%) or a fixed time (+10m)."""

    percent: float = 0.0
    seconds: float = 0.0

    def on(self, limit: float) -> float:
        """The extra seconds this gives on a limit of `limit` seconds."""
        return round(limit * self.percent / 100.0 + self.seconds, 1)

    def __str__(self) -> str:
        if self.percent:
            return f"+{self.percent:g}%"
        return "+" + compact(self.seconds)


def parse_extra_time(text: str) -> ExtraTime | None:
    """"+50%", "50%", "25% extra time", "+10m" or "10 minutes"; None for a blank, "no" or 0."""
    shown = " ".join(str(text).split())
    if shown.casefold() in _NONE:
        return None
    words = re.sub(r"\s*(extra(\s+time)?|more)\s*$", "", shown, flags=re.IGNORECASE).strip()
    percent = _PERCENT.fullmatch(words)
    if percent:
        value = float(percent.group(1))
        if value == 0:
            return None
        if value > MOST_EXTRA_PERCENT:
            raise TimeError(f"extra time {shown!r} is more than {MOST_EXTRA_PERCENT:g}% of the limit; check it.")
        return ExtraTime(percent=value)
    try:
        seconds = parse_duration(words.lstrip("+").strip())
    except TimeError:
        raise TimeError(
            f"extra time {shown!r} is neither a share of the limit like +25% nor a time like +10m."
        ) from None
    if seconds == 0:
        return None
    if seconds > LONGEST_LIMIT:
        raise TimeError(f"extra time {shown!r} is over ten hours; check it.")
    return ExtraTime(seconds=seconds)


def compact(seconds: float) -> str:
    """Seconds as the command line takes them back: 5400 -> "1h30m", 90 -> "1m30s"."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"


def in_words(seconds: float) -> str:
    """Time for people, in whole minutes from one minute up: "1 hour 30 minutes", "4 minutes", "45 seconds".

    Minutes are rounded down, so a student is never told there is more time than there is.
    """
    whole = max(0, int(seconds))
    if whole < 60:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = whole // 60
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
