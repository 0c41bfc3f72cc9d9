"""Pilot tests of who is answering: shared computers, resume codes, leaving, starting again.

Anyone can type any name on a shared computer, so an unfinished attempt is
carried on only with its own code, and nothing about it shows before then.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import answer_current, attempt_files, flat_text, play_to_results, read_only_attempt, screen_name, screen_text, warm_up
from quiz import store
from quiz.ui.app import make_app

NARROW = (80, 24)
WIDE = (120, 40)
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def build(pack, results: Path, **options):
    return make_app(
        pack=pack,
        results_dir=results,
        student=options.get("student", "Sam"),
        group=options.get("group", ""),
        mode=options.get("mode"),
        seed=options.get("seed", 1),
        served=options.get("served", False),
        only_packs=options.get("only_packs", ()),
    )


def words(app, within: str = ".dialog-words") -> str:
    """The words of the widgets `within` on the top screen, lines and spaces folded (a dialog's lines sit between its borders)."""
    return " ".join(" ".join(str(w.render()).split()) for w in app.screen.query(within))


def toasts(app) -> str:
    """The words of the notifications on screen."""
    return " ".join(" ".join(str(t.render()).split()) for t in app.screen.query("Toast"))


async def leave_after(pilot, answers: int) -> str:
    """Answer `answers` questions, press q, read the code off the leave dialog, and leave."""
    for _ in range(answers):
        await answer_current(pilot)
        await pilot.press("enter")  # past the feedback
        await pilot.pause()
    await pilot.press("ctrl+q")  # q would be typed into a typed question's box
    await pilot.pause()
    assert screen_name(pilot.app) == "LeaveDialog"
    codes = CODE.findall(words(pilot.app))
    assert len(codes) == 1, words(pilot.app)
    await pilot.press("y")
    await pilot.pause()
    return codes[0]


async def give(pilot, code: str) -> None:
    box = pilot.app.screen.query_one("#code")
    box.value = code
    await pilot.press("enter")
    await pilot.pause()


# -- leaving, and carrying on with the code ----------------------------------------


async def test_leaving_shows_the_command_with_the_group_and_the_code_and_the_code_carries_on(tmp_path, capsys):
    results = tmp_path / "results"
    app = build(warm_up(), results, student="Sam", group="10B")
    async with app.run_test(size=NARROW) as pilot:
        for _ in range(2):
            await answer_current(pilot)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        text = words(app)
        assert "Your 2 answers are saved." in text
        assert 'quiz play warm-up --student "Sam" --group "10B"' in text
        code = app.opened.code
        assert f"give this code: {code}" in text
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    # What stays in the terminal's scrollback after the quiz closes holds the command, never the code.
    left = capsys.readouterr().err
    assert '--group "10B"' in left and code not in left

    again = build(warm_up(), results, student="Sam", group="10B", seed=99)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(again) == "ResumeDialog"
        await give(pilot, code.lower().replace("-", " "))
        assert "Question 3 of 9" in screen_text(again)
        await play_to_results(pilot, results)
        assert "You scored 9 of 9" in screen_text(again)
    saved = read_only_attempt(results)  # still one file: the same attempt carried on
    assert len(saved["answers"]) == 9 and saved["seed"] == 1


async def test_nothing_about_an_attempt_shows_before_its_code(tmp_path):
    results = tmp_path / "results"
    first = build(warm_up(), results, student="Alex Kim")
    async with first.run_test(size=NARROW) as pilot:
        await leave_after(pilot, 3)

    # The next pupil types the same name: no "welcome back", no "3 of 9", no score.
    nosy = build(warm_up(), results, student="alex kim")
    async with nosy.run_test(size=NARROW) as pilot:
        await pilot.pause()
        text = words(nosy)
        assert "unfinished attempt at this pack under the name alex kim" in text
        for leak in ("3 of 9", "answered", "Welcome back", "Score", "%"):
            assert leak not in text
        await give(pilot, "AAAA-AAAA")
        text = words(nosy, ".dialog Static")
        assert "That code does not match" in text and "3 of 9" not in text
        assert nosy.quiz_run is None and nosy.opened is None  # nothing of the attempt was opened


async def test_each_unfinished_attempt_carries_on_by_its_own_code_whatever_came_after(tmp_path):
    results = tmp_path / "results"
    victim = build(warm_up(), results, student="Sam")
    async with victim.run_test(size=NARROW) as pilot:
        mine = await leave_after(pilot, 3)

    # A classmate types the same name, starts again (confirming it) and answers one question.
    classmate = build(warm_up(), results, student="Sam")
    async with classmate.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen_name(classmate) == "StartAgainDialog"
        await pilot.press("y")
        await pilot.pause()
        theirs = await leave_after(pilot, 1)
    assert mine != theirs and len(attempt_files(results)) == 2

    back = build(warm_up(), results, student="Sam")
    async with back.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await give(pilot, mine)
        assert "Question 4 of 9" in screen_text(back)
        assert len(back.quiz_run.attempt.answers) == 3


async def test_start_again_asks_first_and_says_the_old_attempt_stays(tmp_path):
    results = tmp_path / "results"
    first = build(warm_up(), results)
    async with first.run_test(size=NARROW) as pilot:
        code = await leave_after(pilot, 1)

    again = build(warm_up(), results)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.click("#no")  # the "Start again" button
        await pilot.pause()
        text = words(again, ".dialog Static")
        assert "Start again?" in text
        assert "The unfinished attempt stays saved: its code still carries it on" in text
        await pilot.press("n")  # no: back to typing the code
        await pilot.pause()
        assert screen_name(again) == "ResumeDialog" and again.quiz_run is None
        await pilot.press("ctrl+n", "y")
        await pilot.pause()
        assert "Question 1 of 9" in screen_text(again)
        await answer_current(pilot)
    assert len(attempt_files(results)) == 2

    # The earlier attempt is still there, and still carried on by its code.
    with store.resume(results, "warm-up", "Sam", code) as opened:
        assert len(opened.attempt.answers) == 1


async def test_repeated_wrong_codes_are_slowed_down_in_words(tmp_path):
    results = tmp_path / "results"
    first = build(warm_up(), results)
    async with first.run_test(size=NARROW) as pilot:
        code = await leave_after(pilot, 1)

    again = build(warm_up(), results)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        for _ in range(again.code_tries.free):
            await give(pilot, "0000-0000")
            assert "That code does not match" in words(again, ".dialog Static")
            assert "wait" not in words(again, ".dialog Static")
        await give(pilot, "0000-0000")
        assert re.search(r"Too many wrong codes: wait \d+ seconds?, then try again", words(again, ".dialog Static"))
        # While the wait lasts even the right code is not checked, so guessing cannot go faster.
        await give(pilot, code)
        assert "Too many wrong codes" in words(again, ".dialog Static") and again.quiz_run is None
        again.code_tries.not_before = 0  # the wait is over
        await give(pilot, code)
        assert "Question 2 of 9" in screen_text(again)


async def test_an_attempt_open_in_another_window_is_refused_in_a_plain_sentence(tmp_path):
    results = tmp_path / "results"
    first = build(warm_up(), results)
    async with first.run_test(size=NARROW) as pilot:
        code = await leave_after(pilot, 1)

    with store.resume(results, "warm-up", "Sam", code):  # the other window
        again = build(warm_up(), results)
        async with again.run_test(size=NARROW) as pilot:
            await pilot.pause()
            await give(pilot, code)
            assert "This attempt is open in another window. Carry on there, or close that window and try again." in words(again, ".dialog Static")
            assert again.quiz_run is None
    # Once the other window closes, it opens here.
    later = build(warm_up(), results)
    async with later.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await give(pilot, code)
        assert "Question 2 of 9" in screen_text(later)


async def test_a_window_lets_go_of_its_attempt_when_it_closes(tmp_path):
    results = tmp_path / "results"
    app = build(warm_up(), results)
    async with app.run_test(size=NARROW) as pilot:
        code = await leave_after(pilot, 1)
    with store.resume(results, "warm-up", "Sam", code) as opened:  # not "open elsewhere"
        assert len(opened.attempt.answers) == 1


async def test_a_new_attempt_shows_its_code_as_it_starts(tmp_path):
    app = build(warm_up(), tmp_path / "results")
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await pilot.pause()
        code = app.opened.code
        assert CODE.fullmatch(code)
        text = toasts(app)
        assert f"Your code for carrying on later is {code}" in text
        # Started from the command line, the home screen was skipped: its description comes with the code.
        assert "In the terminal app, try the keys" in text


# -- the home screen on a shared computer ---------------------------------------------


async def test_the_home_screen_never_fills_in_the_last_students_name_but_keeps_the_class(tmp_path):
    results = tmp_path / "results"
    app = build(None, results, student=None)
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#student")
        await pilot.press(*"Alex Kim", "tab", *"10B", "enter")
        await pilot.pause()
        await answer_current(pilot)
    settings = Path(os.environ["QUIZ_SETTINGS"]).read_text("utf-8")
    assert "Alex" not in settings and "10B" in settings

    nxt = build(None, results, student=None)
    async with nxt.run_test(size=NARROW) as pilot:
        await nxt.workers.wait_for_complete()
        await pilot.pause()
        assert nxt.screen.query_one("#student").value == ""
        assert nxt.screen.query_one("#group").value == "10B"
        assert "Alex" not in screen_text(nxt)
        await pilot.press("enter")  # the next pupil presses Enter without typing a name
        await pilot.click("#start")
        await pilot.pause()
        assert "Type your name first" in flat_text(nxt)
        assert screen_name(nxt) == "HomeScreen"


async def test_a_name_an_older_version_remembered_is_not_filled_in_and_is_removed(tmp_path):
    from quiz.ui import remembered

    settings = Path(os.environ["QUIZ_SETTINGS"])
    settings.write_text(json.dumps({"student": "Alex Kim", "group": "10B", "theme": "x"}), "utf-8")
    app = build(None, tmp_path / "results", student=None)
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#student").value == ""
    remembered.save(remembered.Remembered("10C"))
    assert json.loads(settings.read_text("utf-8")) == {"group": "10C", "theme": "x"}


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_the_home_screen_shows_the_packs_description(tmp_path, size):
    app = build(None, tmp_path / "results", student=None)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = [p.title for p in app.screen.packs]
        app.screen.query_one("#packs").highlighted = titles.index("Warm-up: an invented local news story")
        await pilot.pause()
        shown = [w for w in app.screen.query("#pack-about, #pack-description") if w.region.height]
        assert len(shown) == 1
        text = " ".join(str(shown[0].render()).split())
        assert "In the terminal app, try the keys: digits pick an answer, enter submits, h shows a hint, s shows the story." in text
        assert app.screen.query_one("#start").region.bottom <= size[1] - 1  # Start still above the footer


async def test_the_description_is_shown_before_question_1_with_the_content_note(tmp_path):
    pack = replace(warm_up(), content_note="This pack talks about libraries.\nHelpline: 0800 000")
    app = build(pack, tmp_path / "results")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert screen_name(app) == "ContentNoteScreen"
        text = words(app, ".note-text")
        assert "In the terminal app, try the keys" in text and "This pack talks about libraries." in text


async def test_a_third_pack_below_the_fold_at_80x24_is_signalled(tmp_path, monkeypatch):
    packs = Path(os.environ["QUIZ_USER_PACKS"])
    packs.mkdir(parents=True, exist_ok=True)
    warm = (Path(store.__file__).parent.parent / "questions" / "00-warm-up.yaml").read_text("utf-8")
    third = re.sub(r"(?m)^id: .*$", "id: third-pack", warm)
    third = re.sub(r"(?m)^title: .*$", 'title: "A third pack"', third)
    (packs / "third.yaml").write_text(third, "utf-8")
    app = build(None, tmp_path / "results", student=None)
    # The sign follows the list's layout, a frame or two after the packs arrive (longer on a busy
    # machine): each screen is read once it has stopped changing.
    async with app.run_test(size=NARROW) as pilot:
        await app.workers.wait_for_complete()
        text = await still_text(pilot)
        assert len(app.screen.packs) == 3
        assert "A third pack" not in text and "▼ more packs below: press ↓" in text
        await pilot.press("down", "down")
        text = await still_text(pilot)
        assert "A third pack" in text and "▲ more above" in text and "more packs below" not in text
    wide = build(None, tmp_path / "results", student=None)
    async with wide.run_test(size=WIDE) as pilot:
        await wide.workers.wait_for_complete()
        text = await still_text(pilot)
        assert "A third pack" in text and "more packs below" not in text  # all fit: no sign


async def still_text(pilot, seconds: float = 5) -> str:
    """The app's screen as text, once two readings a tenth of a second apart agree."""
    shown = None
    for _ in range(int(seconds * 10)):
        await pilot.pause(0.1)
        now = screen_text(pilot.app)
        if now == shown:
            return now
        shown = now
    raise AssertionError(f"the screen kept changing; it shows:\n{shown}")


# -- a quiz served to browsers (every tab runs as the teacher) --------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
async def test_a_served_tab_keeps_its_code_for_the_teacher_alone_until_the_attempt_is_finished(tmp_path):
    results = tmp_path / "results"
    pack = replace(warm_up(), questions=warm_up().questions[:2])
    app = build(pack, results, student="Eve", served=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        code = app.opened.code
        kept = results / store.CODES_FOLDER / app.opened.attempt.id
        assert kept.read_text().strip() == code
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
        assert store.kept_code(results, app.opened.attempt.id) == code
        await answer_current(pilot)
        await pilot.press("enter", "ctrl+q")
        await pilot.pause()
        text = words(app)
        assert f"open the quiz page again, type the same name, pick this pack and give this code: {code}" in text
        assert "quiz play" not in text
        await pilot.press("n")  # stay
        await pilot.pause()
        await play_to_results(pilot, results)
    assert not kept.exists()  # finished: nothing is left to carry on
    report_input = [p.name for p in store.attempt_files([results])]
    assert len(report_input) == 1 and all(p.endswith(".json") for p in report_input)


async def test_a_served_tab_carries_on_only_with_the_code(tmp_path):
    results = tmp_path / "results"
    app = build(warm_up(), results, student="Eve", served=True)
    async with app.run_test(size=NARROW) as pilot:
        code = await leave_after(pilot, 1)
    again = build(warm_up(), results, student="Eve", served=True)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await give(pilot, "BAD123")
        assert "That code does not match" in words(again, ".dialog Static") and again.quiz_run is None
        await give(pilot, code.lower())
        assert "Question 2 of 9" in screen_text(again)
