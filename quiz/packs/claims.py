"""Finding claims and phrases in the source text, word for word.

A claim must occur verbatim in `source.text`; only spacing and line breaks
may differ, because the source is a YAML block whose lines break wherever the
teacher's editor wrapped them. When a claim is not found, this module finds
what the teacher probably meant: the same words with other quote marks,
dashes or capitals, else the closest passage by difflib.
"""

from __future__ import annotations

import difflib
from collections import Counter

# Look-alike characters that are easy to type one way and paste the other.
_LOOKALIKES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ",
})
_CLOSE_ENOUGH = 0.6
# How the near-miss search narrows a long source down to a few places to compare.
_VOTING_WORDS = 8
_VOTES_PER_WORD = 200
_PLACES_TO_COMPARE = 12
_EDGE_PUNCTUATION = ".,;:!?\"'()\u2018\u2019\u201c\u201d"


def fold_spacing(text: str) -> str:
    """Every run of spaces and line breaks becomes one space."""
    return " ".join(text.split())


class SourceText:
    """A source's text, prepared once so that thousands of claims check fast."""

    def __init__(self, text: str):
        self.folded = fold_spacing(text)
        self._words: list[str] = []
        self._index: dict[str, list[int]] | None = None  # word -> where it occurs, built on first use
        self._loose: str | None = None

    def contains(self, phrase: str) -> bool:
        return fold_spacing(phrase) in self.folded

    def suggestion(self, phrase: str) -> str:
        """A hint for a phrase that is not in the text: the near miss, or ''."""
        wanted = fold_spacing(phrase)
        if not wanted:
            return ""
        same_letters = self._same_but_lookalikes(wanted)
        if same_letters:
            return f'did you mean "{same_letters}"? {_differences(wanted, same_letters)}.'
        nearest = self._nearest_passage(wanted)
        if nearest:
            return f'did you mean "{nearest}"?'
        return ""

    def _same_but_lookalikes(self, wanted: str) -> str:
        if self._loose is None:
            self._loose = _loosen(self.folded)
        loose = _loosen(wanted)
        # Lower-casing can change a string's length; then positions no longer line up.
        if len(loose) != len(wanted) or len(self._loose) != len(self.folded):
            return ""
        at = self._loose.find(loose)
        return self.folded[at:at + len(wanted)] if at >= 0 else ""

    def _nearest_passage(self, wanted: str) -> str:
        """The passage of the text closest to `wanted`, by difflib, or ''.

        Comparing `wanted` with every passage of a long source is slow, so the
        places worth comparing are found first: where the phrase's rarest
        words occur in the text, each vote saying where the phrase would start.
        """
        if self._index is None:
            self._words = self.folded.split(" ")
            self._index = {}
            for position, word in enumerate(self._words):
                self._index.setdefault(_word_key(word), []).append(position)
        words, index = self._words, self._index
        wanted_words = wanted.split(" ")
        size = len(wanted_words)
        found = [(len(index[k]), j, k) for j, k in enumerate(map(_word_key, wanted_words)) if k in index]
        votes: Counter[int] = Counter()
        for _, offset, key in sorted(found)[:_VOTING_WORDS]:
            for position in index[key][:_VOTES_PER_WORD]:
                votes[position - offset] += 1
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        best, best_ratio = "", _CLOSE_ENOUGH
        tried: set[tuple[int, int]] = set()
        for start, _ in votes.most_common(_PLACES_TO_COMPARE):
            for first in (start - 1, start, start + 1):
                for width in (size - 1, size, size + 1):
                    first_word, last_word = max(0, first), min(len(words), first + width)
                    if last_word <= first_word or (first_word, last_word) in tried:
                        continue
                    tried.add((first_word, last_word))
                    matcher.set_seq1(" ".join(words[first_word:last_word]))
                    if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                        continue
                    ratio = matcher.ratio()
                    if ratio > best_ratio:
                        best, best_ratio = matcher.a, ratio
        return _trim_like(best, wanted)


def _word_key(word: str) -> str:
    """A word as compared when looking for places: no case, quotes or edge punctuation."""
    return _loosen(word).strip(_EDGE_PUNCTUATION + "-")


def _trim_like(passage: str, wanted: str) -> str:
    """Drop punctuation the window caught at either end, unless the phrase has it too."""
    if passage and wanted[-1].isalnum():
        passage = passage.rstrip(_EDGE_PUNCTUATION)
    if passage and wanted[0].isalnum():
        passage = passage.lstrip(_EDGE_PUNCTUATION)
    return passage


def _loosen(text: str) -> str:
    return text.translate(_LOOKALIKES).lower()


def _differences(wanted: str, found: str) -> str:
    """Say which look-alike characters differ, as in "the source has ’ where the pack has '"."""
    pairs = []
    capitals = False
    for mine, theirs in zip(wanted, found):
        if mine == theirs:
            continue
        if mine.lower() == theirs.lower():
            capitals = True
        elif (mine, theirs) not in pairs:
            pairs.append((mine, theirs))
    if not pairs:
        return "Only capital letters differ"
    said = "; ".join(f"the source has {theirs} where the pack has {mine}" for mine, theirs in pairs[:3])
    if capitals:
        said += "; capital letters differ too"
    return said[0].upper() + said[1:]
