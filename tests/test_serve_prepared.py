"""What `quiz serve`'s fork server prepares once for every tab: a rehearsal of the first screen, its stylesheet.

A tab forked from the fork server is given the stylesheet the rehearsal
read and parsed (quiz.ui.prepared). These tests run that tab's app in
Pilot: it must parse nothing to draw its home screen, and every widget must
be styled exactly as in an app that reads and parses the stylesheet itself,
on the home screen and on the first question.
"""

from __future__ import annotations

import asyncio
import sys
import threading

import pytest

from quiz.cli import build_parser
from quiz.cli.play import build_app, lesson_rules
from quiz.serve import quiz_arguments
from quiz.ui import prepared
from quiz.ui.screens import STYLES

pytest.importorskip("textual")


def served_args(results):
    """A tab's arguments, as `quiz serve --pack warm-up` gives them."""
    return build_parser().parse_args(quiz_arguments(results, packs=["warm-up"]))


def tab_app(args, stylesheet=None):
    app = build_app(args, None, lesson_rules(args, sys.stderr))
    app.seed = 7  # both apps ask the same first question
    if stylesheet is not None:
        prepared.share(stylesheet, app)
    return app


def styled(app) -> list[tuple[str, str | None, str]]:
    """Every widget on screen with the CSS the stylesheet gave it."""
    return [(type(node).__name__, node.id, node.styles.base.css) for node in app.screen.walk_children(with_self=True)]


async def start_as_ann(pilot) -> None:
    """From the home screen to the first question."""
    await pilot.click("#student")
    await pilot.press(*"Ann", "enter")
    for _ in range(100):
        if type(pilot.app.screen).__name__ == "PlayScreen":
            break
        await pilot.pause(0.05)


async def home_then_first_question(app) -> tuple[list, list]:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = styled(app)
        await start_as_ann(pilot)
        await pilot.pause(0.3)
        return home, styled(app)


@pytest.fixture
def parses(monkeypatch):
    """The CSS sources Textual parses from text (each a (file, name) location), as it parses them."""
    from textual.css import stylesheet

    seen: list = []
    parse = stylesheet.parse

    def counted(scope, css, read_from, *args, **kwargs):
        seen.append(read_from)
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet, "parse", counted)
    return seen


def test_the_rehearsal_leaves_no_thread_and_no_event_loop(tmp_path):
    args = served_args(tmp_path / "results")
    prepared.prepare()
    threads = set(threading.enumerate())
    prepared.rehearse(tab_app(args))
    assert set(threading.enumerate()) == threads
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    assert not (tmp_path / "results").exists()  # the home screen wrote nothing


def test_a_rehearsal_whose_first_screen_fails_says_so_rather_than_sharing_half_a_stylesheet():
    from textual.app import App

    class Broken(App):
        def compose(self):
            raise ValueError("no home screen")

    with pytest.raises(RuntimeError, match="rehearsal"):
        prepared.rehearse(Broken())


def test_a_tab_given_the_rehearsed_stylesheet_parses_nothing_for_its_home_screen(tmp_path, parses):
    args = served_args(tmp_path / "results")
    prepared.prepare()
    stylesheet = prepared.rehearse(tab_app(args))
    rehearsed = list(parses)
    parses.clear()

    async def home(app) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(home(tab_app(args, stylesheet)))
    assert any(path.endswith("quiz.tcss") for path, _ in rehearsed)  # the quiz's own stylesheet, and more
    assert parses == []
    asyncio.run(home(tab_app(args)))
    assert parses and set(parses) <= set(rehearsed)  # an app on its own parses them all again


def test_a_tab_given_the_rehearsed_stylesheet_parses_no_stylesheet_again_for_its_first_dialog(tmp_path, parses):
    # Every screen's own stylesheet file is in the rehearsal's, so no later screen brings one.
    stylesheet = prepared.rehearse(tab_app(served_args(tmp_path / "rehearsal")))
    files = sorted(STYLES.glob("*.tcss"))
    assert {"quiz.tcss", "home.tcss", "dialogs.tcss", "results.tcss"} <= {path.name for path in files}
    assert all(stylesheet.has_source(str(path)) for path in files)
    parses.clear()

    async def leave_and_stay(app) -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await start_as_ann(pilot)
            parses.clear()  # the first question's new widgets bring their own default CSS, as before
            await pilot.press("q")
            await pilot.pause(0.2)
            shown = type(app.screen).__name__
            await pilot.press("n")
            return shown

    assert asyncio.run(leave_and_stay(tab_app(served_args(tmp_path / "tab"), stylesheet))) == "LeaveDialog"
    # A screen that brings a file of its own makes Textual parse every source again, quiz.tcss
    # included (about 20 ms a tab). A modal screen's default CSS, parsed once, is Textual's own.
    assert not [source for source in parses if str(source[0]).endswith(".tcss")]


def test_a_tab_given_the_rehearsed_stylesheet_is_styled_as_one_that_parses_its_own(tmp_path):
    prepared.prepare()
    stylesheet = prepared.rehearse(tab_app(served_args(tmp_path / "rehearsal")))
    own_home, own_question = asyncio.run(home_then_first_question(tab_app(served_args(tmp_path / "own"))))
    tab_home, tab_question = asyncio.run(
        home_then_first_question(tab_app(served_args(tmp_path / "tab"), stylesheet)))
    assert any(name == "HomeScreen" for name, _, _ in own_home)
    assert any(name == "PlayScreen" for name, _, _ in own_question)
    assert tab_home == own_home
    assert tab_question == own_question
