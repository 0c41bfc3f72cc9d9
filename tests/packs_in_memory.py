"""Small packs built in code, for tests of the engine, store and report."""

from __future__ import annotations

from quiz.model import MatchItem, Option, Pack, Question, Source

SOURCE = Source(
    title="Library opens on Sundays",
    publisher="The Example Gazette",
    published="2026-01-10",
    text=(
        "The town library will open on Sundays from March, the council said.\n\n"
        "Visits rose six-fold last year, according to a survey of 40 residents.\n\n"
        "Everyone loves the new reading room."
    ),
)


def every_type_pack(**changes) -> Pack:
    questions = (
        Question(
            id="who", skill="source", type="choice", prompt="Who said it?",
            claim="the council said",
            options=(
                Option("The council", correct=True, explain="It says 'the council said'."),
                Option("The library", explain="The library is the subject, not the source."),
                Option("Residents", explain="Residents were surveyed later."),
            ),
            hint="Look for 'said'.",
        ),
        Question(
            id="units", skill="sample-size", type="multi", prompt="Which are counts?",
            options=(
                Option("visits", correct=True),
                Option("residents surveyed", correct=True),
                Option("opening day"),
                Option("the reading room"),
            ),
            points=2,
        ),
        Question(
            id="loaded", skill="framing", type="phrase", prompt="Which phrase is opinion?",
            options=(
                Option("Everyone loves the new reading room", correct=True),
                Option("the council said"),
            ),
        ),
        Question(
            id="fold", skill="sample-size", type="number", prompt="Six-fold is a rise of what percent?",
            answer=500, tolerance=0, unit="%",
        ),
        Question(
            id="sample", skill="sample-size", type="number", prompt="How many residents?",
            low=40, high=40,
        ),
        Question(
            id="name", skill="source", type="text", prompt="Who publishes it?",
            accept=("The Example Gazette", "Example Gazette"),
        ),
        Question(
            id="sort", skill="framing", type="match", prompt="Fact or opinion?",
            items=(
                MatchItem("opens on Sundays", "fact"),
                MatchItem("everyone loves it", "opinion"),
                MatchItem("visits rose", "fact"),
            ),
            categories=("fact", "opinion"),
            points=3,
        ),
        Question(
            id="v-fair", skill="framing", type="verdict", prompt="Fair or misleading?",
            claim="the council said", verdict="fair",
        ),
        Question(
            id="v-bad", skill="framing", type="verdict", prompt="Fair or misleading?",
            claim="Everyone loves the new reading room", verdict="misleading",
        ),
    )
    fields = dict(
        id="every-type", title="Every type", version="1.0", questions=questions,
        source=SOURCE, sha256="0" * 64,
    )
    fields.update(changes)
    return Pack(**fields)


def right_response(q):
    """The response that earns full marks, in words."""
    if q.type in ("choice", "phrase"):
        return q.correct_options[0].text
    if q.type == "multi":
        return [o.text for o in q.correct_options]
    if q.type == "number":
        return str(q.answer if q.answer is not None else (q.low + q.high) / 2)
    if q.type == "text":
        return q.accept[0]
    if q.type == "match":
        return {i.text: i.answer for i in q.items}
    return q.verdict


def wrong_response(q):
    """A response that earns nothing."""
    if q.type in ("choice", "phrase"):
        return next(o.text for o in q.options if not o.correct)
    if q.type == "multi":
        return [o.text for o in q.options if not o.correct]
    if q.type == "number":
        return "987654321"
    if q.type == "text":
        return "zzz"
    if q.type == "match":
        return {i.text: next(c for c in q.categories if c != i.answer) for i in q.items}
    return "fair" if q.verdict == "misleading" else "misleading"
