"""Moodle XML question files: reading them into packs, and writing packs as them.

`read_moodle_xml` follows Moodle's own importer (question/format/xml/format.php):
`<quiz>` holds `<question type="...">` elements; a `category` question starts
a category (here a section, and the skill of its questions); multichoice,
truefalse, shortanswer, numerical and matching questions become choice,
multi, text, number and match questions, with per-answer feedback, general
feedback and the first hint. What the quiz cannot ask (essays, cloze,
calculated, drag-and-drop, questions with embedded files) is skipped with a
warning naming the question's line.

The file is read with expat, refusing any DTD: a Moodle export never has one,
and refusing it stops entity expansion ("billion laughs") and external
entities before they start. `write_moodle_xml` writes the other way.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from xml.parsers import expat

from quiz.answers import normalise_text
from quiz.model import MatchItem, Option, Pack, Question, Section
from quiz.packs.draft import GENERAL_SKILL, Imported, PackDraft, html_to_text, tidy, words_slug
from quiz.packs.export import ExportWarning, exact_number, moodle_percent
from quiz.packs.gift import markdown_to_text
from quiz.packs.problems import PackError, Problem

__all__ = ["read_moodle_xml", "write_moodle_xml"]

# Moodle question types the quiz cannot ask, and why (said in the skip warning).
_CANNOT_ASK = {
    "essay": "an essay question: the quiz cannot mark essays",
    "cloze": "a cloze (embedded answers) question: the quiz cannot show answers inside a text",
    "multianswer": "a cloze (embedded answers) question: the quiz cannot show answers inside a text",
    "calculated": "a calculated question: the quiz has no formulas or wildcards",
    "calculatedsimple": "a calculated question: the quiz has no formulas or wildcards",
    "calculatedmulti": "a calculated multichoice question: the quiz has no formulas or wildcards",
    "ddwtos": "a drag-and-drop into text question: the quiz cannot show drag and drop",
    "gapselect": "a select-missing-words question: the quiz cannot show answers inside a text",
    "ddimageortext": "a drag-and-drop onto image question: the quiz cannot show images",
    "ddmarker": "a drag-and-drop markers question: the quiz cannot show images",
    "description": "a description, not a question",
    "random": "a random question: it names no question of its own",
    "randomsamatch": "a random short-answer matching question: it names no questions of its own",
}
_TRUE = {"true", "1", "yes"}


# -- reading the XML safely --------------------------------------------------------


@dataclass
class _Element:
    """One XML element: its tag, attributes, text, children and the line it starts on."""

    tag: str
    attrs: dict[str, str]
    line: int
    col: int
    children: list[_Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def find_all(self, tag: str) -> list[_Element]:
        return [c for c in self.children if c.tag == tag]

    def walk(self):
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(element.children))

    def child_text(self, tag: str) -> str:
        """The text of `<tag><text>...</text></tag>`, or of `<tag>...</tag>`."""
        child = self.find(tag)
        if child is None:
            return ""
        inner = child.find("text")
        return (inner if inner is not None else child).text


_UNDEFINED_ENTITY = expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]


class _Refused(Exception):
    """The file uses something a question file never needs (a DTD, an entity)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def parse_xml(text: str, path: str) -> _Element:
    """The document's root element, or a PackError naming the line where reading stopped.

    DTDs, entity declarations and external entities are refused as they are met,
    so nothing is ever expanded or fetched.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    roots: list[_Element] = []

    def refuse(message: str):
        def handler(*_args):
            raise _Refused(message, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

        return handler

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(tag, attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def data(chunk: str) -> None:
        if stack:
            stack[-1].parts.append(chunk)

    parser.StartDoctypeDeclHandler = refuse(
        "this file has a document type declaration (<!DOCTYPE ...>), which Moodle question "
        "files never have; it is refused so that no entity in it is expanded or fetched"
    )
    parser.EntityDeclHandler = refuse("this file declares an entity (<!ENTITY ...>); it is refused")
    parser.ExternalEntityRefHandler = refuse("this file refers to an external entity; it is refused")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        raise PackError([Problem(path, refused.line, refused.col, refused.message)]) from None
    except expat.ExpatError as error:
        if error.code == _UNDEFINED_ENTITY:
            message = ("an entity such as &name; that XML does not define: write a lone & as &amp;, "
                       "or put HTML inside <![CDATA[ ... ]]> as Moodle does")
        else:
            message = f"this is not well-formed XML ({expat.ErrorString(error.code)}): is it a Moodle XML export?"
        raise PackError([Problem(path, error.lineno, error.offset + 1, message)]) from None
    return roots[0]


# -- the importer ------------------------------------------------------------------


class _Skip(Exception):
    """This question cannot be imported; the message says why."""


def read_moodle_xml(
    text: str,
    *,
    path: str = "<moodle-xml>",
    pack_id: str | None = None,
    title: str | None = None,
) -> Imported:
    """A pack from Moodle XML text, with notes on what was changed or skipped."""
    root = parse_xml(text.removeprefix("\ufeff"), path)
    if root.tag != "quiz":
        raise PackError([Problem(path, root.line, root.col, (
            f"the file starts with <{root.tag}>, not <quiz>: this is not a Moodle XML question file"
        ))])
    draft = PackDraft(path)
    skill, section = GENERAL_SKILL[0], GENERAL_SKILL[1]
    sections: dict[str, list[str]] = {}
    categories = False
    for element in root.find_all("question"):
        kind = element.attrs.get("type", "")
        if kind == "category":
            label = _category_label(element)
            categories = True
            if label:
                skill = draft.skill(label, element.line)
                section = draft.skills.get(skill, label)
            else:
                draft.note(element.line, "a category with no name: questions below use skill 'general'")
                skill, section = GENERAL_SKILL
            continue
        reader = _QuestionReader(element, draft)
        try:
            question = reader.read(skill)
        except _Skip as skip:
            draft.skip(element.line, f"{reader.name}: {skip}")
            continue
        if not draft.add(question):
            continue
        sections.setdefault(section, []).append(question.id)
        for line, message, severity in reader.notes:
            (draft.warn if severity == "warning" else draft.note)(line, f"{reader.name}: {message}")
        if reader.markdown_removed:
            draft.note(element.line, f"{reader.name}: Markdown formatting removed (the quiz shows plain "
                       "text: **bold** becomes bold), check the text reads well")
        if reader.html_removed:
            draft.note(element.line, f"{reader.name}: HTML formatting removed, check the text reads well")
    imported = draft.finish(pack_id, title)
    if categories and imported.pack.questions:
        parts = tuple(Section(name, tuple(ids)) for name, ids in sections.items())
        imported.pack = replace(imported.pack, sections=parts)
    return imported


def _category_label(element: _Element) -> str:
    """`$course$/top/Media literacy/Sources` -> "Sources"; Moodle writes "/" in a name as "//"."""
    raw = element.child_text("category")
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", raw)]
    parts = [p for p in parts if p]
    # The path starts with its context and Moodle's "top" category, neither a name of the teacher's.
    if parts[:1] and parts[0] in ("$course$", "$cat$", "$module$", "$system$"):
        parts = parts[1:]
    if parts[:1] == ["top"]:
        parts = parts[1:]
    return tidy(parts[-1]) if parts else ""


class _QuestionReader:
    """Reads one `<question>`: its name, texts, answers and what was changed."""

    def __init__(self, element: _Element, draft: PackDraft) -> None:
        self.element = element
        self.draft = draft
        self.kind = element.attrs.get("type", "")
        name = tidy(element.child_text("name"))
        self.title = name
        self.name = f"'{name}'" if name else f"the {self.kind or 'untyped'} question"
        self.notes: list[tuple[int, str, str]] = []  # kept only if the question is imported
        self.html_removed = False
        self.markdown_removed = False

    def note(self, at: _Element | None, message: str, severity: str = "note") -> None:
        self.notes.append(((at or self.element).line, message, severity))

    def text(self, element: _Element | None, default_format: str = "html") -> str:
        """Plain text of `<x format="..."><text>...</text></x>` (or of `<text>` itself)."""
        if element is None:
            return ""
        fmt = element.attrs.get("format", default_format)
        inner = element.find("text") if element.tag != "text" else element
        value = (inner if inner is not None else element).text
        if fmt == "plain_text":
            return tidy(value)
        if fmt == "markdown":
            value, changed = markdown_to_text(value)
            self.markdown_removed |= changed
        _, had_tags = html_to_text(value)
        if fmt == "moodle_auto_format":
            value = value.replace("\n", "<br>")  # Moodle keeps its line breaks
        self.html_removed |= had_tags
        return html_to_text(value)[0]

    def read(self, skill: str) -> Question:
        q = self.element
        if not self.kind:
            raise _Skip("the <question> has no type")
        if self.kind in _CANNOT_ASK:
            raise _Skip(_CANNOT_ASK[self.kind])
        readers = {
            "multichoice": self._multichoice,
            "truefalse": self._truefalse,
            "shortanswer": self._shortanswer,
            "numerical": self._numerical,
            "matching": self._matching,
        }
        if self.kind not in readers:
            raise _Skip(f"the quiz has no question like Moodle's '{self.kind}' type")
        files = [e for e in q.walk() if e.tag == "file"]
        if files:
            raise _Skip(f"it embeds {len(files)} file(s) (an image or a sound, line {files[0].line}), "
                        "which the quiz cannot show")
        if any("@@PLUGINFILE@@" in e.text for e in q.walk()):
            raise _Skip("it points to a file (@@PLUGINFILE@@) that is not in this export")
        prompt = self.text(q.find("questiontext"))
        if not prompt:
            if not self.title:
                raise _Skip("it has no question text")
            prompt = self.title
            self.note(q.find("questiontext"), "no question text; the name is used as the question")
        fields = readers[self.kind]()
        idnumber = tidy(q.child_text("idnumber"))
        question_id = self.draft.question_id(idnumber or self.title, q.line, fallback=words_slug(prompt))
        return Question(
            id=question_id,
            skill=skill,
            prompt=prompt,
            points=self._points(),
            hint=self._hint(),
            explain=self.text(q.find("generalfeedback")),
            line=q.line,
            **fields,
        )

    def _points(self) -> float:
        grade = self.element.find("defaultgrade")
        if grade is None or not grade.text.strip():
            return 1.0
        value = _number(grade.text)
        if value is None or value <= 0:
            self.note(grade, f"the default mark '{grade.text.strip()}' is not a positive number; "
                      "the question is worth 1 point")
            return 1.0
        return value

    def _hint(self) -> str:
        hints = [(h, self.text(h)) for h in self.element.find_all("hint")]
        hints = [(h, t) for h, t in hints if t]
        if len(hints) > 1:
            self.note(hints[1][0], f"{len(hints) - 1} more hint(s) dropped: the quiz shows one hint, "
                      "the first")
        return hints[0][1] if hints else ""

    def _answers(self, *, typed: bool = False) -> list[tuple[_Element, float, str, str]]:
        """Each `<answer>`: the element, its fraction, its text and its feedback.

        A `typed` answer (short answer, number, true/false) is compared with what
        the student types, so Moodle reads it as written whatever its format."""
        found = []
        for answer in self.element.find_all("answer"):
            fraction = _number(answer.attrs.get("fraction", "0"))
            if fraction is None:
                raise _Skip(f"the answer on line {answer.line} has fraction "
                            f"'{answer.attrs.get('fraction')}', which is not a number")
            text = tidy(answer.child_text("text")) if typed else self.text(answer, "plain_text")
            found.append((answer, fraction, text, self.text(answer.find("feedback"))))
        return found

    def _dropped_combined_feedback(self) -> None:
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            element = self.element.find(tag)
            if element is not None and self.text(element):
                self.note(element, f"the <{tag}> was dropped: the quiz gives each option's "
                          "feedback and the general feedback")

    # -- the types ------------------------------------------------------------------

    def _multichoice(self) -> dict:
        single = self.element.child_text("single").strip().lower() not in ("false", "0", "no")
        answers = self._answers()
        options: list[Option] = []
        for answer, _, text, feedback in answers:
            if not text:
                raise _Skip(f"the answer on line {answer.line} is empty")
            if any(o.text == text for o in options):
                raise _Skip(f"the answer '{text}' appears twice")
            options.append(Option(text, explain=feedback))
        if len(options) < 2:
            raise _Skip("a multiple-choice question needs at least two answers")
        self._dropped_combined_feedback()
        fractions = [f for _, f, _, _ in answers]
        if single:
            full = [i for i, f in enumerate(fractions) if f >= 100]
            if not full:
                raise _Skip("no answer gets full marks (100%)")
            for (answer, fraction, text, _) in answers:
                if 0 < fraction < 100:
                    self.note(answer, f"'{text}' gave {fraction:g}% in Moodle; it now counts as wrong")
                elif fraction < 0:
                    self.note(answer, f"'{text}' took off {-fraction:g}% in Moodle; "
                              "a wrong choice now scores 0")
            if len(full) == 1:
                return {"type": "choice", "options": tuple(_mark(o, f >= 100) for o, f in zip(options, fractions))}
            self.note(None, "several answers give full marks, so any one of them was right in Moodle; "
                      "imported as multi, where the student must pick all of them: check it", "warning")
            return {"type": "multi", "options": tuple(_mark(o, f >= 100) for o, f in zip(options, fractions))}
        right = [f for f in fractions if f > 0]
        if not right:
            raise _Skip("no answer is marked right (a positive fraction)")
        share = 100 / len(right)
        ours = all(math.isclose(f, share if f > 0 else -share, abs_tol=0.01) for f in fractions)
        if not ours:
            weights = ", ".join(f"'{_short(t)}' {f:g}%" for _, f, t, _ in answers)
            self.note(None, f"Moodle's fractions ({weights}) are not kept: the quiz gives each right pick "
                      f"{moodle_percent(share)}% and takes off as much for each wrong pick")
        return {"type": "multi", "options": tuple(_mark(o, f > 0) for o, f in zip(options, fractions))}

    def _truefalse(self) -> dict:
        right, feedback = None, {True: "", False: ""}
        for answer, fraction, text, explain in self._answers(typed=True):
            value = text.strip().lower()
            if value not in ("true", "false"):
                raise _Skip(f"a true/false answer reads '{text}', not true or false")
            feedback[value == "true"] = explain
            if fraction >= 100:
                right = value == "true"
        if right is None:
            raise _Skip("neither true nor false gets full marks")
        return {
            "type": "choice",
            "options": (
                Option("True", correct=right, explain=feedback[True]),
                Option("False", correct=not right, explain=feedback[False]),
            ),
        }

    def _shortanswer(self) -> dict:
        accept: list[str] = []
        for answer, fraction, text, feedback in self._answers(typed=True):
            if not text:
                continue
            if text == "*":
                self.note(answer, "the catch-all answer '*' was dropped; every other answer is wrong anyway")
                continue
            if fraction < 100:
                if fraction > 0:
                    self.note(answer, f"'{text}' gave {fraction:g}% in Moodle; it is not accepted")
                else:
                    self.note(answer, f"the wrong answer '{text}' and its feedback were dropped")
                continue
            if re.search(r"(?<!\\)\*", text):
                self.note(answer, f"'{text}' uses a * wildcard, which the quiz cannot match; dropped")
                continue
            text = text.replace("\\*", "*")
            if not normalise_text(text):
                self.note(answer, f"'{text}' has no letters or digits, and the quiz compares answers "
                          "without punctuation; dropped")
                continue
            if feedback:
                self.note(answer, f"the feedback for '{text}' was dropped: text questions have one explanation")
            if all(normalise_text(a) != normalise_text(text) for a in accept):
                accept.append(text)
        if not accept:
            raise _Skip("no answer gets full marks")
        usecase = self.element.find("usecase")
        if usecase is not None and usecase.text.strip().lower() in _TRUE:
            self.note(usecase, "Moodle matched these answers' case exactly; the quiz ignores case "
                      "(and spacing and punctuation)")
        return {"type": "text", "accept": tuple(accept)}

    def _numerical(self) -> dict:
        found = []
        for answer, fraction, text, feedback in self._answers(typed=True):
            if text.strip() == "*":
                if feedback:
                    self.note(answer, "the feedback for any other answer ('*') was dropped")
                continue
            value = _number(text)
            if value is None:
                raise _Skip(f"the answer '{text}' on line {answer.line} is not a number")
            tolerance = _number(answer.child_text("tolerance") or "0")
            if tolerance is None:
                raise _Skip(f"the tolerance on line {answer.line} is not a number")
            found.append((fraction, value, abs(tolerance), answer, feedback))
        if not found:
            raise _Skip("it has no numeric answer")
        best = max(found, key=lambda f: f[0])
        fraction, value, tolerance, answer, feedback = best
        if fraction <= 0:
            raise _Skip("no answer gets marks")
        if fraction < 100:
            self.note(answer, f"the best answer gave {fraction:g}% in Moodle; it now gets full marks")
        for other in found:
            if other is not best:
                self.note(other[3], f"the other answer {exact_number(other[1])} was dropped: "
                          "the quiz gives marks for one answer or range only")
        if feedback:
            self.note(answer, "the feedback for the right answer was dropped: "
                      "number questions have one explanation")
        return {"type": "number", "answer": value, "tolerance": tolerance, "unit": self._unit()}

    def _unit(self) -> str:
        units = self.element.find("units")
        if units is None:
            return ""
        named = []
        for unit in units.find_all("unit"):
            name = tidy(unit.child_text("unit_name"))
            multiplier = _number(unit.child_text("multiplier") or "1")
            if name:
                named.append((name, multiplier, unit))
        base = next((n for n in named if n[1] is not None and math.isclose(n[1], 1.0)), None)
        if base is None:
            if named:
                self.note(units, "its units were dropped: none has multiplier 1")
            return ""
        others = [n[0] for n in named if n is not base]
        dropped = f"; the other units ({', '.join(others)}) were dropped" if others else ""
        self.note(units, f"'{base[0]}' is shown after the answer box; the student types only the "
                  f"number, so Moodle's unit handling is not kept{dropped}")
        return base[0]

    def _matching(self) -> dict:
        items: list[MatchItem] = []
        categories: list[str] = []
        for sub in self.element.find_all("subquestion"):
            category = tidy(sub.child_text("answer"))
            if not category:
                continue
            if category not in categories:
                categories.append(category)
            item = self.text(sub)
            if not item:
                continue
            if any(i.text == item for i in items):
                raise _Skip(f"'{item}' is to be matched twice")
            items.append(MatchItem(item, category))
        if not items:
            raise _Skip("no pairs to match")
        if len(categories) < 2:
            raise _Skip("a matching question needs at least two different answers")
        self._dropped_combined_feedback()
        return {"type": "match", "items": tuple(items), "categories": tuple(categories)}


def _mark(option: Option, correct: bool) -> Option:
    return Option(option.text, correct=correct, explain=option.explain)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:27] + "..."


# -- the exporter ------------------------------------------------------------------

# The fractions Moodle's importer accepts without "nearest grade" (question_bank::fraction_options_full).
_MOODLE_FRACTIONS = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
                     16.66667, 14.28571, 12.5, 11.11111, 10, 5)


def write_moodle_xml(pack: Pack) -> tuple[str, list[ExportWarning]]:
    """The pack as Moodle XML, and a warning for each thing Moodle XML cannot hold
    (`quiz.packs.export.summarise_warnings` groups them, one line a kind)."""
    warnings: list[ExportWarning] = []
    if pack.source is not None:
        warnings.append(ExportWarning("xml-source", "", "the source text (the article) is not exported"))
    if pack.content_note:
        warnings.append(ExportWarning("xml-note", "", "the content note is not exported"))
    root = ET.Element("quiz")
    root.append(ET.Comment(f" exported from quiz pack '{pack.id}' "))
    for label, questions in _categories(pack, warnings):
        category = ET.SubElement(root, "question", type="category")
        _text(category, "category", f"$course$/top/{_category_part(pack.title)}/{_category_part(label)}")
        for q in questions:
            root.append(_question(q, warnings))
    ET.indent(root, space="  ")
    # A few characters (U+FFFE, U+FFFF, lone surrogates) cannot stand in XML at all: they become U+FFFD.
    body = _NOT_XML.sub("\ufffd", ET.tostring(root, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n', warnings


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _categories(pack: Pack, warnings: list[ExportWarning]) -> list[tuple[str, list[Question]]]:
    """Moodle categories in file order: the pack's sections, else runs of one skill."""
    if pack.sections:
        groups = []
        for section in pack.sections:
            if section.draw is not None:
                warnings.append(ExportWarning("xml-draw", "", (
                    f"section '{section.title}' draws {section.draw} of its questions: every one is "
                    "exported (add a random question in the Moodle quiz to draw from the category)"
                )))
            groups.append((section.title, [pack.question(i) for i in section.questions]))
        return groups
    groups: list[tuple[str, list[Question]]] = []
    for q in pack.questions:
        label = pack.skills.get(q.skill, q.skill)
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(q)
    return groups


def _category_part(name: str) -> str:
    # Moodle reads "/" as the path's separator and "//" as a "/" inside a name;
    # a "/" at either end of a name it cannot tell from a separator, so it goes.
    return " ".join(name.split()).strip("/ ").replace("/", "//") or "Questions"


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    """`<tag><text>value</text></tag>` under parent."""
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = value
    return element


def _plain(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    # plain_text: Moodle shows the text as typed, "<" and line breaks included.
    return _text(parent, tag, value, format="plain_text", **attrs)


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _question(q: Question, warnings: list[ExportWarning]) -> ET.Element:
    def warn(kind: str, message: str) -> None:
        warnings.append(ExportWarning(kind, q.id, message))

    if q.claim and q.type != "verdict":
        warn("xml-claim", "its claim is not exported (Moodle has no source text to point into)")
    kind = {"number": "numerical", "text": "shortanswer", "match": "matching"}.get(q.type, "multichoice")
    element = ET.Element("question", type=kind)
    _text(element, "name", q.id)
    prompt = q.prompt
    if q.type == "verdict":
        prompt = f"{q.prompt}\n“{q.claim}”"
        warn("xml-verdict", "exported as a choice between 'Fair' and 'Misleading', with the claim in its text")
    elif q.type == "phrase":
        warn("xml-phrase", "exported as a multiple-choice question: Moodle cannot highlight phrases in a source")
    _plain(element, "questiontext", prompt)
    _plain(element, "generalfeedback", q.explain)
    _value(element, "defaultgrade", exact_number(q.points))
    _value(element, "penalty", "0.3333333")
    _value(element, "hidden", "0")
    _value(element, "idnumber", q.id)

    if q.type in ("choice", "phrase", "verdict", "multi"):
        options = q.options
        if q.type == "verdict":
            options = (Option("Fair", correct=q.verdict == "fair"), Option("Misleading", correct=q.verdict == "misleading"))
        single = q.type != "multi"
        _value(element, "single", "true" if single else "false")
        _value(element, "shuffleanswers", "false")  # the quiz keeps the pack's order
        _value(element, "answernumbering", "abc")
        right = len([o for o in options if o.correct]) or 1
        share = 100 / right
        if not single and not any(math.isclose(share, f, abs_tol=1e-5) for f in _MOODLE_FRACTIONS):
            warn("xml-grade", f"each of its {right} right options is worth {moodle_percent(share)}%, which is not on "
                 "Moodle's list of grades: choose 'Nearest grade if not listed' when importing")
        for o in options:
            fraction = (100 if o.correct else 0) if single else (share if o.correct else -share)
            answer = _plain(element, "answer", o.text, fraction=moodle_percent(fraction))
            _plain(answer, "feedback", o.explain)
    elif q.type == "number":
        answer, tolerance = q.answer or 0.0, q.tolerance
        if q.low is not None and q.high is not None:
            answer, tolerance = (q.low + q.high) / 2, (q.high - q.low) / 2
        node = _text(element, "answer", exact_number(answer), fraction="100")
        _value(node, "tolerance", exact_number(tolerance))
        _plain(node, "feedback", "")
        if q.unit:
            _value(element, "unitgradingtype", "0")  # the unit is optional and not marked
            _value(element, "unitpenalty", "0")
            _value(element, "showunits", "3")  # no unit box: the unit is shown, as in the quiz
            _value(element, "unitsleft", "0")
            unit = ET.SubElement(ET.SubElement(element, "units"), "unit")
            _value(unit, "multiplier", "1")
            _value(unit, "unit_name", q.unit)
    elif q.type == "text":
        _value(element, "usecase", "0")  # the quiz ignores case too
        if q.typos:
            warn("xml-typos", f"its allowance of {q.typos} typo(s) is not exported (Moodle matches short answers exactly)")
        for accepted in q.accept:
            # Moodle reads "*" as a wildcard and "\*" as a star.
            answer = _text(element, "answer", accepted.replace("*", "\\*"), fraction="100", format="moodle_auto_format")
            _plain(answer, "feedback", "")
    elif q.type == "match":
        _value(element, "shuffleanswers", "true")
        for item in q.items:
            sub = _plain(element, "subquestion", item.text)
            _text(sub, "answer", item.answer)
            if item.explain:
                warn("xml-match-explain", f"the explanation for '{item.text}' is not exported "
                     "(Moodle matching has no feedback for each item)")
        for category in q.categories:
            if not any(i.answer == category for i in q.items):
                # A subquestion with no text is an extra answer to choose from.
                _text(_plain(element, "subquestion", ""), "answer", category)
    if q.hint:
        _plain(element, "hint", q.hint)
    return element
