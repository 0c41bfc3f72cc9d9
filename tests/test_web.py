"""The accessible web version (/accessible/), driven as a browser without scripts would: GET pages, POST forms.

Each test reads the HTML a student's browser gets (titles, labels, headings,
what is said) and the attempt file the teacher's table reads. The browser
checks (axe-core, keyboard alone, reflow, contrast) are in test_web_browser.py.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import (
    P,
    REPO,
    SlowDisk,
    Page,
    answered,
    attempt_data,
    code_on,
    every_type_pack,
    form_for,
    reach,
    warm_up,
)
from quiz import store
from quiz.engine import Run
from quiz.model import Option, Pack, Question, Section, Source
from quiz.web import COOKIE, DESK, Desk
from quiz.web.visits import Full

# -- tests ----------------------------------------------------------------------------


async def test_home_offers_each_pack_as_a_labelled_radio_button_and_sets_the_cookie_safely(serve):
    await serve(warm_up(), every_type_pack())
    sam = await serve.student()
    r = await sam.client.get(f"{P}/")
    page = Page(await r.text(), r.status, f"{P}/")
    assert page.title == "Media literacy quiz"
    assert set(page.choices("pack")) == {"Warm-up: an invented local news story", "Every type"}
    assert page.labels["student-field"] == "2. Your name"
    assert set(page.choices("mode")) == {"Practice: each answer explained", "Test: see how you did at the end"}
    cookie = r.headers["Set-Cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "script-src" not in r.headers["Content-Security-Policy"] and "default-src 'none'" in r.headers["Content-Security-Policy"]


async def test_every_type_played_right_scores_full_marks_and_saves_after_each_answer(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    page = await sam.start("every-type")
    assert page.url == f"{P}/welcome"
    code = code_on(page)
    assert (f"Your code for carrying on later is {code}. Write it down. "
            "Keep it to yourself: with your name, it carries on your answers.") in page.text
    assert f'<strong class="code">{code}</strong>' in page.html
    results = tmp_path / "results"
    for n in range(1, len(pack.questions) + 1):
        page = await sam.get(f"{P}/question")
        assert page.title == f"Question {n} of 9 – Every type"
        assert page.headings[0] == f"Question {n} of 9"
        page = await sam.answer(pack)
        # The file holds the answer before the feedback page is even sent.
        saved = attempt_data(results)
        assert len(saved) == 1 and len(saved[0]["answers"]) == n
        assert page.url == f"{P}/feedback"
        assert page.headings[0] == "✓ Right. " + re.search(r"\d+ of \d+ points?", page.headings[0]).group() + "."
        assert page.title.startswith("✓ Right – Question")
    assert page.text.count("See your results")
    page = await sam.get(f"{P}/results")
    assert page.title == "Results – Every type"
    assert "You scored 12 of 12, 100%." in page.text
    assert "9 of 9 questions fully right." in page.text
    (saved,) = attempt_data(results)
    assert saved["finished"] and saved["student"] == "Sam Lee" and saved["group"] == "10B"
    assert sum(a["score"] for a in saved["answers"]) == 12


async def test_wrong_answers_are_announced_in_words_and_symbols(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    for _ in pack.questions:
        page = await sam.answer(pack, right=False)
        # The result is the page's first heading, in a status region, focused when the page opens.
        assert page.headings[0].startswith("✗ Not quite. 0 of ")
        assert page.title.startswith("✗ Not quite – Question ")
        assert '<div role="status">' in page.html and 'id="result" tabindex="-1" autofocus' in page.html
    page = await sam.get(f"{P}/results")
    assert "You scored 0 of 12, 0%." in page.text
    assert page.text.count("Not quite, 0 of") == len(pack.questions)


async def test_feedback_of_each_type_says_what_was_given_and_the_right_answer(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    said = {}
    for _ in pack.questions:
        page = await sam.get(f"{P}/question")
        q = pack.question(page.field("question"))
        page = await sam.answer(pack, right=False)
        said[q.type] = page.text
    assert "You chose: The library" in said["choice"] or "You chose: Residents" in said["choice"]
    assert "The right answer: The council" in said["choice"]
    # One plain line an option: what the student did, and what the option is.
    assert "✗ You ticked it, but it is not a right answer: opening day" in said["multi"]
    assert "✗ You left it, but it is a right answer: visits" in said["multi"]
    assert "missed" not in said["multi"] and "rightly left out" not in said["multi"]
    assert "You typed: 987654321" in said["number"] and "The right answer:" in said["number"]
    assert "You typed: zzz" in said["text"]
    assert "opens on Sundays: you said opinion, but it is fact." in said["match"]
    assert "You said: Misleading" in said["verdict"] or "You said: Fair" in said["verdict"]


async def test_multi_feedback_says_each_option_in_one_line_with_its_mark_beside_the_words(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    page = await reach(sam, pack, lambda q: q.type == "multi")
    ticked = [("answer", page.choices()[t]) for t in ("visits", "opening day")]
    page = await sam.post(f"{P}/answer", [("question", "units"), *ticked, ("action", "answer")])
    assert page.headings[0] == "✗ Not quite. 0 of 2 points."  # one right tick, one wrong: they cancel out
    lines = re.findall(r'<li><span aria-hidden="true" class="mark">(.) </span>([^<]*)', page.html)
    assert sorted(lines) == sorted([
        ("✓", "You ticked it, and it is a right answer: visits"),
        ("✗", "You ticked it, but it is not a right answer: opening day"),
        ("✗", "You left it, but it is a right answer: residents surveyed"),
        ("✓", "You left it, and it is not a right answer: the reading room"),
    ])
    assert "The right answer: visits; residents surveyed" in page.text


async def test_a_single_answer_question_sent_with_nothing_picked_answers_nothing_and_says_to_pick_first(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    asked = {"choice": "Pick one answer, then submit.", "phrase": "Pick one phrase, then submit.",
             "verdict": "Choose fair or misleading, then submit."}
    seen = set()
    for _ in pack.questions:
        page = await sam.get(f"{P}/question")
        q = pack.question(page.field("question"))
        if q.type in asked:
            seen.add(q.type)
            before = answered(tmp_path / "results")
            page = await sam.post(f"{P}/answer", [("question", q.id), ("action", "answer")])
            assert page.status == 400 and page.url == f"{P}/answer"
            assert page.title.startswith("Please check your answer – Question ")
            # The message is an alert, focused as the page opens, linking to the question's fieldset,
            # and the fieldset itself is described by it.
            assert re.search(r'<div id="problems" class="problems" role="alert"[^>]* tabindex="-1" autofocus>', page.html)
            assert f'<li><a href="#answer-field">{asked[q.type]}</a></li>' in page.html
            assert 'id="answer-field" aria-describedby="how answer-problem"' in page.html
            assert f'<p id="answer-problem" class="problem">{asked[q.type]}</p>' in page.html
            assert "checked" not in page.html  # nothing was picked for the student
            assert answered(tmp_path / "results") == before
        await sam.answer(pack)
    assert answered(tmp_path / "results") == len(pack.questions) and seen == set(asked)


async def test_a_right_answer_after_the_hint_is_counted_apart_from_fully_right_ones(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    for _ in pack.questions:
        page = await sam.get(f"{P}/question")
        await sam.answer(pack, hint=bool(pack.question(page.field("question")).hint))
    page = await sam.get(f"{P}/results")
    assert "You scored 11.5 of 12, 96%." in page.text
    assert "8 of 9 questions fully right, and 1 more right with a hint (fewer points)." in page.text
    assert "9 of 9 questions fully right" not in page.text


async def test_test_mode_keeps_explanations_for_the_results(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type", mode="test")
    for n in range(len(pack.questions)):
        page = await sam.answer(pack, right=n % 2 == 0)
        if n < len(pack.questions) - 1:
            assert page.url == f"{P}/question"
            assert "Your answer is saved." in page.text
            assert "Score so far" not in page.text
    assert page.url == f"{P}/results"
    assert "Each answer explained" in page.headings
    assert sum(h.startswith("Question ") for h in page.headings) == len(pack.questions)
    assert "Why:" in page.text or "You chose:" in page.text
    assert attempt_data(tmp_path / "results")[0]["mode"] == "test"


async def test_the_teachers_mode_wins_and_is_said(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack, mode="test")
    sam = await serve.student()
    page = await sam.get(f"{P}/")
    assert "3. Mode: Test: see how you did at the end (set by your teacher)." in page.text
    assert not page.choices("mode")
    await sam.start("every-type", mode="practice")
    page = await sam.answer(pack)
    assert page.url == f"{P}/question"


async def test_the_content_note_must_be_acknowledged_before_question_1(serve, tmp_path):
    pack = replace(every_type_pack(), content_note="This pack talks about scams.\n\nIf anything worries you, talk to your teacher.")
    await serve(pack)
    sam = await serve.student()
    page = await sam.start("every-type")
    assert page.url == f"{P}/note"
    assert page.title == "Content note – Every type"
    assert "This pack talks about scams." in page.text
    for path in ("question", "welcome", "results"):
        assert (await sam.get(f"{P}/{path}")).url == f"{P}/note"
    page = await sam.post(f"{P}/note", {})
    assert page.url == f"{P}/welcome"
    assert (await sam.get(f"{P}/question")).title.startswith("Question 1 of 9")


async def test_the_pack_description_shows_on_the_home_page_and_before_question_1(serve):
    pack = replace(every_type_pack(), description="A made-up story about a library.\n\nTry the hint on one question.")
    await serve(pack)
    sam = await serve.student()
    page = await sam.get(f"{P}/")
    # Read with the pack's radio button, after its facts.
    assert 'aria-describedby="pack-1-facts pack-1-about"' in page.html
    assert re.search(r'<p id="pack-1-about" class="about" lang="en">A made-up story about a library\. '
                     r"Try the hint on one question\.</p>", page.html)
    page = await sam.start("every-type")
    assert page.url == f"{P}/welcome" and "About this pack" in page.headings
    assert "A made-up story about a library. Try the hint on one question." in page.text
    assert page.text.index("Try the hint") < page.text.index("Start question 1")


async def test_with_a_content_note_the_description_comes_first_on_the_note_page_and_only_there(serve):
    pack = replace(every_type_pack(), description="A made-up story about a library.", content_note="This pack talks about scams.")
    await serve(pack)
    sam = await serve.student()
    page = await sam.start("every-type")
    assert page.headings[1:] == ["About this pack", "Content note"]
    assert page.text.index("A made-up story") < page.text.index("This pack talks about scams.")
    page = await sam.post(f"{P}/note", {})
    assert page.url == f"{P}/welcome"
    assert "About this pack" not in page.headings and "A made-up story" not in page.text


async def test_the_results_end_with_the_content_notes_support_lines(serve):
    note = ("This pack talks about scams.\n\n"
            "If anything here worries you:\nChildline 0800 1111 (free, 24 hours), also childline.org.uk.")
    pack = replace(every_type_pack(), content_note=note)
    await serve(pack)
    for mode in ("practice", "test"):
        sam = await serve.student()
        await sam.start("every-type", mode=mode)
        await sam.post(f"{P}/note", {})
        for _ in pack.questions:
            await sam.answer(pack)
        page = await sam.get(f"{P}/results")
        assert page.headings[-1] == "Where to find help"
        assert page.text.endswith(
            "Where to find help If anything here worries you: "
            "Childline 0800 1111 (free, 24 hours), also childline.org.uk. Back to the packs"
        )
        # One line a way to get help, as the note wrote them; the note's other paragraphs are not repeated.
        assert ('<p class="lines">If anything here worries you:\n'
                "Childline 0800 1111 (free, 24 hours), also childline.org.uk.</p>") in page.html
        assert "This pack talks about scams." not in page.text


async def test_results_without_support_lines_in_the_note_have_no_help_section(serve):
    pack = replace(every_type_pack(), content_note="This pack talks about scams.")
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    await sam.post(f"{P}/note", {})
    for _ in pack.questions:
        await sam.answer(pack)
    page = await sam.get(f"{P}/results")
    assert page.title == "Results – Every type"
    assert "Where to find help" not in page.headings


async def test_a_question_in_a_section_is_named_with_its_section(serve):
    pack = every_type_pack()
    first, rest = pack.questions[0], pack.questions[1:]
    pack = replace(pack, sections=(Section("Warming up", (first.id,)), Section("The rest", tuple(q.id for q in rest))))
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    page = await sam.get(f"{P}/question")
    assert page.field("question") == first.id  # sections are played in order
    assert page.title == "Question 1 of 9 · Warming up – Every type"
    assert page.headings[0] == "Question 1 of 9 · Warming up"
    page = await sam.answer(pack)
    assert "Question 1 of 9 · Warming up." in page.text
    page = await sam.get(f"{P}/question")
    assert page.headings[0] == "Question 2 of 9 · The rest"


async def test_the_hint_button_says_its_cost_and_halves_the_points(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    while True:
        page = await sam.get(f"{P}/question")
        if page.field("question") == "who":
            break
        await sam.answer(pack)
    assert "Show the hint" in page.text and "Using the hint halves this question's points." in page.text
    q = pack.question("who")
    picked = form_for(page, q)
    page = await sam.post(f"{P}/answer", [("question", "who"), *picked, ("action", "hint")])
    assert "Look for 'said'." in page.text
    assert "You used the hint, so this question's points are halved." in page.text
    assert 'checked' in page.html  # the choice made before asking is kept
    page = await sam.post(f"{P}/answer", [("question", "who"), *picked, ("action", "answer")])
    assert page.headings[0] == "✓ Right. 0.5 of 1 point."
    assert "Hint used." in page.text
    (saved,) = attempt_data(tmp_path / "results")
    assert saved["answers"][-1]["hinted"] is True and saved["answers"][-1]["score"] == 0.5


async def test_a_form_without_its_csrf_token_or_from_another_site_changes_nothing(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    page = await sam.get(f"{P}/question")
    csrf = page.csrf
    q = pack.question(page.field("question"))
    fields = [("question", q.id), *form_for(page, q), ("action", "answer")]
    page = await sam.post(f"{P}/answer", fields, csrf="forged")
    assert page.status == 403
    r = await sam.client.post(f"{P}/answer", data=[*fields, ("csrf", csrf), ("action", "answer")],
                              headers={"Origin": "http://evil.example"})
    assert r.status == 403
    assert not list((tmp_path / "results").rglob("*.json"))


async def test_a_stale_form_never_answers_the_next_question(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    page = await sam.get(f"{P}/question")
    csrf = page.csrf
    q = pack.question(page.field("question"))
    fields = [("question", q.id), *form_for(page, q), ("action", "answer")]
    await sam.post(f"{P}/answer", fields)
    page = await sam.post(f"{P}/answer", fields, csrf=csrf)  # the back button, and submit again
    assert page.url in (f"{P}/feedback", f"{P}/question")
    assert len(attempt_data(tmp_path / "results")[0]["answers"]) == 1


async def test_typed_answers_start_from_an_empty_field(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    typed = set()
    for _ in pack.questions:
        page = await sam.get(f"{P}/question")
        q = pack.question(page.field("question"))
        if q.type in ("number", "text"):
            typed.add(q.type)
            assert page.field("answer") == ""
        await sam.answer(pack)
    assert typed == {"number", "text"}


async def test_unreadable_answers_are_asked_again_with_the_problem_by_the_field(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    while True:
        page = await sam.get(f"{P}/question")
        q = pack.question(page.field("question"))
        if q.type == "number":
            break
        await sam.answer(pack)
    page = await sam.post(f"{P}/answer", [("question", q.id), ("answer", "lots"), ("action", "answer")])
    assert page.status == 400
    assert page.title.startswith("Please check your answer – Question")
    assert 'role="alert"' in page.html and 'aria-invalid="true"' in page.html
    assert 'value="lots"' in page.html
    page = await sam.post(f"{P}/answer", [("question", q.id), ("action", "answer")])
    assert "Nothing was typed." in page.text


async def test_names_missing_or_too_long_are_said_by_the_field(serve):
    await serve(every_type_pack())
    sam = await serve.student()
    await sam.get(f"{P}/")
    page = await sam.post(f"{P}/start", {"pack": "every-type", "student": "   "})
    assert page.status == 400
    assert "Type your name first, so your teacher knows whose answers these are." in page.text
    assert '<a href="#student-field">' in page.html
    page = await sam.post(f"{P}/start", {"pack": "every-type", "student": "x" * 10_000})
    assert "That name is too long" in page.text
    page = await sam.post(f"{P}/start", {"pack": "nope", "student": "Sam"})
    assert "Pick a pack first." in page.text


async def test_leaving_gives_the_code_and_the_code_carries_the_attempt_on_in_a_new_browser(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    code = code_on(await sam.start("every-type"))
    await sam.answer(pack)
    await sam.answer(pack)
    page = await sam.post(f"{P}/leave", {})
    assert "Your 2 answers are saved." in page.text
    # A browser has no command line: the same name, the pack and the code carry the attempt on.
    assert ("To carry on later, open the quiz page again, type the same name, pick this pack "
            f"and give this code: {code}. If you lose it, your teacher can look it up.") in page.text
    assert "Write the code down. Keep it to yourself: with your name, it carries on your answers." in page.text
    assert "quiz play" not in page.text
    # The tab was closed: another browser, the same name, the code.
    again = await serve.student()
    page = await again.start("every-type")
    assert page.url == f"{P}/resume"
    assert "You have an unfinished attempt on this pack" in page.headings
    assert "answered" not in page.text  # nothing about the attempt before its code
    page = await again.post(f"{P}/resume", {"code": "WRONG-CODE", "action": "resume"})
    assert "That code does not match" in page.text
    page = await again.post(f"{P}/resume", {"code": code.lower().replace("-", " "), "action": "resume"})
    assert page.url == f"{P}/welcome"
    assert "Welcome back. You have answered 2 of 9 questions." in page.text
    page = await again.get(f"{P}/question")
    assert page.title.startswith("Question 3 of 9")
    await again.answer(pack)
    (saved,) = attempt_data(tmp_path / "results")
    assert len(saved["answers"]) == 3
    assert code not in json.dumps(saved)  # only its salted hash is kept


async def test_repeated_wrong_codes_are_slowed_down_from_any_browser(serve):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    await sam.answer(pack)
    await sam.post(f"{P}/leave", {})
    said = []
    for _ in range(6):
        other = await serve.student()  # a fresh browser each time: the wait follows the name
        await other.start("every-type")
        page = await other.post(f"{P}/resume", {"code": "AAAA-AAAA", "action": "resume"})
        said.append(page.text)
    assert "Too many wrong codes: wait" in said[-1]
    assert "Too many wrong codes" not in said[0]


async def test_starting_again_leaves_the_unfinished_attempt_beside_a_new_one(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    await sam.answer(pack)
    await sam.post(f"{P}/leave", {})
    again = await serve.student()
    await again.start("every-type")
    page = await again.post(f"{P}/resume", {"action": "new"})
    assert page.url == f"{P}/welcome" and "Your code for carrying on later is" in page.text
    await again.answer(pack)
    assert len(attempt_data(tmp_path / "results")) == 2


async def test_an_attempt_open_in_a_terminal_is_not_opened_here(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    code = code_on(await sam.start("every-type"))
    await sam.answer(pack)
    await sam.post(f"{P}/leave", {})
    # A terminal window opens the attempt with its code and keeps it.
    with store.resume(tmp_path / "results", pack.id, "Sam Lee", code):
        again = await serve.student()
        await again.start("every-type")
        page = await again.post(f"{P}/resume", {"code": code, "action": "resume"})
        assert page.status == 409
        assert "This attempt is open in another window." in page.text


async def test_the_code_moves_an_attempt_from_a_tab_left_open_to_a_new_browser(serve, tmp_path):
    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    code = code_on(await sam.start("every-type"))
    await sam.answer(pack)
    laptop = await serve.student()
    await laptop.start("every-type")
    page = await laptop.post(f"{P}/resume", {"code": code, "action": "resume"})
    assert "Welcome back. You have answered 1 of 9 questions." in page.text
    # The first tab is told, in words, and cannot write over the attempt.
    page = await sam.get(f"{P}/question")
    assert page.url == f"{P}/stopped"
    assert "carried on in another tab or browser" in page.text
    await laptop.answer(pack)
    assert len(attempt_data(tmp_path / "results")[0]["answers"]) == 2


async def test_article_marks_the_claim_and_links_back(serve):
    pack = warm_up()
    await serve(pack)
    sam = await serve.student()
    await sam.start("warm-up")
    while True:
        page = await sam.get(f"{P}/question")
        q = pack.question(page.field("question"))
        if q.claim:
            break
        await sam.answer(pack)
    page = await sam.get(f"{P}/article")
    assert page.title.startswith("The article – Question ")
    assert page.lang == "en-GB"
    claim = html.escape(q.claim, quote=False)
    assert f"<mark><span class=\"visually-hidden\">The claim starts: </span>{claim}" in page.html
    assert '<a href="/accessible/question">Back to question' in page.html


async def test_phrase_candidates_are_radio_buttons_quoting_each_phrase_in_its_paragraph(serve):
    pack = warm_up()
    await serve(pack)
    sam = await serve.student()
    await sam.start("warm-up")
    while True:
        page = await sam.get(f"{P}/question")
        if page.field("question") == "opinion-phrase":
            break
        await sam.answer(pack)
    assert set(page.choices()) == {o.text for o in pack.question("opinion-phrase").options}
    assert "“a victory for common sense”" in page.text
    assert "From paragraph 5:" in page.text
    assert 'aria-describedby="answer-' in page.html


async def test_match_rows_are_selects_with_labels(serve):
    pack = warm_up()
    await serve(pack)
    sam = await serve.student()
    await sam.start("warm-up")
    while True:
        page = await sam.get(f"{P}/question")
        if page.field("question") == "figures-units":
            break
        await sam.answer(pack)
    assert len(page.selects) == 5
    for name, options in page.selects.items():
        assert page.labels[f"{name}-field"].split(". ", 1)[1] in {i.text for i in pack.question("figures-units").items}
        assert [text for _, text in options] == ["Choose a category", "Visits", "People", "Money", "A share or a change"]


async def test_lang_comes_from_the_pack(serve):
    await serve(replace(every_type_pack(), language="de-DE"))
    sam = await serve.student()
    page = await sam.start("every-type")
    assert page.lang == "de-DE"
    assert (await sam.get(f"{P}/question")).lang == "de-DE"


HOSTILE = ["[/]", "<script>alert(1)</script>", "{{ 7*7 }}", "\x1b[31mred", "[@click=app.quit]"]


def hostile_pack() -> Pack:
    text = "A claim <b>bold</b> and {{ 7*7 }} here.\n\nAnother \x1b[2J paragraph [/] ends."
    return Pack(
        id="hostile", title="<script>alert('t')</script> {{ 7*7 }} [/]", version="1",
        source=Source(text=text, title="<i>Title</i> {% raw %}"),
        questions=(
            Question(id="q1", skill="source", type="choice", prompt="{{ 7*7 }} <img src=x onerror=alert(1)>",
                     claim="<b>bold</b> and {{ 7*7 }}", hint="[/] hint \x1b[1m",
                     options=(Option("<script>x</script>", correct=True, explain="{{ config }}"), Option("[/]"))),
        ),
    )


async def test_hostile_pack_text_and_names_show_literally(serve):
    await serve(hostile_pack())
    sam = await serve.student()
    page = await sam.start("hostile", name="<script>alert(2)</script> {{ 7*7 }} [/] \x1b[31m", group="{% if 1 %}x{% endif %}")
    q_page = await sam.get(f"{P}/question")
    for page in (q_page, await sam.get(f"{P}/article")):
        assert "<script>alert" not in page.html and "<img src=x" not in page.html and "<b>bold" not in page.html
        assert "49" not in page.text and "{{ 7*7 }}" in page.text
    assert "{{ 7*7 }} <img src=x onerror=alert(1)>" in q_page.text
    assert "<script>alert('t')</script> {{ 7*7 }} [/]" in q_page.title
    assert "&lt;script&gt;x&lt;/script&gt;" in q_page.html
    page = await sam.get(f"{P}/article")
    assert "Another ␛[2J paragraph [/] ends." in page.text
    assert "\x1b" not in page.html
    page = await sam.post(f"{P}/answer", [("question", "q1"), ("answer", q_page.choices()["<script>x</script>"]),
                                          ("action", "answer")], csrf=q_page.csrf)
    assert "You chose: <script>x</script>" in page.text and "{{ config }}" in page.text
    page = await sam.get(f"{P}/")
    assert set(page.choices("pack")) == {"<script>alert('t')</script> {{ 7*7 }} [/]"}


async def test_hostile_names_round_trip_to_the_attempt_file_and_home_page(serve, tmp_path):
    await serve(every_type_pack())
    sam = await serve.student()
    name = "<script>alert(2)</script> {{ 7*7 }} [/] \x1b[31m"
    await sam.start("every-type", name=name, group="{% if 1 %}x{% endif %}")
    await sam.answer(every_type_pack())
    (saved,) = attempt_data(tmp_path / "results")
    assert saved["student"] == name and saved["group"] == "{% if 1 %}x{% endif %}"
    # Typed back into the name field (a form sent without a pack), the name is the field's value, as typed.
    other = await serve.student()
    await other.get(f"{P}/")
    page = await other.post(f"{P}/start", {"student": name, "group": "x"})
    assert 'value="&lt;script&gt;alert(2)&lt;/script&gt; {{ 7*7 }} [/] ␛[31m"' in page.html
    assert next(i for i in page.inputs if i.get("name") == "student")["value"] == "<script>alert(2)</script> {{ 7*7 }} [/] ␛[31m"


async def test_a_form_that_is_not_utf8_is_refused_in_words(serve, tmp_path):
    await serve(every_type_pack())
    sam = await serve.student()
    page = await sam.get(f"{P}/")
    r = await sam.client.post(
        f"{P}/start", data=b"csrf=" + page.csrf.encode() + b"&student=\xff\xfe&pack=every-type",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status == 400
    assert await r.text() == "This form could not be read. Go back and try again."
    assert not (tmp_path / "results").exists()


async def test_students_are_served_by_the_server_process_alone(serve):
    pack = every_type_pack()
    await serve(pack)
    before = _children()
    students = [await serve.student() for _ in range(3)]
    for n, s in enumerate(students):
        await s.start("every-type", name=f"Student {n}")
        await s.answer(pack)
    assert _children() == before


def _children() -> set[int]:
    me = str(os.getpid())
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == me:
                found.add(int(entry))
    return found


async def test_idle_visits_let_go_of_their_attempt_and_the_code_still_works(serve, tmp_path):
    pack = every_type_pack()
    app = await serve(pack, idle_minutes=30)
    sam = await serve.student()
    code = code_on(await sam.start("every-type"))
    await sam.answer(pack)
    (visit,) = app[DESK].visits.values()
    visit.seen -= 31 * 60  # the tab was left open over lunch
    again = await serve.student()
    await again.start("every-type")
    page = await again.post(f"{P}/resume", {"code": code, "action": "resume"})
    assert "Welcome back. You have answered 1 of 9 questions." in page.text
    page = await sam.get(f"{P}/question")
    assert page.url == f"{P}/"  # the idle visit was closed: back to the start


async def test_confidence_is_asked_with_each_answer_and_scored_by_certainty(serve, tmp_path):
    # In the pack's order, so the certain answer is a single-choice one and the multi question is still to come.
    pack = replace(every_type_pack(), confidence=True, shuffle="none")
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type")
    page = await sam.get(f"{P}/question")
    assert page.field("question") == "who"
    assert set(page.choices("confidence")) == {
        "Guess: +1 if right, 0 if wrong.", "Fairly sure: +2 if right, −2 if wrong.", "Certain: +3 if right, −6 if wrong.",
    }
    page = await sam.answer(pack)
    assert page.status == 400 and "Say how sure you are" in page.text
    page = await sam.answer(pack, extra=[("confidence", "3")])
    assert "You said you were certain: certainty score +3." in page.text
    (saved,) = attempt_data(tmp_path / "results")
    assert saved["answers"][0]["confidence"] == 3 and saved["answers"][0]["cbm"] == 3
    # Partly right and certain: a share of the right mark and of the wrong one, said how.
    page = await reach(sam, pack, lambda q: q.type == "multi", extra=[("confidence", "1")])
    ticked = [("answer", page.choices()[t]) for t in ("visits", "residents surveyed", "opening day")]
    page = await sam.post(f"{P}/answer", [("question", "units"), *ticked, ("confidence", "3"), ("action", "answer")])
    assert page.headings[0] == "◐ Partly right. 1 of 2 points."
    assert ("You said you were certain: certainty score −1.5. "
            "The answer was 50% right, so it earns 50% of +3 and 50% of −6.") in page.text
    while (await sam.get(f"{P}/question")).url == f"{P}/question":
        assert (await sam.answer(pack, extra=[("confidence", "1")])).status == 200
    page = await sam.get(f"{P}/results")
    assert "Certainty score: +8.5 (your plain score is 11 of 12)." in page.text
    assert ("A right answer earns +1, +2 or +3 for guess, fairly sure or certain, a wrong one 0, −2 or −6; "
            "a partly right one earns a share of both.") in page.text


async def test_each_answer_shows_in_the_teachers_table_at_once(serve, tmp_path):
    from quiz.serve import class_progress, progress_cells

    pack = every_type_pack()
    await serve(pack)
    sam = await serve.student()
    await sam.start("every-type", name="Ana [/]", group="10B")
    await sam.answer(pack)
    await sam.answer(pack, right=False)
    (row,) = class_progress(tmp_path / "results", since=0)
    assert progress_cells(row)[:4] == ("Ana [/]", "10B", "every-type", "2/9")
    assert not row.finished


async def test_a_class_answering_at_the_same_instant_has_every_answer_saved_and_in_the_teachers_table(serve, tmp_path):
    from quiz.serve import class_progress, progress_cells

    pack = every_type_pack()
    await serve(pack)
    names = [f"Student {n:02d}" for n in range(1, 31)]
    class_ = [await serve.student() for _ in names]
    await asyncio.gather(*(s.start("every-type", name=name) for s, name in zip(class_, names)))
    for _ in pack.questions:
        # Everyone presses Submit at once, each on their own question (the order is shuffled).
        pages = await asyncio.gather(*(s.answer(pack) for s in class_))
        assert [p.headings[0].split(".")[0] for p in pages] == ["✓ Right"] * len(class_)
    rows = class_progress(tmp_path / "results", since=0)
    assert sorted(progress_cells(r)[0] for r in rows) == names
    for row in rows:
        student, _, _, answers, score, state, _, _ = progress_cells(row)
        points, most = score.split("/")
        assert (answers, state, points) == ("9/9", "finished", most), student
    assert all(len(a["answers"]) == 9 for a in attempt_data(tmp_path / "results"))


async def test_an_attempt_let_go_while_its_answer_is_being_written_stays_locked_until_it_is_on_disk(
    serve, tmp_path, monkeypatch
):
    pack = every_type_pack()
    app = await serve(pack)
    sam = await serve.student()
    code = code_on(await sam.start("every-type"))
    await sam.answer(pack)
    disk = SlowDisk(monkeypatch)
    answering = asyncio.create_task(sam.answer(pack))
    await disk.writing()
    (visit,) = app[DESK].visits.values()
    app[DESK].drop(visit)  # as a visit is closed for being idle, or to make room
    # A terminal asking for the attempt meanwhile would read it without the answer on its way, and
    # the answer would then land behind its back: it is told the attempt is open elsewhere instead.
    with pytest.raises(store.OpenElsewhere):
        store.resume(tmp_path / "results", "every-type", "Sam Lee", code)
    disk.done()
    await answering
    with store.resume(tmp_path / "results", "every-type", "Sam Lee", code) as opened:
        assert len(opened.attempt.answers) == 2


def test_idle_visits_close_after_the_teachers_limit_or_never():
    now = [0.0]
    timed = Desk([every_type_pack()], Path("unused"), idle_minutes=30, clock=lambda: now[0])
    never = Desk([every_type_pack()], Path("unused"), idle_minutes=None, clock=lambda: now[0])
    kept, gone = never.new(), timed.new()
    now[0] += 29 * 60
    assert timed.find(gone.token) is gone  # seen again: its half hour starts over
    now[0] += 31 * 60
    assert timed.find(gone.token) is None
    now[0] += 10**6
    assert never.find(kept.token) is kept


def test_a_full_desk_makes_room_from_visits_not_playing_and_refuses_the_rest():
    desk = Desk([every_type_pack()], Path("unused"), max_visits=2)
    browsing, other = desk.new(), desk.new()
    desk.new()  # the home page opened again and again: the oldest idle visit makes room
    assert desk.find(browsing.token) is None and desk.find(other.token) is other
    for visit in desk.visits.values():  # both now have an attempt open
        visit.run = Run.start(every_type_pack(), student="Sam", now=datetime.now(timezone.utc), seed=1)
    with pytest.raises(Full):
        desk.new()


def test_the_web_pages_load_neither_textual_nor_the_other_front_ends():
    code = "import sys, quiz.web; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith(('quiz.ui', 'quiz.plain'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "[]"
