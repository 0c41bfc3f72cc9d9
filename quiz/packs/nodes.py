"""Reading a composed YAML node tree: the generic half of checking a pack.

`NodeReader` walks nodes (never constructed Python objects), so every problem
carries the line and column it came from and nothing in a file is ever run.
It reads one scalar, list or mapping at a time, each reader reporting its own
located problem in a teacher's words; it checks a mapping's keys with a
did-you-mean for typos, refuses tags other than YAML's core ones, and notices
YAML aliases. `quiz.packs.build` adds the rules of the pack format on top.
"""

from __future__ import annotations

import difflib
import math
import re
from functools import lru_cache
from typing import Iterable

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.answers import parse_number
from quiz.display import one_line, printable
from quiz.packs.problems import WARNING, Problem, control_problem

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
TIMESTAMP, MERGE, VALUE = (_TAG + t for t in ("timestamp", "merge", "value"))
SEQ, MAP = _TAG + "seq", _TAG + "map"

# Scalars kept as text exactly as written: `text: 1970` is the text "1970".
TEXT_TAGS = frozenset({STR, INT, FLOAT, BOOL, TIMESTAMP, VALUE, MERGE})
# The core YAML tags; anything else (`!!python/...`, `!!binary`, `!local`) is refused.
_ALLOWED_TAGS = {
    ScalarNode: TEXT_TAGS | {NULL},
    SequenceNode: frozenset({SEQ}),
    MappingNode: frozenset({MAP}),
}

# Beyond this many near-miss searches a file gets plain messages, so a hostile pack stays fast.
_GUESS_BUDGET = 1_000

# What YAML counts as the end of a line, so that line numbers agree with its marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# How many characters of a double-quoted scalar an escape takes, by the letter after the backslash.
_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}


class NodeReader:
    """Reads the nodes of one file, collecting every problem met on the way."""

    def __init__(self, path: str, text: str | None = None):
        self.path = path
        # The file's text, to point at a character inside a scalar; read only when needed.
        self._text_of_file = text
        self._lines: list[str] | None = None
        self.problems: list[Problem] = []
        self.errors = 0
        # Set when a node is reached twice: the file used a YAML alias.
        self.aliased = False
        self._seen: set[int] = set()
        self._constructor = SafeConstructor()
        self._guesses: dict[tuple[str, tuple[str, ...]], str | None] = {}
        # Keys a misspelt key probably meant, by mapping: "has no `options`" would repeat it.
        self._typos: dict[int, set[str]] = {}

    # -- reporting ----------------------------------------------------------

    def error(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))
        self.errors += 1

    def warning(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, message, WARNING)
        )

    def _error_at(self, node: ScalarNode, offset: int, message: str) -> None:
        """An error at the character `offset` of a scalar's text, or at the scalar when that cannot be found."""
        line, col = self._position(node, offset) or (node.start_mark.line + 1, node.start_mark.column + 1)
        self.problems.append(Problem(self.path, line, col, message))
        self.errors += 1

    def _position(self, node: ScalarNode, offset: int) -> tuple[int, int] | None:
        """The 1-based line and column of the character `offset` of a scalar's text.

        Exact for a double-quoted scalar on one line (each escape such as `\\e`
        or `\\x1b` stands for one character) and for every other style, where
        each character of the text is written as itself. None (so the scalar's
        start is used) for a double-quoted scalar over several lines, whose
        folding and escaped line breaks are not worth retracing, and whenever
        the file does not read as expected.
        """
        if self._text_of_file is None:
            return None
        if self._lines is None:
            self._lines = _LINE_BREAK.split(self._text_of_file)
        start, end = node.start_mark, node.end_mark
        if not start.line <= end.line < len(self._lines):
            return None
        if node.style == '"':
            return _in_double_quotes(self._lines[start.line], start, end, node.value, offset)
        char = node.value[offset]
        nth = node.value.count(char, 0, offset)
        for row in range(start.line, end.line + 1):
            text = self._lines[row]
            low = start.column if row == start.line else 0
            high = end.column if row == end.line else len(text)
            col = text.find(char, low, high)
            while col != -1:
                if nth == 0:
                    return row + 1, col + 1
                nth -= 1
                col = text.find(char, col + 1, high)
        return None

    # -- walking nodes --------------------------------------------------------

    def _visit(self, node: Node) -> bool:
        """Whether a node may be read: reached once only, and with a core tag."""
        ident = id(node)
        if ident in self._seen:
            # A YAML alias: not followed, so an alias bomb costs nothing.
            self.aliased = True
            return False
        self._seen.add(ident)
        if node.tag in _ALLOWED_TAGS[node.__class__]:
            return True
        self.error(node, (
            f"the tag `{_short_tag(node.tag)}` is not allowed: a pack holds only text, "
            "numbers, true/false, lists and `key: value` mappings; remove the tag"
        ))
        return False

    def _skip(self, node: Node) -> None:
        """Walk a part of the file that will not be used, only to report bad tags."""
        stack = [node]
        while stack:
            node = stack.pop()
            if not self._visit(node):
                continue
            if node.__class__ is MappingNode:
                for key, value in node.value:
                    stack.append(key)
                    stack.append(value)
            elif node.__class__ is SequenceNode:
                stack.extend(node.value)

    def _fields(self, node: MappingNode, allowed: frozenset[str], where: str,
                keys: tuple[str, ...]) -> dict[str, tuple[ScalarNode, Node]]:
        """The known keys of a mapping; unknown and repeated keys are reported."""
        fields: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if not self._visit(key):
                self._skip(value)
                continue
            if key.__class__ is not ScalarNode or key.tag == NULL:
                self.error(key, (
                    f"this key in {where} is not a plain word: keys are words like "
                    "`title` or `prompt`, followed by a colon and a space"
                ))
                self._skip(value)
                continue
            name = key.value
            if name in allowed:
                if name not in fields:
                    fields[name] = (key, value)
                    continue
                first = fields[name][0].start_mark.line + 1
                self.error(key, (
                    f"`{name}` appears twice in {where} (first on line {first}): keep only one"
                ))
            elif key.tag == MERGE:
                self.error(key, (
                    "`<<` merges in another part of the file (a YAML merge key): packs do "
                    "not use anchors, aliases or merges; write the keys out in full"
                ))
            else:
                guess = self._guess(name, keys)
                if guess:
                    self._typos.setdefault(id(node), set()).add(guess)
                self.error(key, _unknown_key(name, where, keys, guess))
            self._skip(value)
        return fields

    def _guess(self, word: str, choices: tuple[str, ...]) -> str | None:
        """The choice `word` was probably meant to be; the same typo is guessed once."""
        key = (word, choices)
        if key not in self._guesses:
            if len(self._guesses) >= _GUESS_BUDGET:
                return None
            self._guesses[key] = _guess(word, choices)
        return self._guesses[key]

    # -- scalar readers ---------------------------------------------------------

    # Each reader takes `what`, the thing named as a teacher reads it ("`prompt`
    # of question `q1`"), reports its own problem and returns None for a bad value.

    def _text(self, value: Node, what: str, *, required: bool = False,
              how: str = "fill it in, or remove it") -> str | None:
        """Plain text kept as written; "" for an empty optional value."""
        if not self._visit(value):
            return None
        if value.__class__ is ScalarNode:
            # Text Python calls printable holds no control character: most scalars stop here.
            if value.tag != NULL and not value.value.isprintable():
                refused = control_problem(what, value.value)
                if refused is not None:
                    self._error_at(value, *refused)
                    return None
            if value.tag != NULL and value.value.strip():
                return value.value
            if not required:
                return ""
            self.error(value, f"{what} is empty: {how}")
            return None
        self.error(value, f"{what} should be text, not {kind(value)}")
        return None

    def _number(self, value: Node, what: str, expected: str, *, words: bool = False) -> float | None:
        """A finite number; `words` also reads strings such as "291,273" or "6-fold"."""
        if not self._visit(value):
            return None
        number = None
        if value.__class__ is ScalarNode:
            tag = value.tag
            try:
                if tag == INT:
                    number = float(self._constructor.construct_yaml_int(value))
                elif tag == FLOAT:
                    number = float(self._constructor.construct_yaml_float(value))
                elif words and tag == STR:
                    number = parse_number(value.value)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                number = None
        if number is not None and math.isfinite(number):
            return number
        self.error(value, f"{what} should be {expected}, not {kind(value)}")
        return None

    def _flag(self, value: Node, what: str) -> bool | None:
        if not self._visit(value):
            return None
        if value.__class__ is ScalarNode and value.tag == BOOL:
            try:
                return bool(self._constructor.construct_yaml_bool(value))
            except (KeyError, yaml.YAMLError):
                pass
        self.error(value, f"{what} should be `true` or `false`, not {kind(value)}")
        return None

    def _choice(self, value: Node, what: str, allowed: Iterable[str]) -> str | None:
        """One of a few fixed words, with a did-you-mean for typos."""
        allowed = tuple(allowed)
        words = ", ".join(f"`{a}`" for a in allowed[:-1]) + f" or `{allowed[-1]}`"
        text = self._text(value, what, required=True, how=f"write {words}")
        if text is None:
            return None
        if text in allowed:
            return text
        guess = self._guess(text.strip().lower(), allowed)
        hint = f" (did you mean `{guess}`?)" if guess else ""
        self.error(value, f"{what} should be {words}, not `{short(text)}`{hint}")
        return None

    def _list(self, value: Node, what: str, example: str) -> list[Node] | None:
        if not self._visit(value):
            return None
        if value.__class__ is SequenceNode:
            return value.value
        self.error(value, f"{what} should be a list, like {example}, not {kind(value)}")
        return None

    def _mapping(self, value: Node, what: str, example: str) -> bool:
        if not self._visit(value):
            return False
        if value.__class__ is MappingNode:
            return True
        self.error(value, f"{what} should be a set of `key: value` lines, like {example}, not {kind(value)}")
        return False

    def _texts(self, nodes: list[Node], what: str) -> list[tuple[Node, str]]:
        """The entries of a list of texts, each checked; empty entries are errors."""
        texts = []
        for number, node in enumerate(nodes, 1):
            text = self._text(node, f"entry {number} of {what}", required=True)
            if text is not None:
                texts.append((node, text))
        return texts


# -- wording helpers -------------------------------------------------------------------


def _unknown_key(name: str, where: str, keys: tuple[str, ...], guess: str | None) -> str:
    if guess:
        return f"unknown key `{short(name)}` in {where}: did you mean `{guess}`?"
    return (
        f"unknown key `{short(name)}` in {where}: check its spelling, or remove it "
        f"(the keys allowed here are {_listed(keys)})"
    )


@lru_cache(maxsize=16)
def _listed(keys: tuple[str, ...]) -> str:
    return ", ".join(f"`{k}`" for k in keys)


def _guess(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def kind(node: Node) -> str:
    """What a node is, in words, for "should be X, not Y" messages."""
    if node.__class__ is MappingNode:
        return "a set of `key: value` lines"
    if node.__class__ is SequenceNode:
        return "a list"
    tag = node.tag
    if tag == NULL:
        return "empty"
    if tag == BOOL:
        return f"`{node.value}` (which YAML reads as true/false)"
    if tag == INT or tag == FLOAT:
        return f"the number `{node.value}`"
    if node.style in ("'", '"'):
        return f"the text {node.style}{short(node.value)}{node.style} (in quotes)"
    return f"the text `{short(node.value)}`"



def short(text: str, limit: int = 50) -> str:
    """Text from the file quoted in a message: on one line, cut short, control characters made visible."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_tag(tag: str) -> str:
    return printable("!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag)


def _in_double_quotes(line: str, start, end, value: str, offset: int) -> tuple[int, int] | None:
    """Where the character `offset` of a one-line double-quoted scalar is written."""
    if end.line != start.line or line[start.column:start.column + 1] != '"':
        return None
    col = start.column + 1
    for _ in range(offset):
        if line[col:col + 1] == "\\":
            col += _ESCAPE_WIDTH.get(line[col + 1:col + 2], 2)
        else:
            col += 1
    written = line[col:col + 1]
    if written != "\\" and written != value[offset]:
        return None
    return start.line + 1, col + 1



def of(name: str, where: str) -> str:
    return f"`{name}` of {where}"

