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

from quiz.model import Pack, Question

# Characters GIFT reads as syntax; a backslash makes them literal.
_SPECIAL = "\\~=#{}:"
_FORMAT_NAMES = ("[html]", "[moodle]", "[plain]", "[markdown]")


def write_gift(pack: Pack) -> tuple[str, list[str]]:
    """The pack as GIFT text, and warnings for what GIFT cannot hold."""
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


def _pack_warnings(pack: Pack) -> list[str]:
    warnings = []
    if pack.source is not None:
        warnings.append("the source text (the article) is not exported: GIFT has no place for it")
    if pack.content_note:
        warnings.append("the content note is not exported: GIFT has no place for it")
    return warnings


def _question(q: Question, warnings: list[str]) -> str:
    def warn(message: str) -> None:
        warnings.append(f"question '{q.id}': {message}")

    if q.hint:
        warn("its hint is not exported (GIFT has no hints)")
    if q.points != 1:
        warn(f"its points ({q.points:g}) are not exported (GIFT files carry no marks)")
    if q.claim and q.type != "verdict":
        warn("its claim is not exported (GIFT has no source text to point into)")

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
        warn("exported as a choice between 'Fair' and 'Misleading', with the claim in the question text")
    elif q.type == "phrase":
        warn("exported as a multiple-choice question: GIFT cannot highlight phrases in a source")

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
        share = _percent(100 / right)
        for o in q.options:
            weight = share if o.correct else "-" + share
            lines.append(f"\t~%{weight}%{text(o.text)}{_feedback(o.explain, text)}")
    elif q.type == "number":
        lines[-1] = lines[-1] + "#"
        if q.low is not None and q.high is not None:
            lines.append(f"\t={_number(q.low)}..{_number(q.high)}")
        else:
            lines.append(f"\t={_number(q.answer or 0.0)}:{_number(q.tolerance)}")
        if q.unit:
            warn(f"its unit '{q.unit}' is not exported (GIFT numbers have no unit)")
    elif q.type == "text":
        for accepted in q.accept:
            if "->" in accepted:
                warn(f"the answer '{accepted}' contains '->', which Moodle reads as a matching pair")
            lines.append(f"\t={text(accepted).replace('*', chr(92) + '*')}")
    elif q.type == "match":
        for item in q.items:
            if "->" in item.text:
                warn(f"the item '{item.text}' contains '->', which Moodle reads as the end of the item")
            lines.append(f"\t={text(item.text)} -> {_escape(item.answer)}")
            if item.explain:
                warn(f"the explanation for '{item.text}' is not exported (GIFT matching has no feedback)")
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


def _number(value: float) -> str:
    """`3.0` -> `3`, `0.25` -> `0.25`; never loses digits."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _percent(value: float) -> str:
    """A Moodle grade: whole, or to 5 decimals as in 33.33333."""
    return f"{value:.5f}".rstrip("0").rstrip(".")
