"""The report in words: a Markdown summary a teacher can paste into a message.

`quiz report` piped or sent to a `.md` file prints this. Numbers are written
as quiz.display writes them for people; every piece of text from an attempt
file or a pack (names, groups, titles, responses) is made printable on one
line and escaped, so it can neither drive the teacher's terminal nor break
the Markdown.
"""

from __future__ import annotations

from quiz import display
from quiz.model import CONFIDENCE_LABELS
from quiz.report.gather import Report, Section
from quiz.report.items import too_few_to_flag
from quiz.report.summary import BANDS, ClassSummary
from quiz.report.to_csv import stamp


def md(text: str) -> str:
    """Text in Markdown as typed, on one line: control characters visible, no accidental bold, links or broken tables."""
    out = display.one_line(text)
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def whole_percent(value: float | None) -> str:
    """A percentage the report holds as 0..100, whole and rounded half up: 85.714 -> "86%"."""
    text = display.number(value, 0)
    return text if text == display.NO_NUMBER else text + "%"


def bar(fraction: float, width: int) -> str:
    """A bar of block characters, with eighths for the last cell, `width` cells at full."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def histogram_lines(summary: ClassSummary, width: int = 30) -> list[str]:
    top = max(summary.bands, default=0) or 1
    return [f"{label:>7} {bar(n / top, width)} {n}" if n else f"{label:>7} {n}"
            for label, n in zip(BANDS, summary.bands)][::-1]


def verdict_sentence(summary: ClassSummary) -> str:
    """The class's verdicts in words: d′, c, what they called misleading, and who doubted all."""
    v = summary.verdicts
    if v is None:
        return ""
    fair = v.false_alarms + v.correct_rejections
    bad = v.hits + v.misses
    called = []
    if bad:
        called.append(f"{v.hits} of {bad} misleading claims misleading")
    if fair:
        called.append(f"{v.false_alarms} of {fair} fair claims misleading")
    text = (
        f"Class d′ {display.fixed(v.d_prime)}, c {display.fixed(v.c)}: "
        f"the class called {' and '.join(called)}. "
    )
    if v.c < -0.25:
        text += "A negative c means the class leans towards doubting everything. "
    elif v.c > 0.25:
        text += "A positive c means the class leans towards trusting what it reads. "
    if fair:  # with no fair claim to judge, calling every claim misleading was simply right
        students = "student" if summary.all_misleading == 1 else "students"
        text += f"{summary.all_misleading} {students} called every claim misleading."
    return text.strip()


def ran_out_of_time(sec: Section) -> list[str]:
    """Who ran out of time on a timed test, as "Sam Lee (10B)", in the gradebook's order."""
    return [
        f"{r.student or '(no name)'}{f' ({r.header.group})' if r.header.group else ''}"
        for r in sec.rows if r.header.timed_out
    ]


def report_markdown(report: Report) -> str:
    """A summary a teacher can paste into a message."""
    lines = ["# Quiz report", ""]
    lines.append(f"Counting {report.counting} on each pack.")
    if report.filters:
        lines.append(
            "Only attempts matching " + ", ".join(f"{k} {md(v)}" for k, v in report.filters.items()) + "."
        )
    if report.warnings:
        skipped = len(report.warnings)
        lines.append(f"{skipped} file{'s' if skipped != 1 else ''} could not be read and were skipped (listed at the end).")
    lines.append("")
    for sec in report.sections:
        lines += _section_markdown(sec)
    notes = report.notes[1:]  # the first note is the counting rule, said above
    if notes:
        lines += ["## Notes", ""] + [f"- {md(n)}" for n in notes] + [""]
    if report.warnings:
        lines += ["## Files skipped", ""] + [f"- {md(w)}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _section_markdown(sec: Section) -> list[str]:
    s = sec.summary
    number = display.number
    lines = [f"## {md(sec.heading)}", ""]
    if not s.count:
        lines += ["No finished attempts yet.", ""]
    else:
        lines.append(
            f"{s.count} attempt{'s' if s.count != 1 else ''}. Mean {number(s.mean)} / {number(s.max)} "
            f"({whole_percent(s.percent(s.mean))}), median {number(s.median)} "
            f"({whole_percent(s.percent(s.median))}), standard deviation {number(s.sd)}."
        )
        lines += ["", "```"] + histogram_lines(s) + ["```", ""]
        if s.skills:
            lines += ["| Skill | Class mean |", "|---|---:|"]
            lines += [f"| {md(m.label)} | {whole_percent(m.percent)} |" for m in s.skills] + [""]
        if s.verdicts:
            lines += ["**Fair or misleading:** " + md(verdict_sentence(s)), ""]
        if s.cbm_mean is not None:
            lines.append(
                f"Mean certainty-based score {number(s.cbm_mean)}. Right answers at each level of confidence:"
            )
            lines += [
                f"- {c.level} ({CONFIDENCE_LABELS.get(c.level, '')}): {c.correct} of {c.answered}"
                for c in s.calibration if c.answered
            ] + [""]
        flagged = [it for it in sec.items if it.flags]
        too_few = too_few_to_flag(s.count)
        if too_few:
            lines += ["### Questions to check", "", too_few]
        elif flagged:
            lines += ["### Questions to check", ""]
            for it in flagged:
                lines.append(f"- **{md(it.id)}**: {md(it.flag)}.")
        wrong = [(it, it.most_common_wrong) for it in sec.items if it.most_common_wrong]
        if wrong:
            lines += ["", "### Most common wrong answers", ""]
            for it, w in wrong:
                lines.append(f"- **{md(it.id)}**: “{md(w.text)}” ({w.count})")
        lines += ["", "### Gradebook", "", "| Student | Group | Score | % | Finished |", "|---|---|---:|---:|---|"]
        for r in sorted(sec.rows, key=lambda r: (-r.percent, r.student.casefold())):
            lines.append(
                f"| {md(r.student) or '(no name)'} | {md(r.header.group)} | {number(r.score)} / {number(r.max)} "
                f"| {whole_percent(r.percent)} | {stamp(r.finished)} |"
            )
        lines.append("")
        late = ran_out_of_time(sec)
        if late:
            lines += [f"Ran out of time (marked on what they had answered): {', '.join(md(n) for n in late)}.", ""]
    if sec.unfinished:
        lines += ["### Unfinished (not counted)", ""]
        for r in sec.unfinished:
            group = f" ({md(r.header.group)})" if r.header.group else ""
            lines.append(
                f"- {md(r.student) or '(no name)'}{group}: started {stamp(r.started)}, "
                f"{len(r.answers)} of {len(r.header.order)} answered"
            )
        lines.append("")
    return lines
