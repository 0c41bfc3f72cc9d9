"""`--plain`: the quiz as plain lines for screen readers, driven through its streams.

Most tests play `quiz.plain` with io.StringIO for the keyboard and the screen,
and read what a student would hear and what the attempt file holds. One test
runs the installed `quiz play warm-up --plain` in a real pseudo-terminal.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import (
    attempt_files,
    every_type_pack,
    read_only_attempt,
    right_response,
    warm_up,
    wrong_response,
)
from quiz import display, store
from quiz.cli import build_parser, main
from quiz.cli.plain import wants_plain
from quiz.engine import Run
from quiz.locations import results_dir
from quiz.model import Pack, Question, Section
from quiz.plain import choose, lines, play, reading

SEED = 7


class Keyboard:
    """Typed lines, one per prompt; notes how many answers the attempt file held at each prompt."""

    def __init__(self, typed: list[str], results: Path) -> None:
        self.typed = list(typed)
        self.results = results
        self.answers_on_file: list[int] = []

    def readline(self) -> str:
        files = attempt_files(self.results)
        if files:
            self.answers_on_file.append(len(json.loads(files[-1].read_text("utf-8"))["answers"]))
        else:
            self.answers_on_file.append(0)
        if not self.typed:
            return ""  # the end of input, as Ctrl+D gives it
        return self.typed.pop(0) + "\n"


def order_of(pack: Pack, seed: int = SEED) -> Run:
    """A run with the order and option order `play(..., seed=seed)` will use."""
    return Run.start(pack, student="x", now=datetime.now(timezone.utc), seed=seed)


def typed_for(run: Run, q: Question, *, right: bool = True) -> list[str]:
    """The lines a student types to answer `q` right (or wrong)."""
    wanted = right_response(q) if right else wrong_response(q)
    if q.type in ("choice", "phrase"):
        return [str([o.text for o in run.options(q)].index(wanted) + 1)]
    if q.type == "multi":
        texts = [o.text for o in run.options(q)]
        return [",".join(str(texts.index(t) + 1) for t in wanted)]
    if q.type == "match":
        return [str(q.categories.index(wanted[i.text]) + 1) for i in run.items(q)]
    if q.type == "verdict":
        return ["1" if wanted == "fair" else "2"]
    return [str(wanted)]


def whole_pack(pack: Pack, *, right: bool = True, practice: bool = True, seed: int = SEED) -> list[str]:
    run = order_of(pack, seed)
    typed: list[str] = []
    questions = run.questions
    for n, q in enumerate(questions):
        typed += typed_for(run, q, right=right)
        if practice and n < len(questions) - 1:
            typed.append("")  # Enter after the feedback
    return typed


def code_in(text: str) -> str:
    """The resume code the student was told."""
    found = re.findall(r"code (?:for carrying on later is|when you are asked for it:) ([0-9A-Z]{4}-[0-9A-Z]{4})", text)
    assert found, "no resume code was said"
    return found[-1]


def plain(pack: Pack, typed: list[str], results: Path, **options) -> tuple[str, Keyboard]:
    keyboard = Keyboard(typed, results)
    out = io.StringIO()
    options.setdefault("student", "Sam Lee")
    options.setdefault("seed", SEED)
    code = play(pack, results_dir=results, stdin=keyboard, stdout=out, **options)
    assert code == 0
    text = out.getvalue()
    assert "\x1b" not in text
    assert "Traceback" not in text
    return text, keyboard


# -- every question type, practice and test --------------------------------------------


def test_practice_every_type_right_scores_full_marks_and_saves_after_each_answer(tmp_path):
    pack = every_type_pack()
    text, keyboard = plain(pack, whole_pack(pack), tmp_path, mode="practice")
    full = display.score(pack.max_score, pack.max_score)
    assert f"You scored {full}, 100%." in text
    assert text.count("Right. ") == len(pack.questions)
    saved = read_only_attempt(tmp_path)
    assert saved["finished"] is not None
    assert [a["score"] for a in saved["answers"]] == [a["max"] for a in saved["answers"]]
    # At each "Press Enter" after feedback, the file already held that answer.
    at_feedback = [n for n, line in zip(keyboard.answers_on_file, _prompts(text)) if line.startswith("Press Enter")]
    assert at_feedback == list(range(1, len(pack.questions)))


def _prompts(text: str) -> list[str]:
    """The instruction line before each `> `, in order."""
    out = text.split("\n")
    return [out[i - 1] for i, line in enumerate(out) if line.startswith("> ") and i > 0]


def test_each_question_is_said_once_in_reading_order(tmp_path):
    pack = every_type_pack()
    text, _ = plain(pack, whole_pack(pack), tmp_path)
    before_results = text.split("Results: ")[0]
    run = order_of(pack)
    for q in run.questions:
        block = "\n".join(lines.question(run, q)[1:])
        assert before_results.count(block) == 1, q.id
    claim = before_results.index("The claim: the council said\nWho said it?")
    assert claim < before_results.index("Who said it?") < before_results.index("1. ", claim)


def test_test_mode_waits_for_the_end_to_explain(tmp_path):
    pack = every_type_pack()
    text, keyboard = plain(pack, whole_pack(pack, right=False, practice=False), tmp_path, mode="test")
    before_results, results = text.split("Results: ")
    assert "Not quite" not in before_results and "Why:" not in before_results
    assert before_results.count("Your answer is saved.") == len(pack.questions)
    assert "Each answer explained:" in results
    assert results.count("Not quite. ") >= len(pack.questions)
    assert "The right answer: The council" in results
    assert f"You scored 0 of {display.number(pack.max_score)}, 0%." in results
    saved = read_only_attempt(tmp_path)
    assert saved["mode"] == "test" and len(saved["answers"]) == len(pack.questions)
    run = order_of(pack)
    # Every line typed for question k found the k answers before it already on file.
    expected = [k for k, q in enumerate(run.questions) for _ in typed_for(run, q, right=False)]
    assert keyboard.answers_on_file == expected


def test_multi_takes_several_numbers_in_any_spelling(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("units"),))
    run = order_of(pack)
    q = pack.questions[0]
    numbers = [str(i + 1) for i, o in enumerate(run.options(q)) if o.correct]
    text, _ = plain(pack, [f"{numbers[1]} and {numbers[0]}"], tmp_path)
    assert "Right. 2 of 2 points." in text
    assert read_only_attempt(tmp_path)["answers"][0]["response"] == ["visits", "residents surveyed"]
    assert reading.pick_several("1,3", "abcd") == [0, 2]
    assert reading.pick_several("3 1 1", "abcd") == [2, 0]
    assert reading.pick_several(" 2 ; 4 ", "abcd") == [1, 3]


def test_multi_with_one_right_and_one_wrong_pick_is_partly_right(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("units"),))
    run = order_of(pack)
    texts = [o.text for o in run.options(pack.questions[0])]
    picks = ("visits", "residents surveyed", "opening day")
    text, _ = plain(pack, [" ".join(str(texts.index(t) + 1) for t in picks)], tmp_path)
    assert "Partly right. 1 of 2 points." in text
    assert "You ticked it, but it is not a right answer: opening day" in text
    assert "You ticked it, and it is a right answer: visits" in text
    assert "You left it, and it is not a right answer: the reading room" in text


def test_phrase_numbers_candidates_in_article_order_with_their_paragraph(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("loaded"),))
    text, _ = plain(pack, ["everyone loves the new reading room"], tmp_path)
    assert "1. the council said\n   From paragraph 1: The town library will open on Sundays" in text
    assert "2. Everyone loves the new reading room\n   From paragraph 3: Everyone loves the new reading room." in text
    assert "Right. 1 of 1 point." in text  # typed as the phrase's words, not its number


def test_match_asks_once_per_item_with_numbered_categories(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("sort"),))
    run = order_of(pack)
    q = pack.questions[0]
    typed = [i.answer for i in run.items(q)]  # by the category's name this time
    text, keyboard = plain(pack, typed, tmp_path)
    assert "The categories:\n1. fact\n2. opinion" in text
    for n, item in enumerate(run.items(q), 1):
        assert f"Item {n} of 3: {item.text}. Type the number of its category, 1 to 2" in text
    assert "Right. 3 of 3 points." in text
    assert read_only_attempt(tmp_path)["answers"][0]["response"] == {i.text: i.answer for i in q.items}


def test_verdict_takes_numbers_words_and_letters(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("v-fair"), every_type_pack().question("v-bad")))
    run = order_of(pack)
    typed = ["Fair" if q.verdict == "fair" else "m" for q in run.questions]
    text, _ = plain(pack, [typed[0], "", typed[1]], tmp_path)
    assert "1. Fair\n2. Misleading" in text
    assert text.count("Right. ") == 2
    assert [a["response"] for a in read_only_attempt(tmp_path)["answers"]] == [q.verdict for q in run.questions]


def test_number_and_text_are_read_by_the_engine(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("fold"), every_type_pack().question("name")))
    run = order_of(pack)
    answers = {"fold": ["lots", "", "+500%"], "name": ["", "  the example gazette. "]}
    typed = answers[run.questions[0].id] + [""] + answers[run.questions[1].id]
    text, _ = plain(pack, typed, tmp_path)
    assert "That doesn't read as a number. Type digits, like 6, 500 or 291,273." in text
    assert "Nothing was typed. Type your answer and press Enter." in text
    assert "Type a number (%) and press Enter." in text
    assert text.count("Nothing was typed. Type your answer and press Enter.") == 2
    assert "Right. 1 of 1 point.\nYou typed: +500%" in text
    saved = read_only_attempt(tmp_path)["answers"]
    assert {a["question"]: a["response"] for a in saved} == {"fold": "+500%", "name": "the example gazette."}
    assert {a["question"]: a["score"] for a in saved} == {"fold": 1.0, "name": 1.0}


# -- words at every prompt ------------------------------------------------------------------


def test_every_prompt_lists_the_words_and_they_work(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("who"),))
    run = order_of(pack)
    text, _ = plain(pack, ["story", "hint", "repeat", "hint"] + typed_for(run, pack.questions[0]), tmp_path)
    for prompt in _prompts(text)[:4]:
        assert prompt.endswith("Or type story, hint, repeat or quit.")
    assert "Paragraph 2: Visits rose six-fold last year, according to a survey of 40 residents." in text
    assert "Hint? Using the hint halves this question's points. Type hint again to see it." in text
    assert "Hint: Look for 'said'.\nYou used the hint, so this question's points are halved." in text
    assert "Right. 0.5 of 1 point. Hint used." in text
    # Once the hint is shown it is no longer offered.
    assert _prompts(text)[4].endswith("Or type story, repeat or quit.")
    assert text.count("Who said it?") == 3  # the question, `repeat`, and the results list
    answer = read_only_attempt(tmp_path)["answers"][0]
    assert answer["hinted"] is True and answer["score"] == 0.5


def test_blank_lines_and_nonsense_are_asked_again_in_words(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("who"),))
    run = order_of(pack)
    text, _ = plain(pack, ["", "banana", "9", "0", "[/]"] + typed_for(run, pack.questions[0]), tmp_path)
    assert "Nothing was typed. Type the number of one option, 1 to 3." in text
    assert "That is not one of the options. Type its number, 1 to 3, or its words." in text
    assert "There is no option 9. Type a number from 1 to 3." in text
    assert "There is no option 0." in text
    assert len(read_only_attempt(tmp_path)["answers"]) == 1


# -- leaving, the end of input, and carrying on -------------------------------------------


def test_quit_saves_and_says_how_to_carry_on_with_the_code(tmp_path):
    pack = every_type_pack()
    typed = whole_pack(pack)[:4] + ["quit"]
    text, keyboard = plain(pack, typed, tmp_path, student="Sam Lee")
    saved = read_only_attempt(tmp_path)
    answered = len(saved["answers"])
    assert answered >= 2 and saved["finished"] is None
    code = code_in(text.split("Your code for carrying on later is")[1])
    assert f"Your {answered} answers are saved." in text
    assert f'quiz play every-type --student "Sam Lee" --results {shlex.quote(str(tmp_path))} --plain' in text
    assert f"give this code when you are asked for it: {code}" in text
    assert code not in json.dumps(saved) and code.replace("-", "") not in json.dumps(saved)


def said_command(text: str) -> list[str]:
    """The command the student is told to run to carry on, as the shell splits it."""
    return shlex.split(text.split("To carry on later, run\n")[1].splitlines()[0])


@pytest.mark.parametrize("folder", ["own folder", "usual folder"])
def test_the_command_to_carry_on_looks_in_the_folder_the_answers_are_in(tmp_path, folder):
    results = tmp_path / "class 10B's results" if folder == "own folder" else Path(os.environ["QUIZ_RESULTS"])
    pack = every_type_pack()
    run = order_of(pack)
    text, _ = plain(pack, typed_for(run, run.questions[0]) + ["", "quit"], results, student="Sam Lee", group="10B")
    command = said_command(text)
    assert ("--results" in command) == (folder == "own folder")  # the usual folder goes without saying
    args = build_parser().parse_args(command[1:])
    assert (args.student, args.group, args.plain) == ("Sam Lee", "10B", True)
    assert results_dir(getattr(args, "results", None)) == results
    assert len(read_only_attempt(results)["answers"]) == 1


SAME_SENTENCE = "Your code for carrying on later is {}. Write it down. Keep it to yourself: with your name, it carries on your answers."


async def test_the_code_is_given_in_the_same_sentence_as_in_the_app_and_the_browser(tmp_path):
    pack = every_type_pack()
    run = order_of(pack)
    text, _ = plain(pack, typed_for(run, run.questions[0]) + ["", "quit"], tmp_path / "plain")
    assert SAME_SENTENCE.format(code_in(text)) in " ".join(text.split())

    from quiz.ui.app import make_app  # the terminal app, as `quiz play` starts it

    app = make_app(pack=pack, results_dir=tmp_path / "app", student="Sam Lee", seed=SEED, extra_pack_paths=[])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        toasts = " ".join(str(toast.render()) for toast in app.screen.query("Toast"))  # on screen
        assert SAME_SENTENCE.format(app.opened.code) in " ".join(toasts.split())


def test_end_of_input_leaves_like_quit(tmp_path):
    pack = every_type_pack()
    run = order_of(pack)
    text, _ = plain(pack, typed_for(run, run.questions[0]), tmp_path)  # then Ctrl+D
    assert "Your 1 answer is saved." in text
    assert "--plain" in text and "Results:" not in text


def test_ctrl_c_says_how_to_carry_on_then_lets_the_interrupt_through(tmp_path):
    pack = every_type_pack()
    run = order_of(pack)

    class Interrupted(Keyboard):
        def readline(self) -> str:
            if not self.typed:
                raise KeyboardInterrupt
            return super().readline()

    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        play(pack, student="Sam", seed=SEED, results_dir=tmp_path,
             stdin=Interrupted(typed_for(run, run.questions[0]), tmp_path), stdout=out)
    text = out.getvalue()
    code = text.split("Your code for carrying on later is ")[1][:9]
    assert "Your 1 answer is saved." in text
    assert f"give this code when you are asked for it: {code}" in text
    with store.resume(tmp_path, pack.id, "Sam", code) as again:  # the window let go of it
        assert len(again.attempt.answers) == 1


def test_resume_needs_the_code_and_carries_on_the_same_file(tmp_path):
    pack = every_type_pack()
    typed = whole_pack(pack)
    first, _ = plain(pack, typed[:4], tmp_path)
    saved = read_only_attempt(tmp_path)
    answered = len(saved["answers"])
    code = code_in(first)
    # Input ended on the feedback prompt, so the rest starts with the next question's answer.
    rest = typed[4:] if typed[3] == "" else typed[3:]
    text, _ = plain(pack, ["WRON-GCOD", "", code.lower()] + rest, tmp_path)
    before = text.split("Welcome back")[0]
    assert "You have an unfinished attempt on this pack." in before
    assert f"of {len(pack.questions)}" not in before  # nothing about it until the code is given
    assert "That code does not match an unfinished attempt by this name on this pack. Check it" in before
    assert "Nothing was typed." in before
    assert f"Welcome back. You have answered {answered} of {len(pack.questions)} questions." in text
    assert f"You scored {display.score(pack.max_score, pack.max_score)}, 100%." in text
    final = read_only_attempt(tmp_path)  # still one file: the same attempt, finished
    assert final["id"] == saved["id"] and final["finished"] and len(final["answers"]) == len(pack.questions)


def test_an_attempt_open_in_another_window_is_not_opened_twice(tmp_path):
    pack = every_type_pack()
    run = order_of(pack)
    first, _ = plain(pack, typed_for(run, run.questions[0]), tmp_path)
    code = code_in(first)
    with store.resume(tmp_path, pack.id, "Sam Lee", code):  # the other window
        text, _ = plain(pack, [code, "quit"], tmp_path)
    assert "This attempt is open in another window." in text
    assert "Welcome back" not in text
    text, _ = plain(pack, [code, "quit"], tmp_path)  # once that window is closed
    assert "Welcome back. You have answered 1 of" in text


def test_new_starts_again_beside_the_unfinished_attempt(tmp_path):
    pack = every_type_pack()
    run = order_of(pack)
    plain(pack, typed_for(run, run.questions[0]), tmp_path)
    again = order_of(pack, SEED + 1)
    text, _ = plain(pack, ["new", *typed_for(again, again.questions[0]), "quit"], tmp_path, seed=SEED + 1)
    assert "Welcome back" not in text and "Question 1 of" in text
    assert len(attempt_files(tmp_path)) == 2  # the unfinished one is kept beside the new one


# -- the content note -------------------------------------------------------------------


NOTE = "This pack discusses online abuse.\n\nChildline 0800 1111 (UK, free, 24h)."


def test_content_note_comes_first_and_must_be_acknowledged(tmp_path):
    pack = every_type_pack(content_note=NOTE)
    text, _ = plain(pack, ["", "sure", "ready", "quit"], tmp_path)
    assert text.index("Content note:") < text.index("Question 1 of")
    assert "Childline 0800 1111 (UK, free, 24h)." in text
    assert text.count("Please read the note, then type ready to start or quit to leave.") == 2


def test_leaving_at_the_content_note_saves_nothing(tmp_path):
    pack = every_type_pack(content_note=NOTE)
    text, _ = plain(pack, ["quit"], tmp_path)
    assert "You left before the first question. Nothing was saved." in text
    assert "Question 1" not in text
    assert attempt_files(tmp_path) == []


ABOUT = "A made-up story about a library.\n\nTry the hint on one question."


def test_the_description_is_said_before_question_1(tmp_path):
    pack = every_type_pack(description=ABOUT)
    text, _ = plain(pack, ["quit"], tmp_path)
    said = text.split("\n")
    start = said.index("About this pack:")
    assert said[start + 1 : start + 3] == ["A made-up story about a library.", "Try the hint on one question."]
    assert start < text.split("\n").index(next(line for line in said if line.startswith("Question 1 of")))
    assert text.count("Try the hint on one question.") == 1


def test_with_a_content_note_the_description_comes_first_in_it_and_only_once(tmp_path):
    pack = every_type_pack(description=ABOUT, content_note=NOTE)
    text, _ = plain(pack, ["ready", "quit"], tmp_path)
    assert text.index("About this pack:") < text.index("Try the hint") < text.index("Content note:")
    assert text.index("Content note:") < text.index("Type ready and press Enter")
    assert text.count("Try the hint on one question.") == 1  # not said again after ready


def test_the_warm_ups_description_is_read_out_and_says_what_to_type_here(tmp_path):
    text, _ = plain(warm_up(), ["quit"], tmp_path)
    before = text.split("Question 1 of")[0]
    assert "About this pack:\nNine questions on a made-up library story." in before
    # Its words for typed lines are words that work at every question here.
    words = re.findall(r"typing line by line, type a number, (\w+) or (\w+)\.", before)
    assert words == [("hint", "story")]
    assert all(reading.command(word) is not None for word in words[0])


def test_each_question_names_its_section_beside_the_number(tmp_path):
    parts = (
        Section("Who says so?", ("who", "name", "v-fair")),
        Section("What is counted", ("units", "sample", "fold")),
        Section("Framing", ("loaded", "sort", "v-bad")),
    )
    pack = every_type_pack(sections=parts, shuffle="none")
    text, _ = plain(pack, whole_pack(pack, practice=False), tmp_path, mode="test")
    asked, explained = text.split("Each answer explained:")
    assert "Question 1 of 9 · Who says so?\n" in asked
    assert "Question 4 of 9 · What is counted.\n" in asked
    assert "Question 9 of 9 · Framing.\n" in asked
    assert "Section:" not in text
    # Explained at the end, each answer under the same heading as it was asked.
    assert "Question 1 of 9 · Who says so?\n" in explained and "Question 7 of 9 · Framing.\n" in explained


def test_without_sections_the_number_stands_alone(tmp_path):
    text, _ = plain(every_type_pack(), ["quit"], tmp_path)
    assert "Question 1 of 9.\n" in text


def test_bundled_packs_name_a_key_only_beside_the_web_button_and_the_typed_word():
    """A key named in a description or content note is no use on a web page or in typed lines:
    each such text also says what to use on a web page (its buttons) and what to type (a word that works)."""
    from helpers import REPO
    from quiz.packs import load_pack

    key = re.compile(r"\bpress [a-z]\b|\bdigits\b|\b[a-z] shows\b", re.IGNORECASE)
    web = ("Save and leave", "Submit answer", "Show the hint", "Read the article")
    pages = "".join(p.read_text("utf-8") for p in (REPO / "quiz" / "web" / "templates").glob("*.html"))
    assert all(label in pages for label in web)
    checked = 0
    for path in sorted((REPO / "questions").glob("*.yaml")):
        pack = load_pack(path)
        for text in (pack.description, pack.content_note):
            flat = " ".join(text.split())
            if not key.search(flat):
                continue
            checked += 1
            assert "web page" in flat and (any(label in flat for label in web) or "buttons" in flat), (path.name, flat)
            typed = [w for clause in re.findall(r"\btype ([^.;:]+)", flat) for w in re.findall(r"\w+", clause)]
            assert any(reading.command(w) for w in typed), (path.name, flat)
    assert checked >= 2  # the warm-up's description and the main pack's note


# -- confidence ---------------------------------------------------------------------------


def test_confidence_is_asked_after_each_answer(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("who"), every_type_pack().question("v-bad")))
    run = order_of(pack)
    first, second = run.questions
    typed = (
        typed_for(run, first) + ["4", "back"] + typed_for(run, first) + ["certain", ""]
        + typed_for(run, second, right=False) + ["2"]
    )
    text, _ = plain(pack, typed, tmp_path, confidence=True)
    assert "How sure are you? 1 guess, 2 fairly sure, 3 certain." in text
    assert "3. Certain: +3 if right, −6 if wrong." in text
    assert "Type 1 for a guess, 2 for fairly sure or 3 for certain." in text
    assert "You said you were certain: certainty score +3." in text
    assert "You said you were fairly sure: certainty score −2." in text
    assert "Certainty score: +1" in text
    answers = read_only_attempt(tmp_path)["answers"]
    assert [(a["confidence"], a["cbm"]) for a in answers] == [(3, 3.0), (2, -2.0)]


def test_a_half_right_answer_earns_a_share_of_the_certainty_marks_and_says_so(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("units"),))
    texts = [o.text for o in order_of(pack).options(pack.questions[0])]
    text, _ = plain(pack, [str(texts.index("visits") + 1), "3"], tmp_path, confidence=True)
    assert "certainty score −1.5. The answer was 50% right, so it earns 50% of +3 and 50% of −6." in text
    assert "a partly right one earns a share of both." in text
    assert read_only_attempt(tmp_path)["answers"][0]["cbm"] == -1.5


def test_a_right_answer_after_the_hint_is_not_counted_as_fully_right(tmp_path):
    pack = every_type_pack(questions=(every_type_pack().question("who"), every_type_pack().question("v-bad")))
    run = order_of(pack)
    first, second = run.questions
    hinted, plain_one = (first, second) if first.hint else (second, first)
    typed = []
    for q in run.questions:
        typed += (["hint", "hint"] if q is hinted else []) + typed_for(run, q) + [""]
    text, _ = plain(pack, typed, tmp_path)
    assert "1 of 2 questions fully right, and 1 more right with a hint (fewer points)." in text


# -- hostile names and pack text -------------------------------------------------------------


def test_names_and_pack_text_show_literally(tmp_path):
    evil = "\x1b]0;pwned\x07"
    q = replace(every_type_pack().question("name"), prompt=f"Who publishes it? {evil}[red]x[/]")
    pack = every_type_pack(questions=(q, every_type_pack().question("who")), title=f"Title {evil}")
    run = order_of(pack)
    text, _ = plain(pack, typed_for(run, run.questions[0]) + ["", "quit"], tmp_path, student=f"[/] {evil}")
    assert "Who publishes it? ␛]0;pwned␇[red]x[/]" in text
    assert "Title ␛]0;pwned␇." in text
    assert '--student "[/] ␛]0;pwned␇" --results ' in text
    assert read_only_attempt(tmp_path)["student"] == f"[/] {evil}"


def test_a_name_typed_with_an_escape_shows_as_a_symbol(tmp_path):
    pack = every_type_pack()
    run = order_of(pack)
    keyboard = Keyboard(["", "\x1b[31mEve [/]", "10B", "2", *typed_for(run, run.questions[0]), "quit"], tmp_path)
    out = io.StringIO()
    assert play(pack, results_dir=tmp_path, seed=SEED, stdin=keyboard, stdout=out) == 0
    text = out.getvalue()
    assert "Type your name first, so your teacher knows whose answers these are." in text
    assert "\x1b" not in text
    assert '--student "␛[31mEve [/]" --group "10B" --results ' in text  # the class too, so carrying on keeps it
    saved = read_only_attempt(tmp_path)
    assert (saved["student"], saved["group"], saved["mode"]) == ("\x1b[31mEve [/]", "10B", "test")


# -- the pack list and the command line ------------------------------------------------------


def test_choose_lists_packs_then_asks_name_class_and_mode(tmp_path):
    packs = [warm_up(), every_type_pack(content_note=NOTE)]
    typed = ["3", "every-type", "Sam", "", "1", "ready", "quit"]
    out = io.StringIO()
    assert choose(packs=packs, broken=["bad.yaml"], results_dir=tmp_path, stdin=Keyboard(typed, tmp_path), stdout=out) == 0
    text = out.getvalue()
    assert "1. Warm-up: an invented local news story (9 questions, Ages 14-18)." in text
    assert "2. Every type (9 questions, has a content note)." in text
    assert "1 pack could not be opened (bad.yaml)." in text
    assert "There is no pack 3. Type a number from 1 to 2." in text
    assert "You picked: Every type." in text
    assert "Practice: each answer explained. 9 questions." in text


def test_plain_is_chosen_by_the_flag_or_a_dumb_terminal(monkeypatch):
    parser = build_parser()
    monkeypatch.setenv("TERM", "xterm-256color")
    assert wants_plain(parser.parse_args(["play", "warm-up", "--plain"]))
    assert wants_plain(parser.parse_args(["--plain"]))
    assert not wants_plain(parser.parse_args(["play", "warm-up"]))
    monkeypatch.setenv("TERM", "dumb")
    assert wants_plain(parser.parse_args(["play", "warm-up"]))
    assert not wants_plain(parser.parse_args(["--served"]))  # a browser tab is never a dumb terminal


def test_quiz_play_plain_through_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Sam\n10B\n1\nquit\n"))
    assert main(["play", "warm-up", "--results", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Question 1 of 9." in text
    assert "You have not answered anything yet, so there is nothing to save." in text


def test_plain_loads_neither_textual_nor_the_ui():
    code = (
        "import sys, quiz.plain, quiz.cli.plain, quiz.wording; "
        "print(sorted(m for m in sys.modules if m.startswith(('textual', 'rich', 'quiz.ui'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the installed command in a real terminal ---------------------------------------------------


def test_installed_quiz_play_plain_in_a_pty(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    script = Path(sys.executable).with_name("quiz")
    if not script.exists():
        pytest.skip("the quiz console script is not installed beside this Python (pip install -e .)")
    results = tmp_path / "results"
    pack = warm_up()
    run = order_of(pack, seed=5)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "QUIZ_CACHE": str(tmp_path / "cache"), "QUIZ_USER_PACKS": str(tmp_path / "packs")}
    seen = io.BytesIO()
    child = pexpect.spawn(
        str(script), ["play", "warm-up", "--plain", "--student", "Pat", "--seed", "5", "--results", str(results)],
        env=env, timeout=20, dimensions=(24, 80),
    )
    child.logfile_read = seen
    try:
        questions = run.questions
        for n, q in enumerate(questions):
            child.expect_exact(f"Question {n + 1} of {len(questions)}.")
            for line in typed_for(run, q):
                child.expect_exact("\r\n> ")
                child.sendline(line)
            if n < len(questions) - 1:
                child.expect_exact("Press Enter for the next question, or type quit.")
                assert len(read_only_attempt(results)["answers"]) == n + 1
                child.sendline("")
        child.expect_exact("You scored 9 of 9, 100%.")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    saved = read_only_attempt(results)
    assert saved["finished"] and len(saved["answers"]) == 9
    assert b"\x1b" not in seen.getvalue()
