"""A pack written as Moodle GIFT (`quiz export PACK --to gift`).

Every question type goes to the nearest GIFT question: choice and phrase to
multiple choice, multi to weighted multiple answers, verdict to a choice
between "Fair" and "Misleading" with the claim in the question text, number to
numerical, text to short answer, match to matching. Explanations become
feedback (an option's after `#`, the question's after `####`), skills become
`$CATEGORY:` lines. What GIFT cannot say (hints, points, the source text,
claims, the content note, units, match explanations) is listed as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.model import Pack, Question


@dataclass(frozen=True)
class ExportWarning:
    """One thing GIFT cannot hold: its kind, the question ("" for the pack), and what it says."""

    kind: str
    question: str
    message: str

    def __str__(self) -> str:
        return f"question '{self.question}': {self.message}" if self.question else self.message


# Each kind of warning said once for every question it touches: (one, several).
_KINDS = {
    "source": ("the source text (the article) is not exported: GIFT has no place for it",) * 2,
    "note": ("the content note is not exported: GIFT has no place for it",) * 2,
    "hint": ("1 hint is not exported (GIFT has no hints)", "{n} hints are not exported (GIFT has no hints)"),
    "points": (
        "1 question's points are not exported (GIFT files carry no marks)",
        "{n} questions' points are not exported (GIFT files carry no marks)",
    ),
    "claim": (
        "1 claim is not exported (GIFT has no source text to point into)",
        "{n} claims are not exported (GIFT has no source text to point into)",
    ),
    "verdict": (
        "1 verdict question is exported as a choice between 'Fair' and 'Misleading', with the claim in its text",
        "{n} verdict questions are exported as a choice between 'Fair' and 'Misleading', with the claim in their text",
    ),
    "phrase": (
        "1 phrase question is exported as multiple choice: GIFT cannot highlight phrases in a source",
        "{n} phrase questions are exported as multiple choice: GIFT cannot highlight phrases in a source",
    ),
    "unit": ("1 unit is not exported (GIFT numbers have no unit)", "{n} units are not exported (GIFT numbers have no unit)"),
    "arrow-answer": (
        "1 answer contains '->', which Moodle reads as a matching pair",
        "{n} answers contain '->', which Moodle reads as a matching pair",
    ),
    "arrow-item": (
        "1 match item contains '->', which Moodle reads as the end of the item",
        "{n} match items contain '->', which Moodle reads as the end of the item",
    ),
    "match-explain": (
        "1 match explanation is not exported (GIFT matching has no feedback)",
        "{n} match explanations are not exported (GIFT matching has no feedback)",
    ),
    # Moodle XML (`quiz.packs.moodle_xml.write_moodle_xml`) holds hints, points and units.
    "xml-source": ("the source text (the article) is not exported: Moodle XML has no place for it",) * 2,
    "xml-note": ("the content note is not exported: Moodle XML has no place for it",) * 2,
    "xml-draw": (
        "1 section's draw is not exported: every question is (Moodle draws with a random question in the quiz)",
        "{n} sections' draws are not exported: every question is (Moodle draws with a random question in the quiz)",
    ),
    "xml-claim": (
        "1 claim is not exported (Moodle has no source text to point into)",
        "{n} claims are not exported (Moodle has no source text to point into)",
    ),
    "xml-verdict": (
        "1 verdict question is exported as a choice between 'Fair' and 'Misleading', with the claim in its text",
        "{n} verdict questions are exported as a choice between 'Fair' and 'Misleading', with the claim in their text",
    ),
    "xml-phrase": (
        "1 phrase question is exported as multiple choice: Moodle cannot highlight phrases in a source",
        "{n} phrase questions are exported as multiple choice: Moodle cannot highlight phrases in a source",
    ),
    "xml-typos": (
        "1 text question's typo allowance is not exported (Moodle matches short answers exactly)",
        "{n} text questions' typo allowances are not exported (Moodle matches short answers exactly)",
    ),
    "xml-match-explain": (
        "1 match explanation is not exported (Moodle matching has no feedback for each item)",
        "{n} match explanations are not exported (Moodle matching has no feedback for each item)",
    ),
    "xml-grade": (
        "1 multi question gives its right options a share that is not on Moodle's list of grades: "
        "choose 'Nearest grade if not listed' when importing",
        "{n} multi questions give their right options a share that is not on Moodle's list of grades: "
        "choose 'Nearest grade if not listed' when importing",
    ),
}


def summarise_warnings(warnings: list[ExportWarning]) -> list[str]:
    """One line per kind of warning, with how many and the questions' ids, in the order first met."""
    by_kind: dict[str, list[ExportWarning]] = {}
    for w in warnings:
        by_kind.setdefault(w.kind, []).append(w)
    lines = []
    for kind, found in by_kind.items():
        one, several = _KINDS[kind]
        line = one if len(found) == 1 else several.format(n=len(found))
        ids = list(dict.fromkeys(w.question for w in found if w.question))
        lines.append(f"{line}: {', '.join(ids)}" if ids else line)
    return lines

# Characters GIFT reads as syntax; a backslash makes them literal.
_SPECIAL = "\\~=#{}:"
_FORMAT_NAMES = ("[html]", "[moodle]", "[plain]", "[markdown]")


def write_gift(pack: Pack) -> tuple[str, list[ExportWarning]]:
    """The pack as GIFT text, and a warning for each thing GIFT cannot hold (`summarise_warnings` groups them)."""
    warnings = _pack_warnings(pack)
    out = [f"// {_one_line(pack.title)}", f"// exported from quiz pack '{pack.id}' version {pack.version}", ""]
    category = None
    for q in pack.questions:
        label = pack.skills.get(q.skill, q.skill)
        if label != category:
            # Moodle writes "/" inside a category name as "//".
            out += [f"$CATEGORY: {_one_line(label).replace('/', '//')}", ""]
            category = label
        out += [_question(q, warnings), ""]
    return "\n".join(out), warnings


def _pack_warnings(pack: Pack) -> list[ExportWarning]:
    warnings = []
    if pack.source is not None:
        warnings.append(ExportWarning("source", "", _KINDS["source"][0]))
    if pack.content_note:
        warnings.append(ExportWarning("note", "", _KINDS["note"][0]))
    return warnings


def _question(q: Question, warnings: list[ExportWarning]) -> str:
    def warn(kind: str, message: str) -> None:
        warnings.append(ExportWarning(kind, q.id, message))

    if q.hint:
        warn("hint", "its hint is not exported (GIFT has no hints)")
    if q.points != 1:
        warn("points", f"its points ({q.points:g}) are not exported (GIFT files carry no marks)")
    if q.claim and q.type != "verdict":
        warn("claim", "its claim is not exported (GIFT has no source text to point into)")

    texts = [q.prompt, q.claim, q.explain, *q.accept, *q.categories]
    texts += [t for o in q.options for t in (o.text, o.explain)]
    texts += [i.text for i in q.items]
    # Moodle's default format reads HTML; [plain] keeps "<" and "&" as typed.
    fmt = "[plain]" if any("<" in t or "&" in t for t in texts) else ""

    def text(value: str) -> str:
        escaped = _escape(value)
        # A leading "[html]" would be read as a format tag and "%50%" as a weight,
        # so a format tag of ours goes first.
        if escaped.lower().startswith(_FORMAT_NAMES) or escaped.startswith("%"):
            return (fmt or "[moodle]") + escaped
        return escaped

    prompt = q.prompt
    if q.type == "verdict":
        prompt = f"{q.prompt}\n“{q.claim}”"
        warn("verdict", "exported as a choice between 'Fair' and 'Misleading', with the claim in the question text")
    elif q.type == "phrase":
        warn("phrase", "exported as a multiple-choice question: GIFT cannot highlight phrases in a source")

    # Moodle reads one format tag only, so after ours the prompt is literal.
    lines = [f"::{_escape(q.id)}::{fmt + _escape(prompt) if fmt else text(prompt)} {{"]
    if q.type in ("choice", "phrase"):
        for o in q.options:
            lines.append(f"\t{'=' if o.correct else '~'}{text(o.text)}{_feedback(o.explain, text)}")
    elif q.type == "verdict":
        fair = q.verdict == "fair"
        lines.append(f"\t{'=' if fair else '~'}Fair")
        lines.append(f"\t{'~' if fair else '='}Misleading")
    elif q.type == "multi":
        right = len(q.correct_options) or 1
        # +1/right for each right pick and -1/right for each wrong one is the quiz's own scoring.
        share = moodle_percent(100 / right)
        for o in q.options:
            weight = share if o.correct else "-" + share
            lines.append(f"\t~%{weight}%{text(o.text)}{_feedback(o.explain, text)}")
    elif q.type == "number":
        lines[-1] = lines[-1] + "#"
        if q.low is not None and q.high is not None:
            lines.append(f"\t={exact_number(q.low)}..{exact_number(q.high)}")
        else:
            lines.append(f"\t={exact_number(q.answer or 0.0)}:{exact_number(q.tolerance)}")
        if q.unit:
            warn("unit", f"its unit '{q.unit}' is not exported (GIFT numbers have no unit)")
    elif q.type == "text":
        for accepted in q.accept:
            if "->" in accepted:
                warn("arrow-answer", f"the answer '{accepted}' contains '->', which Moodle reads as a matching pair")
            lines.append(f"\t={text(accepted).replace('*', chr(92) + '*')}")
    elif q.type == "match":
        for item in q.items:
            if "->" in item.text:
                warn("arrow-item", f"the item '{item.text}' contains '->', which Moodle reads as the end of the item")
            lines.append(f"\t={text(item.text)} -> {_escape(item.answer)}")
            if item.explain:
                warn("match-explain", f"the explanation for '{item.text}' is not exported (GIFT matching has no feedback)")
        for category in q.categories:
            if not any(i.answer == category for i in q.items):
                lines.append(f"\t= -> {_escape(category)}")
    if q.explain:
        lines.append(f"\t####{text(q.explain)}")
    lines.append("}")
    return "\n".join(lines)


def _feedback(explain: str, text) -> str:
    return f" #{text(explain)}" if explain else ""


def _escape(value: str) -> str:
    """Backslash GIFT's syntax characters and write line breaks as \\n."""
    # Outer spaces and line breaks mean nothing, and GIFT trims them anyway.
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in value.strip())
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def exact_number(value: float) -> str:
    """`3.0` -> `3`, `0.25` -> `0.25`; never loses digits (for a file a program reads)."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def moodle_percent(value: float) -> str:
    """A Moodle grade: whole, or to 5 decimals as in 33.33333."""
    return f"{value:.5f}".rstrip("0").rstrip(".")
