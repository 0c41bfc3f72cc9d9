"""Building a `Pack` from a YAML node tree, checking every rule of pack format 1.

The builder reads composed nodes through `quiz.packs.nodes.NodeReader`, so
each problem carries the line and column it came from and nothing in the file
is ever run. It collects every problem of a file before giving up, so a teacher
fixes them all in one go. Messages say what is wrong, where, and what to do.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import partialmethod
from types import MappingProxyType

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

# The engine grades what students type; the validator accepts exactly what it can grade.
from quiz.answers import CHARACTERS_PER_TYPO, allowed_typos, normalise_text
from quiz.model import (
    DEFAULT_SKILLS,
    FORMAT_VERSION,
    MODES,
    QUESTION_TYPES,
    SHUFFLES,
    VERDICTS,
    MatchItem,
    Option,
    Pack,
    Question,
    Section,
    Source,
)
from quiz.packs.claims import SourceText
from quiz.packs.nodes import INT, NULL, TEXT_TAGS, TIMESTAMP, NodeReader, kind, of, short
from quiz.packs.problems import Problem
from quiz.timing import TimeError, parse_time_limit

MAX_QUESTIONS = 10_000
PACK_KEYS = (
    "pack", "id", "title", "version", "language", "audience", "authors", "license",
    "description", "content_note", "source", "skills", "hint_penalty", "confidence",
    "mode", "time_limit", "shuffle", "sections", "questions",
)
SOURCE_KEYS = ("title", "publisher", "published", "url", "text", "description")
TYPE_KEYS = {
    "choice": ("options",),
    "multi": ("options",),
    "phrase": ("options",),
    "number": ("answer", "tolerance", "range", "unit"),
    "text": ("accept", "typos"),
    "match": ("items", "categories"),
    "verdict": ("verdict",),
}
COMMON_QUESTION_KEYS = ("id", "skill", "type", "prompt", "points", "claim", "hint", "explain")
QUESTION_KEYS = COMMON_QUESTION_KEYS + tuple(
    dict.fromkeys(k for keys in TYPE_KEYS.values() for k in keys)
)
OPTION_KEYS = ("text", "correct", "explain")
ITEM_KEYS = ("text", "answer", "explain")
SECTION_KEYS = ("title", "questions", "draw")

_PACK_KEY_SET = frozenset(PACK_KEYS)
_SOURCE_KEY_SET = frozenset(SOURCE_KEYS)
_QUESTION_KEY_SET = frozenset(QUESTION_KEYS)
_OPTION_KEY_SET = frozenset(OPTION_KEYS)
_ITEM_KEY_SET = frozenset(ITEM_KEYS)
_SECTION_KEY_SET = frozenset(SECTION_KEYS)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Beyond this many near-miss searches a file gets plain messages, so a hostile pack stays fast.
# Beyond this many claim suggestions a file gets plain messages, so a hostile pack stays fast.
_SUGGESTION_BUDGET = 50

_PACK_NEEDS = (
    "a pack needs `pack: 1`, an `id`, a `title` and its `questions` "
    "(`quiz new FILE` writes a starter pack to copy from)"
)
_QUESTION_NEEDS = (
    "every question needs an `id`, a `skill`, a `type` and a `prompt`, "
    "like the questions of the starter pack that `quiz new FILE` writes"
)

# What to add when a required key is missing, by key.
_HOW_TO_ADD = {
    "pack": "add `pack: 1` as the first line",
    "pack id": "add a short name for the pack, like `id: reading-the-news` "
               "(lower-case letters, digits and hyphens)",
    "title": 'add the title students see, like `title: "Reading the news"`',
    "questions": "add a `questions:` list with at least one question",
    "id": "add a name no other question uses, like `id: who-said-it`",
    "skill": "add the skill it practises, like `skill: source`",
    "type": "add its type: one of " + ", ".join(f"`{t}`" for t in QUESTION_TYPES),
    "prompt": 'add the question students see, like `prompt: "Who is the source?"`',
    "options": "add `options:`, a list of answers like `- text: \"...\"`",
    "answer": "add the right number, like `answer: 42`, or a `range: [low, high]`",
    "accept": 'add `accept:`, the answers that count as right, like `accept: ["Netflix"]`',
    "items": 'add `items:`, a list like `- {text: "...", answer: "a category"}`',
    "categories": 'add `categories:`, a list like `categories: ["fact", "opinion"]`',
    "claim": "add the words from the source that students judge, like "
             '`claim: "the UK\'s top crime agency warned"`',
    "verdict": "add `verdict: fair` or `verdict: misleading`",
    "source text": "add the article under `text: |`, indented on the lines below",
    "option text": 'add the words students see, like `text: "Netflix"`',
    "item text": 'add the words students sort, like `text: "24 million views"`',
    "item answer": "add the category it belongs to, like `answer: fact`",
}


class PackBuilder(NodeReader):
    """Turns the node tree of one file into a `Pack`, collecting its problems.

    `traps=False` leaves out the writing-trap warnings (`quiz validate` and
    `quiz packs` give them; a student about to play the pack needs only its errors).
    """

    def __init__(self, path: str, text: str | None = None, *, traps: bool = True):
        super().__init__(path, text)
        self.traps = traps
        self._suggestions_left = _SUGGESTION_BUDGET
        self._source_text: SourceText | None = None
        self._has_source = False
        self._skills: dict[str, str] | None = None
        # Where the pack's id is written, for duplicate-id warnings across packs.
        self.id_line, self.id_col = 1, 1
        # Where each part of each question is written, for the writing-trap warnings:
        # by question id, then ("prompt",), ("option", n), ("option", n, "explain")...
        self._marks: dict[str, dict[tuple, Node]] = {}
        self._question_marks: dict[tuple, Node] = {}
        self._sections_read = False

    # -- required keys --------------------------------------------------------------

    def _missing(self, node: Node, where: str, key: str, how: str | None = None) -> None:
        if key in self._typos.get(id(node), ()):
            return
        self.error(node, f"{where} has no `{key}`: {how or _HOW_TO_ADD[key]}")

    def _require(self, node: Node, where: str, fields: dict, keys: tuple[str, ...],
                 hows: dict[str, str], needs: str) -> None:
        """One message for all the required keys a mapping lacks."""
        typos = self._typos.get(id(node), ())
        missing = [k for k in keys if k not in fields and k not in typos]
        if len(missing) == 1:
            self._missing(node, where, missing[0], hows.get(missing[0]))
        elif missing:
            listed = ", ".join(f"`{k}`" for k in missing[:-1]) + f" or `{missing[-1]}`"
            self.error(node, f"{where} has no {listed}: {needs}")

    # -- the pack -------------------------------------------------------------------

    def build(self, root: Node | None) -> Pack | None:
        if root is None or (root.__class__ is ScalarNode and root.tag == NULL):
            self.problems.append(Problem(self.path, 1, 1, (
                "the file is empty: a pack starts with `pack: 1` and needs `id`, `title` "
                "and `questions` (`quiz new FILE` writes a starter pack to copy from)"
            )))
            self.errors += 1
            return None
        if not self._visit(root):
            return None
        if root.__class__ is not MappingNode:
            self.error(root, (
                "a pack is a set of `key: value` lines starting with `pack: 1`, but this "
                f"file holds {kind(root)}"
            ))
            return None
        if self._newer_format(root):
            return None
        where = "the pack"
        fields = self._fields(root, _PACK_KEY_SET, where, PACK_KEYS)
        self._format(root, fields.get("pack"))

        self._require(root, where, fields, ("id", "title", "questions"),
                      {"id": _HOW_TO_ADD["pack id"]}, _PACK_NEEDS)
        pack_id = title = None
        if "id" in fields:
            pack_id = self._pack_id(fields["id"][1])
        if "title" in fields:
            title = self._text(fields["title"][1], of("title", where), required=True,
                               how=_HOW_TO_ADD["title"])

        extra = self._pack_details(fields)

        # The source and skills come first: questions are checked against them.
        self._has_source = "source" in fields
        source = self._source(fields["source"][1]) if self._has_source else None
        skills = self._read_skills(fields["skills"][1]) if "skills" in fields else dict(DEFAULT_SKILLS)
        self._skills = skills

        questions: list[Question] = []
        if "questions" in fields:
            questions = self._questions(*fields["questions"])
        sections = self._sections(fields, questions)

        if self.errors or pack_id is None or title is None or skills is None:
            return None
        pack = Pack(
            id=pack_id,
            title=title,
            questions=tuple(questions),
            source=source,
            skills=MappingProxyType(skills),
            sections=sections,
            **extra,  # type: ignore[arg-type]
        )
        if self.traps:
            from quiz.packs.traps import writing_traps  # only checking a pack needs them, not playing it

            questions_key = fields["questions"][0]
            for where, message in writing_traps(pack):
                self.warning(self._node_at(where, questions_key), message)
        return pack

    def _node_at(self, where: tuple, fallback: Node) -> Node:
        """The node a warning points at: a part of a question, the question, or `questions:`."""
        if not where:
            return fallback
        marks = self._marks.get(where[0], {})
        return marks.get(tuple(where[1:])) or marks.get(()) or fallback

    def _pack_details(self, fields: dict) -> dict[str, object]:
        """The pack's optional keys that are neither its source nor its questions."""
        where = "the pack"
        extra: dict[str, object] = {}
        for name in ("version", "language", "audience", "license", "description", "content_note"):
            if name in fields:
                text = self._text(fields[name][1], of(name, where))
                if text:
                    extra[name] = text
        if "authors" in fields:
            what = of("authors", where)
            nodes = self._list(fields["authors"][1], what, '`authors: ["A. Teacher"]`')
            if nodes is not None:
                extra["authors"] = tuple(t for _, t in self._texts(nodes, what))
        if "hint_penalty" in fields:
            node = fields["hint_penalty"][1]
            what = of("hint_penalty", where)
            expected = ("a number from 0 up to, but not including, 1, like `hint_penalty: 0.5` "
                        "(1 would leave nothing for a right answer after a hint)")
            penalty = self._number(node, what, expected)
            if penalty is not None and not 0 <= penalty < 1:
                self.error(node, f"{what} should be {expected}, not {kind(node)}")
            elif penalty is not None:
                extra["hint_penalty"] = penalty
        if "confidence" in fields:
            flag = self._flag(fields["confidence"][1], of("confidence", where))
            if flag is not None:
                extra["confidence"] = flag
        if "mode" in fields:
            mode = self._choice(fields["mode"][1], of("mode", where), MODES)
            if mode:
                extra["mode"] = mode
        if "time_limit" in fields:
            node = fields["time_limit"][1]
            what = of("time_limit", where)
            text = self._text(node, what, required=True, how="write the time a test takes, like `time_limit: 20m`")
            if text is not None:
                try:
                    extra["time_limit"] = parse_time_limit(text)
                except TimeError as exc:
                    self.error(node, f"{what}: {exc}")
        if "shuffle" in fields:
            node = fields["shuffle"][1]
            shuffle = self._choice(node, of("shuffle", where), SHUFFLES)
            if shuffle == "within-sections" and "sections" not in fields:
                self.error(node, (
                    "`shuffle: within-sections` needs `sections:`, and this pack has none: "
                    "add `sections:`, or use `shuffle: all` or `shuffle: none`"
                ))
            elif shuffle:
                extra["shuffle"] = shuffle
        return extra

    # -- sections --------------------------------------------------------------------

    def _sections(self, fields: dict, questions: list[Question]) -> tuple[Section, ...]:
        """The pack's sections: every question in exactly one, each `draw` possible."""
        if "sections" not in fields:
            return ()
        key, node = fields["sections"]
        example = '`- title: "Who is the source?"` starting each section'
        nodes = self._list(node, "`sections` of the pack", example)
        if nodes is None:
            return ()
        if not nodes:
            self.error(key, (
                "`sections` is empty: list the sections with their questions, or remove "
                "`sections:` to play the questions as one block"
            ))
            return ()
        known = {q.id for q in questions}
        listed: dict[str, tuple[int, int]] = {}  # id -> (section number, line)
        sections = []
        self._sections_read = True  # whether every section's list of ids could be read
        for number, item in enumerate(nodes, 1):
            section = self._section(item, number, known, listed)
            if section is not None:
                sections.append(section)
        if self._sections_read and "questions" in fields:
            for q in questions:
                if q.id not in listed:
                    self.error(self._marks.get(q.id, {}).get(("id",), key), (
                        f"question `{short(q.id)}` is in no section, so no student would be "
                        "asked it: add its id to the `questions` of one of the `sections`"
                    ))
        return tuple(sections)

    def _section(self, node: Node, number: int, known: set[str],
                 listed: dict[str, tuple[int, int]]) -> Section | None:
        where = f"section {number}"
        example = '`- title: "Who is the source?"` then `questions: [who-warned, ...]`'
        if not self._mapping(node, where, example):
            self._sections_read = False
            return None
        fields = self._fields(node, _SECTION_KEY_SET, where, SECTION_KEYS)
        errors_before = self.errors
        self._require(node, where, fields, ("title", "questions"), {
            "title": 'add the title students see above its questions, like `title: "Who is the source?"`',
            "questions": "add `questions:`, the ids of its questions, like `questions: [who-warned, iwf-name]`",
        }, "a section needs a `title` and the ids of its `questions`")
        title = None
        if "title" in fields:
            title = self._text(fields["title"][1], of("title", where), required=True,
                               how='write the title students see, like `title: "Who is the source?"`')
            if title:
                where = f"section {number} (`{short(title, 30)}`)"
        ids: list[str] = []
        entries: list[Node] | None = None
        if "questions" in fields:
            qkey, qnode = fields["questions"]
            what = of("questions", where)
            entries = self._list(qnode, what, "`questions: [who-warned, iwf-name]`")
            if entries is not None and not entries:
                self.error(qkey, f"{what} is empty: list the ids of the questions in it")
            texts = self._texts(entries or [], what)
            if entries is None or len(texts) != len(entries):
                self._sections_read = False
            for entry, qid in texts:
                line = entry.start_mark.line + 1
                if qid not in known:
                    guess = self._guess(qid, tuple(sorted(known)))
                    advice = f"did you mean `{guess}`?" if guess else "check the id against the questions' `id`s"
                    self.error(entry, (
                        f"{where} lists `{short(qid)}`, which is not the id of a question "
                        f"of this pack: {advice}"
                    ))
                elif qid in listed:
                    first_section, first_line = listed[qid]
                    self.error(entry, (
                        f"`{short(qid)}` is listed twice in `sections` (first in section "
                        f"{first_section}, line {first_line}): each question belongs to one "
                        "section; keep only one"
                    ))
                else:
                    listed[qid] = (number, line)
                    ids.append(qid)
        draw = None
        if "draw" in fields:
            draw_node = fields["draw"][1]
            what = of("draw", where)
            expected = "a whole number of 1 or more, like `draw: 3`"
            value = self._number(draw_node, what, expected)
            if value is not None and (value < 1 or not value.is_integer()):
                self.error(draw_node, f"{what} should be {expected}, not {kind(draw_node)}")
            elif value is not None:
                draw = int(value)
                size = len(entries or ())
                if entries and draw > size:
                    self.error(draw_node, (
                        f"{what} is {draw}, but the section lists {size} "
                        f"question{'s' if size != 1 else ''}: draw at most {size}, "
                        "or add questions to the section"
                    ))
        if self.errors != errors_before or title is None:
            return None
        return Section(title=title, questions=tuple(ids), draw=draw)

    def _newer_format(self, root: MappingNode) -> bool:
        """Refuse another format whole: its other keys would only be noise."""
        for key, value in root.value:
            if not (key.__class__ is ScalarNode and key.value == "pack"
                    and value.__class__ is ScalarNode and value.tag == INT):
                continue
            try:
                version = self._constructor.construct_yaml_int(value)
            except ValueError:
                return False
            if version == FORMAT_VERSION:
                return False
            self.error(value, (
                f"this file is pack format {version}; this quiz reads format "
                f"{FORMAT_VERSION}: update the quiz, or ask the pack's author for a "
                f"format {FORMAT_VERSION} version"
            ))
            return True
        return False

    def _format(self, root: Node, entry: tuple[Node, Node] | None) -> None:
        if entry is None:
            self._missing(root, "the pack", "pack")
            return
        node = entry[1]
        if self._visit(node) and not (node.__class__ is ScalarNode and node.tag == INT):
            self.error(node, (
                f"`pack` should be the format number, `pack: {FORMAT_VERSION}`, not {kind(node)}"
            ))

    def _pack_id(self, node: Node) -> str | None:
        self.id_line, self.id_col = node.start_mark.line + 1, node.start_mark.column + 1
        text = self._text(node, "`id` of the pack", required=True, how=_HOW_TO_ADD["pack id"])
        if text is None:
            return None
        if _SLUG.match(text):
            return text
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        like = f"`{slug}`" if slug else "`reading-the-news`"
        self.error(node, (
            f"the pack id `{short(text)}` should use only lower-case letters, digits and "
            f"single hyphens, like {like}"
        ))
        return None

    def _source(self, node: Node) -> Source | None:
        if not self._mapping(node, "`source`", "`text: |` with the article below it"):
            return None
        where = "the source"
        fields = self._fields(node, _SOURCE_KEY_SET, where, SOURCE_KEYS)
        values: dict[str, str] = {}
        for name in ("title", "publisher", "url", "description"):
            if name in fields:
                text = self._text(fields[name][1], of(name, where))
                if text:
                    values[name] = text
        if "published" in fields:
            published = self._date(fields["published"][1], "published", where)
            if published:
                values["published"] = published
        if "text" not in fields:
            self._missing(node, where, "text", _HOW_TO_ADD["source text"])
            return None
        text = self._text(fields["text"][1], of("text", where), required=True,
                          how=_HOW_TO_ADD["source text"])
        if text is None:
            return None
        self._source_text = SourceText(text)
        return Source(text=text, **values)

    def _date(self, node: Node, name: str, where: str) -> str | None:
        """A date as an ISO string, written bare (`2025-03-25`) or in quotes."""
        if node.__class__ is ScalarNode and node.tag == TIMESTAMP:
            if not self._visit(node):
                return None
            try:
                return self._constructor.construct_yaml_timestamp(node).isoformat()
            except (ValueError, TypeError, yaml.YAMLError):
                pass
        else:
            text = self._text(node, of(name, where))
            if not text:
                return text
            text = _iso_spelling(text.strip())
            for reader in (date, datetime):
                try:
                    return reader.fromisoformat(text).isoformat()
                except ValueError:
                    continue
        self.error(node, (
            f"`{name}` of {where} should be a date written year-month-day, like "
            f"`{name}: 2025-03-25`, not {kind(node)}"
        ))
        return None

    def _read_skills(self, node: Node) -> dict[str, str] | None:
        example = "`source: Who is the source?`"
        if not self._mapping(node, "`skills` of the pack", example):
            return None
        if not node.value:
            self.error(node, (
                f"`skills` of the pack is empty: list each skill on its own line, like "
                f"{example}, or remove `skills:` to use the three default skills"
            ))
            return None
        skills: dict[str, str] = {}
        lines: dict[str, int] = {}
        ok = True
        for key, value in node.value:
            if not (self._visit(key) and key.__class__ is ScalarNode and key.tag in TEXT_TAGS
                    and key.value.strip()):
                self.error(key, f"each skill should be a short name followed by a colon, like {example}")
                self._skip(value)
                ok = False
                continue
            name = key.value
            if name in skills:
                self.error(key, (
                    f"the skill `{short(name)}` is listed twice (first on line {lines[name]}): "
                    "keep only one"
                ))
                self._skip(value)
                continue
            label = self._text(value, f"the skill `{short(name)}`", required=True,
                               how=f"write what it asks, like {example}")
            if label is None:
                ok = False
                continue
            skills[name] = label
            lines[name] = key.start_mark.line + 1
        return skills if ok else None

    # -- questions --------------------------------------------------------------------

    def _questions(self, key: Node, node: Node) -> list[Question]:
        nodes = self._list(node, "`questions` of the pack", "`- id: who-said-it` starting each question")
        if nodes is None:
            return []
        if not nodes:
            self.error(key, "`questions` is empty: add at least one question")
            return []
        if len(nodes) > MAX_QUESTIONS:
            self.error(key, (
                f"this pack has {len(nodes):,} questions and a pack may have at most "
                f"{MAX_QUESTIONS:,}: split it into several packs"
            ))
            return []
        questions = []
        first_line: dict[str, int] = {}
        for number, item in enumerate(nodes, 1):
            question = self._question(item, number, first_line)
            if question is not None:
                questions.append(question)
        return questions

    def _question(self, node: Node, number: int, first_line: dict[str, int]) -> Question | None:
        if not self._visit(node):
            return None
        if node.__class__ is not MappingNode:
            self.error(node, (
                f"question {number} should be a set of `key: value` lines starting with "
                f"`- id:`, not {kind(node)}"
            ))
            return None
        where = _question_name(node, number)
        fields = self._fields(node, _QUESTION_KEY_SET, where, QUESTION_KEYS)
        errors_before = self.errors
        self._question_marks = marks = {(): node}
        for name in ("id", "prompt", "claim", "hint", "explain"):
            if name in fields:
                marks[(name,)] = fields[name][1]

        self._require(node, where, fields, ("id", "skill", "type", "prompt"), _HOW_TO_ADD,
                      _QUESTION_NEEDS)
        qid = None
        if "id" in fields:
            id_node = fields["id"][1]
            qid = self._text(id_node, of("id", where), required=True, how=_HOW_TO_ADD["id"])
            if qid is not None:
                if qid in first_line:
                    self.error(id_node, (
                        f"the question id `{short(qid)}` is used twice (first on line "
                        f"{first_line[qid]}): give each question its own id"
                    ))
                else:
                    first_line[qid] = id_node.start_mark.line + 1
                    self._marks[qid] = marks

        qtype = None
        if "type" in fields:
            qtype = self._choice(fields["type"][1], of("type", where), QUESTION_TYPES)

        skill = None
        if "skill" in fields:
            skill = self._skill(fields["skill"][1], where)

        prompt = None
        if "prompt" in fields:
            prompt = self._text(fields["prompt"][1], of("prompt", where), required=True,
                                how=_HOW_TO_ADD["prompt"])

        values: dict[str, object] = {"line": node.start_mark.line + 1}
        if "points" in fields:
            points_node = fields["points"][1]
            what = of("points", where)
            expected = "a number above 0, like `points: 2`"
            points = self._number(points_node, what, expected)
            if points is not None and points <= 0:
                self.error(points_node, f"{what} should be {expected}, not {kind(points_node)}")
            elif points is not None:
                values["points"] = points
        for name in ("hint", "explain", "claim"):
            if name in fields:
                text = self._text(fields[name][1], of(name, where))
                if text:
                    values[name] = text
        if values.get("claim"):
            self._check_in_source(fields["claim"][1], values["claim"], f"the claim of {where}")

        if qtype is not None:
            wanted = TYPE_KEYS[qtype]
            for name, (key, value) in list(fields.items()):
                if name in COMMON_QUESTION_KEYS or name in wanted:
                    continue
                uses = ", ".join(f"`{k}`" for k in wanted)
                self.error(key, (
                    f"`{name}` is not used by a {qtype} question ({where}): remove it, or "
                    f"change `type` (a {qtype} question uses {uses})"
                ))
                self._skip(value)
                del fields[name]
            getattr(self, f"_{qtype}_answer")(node, fields, where, values)
        else:
            # Without a known type its answer keys cannot be checked; walk them for tags.
            for name, (_, value) in fields.items():
                if name not in COMMON_QUESTION_KEYS:
                    self._skip(value)

        if self.errors != errors_before or None in (qid, qtype, skill, prompt):
            return None
        return Question(id=qid, skill=skill, type=qtype, prompt=prompt, **values)  # type: ignore[arg-type]

    def _skill(self, node: Node, where: str) -> str | None:
        skill = self._text(node, of("skill", where), required=True, how=_HOW_TO_ADD["skill"])
        if skill is None or self._skills is None or skill in self._skills:
            return skill
        declared = ", ".join(f"`{s}`" for s in self._skills)
        guess = self._guess(skill, tuple(self._skills))
        advice = f"use one of {declared}, or add it under `skills:`"
        if guess:
            advice = f"did you mean `{guess}`? U{advice[1:]}"
        self.error(node, (
            f"the skill `{short(skill)}` of {where} is not one of the pack's skills: {advice}"
        ))
        return None

    def _check_in_source(self, node: Node, text: str, what: str) -> None:
        """A claim or phrase must occur word for word in the source text."""
        source = self._source_text
        if source is None:
            if not self._has_source:
                self.error(node, (
                    f"{what} must be found in the source text, but the pack has no "
                    "`source:`: add the article under `source:` with its `text: |`"
                ))
            return
        if source.contains(text):
            return
        hint = ""
        if self._suggestions_left > 0:
            self._suggestions_left -= 1
            hint = source.suggestion(text)
        advice = "copy the words exactly from the source (only spacing and line breaks may differ)"
        if hint:
            advice = f"{hint} {advice[0].upper()}{advice[1:]}"
        self.error(node, f"{what} is not in the source text word for word: {advice}")

    # -- answers, one reader per type ------------------------------------------------------

    def _options(self, qtype: str, node: Node, fields, where: str, values: dict) -> None:
        if "options" not in fields:
            self._missing(node, where, "options")
            return
        key, value = fields["options"]
        nodes = self._list(value, of("options", where), '`- text: "Netflix"` starting each option')
        if nodes is None:
            return
        errors_before = self.errors
        options: list[Option] = []
        seen: dict[str, int] = {}
        for number, item in enumerate(nodes, 1):
            owhere = f"option {number} of {where}"
            if not self._mapping(item, owhere, '`- text: "Netflix"`'):
                continue
            ofields = self._fields(item, _OPTION_KEY_SET, owhere, OPTION_KEYS)
            correct = explain = None
            if "correct" in ofields:
                correct = self._flag(ofields["correct"][1], of("correct", owhere))
            if "explain" in ofields:
                explain = self._text(ofields["explain"][1], of("explain", owhere))
            if "text" not in ofields:
                self._missing(item, owhere, "text", _HOW_TO_ADD["option text"])
                continue
            text_node = ofields["text"][1]
            text = self._text(text_node, of("text", owhere), required=True,
                              how=_HOW_TO_ADD["option text"])
            if text is None:
                continue
            if text in seen:
                self.error(text_node, (
                    f"{owhere} has the same text as option {seen[text]}: students "
                    "could not tell them apart; make each option different"
                ))
            seen.setdefault(text, number)
            if qtype == "phrase":
                self._check_in_source(text_node, text, f"the phrase of {owhere}")
            self._question_marks[("option", len(options))] = text_node
            if "explain" in ofields:
                self._question_marks[("option", len(options), "explain")] = ofields["explain"][1]
            options.append(Option(text=text, correct=bool(correct), explain=explain or ""))

        if len(nodes) < 2:
            self.error(key, (
                f"a {qtype} question needs at least 2 options, and {where} has {len(nodes)}: "
                "add the other answers students choose from"
            ))
        elif self.errors == errors_before:
            right = sum(1 for o in options if o.correct)
            if right == 0:
                self.error(key, (
                    f"no option of {where} is marked `correct: true`: mark the right "
                    + ("answers" if qtype == "multi" else "answer")
                ))
            elif right > 1 and qtype != "multi":
                other = ", or use `type: multi` for several right answers" if qtype == "choice" else ""
                self.error(key, (
                    f"{right} options of {where} are marked `correct: true`, but a {qtype} "
                    f"question has exactly one right answer: keep one{other}"
                ))
        values["options"] = tuple(options)

    def _number_answer(self, node: Node, fields, where: str, values: dict) -> None:
        expected = 'a number, like `answer: 6`, `answer: "291,273"` or `answer: 6x`'
        answer = low = high = tolerance = None
        if "answer" in fields:
            answer = self._number(fields["answer"][1], of("answer", where), expected, words=True)
        elif "range" not in fields:
            self._missing(node, where, "answer")
        if "tolerance" in fields:
            tol_node = fields["tolerance"][1]
            what = of("tolerance", where)
            expected = "a number of 0 or more, like `tolerance: 0.5`"
            tolerance = self._number(tol_node, what, expected, words=True)
            if tolerance is not None and tolerance < 0:
                self.error(tol_node, f"{what} should be {expected}, not {kind(tol_node)}")
                tolerance = None
        if "range" in fields:
            low, high = self._range(fields["range"][1], where)
            if "tolerance" in fields:
                self.error(fields["range"][0], (
                    f"{where} gives both `tolerance` and `range`: use one of them"
                ))
        if answer is not None and low is not None and high is not None and not low <= answer <= high:
            self.error(fields["answer"][1], (
                f"the answer of {where} is outside its range [{_number_text(low)}, "
                f"{_number_text(high)}]: widen the range or correct the answer"
            ))
        if "unit" in fields:
            unit = self._text(fields["unit"][1], of("unit", where))
            if unit:
                values["unit"] = unit
        values.update(answer=answer, low=low, high=high)
        if tolerance is not None:
            values["tolerance"] = tolerance

    def _range(self, node: Node, where: str) -> tuple[float | None, float | None]:
        example = "`range: [5, 7]`"
        what = of("range", where)
        nodes = self._list(node, what, example)
        if nodes is None:
            return None, None
        if len(nodes) != 2:
            self.error(node, (
                f"{what} should be two numbers, low then high, like {example}; it has {len(nodes)}"
            ))
            for item in nodes:
                self._skip(item)
            return None, None
        expected = f"a number (a range is two numbers, like {example})"
        low = self._number(nodes[0], f"the low end of {what}", expected, words=True)
        high = self._number(nodes[1], f"the high end of {what}", expected, words=True)
        if low is None or high is None:
            return None, None
        if low > high:
            self.error(node, (
                f"{what} runs backwards: write the lower number first, like "
                f"`range: [{_number_text(high)}, {_number_text(low)}]`"
            ))
            return None, None
        return low, high

    def _text_answer(self, node: Node, fields, where: str, values: dict) -> None:
        if "accept" not in fields:
            self._missing(node, where, "accept")
            return
        value = fields["accept"][1]
        what = of("accept", where)
        nodes = self._list(value, what, '`accept: ["Netflix", "Netflix UK"]`')
        if nodes is None:
            return
        if not nodes:
            self.error(value, f"{what} is empty: list at least one answer that counts as right")
            return
        accepted = []
        for entry, text in self._texts(nodes, what):
            if not normalise_text(text):
                self.error(entry, (
                    f"the accepted answer `{short(text)}` of {where} has no letters or digits, "
                    "but answers are compared without punctuation: write words students can type"
                ))
            accepted.append(text)
        values["accept"] = tuple(accepted)
        if "typos" in fields:
            node = fields["typos"][1]
            what = of("typos", where)
            expected = ("a whole number of 0 or more, like `typos: 1` (how many letters a typed "
                        "answer may get wrong)")
            typos = self._number(node, what, expected)
            if typos is not None and (typos < 0 or not typos.is_integer()):
                self.error(node, f"{what} should be {expected}, not {kind(node)}")
            elif typos is not None:
                values["typos"] = int(typos)
                if typos and not any(allowed_typos(a, int(typos)) for a in accepted):
                    self.warning(node, (
                        f"`typos` of {where} changes nothing: an answer allows one typo for "
                        f"every {CHARACTERS_PER_TYPO} letters, and every accepted answer is "
                        "shorter, so each must be typed exactly"
                    ))

    def _match_answer(self, node: Node, fields, where: str, values: dict) -> None:
        categories: list[str] | None = None
        if "categories" in fields:
            categories = self._categories(*fields["categories"], where)
        else:
            self._missing(node, where, "categories")
        if "items" not in fields:
            self._missing(node, where, "items")
            return
        value = fields["items"][1]
        example = '`- {text: "24 million views", answer: fact}`'
        nodes = self._list(value, of("items", where), example)
        if nodes is None:
            return
        if not nodes:
            self.error(value, f"`items` of {where} is empty: add at least one item to sort")
            return
        items = []
        seen: dict[str, int] = {}
        for number, item in enumerate(nodes, 1):
            iwhere = f"item {number} of {where}"
            if not self._mapping(item, iwhere, example):
                continue
            ifields = self._fields(item, _ITEM_KEY_SET, iwhere, ITEM_KEYS)
            text = answer = explain = None
            if "text" in ifields:
                text = self._text(ifields["text"][1], of("text", iwhere), required=True,
                                  how=_HOW_TO_ADD["item text"])
            else:
                self._missing(item, iwhere, "text", _HOW_TO_ADD["item text"])
            if "answer" in ifields:
                answer = self._item_answer(ifields["answer"][1], iwhere, categories)
            else:
                self._missing(item, iwhere, "answer", _HOW_TO_ADD["item answer"])
            if "explain" in ifields:
                explain = self._text(ifields["explain"][1], of("explain", iwhere))
            if text is None or answer is None:
                continue
            if text in seen:
                self.error(ifields["text"][1], (
                    f"{iwhere} has the same text as item {seen[text]}: make each item different"
                ))
            seen.setdefault(text, number)
            if "explain" in ifields:
                self._question_marks[("item", len(items), "explain")] = ifields["explain"][1]
            items.append(MatchItem(text=text, answer=answer, explain=explain or ""))
        values["items"] = tuple(items)
        values["categories"] = tuple(categories or ())

    def _item_answer(self, node: Node, where: str, categories: list[str] | None) -> str | None:
        answer = self._text(node, of("answer", where), required=True, how=_HOW_TO_ADD["item answer"])
        if answer is None or categories is None or answer in categories:
            return answer
        guess = self._guess(answer, tuple(categories))
        advice = "use one of " + ", ".join(f"`{c}`" for c in categories)
        if guess:
            advice = f"did you mean `{guess}`? U{advice[1:]}"
        self.error(node, (
            f"the answer `{short(answer)}` of {where} is not one of the question's "
            f"categories: {advice}"
        ))
        return None

    def _categories(self, key: Node, node: Node, where: str) -> list[str] | None:
        what = of("categories", where)
        nodes = self._list(node, what, '`categories: ["fact", "opinion"]`')
        if nodes is None:
            return None
        entries = self._texts(nodes, what)
        if len(entries) != len(nodes):
            return None
        categories: list[str] = []
        for entry, text in entries:
            if text in categories:
                self.error(entry, f"the category `{short(text)}` of {where} is listed twice: keep only one")
                return None
            categories.append(text)
        if len(categories) < 2:
            self.error(key, (
                f"a match question needs at least 2 categories, and {where} has "
                f"{len(categories)}: add the categories students sort into"
            ))
            return None
        return categories

    def _verdict_answer(self, node: Node, fields, where: str, values: dict) -> None:
        if "claim" not in fields:
            self._missing(node, where, "claim")
        elif not values.get("claim"):
            self.error(fields["claim"][1], f"`claim` of {where} is empty: {_HOW_TO_ADD['claim']}")
        if "verdict" in fields:
            verdict = self._choice(fields["verdict"][1], of("verdict", where), VERDICTS)
            if verdict:
                values["verdict"] = verdict
        else:
            self._missing(node, where, "verdict")

    _choice_answer = partialmethod(_options, "choice")
    _multi_answer = partialmethod(_options, "multi")
    _phrase_answer = partialmethod(_options, "phrase")


# -- wording helpers -------------------------------------------------------------------


def _question_name(node: MappingNode, number: int) -> str:
    """How messages name a question: by its id when it has a usable one."""
    for key, value in node.value:
        if (key.__class__ is ScalarNode and key.value == "id" and value.__class__ is ScalarNode
                and value.tag in TEXT_TAGS and value.value.strip()):
            return f"question `{short(value.value)}`"
    return f"question {number}"


def _iso_spelling(text: str) -> str:
    """`20250325` and a trailing `Z` spelled as every Python's fromisoformat reads them
    (Python 3.11 reads both itself; 3.10 does not)."""
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if text.endswith(("Z", "z")) and "T" in text.upper():
        return text[:-1] + "+00:00"
    return text


def _number_text(value: float) -> str:
    return f"{value:g}"


