"""Traps in writing questions: what `quiz validate` warns about in a pack that is valid.

Item-writing guides warn about cues that let a student score without the
skill a question asks for. Each check here reads a built `Pack` and gives
`(where, message)` pairs; `where` names the part of the pack to point at
(a question id, then a part of it such as `("prompt",)` or `("option", 2)`),
and `quiz.packs.build` turns it into a located warning. docs/packs.md lists
every message and what to do about it.

The one-rule guesses over verdicts use the same definitions of a surface cue
(quotation marks, a named source, a number, a hint offered, a long claim, a
whole sentence, a capital letter) as the content checker the bundled packs
were written with, so the figures agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Callable, Iterator

from quiz import display
from quiz.answers import normalise_text
from quiz.model import Pack, Question

Where = tuple
Trap = tuple[Where, str]

# A one-rule guess scoring more than this share of a pack's verdicts is a cue.
GUESS_LIMIT = 0.60
# Below this many verdicts, a rule that fits them is as likely luck as a cue.
MIN_VERDICTS_FOR_CUES = 8
# Below this many, "unbalanced" means only "all the same".
MIN_VERDICTS_FOR_BALANCE = 5
# Below this many single-answer questions, the longest right option is chance.
MIN_SINGLE_ANSWER = 3

# An opening quotation mark: ‘ or “, or ’ ' " not after a letter (so "UK’s" has none).
QUOTE = re.compile(r"[‘“]|(?<![A-Za-z])[’'\"]")
# Who says it: a verb of saying, or a named or described source.
SOURCE = re.compile(
    r"\b(said|says|say|warned|warns|according to|report|analysts|"
    r"agency|NCA|Internet Watch Foundation|IWF|minister|director general|"
    r"council|manager|councillor|police)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|half|quarters?|"
    r"dozens?|hundreds?|thousands?|millions?|billions?|six-fold|tripled|doubled)\b",
    re.IGNORECASE,
)
# A claim that ends a sentence, perhaps inside closing quotation marks.
SENTENCE_END = re.compile(r"[.!?][’”'\"]?$")
_OF_THE_ABOVE = re.compile(r"\b(all|none|both|neither) of (the above|these|them|the others)\b")


def writing_traps(pack: Pack) -> list[Trap]:
    """Every writing-trap warning for a pack, in the order of the checks."""
    found: list[Trap] = []
    found += _verdict_balance(pack)
    found += _verdict_cues(pack)
    found += _longest_right_option(pack)
    found += _of_the_above(pack)
    found += _prompt_gives_answer(pack)
    found += _answers_given_elsewhere(pack)
    return found


# -- verdicts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Guess:
    """How far a student gets on a pack's verdicts by following one rule."""

    name: str  # short, as the content checker prints it
    words: str  # the rule as a teacher reads it
    right: int
    total: int

    constant: bool = False  # the cue fits every claim or none, so the rule answers one way

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class _Cue:
    name: str
    words: str
    test: Callable[[Question], bool]


def _fold(text: str) -> str:
    return " ".join(text.split())


def claim_length(question: Question) -> int:
    return len(_fold(question.claim))


def _cues(verdicts: list[Question]) -> list[_Cue]:
    middle = median(claim_length(q) for q in verdicts)
    return [
        _Cue("quote marks", "the claim has quotation marks", lambda q: bool(QUOTE.search(q.claim))),
        _Cue("named source", "the claim names a source", lambda q: bool(SOURCE.search(q.claim))),
        _Cue("a number", "the claim has a number", lambda q: bool(NUMBER.search(q.claim))),
        _Cue("has a hint", "the question offers a hint", lambda q: bool(q.hint.strip())),
        _Cue(
            "longer than the median claim",
            f"the claim is longer than the median claim ({middle:g} characters)",
            lambda q: claim_length(q) > middle,
        ),
        _Cue("ends with a full stop", "the claim ends a sentence", lambda q: bool(SENTENCE_END.search(_fold(q.claim)))),
        _Cue("starts with a capital", "the claim starts with a capital letter", lambda q: _fold(q.claim)[:1].isupper()),
    ]


def one_rule_guesses(pack: Pack) -> list[Guess]:
    """What a student scores on the verdicts by answering by one rule, without reading:
    every verdict "misleading", every verdict "fair", or by one surface cue of the
    claim, either way round. Empty for a pack without verdicts."""
    verdicts = [q for q in pack.questions if q.type == "verdict"]
    if not verdicts:
        return []
    n = len(verdicts)

    def score(guess: Callable[[Question], str]) -> int:
        return sum(1 for q in verdicts if guess(q) == q.verdict)

    guesses = [
        Guess('all "misleading"', 'answering "misleading" every time', score(lambda q: "misleading"), n),
        Guess('all "fair"', 'answering "fair" every time', score(lambda q: "fair"), n),
    ]
    for cue in _cues(verdicts):
        fits = sum(1 for q in verdicts if cue.test(q))
        for yes, no in (("fair", "misleading"), ("misleading", "fair")):
            guesses.append(Guess(
                f"{cue.name} -> {yes}, else {no}",
                f'answering "{yes}" when {cue.words} and "{no}" otherwise',
                score(lambda q, cue=cue, yes=yes, no=no: yes if cue.test(q) else no),
                n,
                constant=fits in (0, n),
            ))
    return guesses


def _verdict_balance(pack: Pack) -> list[Trap]:
    verdicts = [q.verdict for q in pack.questions if q.type == "verdict"]
    n = len(verdicts)
    if n >= 2 and len(set(verdicts)) == 1:
        only = verdicts[0]
        other = "fair" if only == "misleading" else "misleading"
        return [((), (
            f"every verdict question in this pack is `{only}`: mix in some `{other}` "
            f"claims, so that answering `{only}` every time does not score full marks"
        ))]
    if n < MIN_VERDICTS_FOR_BALANCE:
        return []
    for word in ("misleading", "fair"):
        count = verdicts.count(word)
        if count / n > GUESS_LIMIT:
            other = "fair" if word == "misleading" else "misleading"
            return [((), (
                f"{count} of the {n} verdict questions are `{word}`, so answering `{word}` "
                f"every time scores {_percent(count, n)}: make about half of them `{other}`, "
                "so that only telling them apart scores"
            ))]
    return []


def _verdict_cues(pack: Pack) -> list[Trap]:
    verdicts = [q for q in pack.questions if q.type == "verdict"]
    if len(verdicts) < MIN_VERDICTS_FOR_CUES:
        return []
    found = []
    for guess in one_rule_guesses(pack)[2:]:  # answering one way throughout is _verdict_balance's
        if guess.constant:
            continue  # a cue every claim has, or none has, is answering one way throughout
        if guess.share > GUESS_LIMIT + 1e-9:
            found.append(((), (
                f"a surface cue answers the verdicts: {guess.words} gets {guess.right} of "
                f"{guess.total} right ({_percent(guess.right, guess.total)}, more than "
                f"{GUESS_LIMIT:.0%}): vary the claims so that the cue fits fair and "
                "misleading ones alike"
            )))
    return found


# -- options and prompts ----------------------------------------------------------------


def _longest_right_option(pack: Pack) -> list[Trap]:
    single = [q for q in pack.questions if q.type in ("choice", "phrase") and len(q.options) >= 2]
    if len(single) < MIN_SINGLE_ANSWER:
        return []
    longest = []
    for q in single:
        lengths = [len(" ".join(o.text.split())) for o in q.options]
        right = next(i for i, o in enumerate(q.options) if o.correct)
        if lengths[right] == max(lengths) and lengths.count(lengths[right]) == 1:
            longest.append((q, right))
    if len(longest) * 2 <= len(single):
        return []
    first, option = longest[0]
    ids = ", ".join(f"`{q.id}`" for q, _ in longest)
    return [((first.id, "option", option), (
        f"the right option is the longest in {len(longest)} of the {len(single)} "
        f"single-answer questions ({ids}): a student who picks the longest option scores "
        "without reading; make some wrong options as long and as careful as the right one"
    ))]


def _of_the_above(pack: Pack) -> list[Trap]:
    found = []
    for q in pack.questions:
        for number, o in enumerate(q.options):
            words = _OF_THE_ABOVE.search(normalise_text(o.text))
            if words:
                found.append(((q.id, "option", number), (
                    f"option {number + 1} of question `{q.id}` is \"{words.group(0)}\": the "
                    "options are shown shuffled, so there is no \"above\", and it can be "
                    "answered by spotting two right options; write each answer out, or use "
                    "`type: multi`"
                )))
    return found


def _prompt_gives_answer(pack: Pack) -> list[Trap]:
    found = []
    for q in pack.questions:
        prompt = _words(q.prompt)
        if q.type in ("choice", "multi", "phrase"):
            right = [o.text for o in q.options if o.correct]
            wrong = [o.text for o in q.options if not o.correct]
            if any(_contains(prompt, text) for text in wrong):
                continue  # "was it A or B?" names a wrong answer too
            given = next((t for t in right if _contains(prompt, t)), None)
        elif q.type == "text":
            given = next((a for a in q.accept if _contains(prompt, _bare(a))), None)
        else:
            given = None
        if given is not None:
            found.append(((q.id, "prompt"), (
                f"the prompt of question `{q.id}` contains its own answer, \"{_short(given)}\": "
                "a student can match the words instead of reading the source; reword the "
                "prompt so that it does not hold the answer"
            )))
    return found


# -- one question answering another ---------------------------------------------------------


def _answers_given_elsewhere(pack: Pack) -> list[Trap]:
    """A question's texts that hold another question's answer word for word, or name
    it by id, when that other question can be asked after it.

    Answers are looked up by their first two words, so a pack of 10,000
    questions costs one pass over its words, not one per pair of questions.
    """
    source = f" {_words(pack.source.text)} " if pack.source else ""
    by_start: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for q in pack.questions:
        for folded, shown in _giveaways(q, source):
            words = folded.split()
            by_start.setdefault((words[0], words[1]), []).append((folded, shown, q.id))
    ids = {q.id for q in pack.questions}
    before = _can_come_before(pack)
    found = []
    for q in pack.questions:
        own = {_words(o.text) for o in q.options} | {_words(a) for a in q.accept}
        for where, text in _texts(q):
            padded = f" {_words(text)} "
            words = padded.split()
            told: dict[str, str | None] = {}  # other question -> answer given (None: named)
            for i in range(len(words) - 1):
                for folded, shown, other in by_start.get((words[i], words[i + 1]), ()):
                    if (other not in told and other != q.id and folded not in own
                            and f" {folded} " in padded):
                        told[other] = shown
            for other in _named_ids(text, ids, source):
                if other != q.id:
                    told.setdefault(other, None)
            for other, shown in told.items():
                if not before(q.id, other):
                    continue
                how = (f"names question `{other}`," if shown is None
                       else f"holds the answer of question `{other}`, \"{_short(shown)}\",")
                found.append(((q.id, *where), (
                    f"{_part(where)} of question `{q.id}` {how} which can be asked after it: "
                    f"reword it, or have `{other}` asked first (in an earlier section)"
                )))
    return found


def _giveaways(q: Question, source: str) -> list[tuple[str, str]]:
    """The answers of a question that another text would give away, folded and as written.

    The right options of choice and multi questions of three words or more that
    are not simply words of the article (quoting the article gives nothing away),
    and the accepted answers of a text question of two words or more.
    """
    if q.type in ("choice", "multi"):
        texts = [(_words(o.text), o.text) for o in q.correct_options]
        return [(f, t) for f, t in texts if len(f.split()) >= 3 and f" {f} " not in source]
    if q.type == "text":
        texts = [(_bare(a), a) for a in q.accept]
        return [(f, t) for f, t in texts if len(f.split()) >= 2]
    return []


def _texts(q: Question) -> Iterator[tuple[Where, str]]:
    yield ("prompt",), q.prompt
    if q.hint:
        yield ("hint",), q.hint
    if q.explain:
        yield ("explain",), q.explain
    for number, o in enumerate(q.options):
        if o.explain:
            yield ("option", number, "explain"), o.explain
    for number, item in enumerate(q.items):
        if item.explain:
            yield ("item", number, "explain"), item.explain


def _part(where: Where) -> str:
    if where[0] == "option":
        return f"the explanation of option {where[1] + 1}"
    if where[0] == "item":
        return f"the explanation of item {where[1] + 1}"
    return {"prompt": "the prompt", "hint": "the hint", "explain": "the explanation"}[where[0]]


def _can_come_before(pack: Pack) -> Callable[[str, str], bool]:
    """Whether one question can be asked before another, given the pack's order rules."""
    rule = pack.shuffle_rule
    if rule == "all":
        return lambda a, b: True
    if not pack.sections:
        position = {q.id: i for i, q in enumerate(pack.questions)}
        return lambda a, b: position[a] < position[b]
    section = {qid: i for i, s in enumerate(pack.sections) for qid in s.questions}
    place = {qid: j for s in pack.sections for j, qid in enumerate(s.questions)}
    if rule == "within-sections":
        return lambda a, b: section[a] <= section[b]
    return lambda a, b: (section[a], place[a]) < (section[b], place[b])


_HYPHENATED = re.compile(r"(?<![\w-])\w+(?:-\w+)+(?![\w-])")
_MARKED = re.compile(r"`([\w-]+)`|\bquestions?\s+[`'\"‘“]?([\w-]+)", re.IGNORECASE)


def _named_ids(text: str, ids: set[str], source: str) -> list[str]:
    """The question ids a text refers to: one in backticks or right after the word
    "question", or a hyphenated id that is not simply a word of the article
    (so "six-fold" in a prompt does not name a question `six-fold`)."""
    named = [m.group(1) or m.group(2) for m in _MARKED.finditer(text)]
    named += [m.group(0) for m in _HYPHENATED.finditer(text)
              if f" {_words(m.group(0))} " not in source]
    return [n for n in dict.fromkeys(named) if n in ids]


# -- text helpers ------------------------------------------------------------------------


def _words(text: str) -> str:
    return normalise_text(text)


def _bare(text: str) -> str:
    words = normalise_text(text)
    return words[4:] if words.startswith("the ") else words


def _contains(words: str, phrase: str) -> bool:
    """Whether folded `phrase` (of 4 letters or more) occurs in folded `words` as whole words."""
    phrase = _words(phrase)
    if len(phrase.replace(" ", "")) < 4:
        return False
    return f" {phrase} " in f" {words} "


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _percent(part: int, whole: int) -> str:
    return display.percent(part / whole)
