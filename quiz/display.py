"""How numbers and text are written for a person to read.

Every screen, the live classroom table, the report's files and every line a
command prints go through here, so a score reads the same everywhere: at most
two decimals, rounded half up (2/3 of a mark is "0.67", 62.5% is "63%"). JSON
keeps full precision; only what people read is rounded.

Text a person typed or a pack holds is passed through `printable` before it is
shown or printed: a terminal control sequence in a name or a prompt arrives as
visible symbols, never as a command to the terminal.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

NO_NUMBER = "–"


def _rounded(value: float, places: int) -> Decimal:
    # repr gives the shortest decimal that reads back as the same float, so
    # 0.125 rounds to 0.13 as a person expects, not to 0.12 as binary would.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: float | None, places: int = 2, *, grouping: bool = False) -> str:
    """A number as people write it: 2 -> "2", 2.5 -> "2.5", 2/3 -> "0.67", never "-0".

    `grouping` puts commas between thousands (291,273), for figures in an
    article rather than marks. None, NaN and infinity read as "–".
    """
    if value is None or not math.isfinite(value):
        return NO_NUMBER
    rounded = _rounded(value, places)
    if rounded == 0:
        rounded = Decimal(0)
    text = f"{rounded:,f}" if grouping else f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fixed(value: float | None, places: int = 2) -> str:
    """A statistic with all its decimals shown, so a column of them lines up: 0.5 -> "0.50"."""
    if value is None or not math.isfinite(value):
        return NO_NUMBER
    rounded = _rounded(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:f}"


def percent(fraction: float | None) -> str:
    """A fraction as a whole percentage, half up: 0.625 -> "63%"."""
    if fraction is None or not math.isfinite(fraction):
        return NO_NUMBER
    # Multiplied as a decimal: 0.285 * 100 is 28.499999... in binary, but 28.5% to a person.
    hundredths = (Decimal(repr(float(fraction))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{abs(hundredths) if hundredths == 0 else hundredths:f}%"


def score(got: float, out_of: float) -> str:
    """A mark against its maximum: "18.17 of 29"."""
    return f"{number(got)} of {number(out_of)}"


def signed(value: float) -> str:
    """A mark that can be negative, with its sign: "+3", "−6", "0"."""
    text = number(value)
    if text == "0" or text == NO_NUMBER:
        return text
    return text.replace("-", "−") if text.startswith("-") else "+" + text


# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides and isolates that can make text read in another order than it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL, ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """Text with every control character made visible: ESC shows as ␛, so nothing reaches the terminal as a command."""
    return _CONTROL.sub(_visible, text)


def one_line(text: str) -> str:
    """Printable text for a table cell or a single line: line breaks and tabs become spaces."""
    return " ".join(printable(text).split())


def control_characters(text: str) -> list[tuple[int, str]]:
    """Where `text` holds a control character (other than tab and newline), and its name, e.g. (12, "ESC (U+001B)")."""
    return [(m.start(), _name(m.group())) for m in _CONTROL.finditer(text)]


_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()


def _name(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        label = _C0_NAMES[code]
    elif code == 0x7F:
        label = "DEL"
    elif code <= 0x9F:
        label = "a C1 control"
    else:
        label = "a direction override"
    return f"{label} (U+{code:04X})"
