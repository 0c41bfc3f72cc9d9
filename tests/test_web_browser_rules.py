"""The accessible pages of the teacher's rules in headless Chromium: axe-core's WCAG 2.1 A and AA rules on each.

The class list's name picker, a refused name, the time limit before question 1,
the time left and a warning on a question, a second live session refused, the
results after time ran out, the page for a student with every attempt used,
and carrying on with a code while the attempt is live elsewhere. The clock is
the test's own.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from helpers import answer, axe_in_both_schemes, every_type_pack
from quiz.roster import ClassRules, parse_roster

CLASS = "name,class,id\nSam Lee,10B,S1\nSamira Khan,10B,S2\n"
LABEL = "2. Your name, from your teacher's class list"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.at


def test_axe_finds_no_violations_on_the_pages_of_the_teachers_rules(browser, site, axe_source):
    pack = every_type_pack()
    clock = Clock()
    rules = ClassRules(roster=parse_roster(CLASS), time_limit=10 * 60, attempts=1)
    served = site(pack, rules=rules, mode="test", now=clock)
    contexts = [browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 768}) for _ in range(3)]
    sam, laptop, samira = (c.new_page() for c in contexts)
    for page in (sam, laptop, samira):
        page.set_default_timeout(5000)
    found: dict[str, list[str]] = {}
    visited: list[str] = []

    def check(page, name: str, words: str) -> None:
        assert words in " ".join(page.inner_text("main").split()), name
        visited.append(name)
        axe_in_both_schemes(page, axe_source, name, found)

    def start(page, name: str) -> None:
        page.goto(served.url)
        page.get_by_label(LABEL).select_option(name)
        page.get_by_role("button", name="Start").click()

    try:
        sam.goto(served.url)
        check(sam, "home with the class list", "Choose your name")
        sam.get_by_role("button", name="Start").click()
        check(sam, "home, no name picked", "Pick your name from the class list first")
        start(sam, "Sam Lee")
        check(sam, "welcome with the time limit", "This test has a time limit of 10 minutes.")
        sam.get_by_role("link", name="Start question 1").click()
        check(sam, "question with the time left", "Time left: 10 minutes.")
        clock.at += timedelta(minutes=5, seconds=10)
        sam.reload()
        check(sam, "question with a warning", "Only 4 minutes left.")

        start(laptop, "Sam Lee")
        check(laptop, "home, already playing elsewhere", "Sam Lee is already playing Every type in another tab")

        start(samira, "Samira Khan")
        samira.get_by_role("link", name="Start question 1").click()
        answer(samira, pack)
        start(laptop, "Samira Khan")
        check(laptop, "carry on only with the code, playing elsewhere", "Samira Khan is already playing")

        clock.at += timedelta(minutes=5)
        sam.reload()
        check(sam, "results after time ran out", "Time is up. Your test is finished before any question was answered.")

        start(laptop, "Sam Lee")
        check(laptop, "every attempt used", "You have finished this pack once, as many as your teacher allows")
        laptop.get_by_label("Your code, like ABCD-EFGH").fill("AAAA-BBBB")
        laptop.get_by_role("button", name="See my results").click()
        check(laptop, "every attempt used, a wrong code", "Check it, or ask your teacher.")
    finally:
        for context in contexts:
            context.close()
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
    assert len(visited) == 10
