"""Turning a pack file's bytes into a YAML node tree, safely.

Owns everything that happens before the pack's meaning is looked at: the size
limit, UTF-8 decoding and YAML syntax, each failure turned into a located
`Problem` in words a teacher understands. YAML is read with the safe loader
only (PyYAML's C one when it has it) and only composed into nodes: nothing in
a file is ever constructed or run, whatever tags it carries.
"""

from __future__ import annotations

import codecs

import yaml
from yaml.nodes import Node

from quiz.packs.problems import Problem

try:
    from yaml import CSafeLoader as SafeLoader
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

    CParser = None  # type: ignore[assignment, misc]


class PackLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, remembering what each distinct scalar resolved to.

    Keys such as `text` and `correct` recur thousands of times in a big pack,
    and resolving a scalar's tag runs a regular expression each time.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._resolved: dict = {}

    def resolve(self, kind, value, implicit):
        key = (kind, value, implicit)
        try:
            return self._resolved[key]
        except KeyError:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
            return tag


MAX_BYTES = 5 * 1024 * 1024
MEGABYTE = 1024 * 1024


def size_problem(size: int, path: str) -> Problem | None:
    """Refuse a file over the limit before a byte of it is read."""
    if size <= MAX_BYTES:
        return None
    return Problem(
        path, 1, 1,
        f"this file is {size:,} bytes, more than the {MAX_BYTES:,} bytes "
        f"({MAX_BYTES // MEGABYTE} MB) a pack may have: split it into smaller packs",
    )


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying where it stops being UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(
            path, 1, 1,
            "this file is saved as UTF-16 text: save it as UTF-8 "
            "(in most editors: Save As, then Encoding: UTF-8)",
        )]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        start = error.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", "replace")) + 1
        return None, [Problem(
            path, line, col,
            f"this file is not UTF-8 text: the byte 0x{data[start]:02x} here "
            f"(byte offset {start}) cannot be read; save the file as UTF-8 "
            "(in most editors: Save As, then Encoding: UTF-8)",
        )]


def compose(text: str, path: str, loader: type = PackLoader) -> tuple[Node | None, list[Problem]]:
    """The file's node tree (None for an empty file), or its syntax problem."""
    try:
        return yaml.compose(text, Loader=loader), []
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, path)]
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(error, text, path, loader)]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, f"this is not valid YAML: {error}")]
    except RecursionError:
        # Only the pure-Python loader recurses; libyaml stops at 1,000 levels itself.
        return None, [Problem(path, 1, 1, _TOO_DEEP)]


def alias_problems(text: str, path: str, loader: type = PackLoader) -> list[Problem]:
    """One problem per YAML alias (`*name`), found from the parser's events.

    Only called once the pack builder has met a node twice, so ordinary
    packs never pay for this second pass.
    """
    anchors: dict[str, int] = {}
    problems = []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            line = anchors.get(event.anchor)
            marked = f"the part marked `&{event.anchor}` on line {line}" if line else "an earlier part"
            problems.append(_at(
                path, event.start_mark,
                f"`*{event.anchor}` repeats {marked} (a YAML alias): packs do not use "
                "anchors and aliases, so that every question reads on its own; "
                "write the text out in full here",
            ))
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            anchors[event.anchor] = event.start_mark.line + 1
    return problems


_TOO_DEEP = (
    "lists or `key: value` mappings are nested too deeply here: a pack needs "
    "only a few levels (pack, questions, options)"
)


def _at(path: str, mark, message: str) -> Problem:
    return Problem(path, mark.line + 1, mark.column + 1, message)


def _char_at(text: str, mark) -> str:
    if mark is None:
        return ""
    lines = text.split("\n", mark.line + 1)
    if mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """Say what PyYAML's complaint means for someone who has never heard of YAML."""
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    start = error.context_mark
    char = _char_at(text, mark)

    if char == "\t" or "tab" in problem:
        message = (
            "a tab is used for indentation here, and YAML only accepts spaces: "
            "replace the tab with spaces (most editors can be set to indent with spaces)"
        )
    elif "quoted scalar" in context and "end of stream" in problem and start is not None:
        quote = _char_at(text, start) or '"'
        return _at(path, start, (
            f"the text starting with {quote} here is never closed: add the closing "
            f"{quote} where the text ends (to use {quote} inside the text, "
            + ("write it twice, like 'it''s'" if quote == "'" else 'write \\" or use single quotes')
            + ")"
        ))
    elif "mapping values are not allowed" in problem:
        message = (
            "a colon followed by a space confuses YAML here: if this is text, put all "
            'of it in quotes, like `prompt: "Who said it: the NCA or Netflix?"`; if it '
            "starts a new key, line it up with the keys above it"
        )
    elif "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closing = "]" if "]" in problem else "}"
        opened = f" on line {start.line + 1}" if start is not None else ""
        message = (
            f"the list opened with `{'[' if closing == ']' else '{'}`{opened} is not closed "
            f"before this point: add the missing `{closing}`, or a comma between items"
        )
    elif ("did not find expected key" in problem or "expected <block end>" in problem
          or "expected '-' indicator" in problem):
        message = (
            "this line is indented differently from the lines above it, so YAML cannot "
            "tell what it belongs to: line it up with the keys (or the `- ` items) it goes with"
        )
    elif "block sequence entries are not allowed" in problem:
        message = (
            "a list item (`- `) cannot start here: put it on its own line, indented "
            "under the key it belongs to"
        )
    elif "undefined alias" in problem:
        message = (
            "a word starting with `*` is read by YAML as an alias (a reference to "
            "another part of the file): packs do not use aliases; if you meant the "
            "text, put it in quotes"
        )
    elif "duplicate anchor" in context:
        message = (
            "a word starting with `&` is read by YAML as an anchor: packs do not use "
            "anchors and aliases; if you meant the text, put it in quotes"
        )
    elif "single document" in context:
        message = (
            "a second YAML document starts here (a line `---`): a pack is one document, "
            "so keep one pack per file and remove this line"
        )
    elif "nesting depth" in problem:
        message = _TOO_DEEP
    elif "escape" in problem:
        message = (
            "a backslash inside double quotes starts an escape YAML does not know: "
            "write `\\\\` for a backslash, or use single quotes"
        )
    elif "cannot start any token" in problem and char:
        message = (
            f"a value cannot start with {char} in YAML: put the whole text in quotes"
        )
    elif "could not find expected ':'" in problem:
        message = (
            "YAML expected a `key: value` pair here: check this line and the one "
            "above for a missing `:` or a long text that needs quotes"
        )
    else:
        detail = f"{problem} ({context})" if context else problem
        message = (
            f"this is not valid YAML ({detail}): check the indentation and the "
            "quotes on this line and the one above"
        )
    return _at(path, mark, message)


def _reader_problem(error: yaml.reader.ReaderError, text: str, path: str, loader: type) -> Problem:
    position = error.position
    if isinstance(error.character, int):
        code = error.character
    else:
        code = ord(error.character) if error.character else 0
    if CParser is not None and issubclass(loader, CParser):
        # libyaml counts in bytes of UTF-8; Python's reader counts characters.
        position = len(text.encode("utf-8")[:position].decode("utf-8", "replace"))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        path, line, col,
        f"the invisible character U+{code:04X} cannot be in a pack: delete it "
        "(it is often pasted in by accident from a PDF or a word processor)",
    )
