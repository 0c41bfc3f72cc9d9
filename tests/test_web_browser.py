"""The accessible pages in headless Chromium: axe-core's WCAG 2.1 A and AA rules, keyboard alone, reflow, contrast.

Every kind of page is visited (home, content note, welcome, a question of
every type, feedback right, partly right and wrong, the hint, the article,
both kinds of results, leaving, the code page) and checked as it is shown.
Needs Debian's chromium, Playwright for Python and the axe-core npm package
(`npm install --prefix .ci/node axe-core@4`, as .ci/run does). Off CI a
missing one skips these tests, saying which; on CI (CI set) it fails.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from typing import Callable


from helpers import REPO, Site, answer, axe_in_both_schemes, every_type_pack, free_port, right_response, warm_up
from quiz.model import Pack

NOTE = ("This pack talks about scams.\n\nIf anything here worries you, talk to your teacher,\n"
        "or call Childline on 0800 1111 (free, 24 hours).")
ABOUT = "Nine questions on a made-up story.\n\nTry the hint on one of them."


# -- a walk through every kind of page, by mouse and form filling ------------------------


def noted_pack() -> Pack:
    """Every type, with a description and a content note whose support lines the results repeat."""
    return replace(every_type_pack(), content_note=NOTE, description=ABOUT)


def walk(page, site: Site, on_page: Callable[[str], None], name: str = "Sam Lee") -> None:
    """Every kind of page of the every-type pack (with a content note), calling `on_page` on each."""
    pack = noted_pack()
    page.goto(site.url)
    on_page("home")
    page.get_by_role("button", name="Start").click()
    on_page("home with a problem")
    page.get_by_label("Every type").check()
    page.get_by_label("2. Your name").fill(name)
    page.get_by_role("button", name="Start").click()
    on_page("content note")
    page.get_by_role("button", name="I have read this note: start").click()
    on_page("welcome")
    page.get_by_role("link", name="Start question 1").click()
    seen: set[str] = set()
    for n in range(len(pack.questions)):
        q = pack.question(page.input_value("input[name=question]"))
        on_page(f"question ({q.type})")
        if n == 0:
            page.get_by_role("button", name="Submit answer").click()
            on_page("question with a problem")
        if q.hint:
            page.get_by_role("button", name="Show the hint").click()
            on_page("question with its hint shown")
        if q.claim and "article" not in seen:
            seen.add("article")
            page.get_by_role("link", name="Read the article (the claim marked)").click()
            on_page("article")
            page.get_by_role("link", name=f"Back to question {n + 1}").first.click()
        how = "partly" if q.type == "multi" else ("wrong" if q.type == "verdict" else "right")
        answer(page, pack, how)
        on_page(f"feedback ({how})")
        page.get_by_role("link", name="See your results" if n == len(pack.questions) - 1 else f"Next: question {n + 2} of {len(pack.questions)}").click()
    # The content note's support line is said again at the end, so it is checked with the page.
    assert page.get_by_role("heading", name="Where to find help").is_visible()
    on_page("results (practice)")
    page.get_by_role("button", name="Back to the packs").click()
    # Test mode: the results explain every answer.
    page.get_by_label("Every type").check()
    page.get_by_label("2. Your name").fill(name)
    page.get_by_label("Test: see how you did at the end").check()
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="I have read this note: start").click()
    page.get_by_role("link", name="Start question 1").click()
    for n in range(len(pack.questions)):
        answer(page, pack, "wrong" if n % 3 == 0 else "right")
    on_page("results (test)")
    page.get_by_role("button", name="Back to the packs").click()
    # Leaving half-way, and the code page when the same name comes back.
    page.get_by_label("Every type").check()
    page.get_by_label("2. Your name").fill(name)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="I have read this note: start").click()
    page.get_by_role("link", name="Start question 1").click()
    answer(page, pack)
    page.get_by_role("link", name="Next: question 2 of 9").click()
    page.get_by_role("button", name="Save and leave").click()
    on_page("left the quiz")
    page.get_by_role("link", name="Back to the packs").click()
    page.get_by_label("Every type").check()
    page.get_by_label("2. Your name").fill(name)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="I have read this note: start").click()
    on_page("carry on with a code")
    page.get_by_label("Your code, like ABCD-EFGH").fill("AAAA-BBBB")
    page.get_by_role("button", name="Carry on").click()
    on_page("carry on with a wrong code")


def test_axe_finds_no_wcag_21_aa_violations_on_any_page_in_light_or_dark(browser, site, axe_source):
    """Every kind of page, with text contrast (axe's color-contrast) checked in both colour schemes."""
    served = site(noted_pack())
    context = browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(5000)
    found: dict[str, list[str]] = {}
    visited = []

    def check(name: str) -> None:
        visited.append(name)
        axe_in_both_schemes(page, axe_source, name, found)

    try:
        walk(page, served, check)
    finally:
        context.close()
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
    # Every kind of page was checked, a question of every type among them.
    for kind in ("choice", "multi", "phrase", "number", "text", "match", "verdict"):
        assert f"question ({kind})" in visited
    for name in ("home", "article", "feedback (right)", "feedback (wrong)", "feedback (partly)",
                 "results (practice)", "results (test)", "content note", "carry on with a wrong code"):
        assert name in visited


def test_the_dark_scheme_really_changes_the_colours(browser, site):
    """The contrast check in dark mode is a check of dark colours, not of the light ones twice."""
    served = site(noted_pack())
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(served.url)
        dark = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        page.emulate_media(color_scheme="light")
        light = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    finally:
        context.close()
    assert (dark, light) == ("rgb(18, 18, 18)", "rgb(255, 255, 255)")


def test_nothing_needs_sideways_scrolling_at_320_pixels_or_200_percent_zoom(browser, site):
    served = site(noted_pack())
    too_wide: dict[str, list[str]] = {}
    # 320 CSS pixels is the reflow width; 200% zoom of a 1280-pixel window lays out 640 CSS pixels.
    for label, viewport, scale in (("320 px", {"width": 320, "height": 640}, 1), ("200%", {"width": 640, "height": 400}, 2)):
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        page.set_default_timeout(5000)

        def check(name: str) -> None:
            sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if sizes[0] > sizes[1]:
                too_wide.setdefault(label, []).append(f"{name}: {sizes[0]} > {sizes[1]}")

        try:
            walk(page, served, check, name=f"Sam at {label}")
        finally:
            context.close()
    assert not too_wide, too_wide


# -- the warm-up pack by keyboard alone ----------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el && el.labels && el.labels.length ? el.labels[0].textContent : '';
            return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
                    label: label.trim(), text: (el.textContent || '').trim(), checked: !!el.checked, value: el.value || ''};
        }"""
    )


def autofocused(page) -> dict:
    """What has the focus once the page's autofocus has run (the browser runs it at the first frame it draws)."""
    page.wait_for_function("() => document.activeElement && document.activeElement !== document.body")
    return focused(page)


def tab_to(page, wanted: Callable[[dict], bool], what: str, limit: int = 60) -> dict:
    """Press Tab until the focused element is `wanted`; fail, saying what was not reached, after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def press_link_or_button(page, words: str) -> None:
    tab_to(page, lambda f: f["tag"] in ("a", "button") and f["text"].startswith(words), repr(words))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def pick_radio(page, name: str, label: str) -> None:
    """Tab into a radio group, then arrow keys to the option (arrows move and choose)."""
    now = tab_to(page, lambda f: f["type"] == "radio" and f["name"] == name, f"the {name} radio buttons")
    for _ in range(20):
        if now["label"].strip("“”") == label:
            page.keyboard.press("Space")
            assert focused(page)["checked"]
            return
        page.keyboard.press("ArrowDown")
        now = focused(page)
    raise AssertionError(f"no radio button labelled {label!r}")


def answer_by_keys(page, pack: Pack) -> None:
    q = pack.question(page.input_value("input[name=question]"))
    wanted = right_response(q)
    if q.type in ("choice", "phrase"):
        pick_radio(page, "answer", wanted)
    elif q.type == "verdict":
        pick_radio(page, "answer", wanted.capitalize())
    elif q.type == "multi":
        for text in wanted:
            tab_to(page, lambda f, t=text: f["type"] == "checkbox" and f["label"] == t, repr(text))
            page.keyboard.press("Space")
    elif q.type == "match":
        for n in range(1, len(q.items) + 1):
            now = tab_to(page, lambda f, n=n: f["id"] == f"item-{n}-field", f"item {n}")
            item = now["label"].split(". ", 1)[1]
            for _ in range(q.categories.index(wanted[item]) + 1):
                page.keyboard.press("ArrowDown")
            assert page.input_value(f"#item-{n}-field") == str(q.categories.index(wanted[item]) + 1)
    else:
        tab_to(page, lambda f: f["id"] == "typed-field", "the answer field")
        page.keyboard.type(wanted)
    press_link_or_button(page, "Submit answer")


def test_the_warm_up_pack_played_with_the_keyboard_alone(browser, site, tmp_path):
    pack = warm_up()
    served = site(pack)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(5000)
    try:
        page.goto(served.url)
        tab_to(page, lambda f: f["id"] == "student-field", "the name field")
        page.keyboard.type("Kim Park")
        page.keyboard.press("Tab")
        assert focused(page)["id"] == "group-field"
        page.keyboard.type("10B")
        press_link_or_button(page, "Start")
        press_link_or_button(page, "Start question 1")
        used_hint = visited_article = False
        for n in range(1, len(pack.questions) + 1):
            assert page.title().startswith(f"Question {n} of {len(pack.questions)} – ")
            q = pack.question(page.input_value("input[name=question]"))
            if q.claim and not visited_article:
                visited_article = True
                press_link_or_button(page, "Read the article")
                assert page.locator("mark").count() >= 1
                press_link_or_button(page, f"Back to question {n}")
            if q.hint and not used_hint:
                used_hint = True
                press_link_or_button(page, "Show the hint")
                assert page.get_by_role("heading", name="Hint").is_visible()
            if n == 1:
                # Submitted with nothing given: nothing is answered, and the focus is on what to do first.
                press_link_or_button(page, "Submit answer")
                assert page.title().startswith("Please check your answer – Question 1 of ")
                now = autofocused(page)
                assert now["id"] == "problems" and now["text"].startswith("✗ Please check this")
                assert page.get_by_role("alert").inner_text().split("\n")[-1] in (
                    "Pick one answer, then submit.", "Pick one phrase, then submit.",
                    "Choose fair or misleading, then submit.", "Nothing was typed. Type your answer, then submit.",
                    "Tick every option that fits (at least one), then submit.", "Choose a category for item 1, then submit.",
                )
            answer_by_keys(page, pack)
            # The result is focused as the feedback page opens, so a screen reader says it first.
            assert autofocused(page)["id"] == "result"
            assert page.title().startswith("✓ Right – ")
            press_link_or_button(page, "See your results" if n == len(pack.questions) else "Next: question")
        assert page.title() == f"Results – {pack.title}"
        text = page.inner_text("main")
    finally:
        context.close()
    assert "You scored 8.5 of 9, 94%." in text
    assert "8 of 9 questions fully right, and 1 more right with a hint (fewer points)." in text
    (saved,) = [json.loads(p.read_text()) for p in (tmp_path / "results").rglob("*.json")]
    assert saved["finished"] and saved["student"] == "Kim Park" and len(saved["answers"]) == 9
    assert [a["hinted"] for a in saved["answers"]].count(True) == 1


# -- through quiz serve itself ----------------------------------------------------------------


def test_quiz_serve_offers_the_accessible_version_as_its_first_tab_stop(browser, tmp_path):
    """From the terminal page, Tab once and Enter: the accessible pages, whose answers the teacher's table shows."""
    from quiz.serve import class_progress

    results, port = tmp_path / "results", free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "quiz", "serve", "--port", str(port), "--results", str(results), "--pack", "warm-up"],
        stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True,
    )
    context = browser.new_context()
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "quiz serve did not listen"
                time.sleep(0.1)
        page = context.new_page()
        page.set_default_timeout(10000)
        page.goto(f"http://127.0.0.1:{port}/")
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Accessible version"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == f"http://127.0.0.1:{port}/accessible/"
        page.get_by_label("2. Your name").fill("Ana Lima")
        page.get_by_role("button", name="Start").click()
        page.get_by_role("link", name="Start question 1").click()
        answer(page, warm_up())
        assert page.title().startswith("✓ Right – Question 1 of 9")
        (row,) = class_progress(results, since=0)
        assert (row.student, row.pack, row.answered) == ("Ana Lima", "warm-up", 1)
    finally:
        context.close()
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        log.close()
