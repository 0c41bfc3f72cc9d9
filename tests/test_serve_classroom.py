"""The teacher's live view while `quiz serve` runs, driven by Pilot with a stand-in server."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from quiz import serve
from quiz.ui.classroom import ClassroomApp, QRScreen, qr_text

pytest.importorskip("segno", reason="the serve extra is not installed")


def row(student: str, answered: int, score: float, *, finished: bool = False, name: str = "") -> serve.Progress:
    return serve.Progress(
        student=student, group="10B", pack="warm-up", answered=answered, total=8, score=score,
        max_score=float(answered), finished=finished, last_answer=datetime(2026, 11, 27, 10, 5, 30),
        path=Path(name or f"{student}.json"), code="C0DE42",
    )


class StandInClassroom(serve.Classroom):
    """Everything but the listening: the view is what is tested here."""

    def __init__(self, lesson: serve.Lesson) -> None:
        super().__init__(lesson)
        self.rows: list[serve.Progress] = []
        self.running = False

    async def start(self) -> None:
        self.running = True

    async def stop(self) -> None:
        self.running = False

    def progress(self) -> list[serve.Progress]:
        return list(self.rows)


def table_rows(app) -> list[tuple[str, ...]]:
    from textual.widgets import DataTable

    table = app.query_one(DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_view_shows_the_address_the_tabs_and_each_students_progress(tmp_path):
    classroom = StandInClassroom(serve.Lesson(results_dir=tmp_path, port=8123, packs=("warm-up",), mode="test"))
    classroom.rows = [row("Sam Lee", 3, 2.0), row("Alex Kim", 8, 7.5, finished=True)]
    app = ClassroomApp(classroom)
    async with app.run_test(size=(100, 30)) as pilot:
        classroom.sessions.opened("127.0.0.1")
        app.read_progress()
        await pilot.pause(0.2)
        text = " ".join(str(w.content) for w in app.query("Static"))
        assert "http://127.0.0.1:8123" in text
        assert "packs: warm-up" in text and "test mode for everyone" in text
        assert "1 of 60 tabs open · 2 attempts since" in text and "(1 finished)" in text
        assert "Warning" not in text  # loopback: only this computer can reach it...
        assert "Only this computer can open http://127.0.0.1:8123. To serve the class, start it with: quiz serve --host 0.0.0.0" in text
        assert "At most 60 tabs at once" in text
        # The codes stay hidden (the screen may be on a projector) until the teacher presses k.
        assert table_rows(app) == [
            ("Alex Kim", "10B", "warm-up", "8/8", "7.5/8", "finished", "10:05:30", ""),
            ("Sam Lee", "10B", "warm-up", "3/8", "2/3", "not yet", "10:05:30", "····-····"),
        ]
        assert "C0DE42" not in " ".join(str(w.content) for w in app.query("Static"))
        await pilot.press("k")
        assert table_rows(app)[1][-1] == "C0DE42"
        await pilot.press("k")
        assert table_rows(app)[1][-1] == "····-····"

        # Sam answers again and a new student starts: rows change in place, in name order.
        classroom.rows = [row("Sam Lee", 4, 3.0), row("Alex Kim", 8, 7.5, finished=True), row("Bea Ng", 0, 0)]
        app.read_progress()
        await pilot.pause(0.2)
        assert [r[0] for r in table_rows(app)] == ["Alex Kim", "Bea Ng", "Sam Lee"]
        assert table_rows(app)[2][3:5] == ("4/8", "3/4")

        await pilot.press("q")
        await pilot.pause()
    assert not classroom.running


async def test_the_class_network_warning_and_the_qr_code(tmp_path):
    lesson = serve.Lesson(results_dir=tmp_path, host="0.0.0.0", public_url="http://10.1.2.3:8000", qr=True)
    app = ClassroomApp(StandInClassroom(lesson))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QRScreen)  # --qr shows it at once
        await pilot.press("c")
        assert not isinstance(app.screen, QRScreen)
        warning = str(app.query_one("#warning").content)
        assert "Anyone on the same network as this computer can open the quiz" in warning


def test_qr_text_is_the_segno_matrix_dark_on_light():
    import segno

    text = qr_text("http://10.1.2.3:8000")
    matrix = [list(r) for r in segno.make("http://10.1.2.3:8000", error="m").matrix_iter(border=2)]
    lines = text.plain.split("\n")
    assert len(lines) == (len(matrix) + 1) // 2
    assert all(len(line) == len(matrix[0]) for line in lines)
    # The top-left cell is the light border over light border.
    first = text.spans[0]
    assert str(first.style) == "#ffffff on #ffffff"


async def test_no_qr_code_for_an_address_only_this_computer_can_open(tmp_path):
    app = ClassroomApp(StandInClassroom(serve.Lesson(results_dir=tmp_path, qr=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)
        assert any("No QR code" in str(n.message) for n in app._notifications)


async def test_hostile_names_and_the_servers_notices_show_literally(tmp_path):
    classroom = StandInClassroom(serve.Lesson(results_dir=tmp_path))
    hostile = ["[/]", "[@click=app.quit]", "x" * 10_000, "\x1b]52;c;aGk=\x07\x1b[2J"]
    classroom.rows = [row(name, 1, 1.0, name=f"{i}.json") for i, name in enumerate(hostile)]
    classroom.report("Refused a connection from a page that is not the quiz's: '[b]evil[/b]'")
    app = ClassroomApp(classroom)
    async with app.run_test(size=(120, 30)) as pilot:
        app.read_progress()
        await pilot.pause(0.3)
        names = sorted(r[0] for r in table_rows(app))
        assert names == sorted(["[/]", "[@click=app.quit]", "x" * 10_000, "␛]52;c;aGk=␇␛[2J"])
        assert "'[b]evil[/b]'" in str(app.query_one("#events").content)
        assert app.is_running  # [@click=app.quit] did not stop the teacher's view
