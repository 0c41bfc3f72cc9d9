"""What the plain quiz prints, as lists of lines in reading order.

Pure functions over a pack, a run and the engine's grades: the same things
the Textual screens say (their sentences come from `quiz.wording`), without
colour, symbols that stand for words, or layout. Text from packs and people
goes through `display.printable`, numbers through `quiz.display`.
"""

from __future__ import annotations

from typing import Sequence

from quiz import display, wording
from quiz.engine import Grade, Run, judgement_sentence, right_answer
from quiz.model import CBM_MARKS, CONFIDENCE_LABELS, Pack, Question, Source
from quiz.store import Saved

show = display.printable
one_line = display.one_line

INDENT = "   "


# -- choosing a pack ------------------------------------------------------------


def pack_facts(pack: Pack) -> str:
    """A pack in one line after its title: size, audience, a fixed mode, a content note."""
    facts = [f"{len(pack.questions)} question{'s' if len(pack.questions) != 1 else ''}"]
    if pack.audience:
        facts.append(one_line(pack.audience))
    if pack.mode:
        facts.append(f"{pack.mode} only")
    if pack.content_note:
        facts.append("has a content note")
    return ", ".join(facts)


def pack_list(packs: Sequence[Pack]) -> list[str]:
    if not packs:
        return ["No packs are installed yet. Ask your teacher."]
    lines = [f"There {'is 1 pack' if len(packs) == 1 else f'are {len(packs)} packs'}:"]
    for number, pack in enumerate(packs, 1):
        lines.append(f"{number}. {one_line(pack.title)} ({pack_facts(pack)}).")
    return lines


def broken_packs(files: Sequence[str]) -> list[str]:
    if not files:
        return []
    names = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return [
        f"{len(files)} pack{'s' if len(files) != 1 else ''} could not be opened ({one_line(names)}). "
        "Your teacher can run quiz validate to see why."
    ]


# -- before the first question ----------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    # Line breaks are kept: support lines (phone numbers) are written one per line.
    return [show(p.strip()) for p in text.strip().replace("\r\n", "\n").split("\n\n") if p.strip()]


def about(pack: Pack) -> list[str]:
    """The pack's description under its heading, as the app and the web pages show it; [] without one."""
    if not pack.description.strip():
        return []
    return ["About this pack:", *_paragraphs(pack.description)]


def content_note(pack: Pack) -> list[str]:
    """Before question 1: what the pack is, then its content note."""
    return [f"Before you start: {one_line(pack.title)}", *about(pack), "Content note:", *_paragraphs(pack.content_note)]


def welcome(run: Run) -> list[str]:
    """Before question 1: the pack, the mode, its description (unless the content note has just said it), the words."""
    pack = run.pack
    words = "story, hint, repeat or quit" if pack.source is not None else "hint, repeat or quit"
    lines = [
        f"{one_line(pack.title)}.",
        f"{wording.MODES[run.attempt.mode]}. {run.total} question{'s' if run.total != 1 else ''}.",
        *([] if pack.content_note else about(pack)),
        f"Answer each question by typing and pressing Enter. At any question you can also type {words}.",
    ]
    if pack.source is not None:
        lines.append("story reads the article, hint shows a hint (it costs points), "
                     "repeat says the question again, quit saves your answers and leaves.")
    else:
        lines.append("hint shows a hint (it costs points), repeat says the question again, "
                     "quit saves your answers and leaves.")
    return lines


def story(source: Source) -> list[str]:
    about = [one_line(x) for x in (source.publisher, source.published) if x]
    lines = [f"The article: {one_line(source.title)}" if source.title else "The article:"]
    if about:
        lines.append(", ".join(about) + ".")
    if source.url:
        lines.append(one_line(source.url))
    for number, paragraph in enumerate(source.paragraphs, 1):
        lines.append(f"Paragraph {number}: {show(paragraph)}")
    lines.append("End of the article.")
    return lines


# -- a question ---------------------------------------------------------------------


def paragraph_of(source: Source | None, phrase: str) -> tuple[int, str] | None:
    """The 1-based number and words of the paragraph a phrase comes from."""
    if source is None:
        return None
    wanted = " ".join(phrase.split())
    for number, paragraph in enumerate(source.paragraphs, 1):
        if wanted in paragraph:
            return number, paragraph
    return None


def _said(line: str) -> str:
    """A line ended as a sentence: a section title may end with its own question mark."""
    return line if line.endswith((".", "?", "!")) else line + "."


def question(run: Run, q: Question, score: str = "") -> list[str]:
    """The question once, in reading order: where we are, the claim, the question, the numbered options."""
    lines = [f"{_said(wording.question_of(run.index, run.total, one_line(run.section_title(q))))} {score}".rstrip()]
    if q.claim:
        lines.append(f"The claim: {show(q.claim)}")
    lines.append(show(q.prompt))
    if q.type in ("choice", "multi"):
        if q.type == "multi":
            lines.append("Pick every option that fits.")
        lines += [f"{n}. {one_line(o.text)}" for n, o in enumerate(run.options(q), 1)]
    elif q.type == "phrase":
        lines.append("The phrases, in the order they come in the article:")
        for n, o in enumerate(run.options(q), 1):
            lines.append(f"{n}. {one_line(o.text)}")
            found = paragraph_of(run.pack.source, o.text)
            if found is not None:
                lines.append(f"{INDENT}From paragraph {found[0]}: {show(found[1])}")
    elif q.type == "verdict":
        lines += ["1. Fair", "2. Misleading"]
    elif q.type == "match":
        items = run.items(q)
        lines.append(f"Sort each of {len(items)} items into a category. The categories:")
        lines += [f"{n}. {one_line(c)}" for n, c in enumerate(q.categories, 1)]
    return lines


def instruction(run: Run, q: Question, *, hint_left: bool, item: int = 0) -> str:
    """The line before each `> `: what to type for an answer, and the words that work here."""
    if q.type in ("choice", "phrase"):
        count = len(q.options)
        answer = f"Type the number of your answer, 1 to {count}, and press Enter."
    elif q.type == "multi":
        answer = f"Type the numbers of every option you pick, like 1 3 or 1,3 (1 to {len(q.options)}), and press Enter."
    elif q.type == "verdict":
        answer = "Type 1 for fair or 2 for misleading, and press Enter."
    elif q.type == "number":
        unit = f" ({one_line(q.unit)})" if q.unit else ""
        answer = f"Type a number{unit} and press Enter."
    elif q.type == "text":
        answer = "Type your answer and press Enter."
    else:
        item_text = one_line(run.items(q)[item].text)
        answer = (
            f"Item {item + 1} of {len(q.items)}: {item_text}. "
            f"Type the number of its category, 1 to {len(q.categories)}, and press Enter."
        )
    words = [w for w, offered in (("story", run.pack.source is not None), ("hint", hint_left)) if offered]
    return f"{answer} Or type {', '.join(words + ['repeat'])} or quit."


def hint_offer(penalty: float) -> list[str]:
    return [f"Hint? {wording.hint_cost(penalty)} Type hint again to see it."]


def hint(q: Question, penalty: float) -> list[str]:
    return [f"Hint: {show(q.hint)}", wording.hint_used(penalty)]


def confidence_scale() -> list[str]:
    lines = [wording.CONFIDENCE_QUESTION + ". Being sure pays only when you are right."]
    for level, (right, wrong) in CBM_MARKS.items():
        lines.append(
            f"{level}. {CONFIDENCE_LABELS[level].capitalize()}: "
            f"{display.signed(right)} if right, {display.signed(wrong)} if wrong."
        )
    return lines


# -- feedback -------------------------------------------------------------------------


def _explained(line: str, explain: str) -> list[str]:
    return [line] + ([f"{INDENT}{show(explain)}"] if explain else [])


def feedback(grade: Grade, run: Run, *, asked: bool = False) -> list[str]:
    """One answer explained: right or not, the points, what was given, the right answer and why.

    `asked` repeats the claim and the question first (in the results, where they were a while ago).
    """
    q = grade.question
    top = f"{wording.outcome_words(grade)}. {wording.points(grade.score, grade.max)}."
    lines = [top + (" Hint used." if grade.hinted else "")]
    if asked:
        if q.claim:
            lines.append(f"The claim: {show(q.claim)}")
        lines.append(show(q.prompt))

    if q.type in ("choice", "phrase"):
        chosen = grade.chosen_options
        lines += _explained(f"You chose: {show(str(grade.response))}", chosen[0].explain if chosen else "")
        if not grade.correct:
            right = q.correct_options
            lines += _explained(f"The right answer: {show(right_answer(q))}", right[0].explain if right else "")
    elif q.type == "multi":
        lines.append("Each option:")
        for option in run.options(q):
            said = wording.option_said(option.text in grade.picked, option.correct)[1]
            lines += _explained(f"{said}: {one_line(option.text)}", option.explain)
        if not grade.correct:
            lines.append(f"The right answer: {show(right_answer(q))}")
    elif q.type == "match":
        lines.append("Each item:")
        seen = [i.text for i in run.items(q)]
        for result in sorted(grade.items, key=lambda r: seen.index(r.item.text)):
            given = one_line(result.given) if result.given else "no category"
            item = one_line(result.item.text)
            if result.right:
                said = f"{item}: you said {given}, right."
            else:
                said = f"{item}: you said {given}, but it is {one_line(result.item.answer)}."
            lines += _explained(said, result.item.explain)
    elif q.type == "verdict":
        lines.append(f"You said: {str(grade.response).capitalize()}")
        if not grade.correct:
            lines.append(f"The claim is: {right_answer(q)}")
    else:  # number, text
        lines.append(f"You typed: {show(str(grade.response))}")
        if not grade.correct:
            lines.append(f"The right answer: {show(right_answer(q))}")

    if q.explain:
        lines.append(f"Why: {show(q.explain)}")
    if grade.confidence is not None and grade.cbm is not None:
        lines.append(wording.certainty(grade))
    return lines


# -- results ---------------------------------------------------------------------------


def where_saved(saved: Saved | None) -> list[str]:
    if saved is None:
        return ["Your answers could not be saved. Tell your teacher."]
    lines = [f"Saved to {show(str(saved.path))}"]
    if saved.fallback_reason:
        lines.append(
            f"Your results folder could not be used ({show(saved.fallback_reason)}), "
            "so your answers went here instead. Tell your teacher."
        )
    return lines


def results(run: Run, saved: Saved | None) -> list[str]:
    """The score, each skill, judgement, calibration, every question; in test mode each answer explained."""
    s = run.summary()
    grades = run.grades()
    lines = [
        f"Results: {one_line(run.pack.title)}",
        f"You scored {display.score(s.score, s.max)}, {display.percent(s.percent / 100)}.",
        f"{wording.right_count(s)}.",
    ]
    for skill in s.skills:
        lines.append(
            f"{one_line(skill.label)} {display.score(skill.score, skill.max)}, "
            f"{display.percent(skill.percent / 100)}."
        )
    if s.verdicts is not None:
        lines.append(f"Fair or misleading? {judgement_sentence(s.verdicts)}")
    if s.calibration:
        lines.append("How sure were you?")
        for level in s.calibration:
            if level.answered:
                lines.append(
                    f"{CONFIDENCE_LABELS[level.level].capitalize()}: {level.correct} of {level.answered} "
                    f"right, {display.percent(level.accuracy)}."
                )
        if s.cbm is not None:
            lines += [f"{wording.certainty_total(s)}.", wording.CERTAINTY_RULE]
    lines.append("Every question:")
    for number, grade in enumerate(grades, 1):
        q = grade.question
        # Verdict prompts are all alike; their claims tell them apart.
        label = q.claim if q.type == "verdict" and q.claim else q.prompt
        lines.append(
            f"{number}. {wording.outcome_words(grade)}, {wording.points(grade.score, grade.max)}: {one_line(label)}"
        )
    if not run.feedback_now:
        lines.append("Each answer explained:")
        for number, grade in enumerate(grades, 1):
            lines.append(_said(wording.question_of(number - 1, len(grades), one_line(run.section_title(grade.question)))))
            lines += feedback(grade, run, asked=True)
    lines += where_saved(saved)
    support = wording.support_lines(run.pack.content_note)
    if support:
        lines += [show(line) for line in support.splitlines() if line.strip()]
    return lines
