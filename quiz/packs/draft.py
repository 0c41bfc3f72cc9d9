"""What an importer hands back, and the bookkeeping every importer shares.

`Imported` is the result of reading a Moodle file (GIFT or Aiken): the pack
built from it and the located notes a teacher reads (what was changed, what
was skipped and why). `PackDraft` collects questions, skills and notes while a
reader walks the file, and hands out safe, unique ids. The readers
(`quiz.packs.gift`, `quiz.packs.aiken`) build on this module;
`quiz.packs.imported` picks one of them for a file.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from quiz.display import printable
from quiz.model import Pack, Question
from quiz.packs.problems import PackError, Problem, control_problem

GENERAL_SKILL = ("general", "General")


@dataclass
class Imported:
    """A pack read from a Moodle file, with what a teacher should know about it."""

    pack: Pack
    notes: list[Problem] = field(default_factory=list)
    imported: int = 0
    skipped: int = 0

    @property
    def warnings(self) -> list[Problem]:
        return [n for n in self.notes if n.severity == "warning"]

    def report(self) -> list[str]:
        """One line per imported question and per note, in file order, then a total."""
        rows: list[tuple[int, int, str]] = []
        path = self.pack.path or "<import>"
        for q in self.pack.questions:
            rows.append((q.line, 0, f"{path}:{q.line}:1: imported {q.type} question '{q.id}'"))
        for n in self.notes:
            shown = str(n) if n.severity == "warning" else f"{n.path}:{n.line}:{n.col}: note: {n.message}"
            rows.append((n.line, 1, shown))
        rows.sort(key=lambda r: (r[0], r[1]))
        lines = [r[2] for r in rows]
        lines.append(f"{self.imported} imported, {self.skipped} skipped")
        return lines


def slugify(text: str, max_length: int = 40, *, ascii_only: bool = False) -> str:
    """An id from text (`Who's buried? Über` -> `whos-buried-uber`), "" if nothing is left.

    Accents are dropped; letters with no plain form (Greek, Cyrillic, ...) are
    kept unless `ascii_only`, so a category in any script still names a skill.
    """
    s = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    if ascii_only:
        s = s.encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"['’]", "", s.lower())
    s = re.sub(r"[\W_]+", "-", s).strip("-")
    if len(s) > max_length:
        cut = s[:max_length]
        # Cut at a word boundary so ids stay readable.
        s = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return s.strip("-")


def words_slug(text: str, words: int = 6) -> str:
    """An id from the first few words of a question's text."""
    return slugify(" ".join(text.split()[:words]))


_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|hr)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)


def html_to_text(text: str) -> tuple[str, bool]:
    """Plain text from HTML: tags removed, entities decoded. Also says if tags were removed."""
    had_tags = bool(_TAG.search(text))
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    return tidy(text), had_tags


def tidy(text: str) -> str:
    """Trim every line, squeeze runs of spaces and keep at most one blank line in a row."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", out).strip()


class PackDraft:
    """A pack being built from an imported file: questions, skills and notes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.questions: list[Question] = []
        self.skills: dict[str, str] = {}
        self.notes: list[Problem] = []
        self.skipped = 0
        self._ids: set[str] = set()

    def note(self, line: int, message: str, col: int = 1) -> None:
        self.notes.append(Problem(self.path, line, col, message, severity="note"))

    def warn(self, line: int, message: str, col: int = 1) -> None:
        self.notes.append(Problem(self.path, line, col, message, severity="warning"))

    def skip(self, line: int, message: str, col: int = 1) -> None:
        self.skipped += 1
        self.warn(line, f"skipped: {message}", col)

    def skill(self, label: str, line: int) -> str:
        """The skill id for a category label, declared on first use."""
        label = " ".join(label.split())
        refused = control_problem(f"the category '{printable(label)}'", label)
        if refused is not None:
            self.warn(line, f"{refused[1]}; its questions use skill 'general'")
            skill_id, label = GENERAL_SKILL
        skill_id = slugify(label)
        if not skill_id:
            self.note(line, f"category '{label}' gives no usable skill name; using 'general'")
            skill_id, label = GENERAL_SKILL
        self.skills.setdefault(skill_id, label)
        return skill_id

    def question_id(self, wanted: str, line: int, fallback: str = "") -> str:
        """A unique, safe id: the slug of `wanted` (or of `fallback`), numbered if taken."""
        base = slugify(wanted) or slugify(fallback) or f"q{len(self.questions) + 1}"
        candidate, n = base, 2
        while candidate in self._ids:
            candidate, n = f"{base}-{n}", n + 1
        if candidate != base:
            self.note(line, f"id '{base}' is already used; this question is '{candidate}'")
        self._ids.add(candidate)
        return candidate

    def add(self, question: Question) -> bool:
        """Add a question, or skip it when its text holds a control character (as the validator would)."""
        for what, text in _texts(question):
            refused = control_problem(what, text)
            if refused is not None:
                self.skip(question.line, refused[1])
                return False
        if question.skill == GENERAL_SKILL[0]:
            self.skills.setdefault(*GENERAL_SKILL)
        self.questions.append(question)
        return True

    def finish(self, pack_id: str | None, title: str | None) -> Imported:
        name = Path(self.path).name if self.path and not self.path.startswith("<") else ""
        # Pack ids are plain ASCII slugs (the validator's rule); question ids may be any text.
        wanted = pack_id
        pack_id = slugify(pack_id or _stem(name), ascii_only=True) or "imported"
        if wanted and pack_id != wanted:
            self.note(1, f"'{wanted}' cannot be a pack id (lower-case letters, digits and "
                         f"hyphens only); the pack's id is '{pack_id}'")
        title = title or _title_from_name(name) or "Imported questions"
        refused = control_problem("the pack's title", title)
        if refused is not None:
            raise PackError([Problem(self.path, 1, 1, refused[1])])
        used = {q.skill for q in self.questions}
        skills = {k: v for k, v in self.skills.items() if k in used} or dict([GENERAL_SKILL])
        pack = Pack(
            id=pack_id,
            title=title,
            questions=tuple(self.questions),
            skills=skills,
            language="",  # GIFT and Aiken files do not say their language: leave it out, not "en"
            path=self.path,
        )
        # File order, so a teacher can work down the file from the top.
        notes = sorted(self.notes, key=lambda n: (n.line, n.col))
        return Imported(pack, notes, imported=len(self.questions), skipped=self.skipped)


def _texts(question: Question) -> list[tuple[str, str]]:
    """Every text of a question a student reads, named as a teacher finds it in the file."""
    texts = [("the question's text", question.prompt), ("the claim", question.claim),
             ("the hint", question.hint), ("the general feedback", question.explain),
             ("the unit", question.unit)]
    texts += [(f"accepted answer {n}", a) for n, a in enumerate(question.accept, 1)]
    texts += [(f"category {n}", c) for n, c in enumerate(question.categories, 1)]
    for n, option in enumerate(question.options, 1):
        texts += [(f"option {n}", option.text), (f"the feedback of option {n}", option.explain)]
    for n, item in enumerate(question.items, 1):
        texts += [(f"item {n}", item.text), (f"the answer of item {n}", item.answer),
                  (f"the feedback of item {n}", item.explain)]
    return texts


def _stem(name: str) -> str:
    """`moodle-questions.gift.txt` (or `bank.xml`) -> `moodle-questions` (`bank`)."""
    stem = name
    while True:
        head, dot, ext = stem.rpartition(".")
        if not dot or not head or ext.lower() not in ("txt", "gift", "aiken", "text", "xml"):
            return stem
        stem = head


def _title_from_name(name: str) -> str:
    words = re.sub(r"[-_.]+", " ", _stem(name)).strip()
    return words[:1].upper() + words[1:]
