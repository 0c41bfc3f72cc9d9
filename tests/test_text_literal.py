"""Text a person typed or a pack holds shows as written on every screen, never as markup or a terminal command.

A name, a group, a pack title, a prompt and an explanation each carry Textual
markup (`[/]` crashed the classroom table, and with it `quiz serve`;
`[@click=app.quit]` would close the app when clicked; `[b]x[/b]` would turn
bold) and terminal escape sequences (writing the clipboard, setting the
window title, clearing the screen, blinking). Every screen must show all of
it literally, the escapes as visible ␛ and ␇ symbols, and keep running.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpers import screen_text
from textual.widgets import DataTable, Input, TabbedContent

from quiz import serve, store
from quiz.engine import Run
from quiz.model import Option, Pack, Question
from quiz.report import build_report
from quiz.ui import remembered
from quiz.ui.app import make_app
from quiz.ui.classroom import ClassroomApp
from quiz.ui.report_app import make_report_app

MARKUP = "[/] [@click=app.quit] [b]x[/b]"
# Clipboard (OSC 52), window title (OSC 0), clear screen, blink.
ESCAPES = "\x1b]52;c;aGk=\x07 \x1b]0;title\x07 \x1b[2J \x1b[5m"
ESCAPES_SHOWN = "␛]52;c;aGk=␇ ␛]0;title␇ ␛[2J ␛[5m"
SIZE = (200, 50)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def hostile(label: str) -> str:
    return f"{label} {MARKUP} {ESCAPES}"


def shown(label: str) -> str:
    """What a person must see where `hostile(label)` was given."""
    return f"{label} {MARKUP} {ESCAPES_SHOWN}"


NAME, GROUP = hostile("Ann"), hostile("Class")


def hostile_pack(**changes) -> Pack:
    # Built directly: a YAML pack holding control characters is refused by `quiz validate`.
    fields = dict(
        id="hostile",
        title=hostile("Title"),
        description=hostile("About"),
        questions=(
            Question(
                id="q1", skill="source", type="choice", prompt=hostile("Prompt"),
                options=(Option(hostile("Right"), correct=True, explain=hostile("Because")), Option("Wrong")),
                explain=hostile("Why"), hint=hostile("Hint"),
            ),
            Question(
                id="q2", skill="source", type="choice", prompt="Second question?",
                options=(Option("Yes", correct=True), Option("No")),
            ),
        ),
        sha256="0" * 64,
    )
    fields.update(changes)
    return Pack(**fields)


def assert_shows(app, *labels: str, within: str = "") -> None:
    """Each hostile text is on screen as written (in the widget `within`, if given), and no control character reached the terminal."""
    text = screen_text(app)
    assert "\x1b" not in text and "\x07" not in text
    # A dialog's lines sit among the lines of the screen beneath it: read the dialog's own words.
    words = str(app.screen.query_one(within).render()) if within else text
    flat = " ".join(words.split())
    for label in labels:
        assert shown(label) in flat, f"{shown(label)!r} is not on screen:\n{text}"


async def click_the_quit_link(pilot) -> None:
    """Click where `[@click=app.quit]` is shown: as plain text it is only words."""
    for y, line in enumerate(screen_text(pilot.app).splitlines()):
        x = line.find("[@click=app.quit]")
        if x >= 0:
            await pilot.click(offset=(x + 2, y))
            await pilot.pause()
            assert pilot.app.is_running, "clicking the text closed the app"
            return
    raise AssertionError("[@click=app.quit] is not on screen")


async def test_the_home_screen_shows_the_remembered_group_and_the_pack_as_written(tmp_path):
    remembered.save(remembered.Remembered(GROUP))
    app = make_app(pack=hostile_pack(), results_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#student", Input).value == ""  # a name is never remembered
        assert app.screen.query_one("#group", Input).value == shown("Class")
        assert_shows(app, "Title", "About")
        # The box shows as much as fits: the group's start.
        assert "Class [/] [@click" in screen_text(app)
        await click_the_quit_link(pilot)


async def test_playing_shows_the_title_prompt_hint_and_explanations_as_written(tmp_path):
    pack = hostile_pack(content_note=hostile("Note"))
    pack = hostile_pack(content_note=hostile("Note"), questions=pack.questions[:1])
    app = make_app(pack=pack, results_dir=tmp_path, student=NAME, group=GROUP, mode="practice", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ContentNoteScreen"
        assert_shows(app, "Title", "Note")
        await click_the_quit_link(pilot)
        await pilot.press("enter")
        await pilot.pause()

        # The question: the bar's title, the prompt, the options, and the hint once asked for.
        await pilot.press("h", "h")
        await pilot.pause()
        assert_shows(app, "Title", "Prompt", "Right", "Hint")
        await click_the_quit_link(pilot)

        run = app.quiz_run
        right = [o.correct for o in run.options(run.current)].index(True)
        await pilot.press(str(right + 1), "enter")
        await pilot.pause()
        # Feedback: the prompt again, the option chosen, its explanation and the question's.
        assert_shows(app, "Prompt", "Right", "Because", "Why")
        await click_the_quit_link(pilot)

        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen"
        assert_shows(app, "Title")
        # The list of questions shows each prompt on one line, as far as it fits, as written.
        assert "  Prompt [/] [@click=app.quit] [b]x[/b] ␛]52;c;aGk=␇" in screen_text(app)
        await click_the_quit_link(pilot)

        # The first question opened again from the list: all of it, in full.
        app.screen.query_one("#questions").highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        assert_shows(app, "Prompt", "Right", "Because", "Why")
    saved = store.read_attempt(next(tmp_path.rglob("*.json")))
    assert (saved.student, saved.group) == (NAME, GROUP)  # kept as given; only the screen shows symbols


async def test_leaving_and_coming_back_show_the_name_as_written(tmp_path):
    pack = hostile_pack()
    app = make_app(pack=pack, results_dir=tmp_path, student=NAME, mode="test", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "LeaveDialog"
        # The command to carry on names the student.
        assert_shows(app, "Ann", within=".dialog-words")
        await pilot.press("y")
        await pilot.pause()

    again = make_app(pack=pack, results_dir=tmp_path, student=NAME, mode="test", seed=3)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "ResumeDialog"
        assert_shows(again, "Ann", within=".dialog-words")
        words = str(again.screen.query_one(".dialog-words").render())
        assert f"under the name {shown('Ann')}." in " ".join(words.split())
        assert "answered" not in words  # nothing about the attempt before its code


def played(pack: Pack, student: str, group: str, *, finish: bool = True):
    run = Run.start(pack, student=student, group=group, mode="test", seed=1, now=NOW, attempt_id=student[:3])
    for question in pack.questions[: None if finish else 1]:
        run.answer(question.correct_options[0].text, seconds=10)
    if finish:
        run.finish(NOW + timedelta(minutes=5))
    return run.attempt


async def test_the_report_dashboard_shows_names_groups_titles_and_prompts_as_written():
    pack = hostile_pack()
    report = build_report(
        [(None, played(pack, NAME, GROUP)), (None, played(pack, hostile("Bo"), "10B", finish=False))],
        packs=[pack],
    )
    app = make_report_app(report)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one("#gradebook", DataTable)
        assert [table.get_cell(row.key, "student").plain for row in table.ordered_rows] == [shown("Ann")]
        assert [table.get_cell(row.key, "group").plain for row in table.ordered_rows] == [shown("Class")]
        # The pack's title heads the window.
        assert_shows(app, "Ann", "Class", "Title")
        await click_the_quit_link(pilot)

        app.query_one(TabbedContent).active = "items-pane"
        await pilot.pause()
        assert_shows(app, "Prompt")  # above what the class answered to q1

        app.query_one(TabbedContent).active = "notes-pane"
        await pilot.pause()
        assert_shows(app, "Bo")  # listed as unfinished


class StandInClassroom(serve.Classroom):
    """Everything but the listening: the live view is what is tested here."""

    def __init__(self, lesson: serve.Lesson, rows: list[serve.Progress]) -> None:
        super().__init__(lesson)
        self.rows = rows

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    def progress(self) -> list[serve.Progress]:
        return list(self.rows)


async def test_the_classroom_table_shows_a_hostile_name_and_keeps_serving(tmp_path):
    row = serve.Progress(
        student=NAME, group=GROUP, pack=hostile("Pack"), answered=1, total=3, score=2 / 3,
        max_score=1.0, finished=False, last_answer=datetime(2026, 11, 27, 10, 5, 30),
        path=Path("ann.json"), code="C0DE42",
    )
    classroom = StandInClassroom(serve.Lesson(results_dir=tmp_path, port=8123), [row])
    app = ClassroomApp(classroom)
    async with app.run_test(size=SIZE) as pilot:
        app.read_progress()
        await pilot.pause(0.2)
        table = app.query_one(DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][:5] == [
            shown("Ann"), shown("Class"), shown("Pack"), "1/3", "0.67/1",
        ]
        assert_shows(app, "Ann", "Class")  # the pack column runs off this screen; its cell is checked above
        await click_the_quit_link(pilot)

        # The same row read again (every couple of seconds) updates in place.
        app.read_progress()
        await pilot.pause(0.2)
        assert table.row_count == 1
        assert app.is_running
