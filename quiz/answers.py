"""Reading what students type: numbers the way they write them, and text
compared without case, spacing or punctuation.

Pure functions below every other layer, so the pack checker accepts exactly
the answers the engine can mark.
"""

from __future__ import annotations

import math
import re
import unicodedata

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}

# Words and signs around a number that say what kind of number it is, not its size.
_MULTIPLIER_SUFFIX = re.compile(r"(?:[-\s]*(?:fold|times)|(?<=[\d.])\s*[x×])$")
_MULTIPLIER_PREFIX = re.compile(r"^[x×]\s*")
_PLAIN_NUMBER = re.compile(
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$"
)


def parse_number(text: str | float | int, unit: str = "") -> float | None:
    """Read a number the way a student writes it, or None if it cannot be read.

    Accepts `6`, `6x`, `6-fold`, `six`, `six-fold`, `291,273`, `291 273`,
    `5.7%`, `+500%`, `1.5 million`, `a half`, and the question's unit after
    the number (`15,621 webpages`). A comma is only a thousands separator
    (`5,7` is refused rather than guessed).
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text) if math.isfinite(text) else None
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = s.replace("\u2212", "-").replace("\u2013", "-")
    if not s or len(s) > 60:
        return None
    s = s.rstrip(".").strip()
    unit = " ".join(unit.lower().split())
    if unit and unit != "%":
        # "15,621 webpages" when the unit is "webpages" (or "webpage").
        for suffix in (unit, unit.rstrip("s"), unit + "s"):
            if suffix and s.endswith(suffix) and s != suffix:
                s = s[: -len(suffix)].strip()
                break
    s = s.removesuffix("%").removesuffix("per cent").removesuffix("percent").strip()
    s = _MULTIPLIER_SUFFIX.sub("", s).strip()
    s = _MULTIPLIER_PREFIX.sub("", s).strip()
    if not s:
        return None
    scale = 1.0
    parts = s.rsplit(None, 1)
    if len(parts) == 2 and parts[1] in _SCALES and _PLAIN_NUMBER.match(parts[0]):
        s, scale = parts[0], float(_SCALES[parts[1]])
    if _PLAIN_NUMBER.match(s):
        digits = re.sub(r"[,\s\u00a0\u202f]", "", s)
        try:
            value = float(digits) * scale
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return _parse_number_words(s)


def _parse_number_words(s: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+|\band\b", s) if w]
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1:
        words[0] = "one"
    total, current, seen = 0.0, 0.0, False
    for i, w in enumerate(words):
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = 0
        elif w in _FRACTIONS and i == len(words) - 1:
            # "a half", "three quarters": the fraction applies to what came before.
            current = (current or 1) * _FRACTIONS[w]
        else:
            return None
        seen = True
    return total + current if seen else None


def normalise_text(text: str) -> str:
    """Fold case, spacing and punctuation so `the N.C.A.` matches `The NCA`.

    Dashes and slashes separate words; other punctuation is dropped.
    """
    s = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for ch in s:
        kind = unicodedata.category(ch)
        if ch in "-/_" or kind in ("Pd", "Zs"):
            out.append(" ")
        elif kind[0] in "PS":
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


