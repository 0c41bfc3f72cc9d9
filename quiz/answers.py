"""Reading what students type: numbers the way they write them, and text
compared the way a teacher would mark it.

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




# A letter may be wrong in an accepted answer only for every this many letters
# or digits it has: so "IWF" must be exact, and "Shah" may have one typo.
CHARACTERS_PER_TYPO = 4

# "IWF (Internet Watch Foundation)": a name with another name for it in brackets.
_BRACKETED = re.compile(r"^\s*([^()\[\]]*?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*[.!?]?\s*$")


def text_is_accepted(typed: str, accept: tuple[str, ...] | list[str], typos: int = 0) -> bool:
    """Whether a typed answer is one of the accepted answers, as a teacher would mark it.

    Capitals, spacing, punctuation and a leading "the" never matter. A name
    with its other form in brackets counts either way round
    ("IWF (Internet Watch Foundation)" for "Internet Watch Foundation (IWF)"),
    and so do two names for one person or body, in brackets or after a comma
    ("Priya Shah, the manager"), when each is accepted on its own. With `typos`, up to that many
    letters may be wrong, added, left out or swapped, but only one for every
    `CHARACTERS_PER_TYPO` letters of the accepted answer (see `allowed_typos`).
    """
    forms = _Forms(tuple(accept))
    whole = _bare(typed)
    if not whole:
        return False
    if _matches(whole, forms.wholes, typos):
        return True
    parts = _bracket_parts(typed)
    if parts is not None and (frozenset(parts) in forms.pairs or parts[::-1] in forms.ordered):
        return True
    parts = parts or _apposition(typed)
    if parts is None:
        return False
    return all(_matches(part, forms.wholes, typos) for part in parts)


def allowed_typos(accepted: str, typos: int) -> int:
    """How many typos an accepted answer tolerates: at most `typos`, and one per
    `CHARACTERS_PER_TYPO` letters or digits it has (a short answer must be exact)."""
    letters = sum(1 for ch in _bare(accepted) if ch != " ")
    return max(0, min(typos, letters // CHARACTERS_PER_TYPO))


class _Forms:
    """The accepted answers, normalised: whole answers, and bracketed pairs."""

    def __init__(self, accept: tuple[str, ...]):
        self.wholes: dict[str, None] = {}
        self.pairs: set[frozenset[str]] = set()
        self.ordered: set[tuple[str, str]] = set()
        for entry in accept:
            bare = _bare(entry)
            if bare:
                self.wholes[bare] = None
            parts = _bracket_parts(entry)
            if parts is not None:
                self.pairs.add(frozenset(parts))
                self.ordered.add(parts)


def _matches(typed: str, wholes: dict[str, None], typos: int) -> bool:
    if typed in wholes:
        return True
    if typos <= 0:
        return False
    for accepted in wholes:
        limit = allowed_typos(accepted, typos)
        if limit and edit_distance(typed, accepted, limit) <= limit:
            return True
    return False


def _bare(text: str) -> str:
    """Normalised text without a leading "the"."""
    s = normalise_text(text)
    return s[4:] if s.startswith("the ") else s


def _bracket_parts(text: str) -> tuple[str, str] | None:
    found = _BRACKETED.match(unicodedata.normalize("NFKC", text))
    if not found:
        return None
    first, second = _bare(found.group(1)), _bare(found.group(2))
    return (first, second) if first and second and first != second else None


def _apposition(text: str) -> tuple[str, str] | None:
    """ "Priya Shah, the manager": two names for one thing, split at its only comma."""
    if text.count(",") != 1:
        return None
    first, second = (_bare(part) for part in text.split(","))
    return (first, second) if first and second else None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters added, left out, changed or swapped with a neighbour to turn `a` into `b`
    (optimal string alignment); any distance above `limit` is returned as `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, before[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)
