"""Moodle GIFT files: reading them into packs (`read_gift`), and the export back.

The reader follows Moodle's own importer (question/format/gift/format.php) so
that a file Moodle accepts is read the same way: questions are separated by
blank lines, `//` lines are comments, `::title::` names a question, `{...}`
holds the answers and `####` the general feedback. What the quiz cannot ask
(essays, descriptions, missing-word questions) is skipped with a warning that
names the line; what it asks differently (partial credit, wildcards) is
imported with a note. `write_gift` lives in `quiz.packs.export` and is
re-exported here; `quiz.packs.imported.import_file` reads a file from disk.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from quiz.answers import normalise_text
from quiz.model import MatchItem, Option, Question
from quiz.packs.export import write_gift
from quiz.packs.draft import GENERAL_SKILL, Imported, PackDraft, html_to_text, tidy, words_slug

__all__ = ["Imported", "read_gift", "write_gift"]

_ESCAPE = re.compile(r"\\([\\:#={}~n])")
# Syntax is searched for in a masked copy where each escape (`\~`) is two
# neutral characters: offsets stay those of the file, so notes keep their line:col.
_MASK = "\x01" * 2

_FORMAT_TAG = re.compile(r"\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"%\s*(-?\d+(?:\.\d*)?)\s*%")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_UNESCAPED_STAR = re.compile(r"(?<!\\)\*")


# Markdown, as Moodle's [markdown] format writes it, reduced to the words a student reads.
_MD_RULES = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # an image: its alt text
    (re.compile(r"\[([^\]]+)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)"), r"\1 (\2)"),  # a link: text (address)
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),  # **bold**
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"\1"),  # __bold__
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"), r"\1"),  # _italic_
    (re.compile(r"`([^`]+)`"), r"\1"),  # `code`
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE), ""),  # # heading
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # > quote
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # \* and other escapes, last
)


def markdown_to_text(text: str) -> tuple[str, bool]:
    """Plain text from Markdown: emphasis, code, headings and quotes unmarked,
    a link as "text (address)", an image as its alt text. Also says if anything changed."""
    out = text
    for pattern, replacement in _MD_RULES:
        out = pattern.sub(replacement, out)
    return out, out != text


def _mask(text: str) -> str:
    return _ESCAPE.sub(_MASK, text)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


class _Skip(Exception):
    """This question cannot be imported; the message says why."""

    def __init__(self, message: str, at: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


@dataclass(frozen=True)
class _Piece:
    """A stretch of a block: its masked text for finding syntax, its offset for
    naming a line, and the block as written for reading values."""

    text: str
    at: int
    written: str

    def cut(self, start: int, end: int | None = None) -> _Piece:
        end = len(self.text) if end is None else end
        return _Piece(self.text[start:end], self.at + start, self.written)

    def strip(self) -> _Piece:
        lead = len(self.text) - len(self.text.lstrip())
        return _Piece(self.text.strip(), self.at + lead, self.written)

    def split(self, markers: str) -> list[tuple[str, _Piece]]:
        """Split before each marker character; the first part has marker ""."""
        parts: list[tuple[str, _Piece]] = []
        marker, start = "", 0
        for i, ch in enumerate(self.text):
            if ch in markers:
                parts.append((marker, self.cut(start, i)))
                marker, start = ch, i + 1
        parts.append((marker, self.cut(start)))
        return parts

    def partition(self, sep: str) -> tuple[_Piece, _Piece | None]:
        i = self.text.find(sep)
        if i < 0:
            return self, None
        return self.cut(0, i), self.cut(i + len(sep))

    @property
    def raw(self) -> str:
        """The text exactly as written, escapes and all."""
        return self.written[self.at : self.at + len(self.text)]

    @property
    def value(self) -> str:
        """The text with its escapes read: `\\~` is `~`, `\\n` a line break."""
        return _unescape(self.raw)

    @property
    def shown(self) -> str:
        """The text as a teacher wrote it, for messages."""
        text = " ".join(self.value.split())
        return text if len(text) <= 40 else text[:37] + "..."


class _Block:
    """Consecutive non-blank lines of the file; comment lines are kept empty to keep offsets."""

    def __init__(self, rows: list[tuple[int, int, str]]) -> None:
        self.rows = rows  # (line number, indent, trimmed text)

    @property
    def text(self) -> str:
        return "\n".join(r[2] for r in self.rows)

    def where(self, offset: int) -> tuple[int, int]:
        for number, indent, text in self.rows:
            if offset <= len(text):
                return number, indent + offset + 1
            offset -= len(text) + 1
        number, indent, text = self.rows[-1]
        return number, indent + len(text) + 1


def _blocks(text: str, draft: PackDraft) -> list[_Block]:
    blocks: list[_Block] = []
    rows: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        trimmed = line.strip()
        if not trimmed:
            if rows:
                blocks.append(_Block(rows))
            rows = []
            continue
        indent = len(line) - len(line.lstrip())
        rows.append((number, indent, "" if trimmed.startswith("//") else trimmed))
    if rows:
        blocks.append(_Block(rows))
    return _join_split_answers([b for b in blocks if b.text.strip()], draft)


def _join_split_answers(blocks: list[_Block], draft: PackDraft) -> list[_Block]:
    """Rejoin a question whose answer block {...} was broken by a blank line."""
    joined: list[_Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        while i + 1 < len(blocks) and _opens_more(block) and _continues(blocks[i + 1]):
            nxt = blocks[i + 1]
            draft.note(nxt.rows[0][0], "blank line inside an answer block {...}; read as one question")
            block = _Block(block.rows + nxt.rows)
            i += 1
        joined.append(block)
        i += 1
    return joined


def _opens_more(block: _Block) -> bool:
    text = _mask(block.text)
    return text.count("{") > text.count("}")


def _continues(block: _Block) -> bool:
    """Whether a block reads as the rest of an answer block: a '}' before any '{'."""
    text = _mask(block.text).strip()
    closing, opening = text.find("}"), text.find("{")
    starts_anew = text.startswith(("::", "$CATEGORY:"))
    return closing >= 0 and (opening < 0 or closing < opening) and not starts_anew


def read_gift(
    text: str,
    *,
    path: str = "<gift>",
    pack_id: str | None = None,
    title: str | None = None,
) -> Imported:
    """A pack from GIFT text, with notes on what was changed or skipped."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    draft = PackDraft(path)
    skill = GENERAL_SKILL[0]
    for block in _blocks(text, draft):
        body = _Piece(_mask(block.text), 0, block.text).strip()
        if body.text.startswith("$CATEGORY:"):
            line_end = body.text.find("\n")
            line_end = len(body.text) if line_end < 0 else line_end
            skill = _category_skill(body.cut(len("$CATEGORY:"), line_end), block, draft)
            body = body.cut(line_end).strip()
            if not body.text:
                continue
        _read_question(body, block, skill, draft)
    return draft.finish(pack_id, title)


def _category_skill(path: _Piece, block: _Block, draft: PackDraft) -> str:
    """`$course$/top/Media literacy/Sources` -> skill `sources` labelled "Sources"."""
    line = block.where(path.at)[0]
    # Moodle writes a "/" inside a category name as "//".
    # Moodle reads a category literally, backslashes and all.
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path.raw)]
    parts = [p for p in parts if p]
    if not parts:
        draft.note(line, "empty $CATEGORY: questions below use skill 'general'")
        return GENERAL_SKILL[0]
    return draft.skill(parts[-1], line)


def _read_question(body: _Piece, block: _Block, skill: str, draft: PackDraft) -> None:
    line = block.where(body.at)[0]
    reader = _QuestionReader(block, draft)
    try:
        question = reader.read(body, skill, line)
    except _Skip as skip:
        # The reason it was skipped is what matters; notes on its details would be noise.
        at_line, col = block.where(skip.at) if skip.at is not None else (line, 1)
        draft.skip(at_line, f"{reader.name}: {skip.message}", col)
        return
    if not draft.add(question):
        return
    for severity, at_line, col, message in reader.notes:
        (draft.warn if severity == "warning" else draft.note)(at_line, message, col)
    if reader.markdown_removed:
        draft.note(
            line,
            f"{reader.name}: Markdown formatting removed (the quiz shows plain text: **bold** "
            "becomes bold, a link its words and address), check the text reads well",
        )
    if reader.html_removed:
        draft.note(line, f"{reader.name}: HTML formatting removed, check the text reads well")


class _QuestionReader:
    """Reads one GIFT question; keeps its name, text format and notes."""

    def __init__(self, block: _Block, draft: PackDraft) -> None:
        self.block = block
        self.draft = draft
        self.name = "question"
        self.format = "moodle"
        self.html_removed = False
        self.markdown_removed = False
        self.notes: list[tuple[str, int, int, str]] = []  # kept only if the question is imported

    def note(self, piece: _Piece, message: str, severity: str = "note") -> None:
        line, col = self.block.where(piece.at)
        self.notes.append((severity, line, col, f"{self.name}: {message}"))

    def read(self, body: _Piece, skill: str, line: int) -> Question:
        title = ""
        if body.text.startswith("::"):
            name, rest = body.cut(2).partition("::")
            if rest is not None:
                title = tidy(name.value)
                body = rest.strip()
            else:
                body = body.cut(2).strip()
        self.name = f"'{title}'" if title else f"question '{body.shown}'"

        prefix, answers, explain = self._split_answers(body)
        prompt = self.text(prefix, sets_format=True)
        if not prompt:
            if not title:
                raise _Skip("it has no question text")
            prompt = title
            self.note(prefix, "no question text; the title is used as the question")
        fields = self._answer_fields(answers)
        question_id = self.draft.question_id(title, line, fallback=words_slug(prompt))
        return Question(
            id=question_id,
            skill=skill,
            prompt=prompt,
            explain=self.text(explain) if explain else "",
            line=line,
            **fields,
        )

    def _split_answers(self, body: _Piece) -> tuple[_Piece, _Piece, _Piece | None]:
        """Question text, answers and general feedback of a question's body."""
        opening, closing = body.text.find("{"), body.text.find("}")
        if opening < 0 and closing < 0:
            raise _Skip("no answers in braces {...}: a description, not a question")
        if opening < 0 or 0 <= closing < opening:
            raise _Skip("a '}' comes before any '{'", body.at + closing)
        closing = body.text.find("}", opening)
        if closing < 0:
            raise _Skip("the '{' is never closed with '}'", body.at + opening)
        after = body.cut(closing + 1).strip()
        if after.text:
            if any(ch.isalnum() for ch in after.text) and not after.text.startswith("//"):
                raise _Skip(
                    "the answers {...} sit inside the sentence (a missing-word question), "
                    "which the quiz cannot show",
                    body.at + opening,
                )
            self.note(after, f"ignored '{after.shown}' after the closing brace")
        answers = body.cut(opening + 1, closing).strip()
        explain = None
        feedback_at = answers.text.rfind("####")
        if feedback_at >= 0:
            explain = answers.cut(feedback_at + 4)
            answers = answers.cut(0, feedback_at).strip()
        return body.cut(0, opening), answers, explain

    def text(self, piece: _Piece, *, sets_format: bool = False) -> str:
        """Plain text of a piece, after its optional [format] tag."""
        piece = piece.strip()
        fmt = self.format
        tag = _FORMAT_TAG.match(piece.text)
        if tag:
            fmt = tag.group(1).lower()
            piece = piece.cut(tag.end())
        if sets_format:
            self.format = fmt
        if fmt == "plain":
            return tidy(piece.value)
        value = piece.value
        if fmt == "markdown":
            value, changed = markdown_to_text(value)
            self.markdown_removed |= changed
        text, had_tags = html_to_text(value)
        self.html_removed |= had_tags
        return text

    def _answer_fields(self, answers: _Piece) -> dict:
        text = answers.text
        if not text:
            raise _Skip("an essay question ({} with no answers): the quiz cannot mark essays")
        if text.startswith("#"):
            return self._number(answers.cut(1))
        if "~" in text:
            return self._choice(answers)
        if "=" in text and "->" in text:
            return self._match(answers)
        head = text.split("#", 1)[0].strip() if text.find("#") > 0 else text
        if head in _TRUE_FALSE:
            return self._true_false(answers, _TRUE_FALSE[head])
        return self._short_answer(answers)

    def _with_feedback(self, piece: _Piece) -> tuple[str, str]:
        """`text # feedback` -> both as plain text."""
        answer, feedback = piece.partition("#")
        return self.text(answer), self.text(feedback) if feedback is not None else ""

    @staticmethod
    def _weight(piece: _Piece, default: float) -> tuple[float, _Piece]:
        """`%50%text` -> (50.0, `text`); no weight gives the default."""
        piece = piece.strip()
        m = _WEIGHT.match(piece.text)
        if not m:
            return default, piece
        return float(m.group(1)), piece.cut(m.end()).strip()

    # -- the types ---------------------------------------------------------

    def _choice(self, answers: _Piece) -> dict:
        """`=right ~wrong` -> choice; `~%50%a ~%50%b ~%-100%c` -> multi."""
        parts = answers.split("~=")
        lead = parts.pop(0)[1].strip()
        if lead.text:
            self.note(lead, f"ignored '{lead.shown}' before the first ~ or =")
        options: list[tuple[str, float, Option, _Piece]] = []
        for marker, part in parts:
            weight, rest = self._weight(part, 100.0 if marker == "=" else 0.0)
            text, feedback = self._with_feedback(rest)
            if not text:
                raise _Skip("one of its answers is empty", part.at)
            if any(text == o.text for _, _, o, _ in options):
                raise _Skip(f"the answer '{text}' appears twice", part.at)
            options.append((marker, weight, Option(text, explain=feedback), part))
        if len(options) < 2:
            raise _Skip("a multiple-choice question needs at least two answers")

        full = [o for o in options if o[1] >= 100]
        if any(m == "=" for m, *_ in options) and len(full) == 1:
            for _, weight, option, part in options:
                if 0 < weight < 100:
                    self.note(part, f"'{option.text}' gave {weight:g}% in Moodle; it now counts as wrong")
            return {"type": "choice", "options": tuple(_mark(o, w >= 100) for _, w, o, _ in options)}
        if len(full) > 1 and any(m == "=" for m, *_ in options):
            self.note(
                answers,
                "several answers are marked right with '='; imported as multi, "
                "where the student must pick all of them",
                severity="warning",
            )
        right = [w for _, w, _, _ in options if w > 0]
        if not right:
            raise _Skip("no answer is marked right (= or a positive %weight%)")
        if len(set(right)) > 1:
            self.note(answers, "answer weights not kept: the quiz scores right picks minus wrong picks")
        return {"type": "multi", "options": tuple(_mark(o, w > 0) for _, w, o, _ in options)}

    def _true_false(self, answers: _Piece, value: bool) -> dict:
        """`{T#shown if wrong#shown if right}` (Moodle's order) -> a choice of True/False."""
        _, feedback = answers.partition("#")
        wrong_fb, right_fb = (feedback.partition("#") if feedback is not None else (None, None))
        wrong = self.text(wrong_fb) if wrong_fb is not None else ""
        right = self.text(right_fb) if right_fb is not None else ""
        return {
            "type": "choice",
            "options": (
                Option("True", correct=value, explain=right if value else wrong),
                Option("False", correct=not value, explain=wrong if value else right),
            ),
        }

    def _short_answer(self, answers: _Piece) -> dict:
        """`{=a =b}` -> text; only full-marks answers are accepted."""
        accept: list[str] = []
        for marker, part in answers.split("="):
            if not part.text.strip() and not marker:
                continue
            weight, rest = self._weight(part, 100.0)
            text, feedback = self._with_feedback(rest)
            if not text:
                raise _Skip("one of its answers is empty", part.at)
            if text == "*":
                self.note(part, "the catch-all answer '*' was dropped; every other answer is wrong anyway")
                continue
            if weight < 100:
                if weight > 0:
                    self.note(part, f"'{text}' gave {weight:g}% in Moodle; it is not accepted")
                else:
                    self.note(part, f"the wrong answer '{text}' and its feedback were dropped")
                continue
            if _UNESCAPED_STAR.search(text):
                self.note(part, f"'{text}' uses a * wildcard, which the quiz cannot match; dropped")
                continue
            text = text.replace("\\*", "*")
            if not normalise_text(text):
                self.note(part, f"'{text}' has no letters or digits, and the quiz compares answers "
                          "without punctuation; dropped")
                continue
            if feedback:
                self.note(part, f"the feedback for '{text}' was dropped: text questions have one explanation")
            if text not in accept:
                accept.append(text)
        if not accept:
            raise _Skip("no answer gets full marks")
        return {"type": "text", "accept": tuple(accept)}

    def _number(self, answers: _Piece) -> dict:
        """`{#3:2}`, `{#1..5}`, `{#=1000:0 =%50%1000:100}` -> number, best answer only."""
        answers, wrong = answers.partition("~")
        if wrong is not None and wrong.text.strip():
            self.note(wrong, "the feedback for wrong answers was dropped")
        found = []
        for marker, part in answers.split("="):
            if not part.text.strip() and not marker:
                continue
            weight, rest = self._weight(part, 100.0)
            value, feedback = rest.partition("#")
            found.append((weight, self._numbers(value), feedback, part))
        if not found:
            raise _Skip("no number is given after {#")
        best = max(found, key=lambda f: f[0])
        weight, numbers, feedback, part = best
        if weight <= 0:
            raise _Skip("no answer gets marks")
        if weight < 100:
            self.note(part, f"the best answer gave {weight:g}% in Moodle; it now gets full marks")
        for other in found:
            if other is not best:
                self.note(other[3], f"the other answer '{other[3].shown}' was dropped: "
                          "the quiz gives marks for one answer or range only")
        if feedback is not None and feedback.text.strip():
            self.note(feedback, "the feedback for the right answer was dropped")
        return {"type": "number", **numbers}

    def _numbers(self, value: _Piece) -> dict:
        text = value.value.strip()

        def number(s: str) -> float:
            s = s.strip()
            if not _NUMBER.fullmatch(s) or not math.isfinite(float(s)):
                raise _Skip(f"'{text}' is not a number, a number:margin or a low..high range", value.at)
            return float(s)

        if text.find("..") > 0:
            low, high = (number(s) for s in text.split("..", 1))
            if low > high:
                self.note(value, f"the range {text} runs backwards; read as {high:g}..{low:g}")
                low, high = high, low
            return {"low": low, "high": high}
        if text.find(":") > 0:
            answer, margin = (number(s) for s in text.split(":", 1))
            if margin < 0:
                self.note(value, f"the margin {margin:g} is negative; read as {-margin:g}")
            return {"answer": answer, "tolerance": abs(margin)}
        return {"answer": number(text), "tolerance": 0.0}

    def _match(self, answers: _Piece) -> dict:
        """`{=item -> category ...}` -> match; `= -> x` adds a category with no item."""
        items: list[MatchItem] = []
        categories: list[str] = []
        for marker, part in answers.split("="):
            if not part.text.strip() and not marker:
                continue
            left, right = part.partition("->")
            if right is None:
                raise _Skip(f"the pair '{part.shown}' has no '->'", part.at)
            category = tidy(right.value)
            if not category:
                raise _Skip(f"the pair '{part.shown}' has nothing after '->'", part.at)
            if category not in categories:
                categories.append(category)
            item = self.text(left)
            if not item:
                continue
            if any(i.text == item for i in items):
                raise _Skip(f"'{item}' is to be matched twice", part.at)
            items.append(MatchItem(item, category))
        if not items:
            raise _Skip("no pairs to match")
        if len(categories) < 2:
            raise _Skip("a matching question needs at least two different answers after '->'")
        return {"type": "match", "items": tuple(items), "categories": tuple(categories)}


def _mark(option: Option, correct: bool) -> Option:
    return Option(option.text, correct=correct, explain=option.explain)
