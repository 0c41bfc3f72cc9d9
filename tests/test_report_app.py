"""The teacher's dashboard: what a teacher sees and can do with the class report."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Label, RadioSet, Select, Static, TabbedContent

from fixtures.attempts.classroom import ANSWERS, MONDAY, PACK, class_pack, play, the_class_over
from quiz.report import build_report, load_report
from quiz.ui.report_app import BarChart, ExportScreen, Histogram, make_report_app

CLASS = Path(__file__).resolve().parent / "fixtures" / "attempts" / "class"
SIZE = (120, 40)


def class_app(tmp_path: Path | None = None, **kw):
    return make_report_app(load_report([CLASS], packs=[PACK], **kw), cwd=tmp_path)


def column(table: DataTable, key: str) -> list[str]:
    """A column's cells top to bottom, as shown."""
    return [table.get_cell(row.key, key).plain for row in table.ordered_rows]


def static_text(widget: Static) -> str:
    return str(widget.render())


async def test_the_gradebook_lists_every_student_and_sorts_by_a_column():
    app = class_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#gradebook", DataTable)
        assert column(table, "student") == ["Ana Núñez", "Ben Okafor", "Cal Ó Briain", "Dee Patel", "Eve Smith"]
        assert column(table, "score")[0] == "6 / 7"
        # Cursor to the % column, sort: the best first; again: the weakest first.
        await pilot.press("right", "right", "right", "s")
        assert column(table, "percent") == ["86", "71", "57", "29", "29"]
        assert column(table, "student")[:2] == ["Ana Núñez", "Dee Patel"]
        await pilot.press("s")
        assert column(table, "percent") == ["29", "29", "57", "71", "86"]


async def test_clicking_a_header_sorts_by_it():
    app = class_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#gradebook", DataTable)
        # "Minutes" are equal; "Group" sorts 10B before 10C, and a second click reverses it.
        group_x = sum(col.get_render_width(table) for col in list(table.columns.values())[:1]) + 1
        await pilot.click("#gradebook", offset=(group_x, 0))
        assert column(table, "group") == ["10B", "10B", "10B", "10C", "10C"]
        await pilot.click("#gradebook", offset=(group_x, 0))
        assert column(table, "group") == ["10C", "10C", "10B", "10B", "10B"]


async def test_the_overview_and_side_charts_sum_up_the_class():
    app = class_app()
    async with app.run_test(size=SIZE):
        overview = static_text(app.query_one("#overview", Static))
        assert "5 attempts · mean 3.8 / 7 (54%) · median 4 · standard deviation 1.79" in overview
        assert app.query_one("#side-histogram", Histogram).counts == (0, 0, 2, 0, 0, 1, 0, 1, 1, 0)
        bars = app.query_one("#side-skills", BarChart).bars
        assert [(b.label, b.caption) for b in bars] == [
            ("Who is the source?", "30%"), ("What do the figures count?", "60%"), ("Is the framing fair?", "70%"),
        ]
        assert "class d′ 0.88, c -0.23" in static_text(app.query_one("#side-verdicts", Static))
        # Five attempts are too few to flag questions, and the side says so with the numbers.
        assert static_text(app.query_one("#side-flags", Static)) == (
            "Needs at least 20 finished attempts to flag questions to check: 5 so far."
        )


async def test_each_students_skills_sit_beside_the_class_mean():
    app = class_app()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(TabbedContent).active = "skills-pane"
        await pilot.pause()
        table = app.query_one("#skills-table", DataTable)
        assert column(table, "student")[-1] == "Class mean"
        assert column(table, "skill:source") == ["50%", "50%", "0%", "50%", "0%", "30%"]
        # Sorting keeps the class mean at the bottom of an A-Z list.
        table.focus()
        await pilot.press("s")
        assert column(table, "student")[-1] == "Class mean"


def screen_text(app) -> str:
    """Every character on screen, as the teacher reads it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_tabs_have_keys_the_footer_and_the_tab_titles_show():
    app = class_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "1 Gradebook  2 Skills  3 Questions  4 Charts  5 Notes" in text
        assert "1–5 Tabs" in text.splitlines()[-1]  # the footer
        tabs = app.query_one(TabbedContent)
        await pilot.press("2")  # from the gradebook's table, one key
        await pilot.pause()
        assert tabs.active == "skills-pane" and app.focused is app.query_one("#skills-table")
        await pilot.press("right")  # the arrows work in the tab at once
        assert app.query_one("#skills-table", DataTable).cursor_coordinate.column == 1
        await pilot.press("3")
        await pilot.pause()
        assert tabs.active == "items-pane" and app.focused is app.query_one("#items-table")
        await pilot.press("5")
        await pilot.pause()
        assert tabs.active == "notes-pane" and "Counting each student's last finished attempt" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert tabs.active == "gradebook-pane" and app.focused is app.query_one("#gradebook")
        await pilot.press("e", "tab")  # in the export box, from the name to the choice of report
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and tabs.active == "gradebook-pane"


async def test_at_80_columns_the_skills_fit_and_a_wider_table_says_there_is_more():
    app = class_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        more = "More columns to the right: → moves there."
        assert more in screen_text(app)  # the gradebook is wider than the screen
        table = app.query_one("#gradebook", DataTable)
        await pilot.press(*["right"] * len(table.columns))
        await pilot.pause()
        assert more not in screen_text(app)  # at its last column, nothing is hidden to the right
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        lines = text.splitlines()
        header = "\n".join(lines[5:7])
        for words in ("Who is the", "source?", "What do the", "figures count?", "Is the", "framing fair?"):
            assert words in header
        assert re.search(r"Class mean +30% +60% +70%", text)  # every skill and the class row, side by side
        assert "The class, by skill" in text and more not in text


async def test_the_questions_tab_flags_items_and_shows_what_the_class_answered():
    app = class_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#--content-tab-items-pane")
        await pilot.pause()
        table = app.query_one("#items-table", DataTable)
        assert not any(column(table, "flag"))  # five attempts: nothing flagged, and why is above the table
        note = app.query_one("#items-note", Static)
        assert note.display and "Needs at least 20 finished attempts" in static_text(note)
        assert column(table, "discrimination")[-1] == "-0.30"
        assert not app.query_one("#side").display  # the side charts give way to the wide table
        # The first question's responses show at once: the right one first, then the popular wrong one.
        chart = app.query_one("#responses-chart", BarChart)
        assert [(b.label, b.caption, b.tone) for b in chart.bars] == [
            ("✓ The council", "3", "good"), ("  The library", "2", "bad"), ("  Residents", "0", "bad"),
        ]
        table.focus()
        await pilot.press("down", "down", "down", "down", "down")
        title = app.query_one("#responses-title", Label)
        assert "v-bad" in str(title.render()) and "below 0" not in str(title.render())
        assert [b.label.strip() for b in chart.bars] == ["✓ misleading", "fair"]


async def test_a_class_of_twenty_gets_its_questions_flagged_on_every_tab():
    app = make_report_app(build_report([(None, a) for a in the_class_over(4)], packs=[PACK]))
    async with app.run_test(size=SIZE) as pilot:
        assert "Check the answer key: fold, name, v-bad (see Questions)" in static_text(
            app.query_one("#side-flags", Static)
        )
        await pilot.click("#--content-tab-items-pane")
        await pilot.pause()
        table = app.query_one("#items-table", DataTable)
        flagged = [q for q, flag in zip(column(table, "question"), column(table, "flag")) if flag]
        assert flagged == ["fold", "name", "v-bad"]
        assert not app.query_one("#items-note", Static).display
        table.focus()
        await pilot.press("down", "down", "down", "down", "down")
        title = str(app.query_one("#responses-title", Label).render())
        assert "v-bad" in title and "discrimination -0.30 is below 0" in title


async def test_export_writes_the_file_the_teacher_names(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        box = app.screen.query_one("#export-path", Input)
        assert box.value == "newsroom-grades.csv"
        box.value = "grades.csv"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    data = (tmp_path / "grades.csv").read_bytes()
    assert data.startswith("\ufeffstudent,group,pack".encode())
    assert "Cal Ó Briain" in data.decode("utf-8-sig")


async def test_export_of_the_item_analysis(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        radios = app.screen.query_one(RadioSet)
        await pilot.click(list(radios.children)[1])
        assert app.screen.query_one("#export-path", Input).value == "newsroom-items.csv"
        await pilot.click("#export-ok")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "newsroom-items.csv").read_text("utf-8-sig").startswith("pack,pack version,question")


async def test_export_will_not_overwrite_a_file_unless_asked(tmp_path):
    (tmp_path / "grades.csv").write_text("last term's marks")
    app = class_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = "grades.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # still asking
        assert "grades.csv is there already. Tick “Replace”" in static_text(app.screen.query_one("#export-error", Static))
        assert (tmp_path / "grades.csv").read_text() == "last term's marks"

        app.screen.query_one("#export-force", Checkbox).value = True
        await pilot.click("#export-ok")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "grades.csv").read_text("utf-8-sig").startswith("student,")


async def test_a_wrong_ending_is_explained_and_escape_closes_without_saving(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = "grades.xlsx"
        await pilot.press("enter")
        await pilot.pause()
        assert "must end in .csv or .json or .md" in static_text(app.screen.query_one("#export-error", Static))
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)
    assert list(tmp_path.iterdir()) == []


async def test_each_version_of_a_changed_pack_is_shown_on_its_own():
    v2 = class_pack(version="1.1", sha256="1" * 64)
    found = [
        (None, play("Ana Núñez", ANSWERS["Ana Núñez"], started=MONDAY)),
        (None, play("Ben Okafor", ANSWERS["Ben Okafor"], started=MONDAY + timedelta(days=7), pack=v2)),
    ]
    app = make_report_app(build_report(found, packs=[PACK, v2]))
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#gradebook", DataTable)
        assert column(table, "student") == ["Ana Núñez"]
        app.query_one("#version", Select).value = 1
        await pilot.pause()
        assert column(table, "student") == ["Ben Okafor"]
        assert "version 1.1" in app.sub_title


async def test_a_name_that_looks_like_markup_shows_as_typed():
    found = [(None, play("[b]Sam[/b] \x1b[31m", ANSWERS["Ben Okafor"], started=MONDAY))]
    app = make_report_app(build_report(found, packs=[PACK]))
    async with app.run_test(size=SIZE):
        assert column(app.query_one("#gradebook", DataTable), "student") == ["[b]Sam[/b] ␛[31m"]


async def test_on_a_small_terminal_the_side_charts_give_way():
    app = class_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query_one("#side").display
        assert app.query_one("#gradebook", DataTable).row_count == 5


def test_dashboard_snapshot(snap_compare):
    """The dashboard as it opens on the class of five, at 120x40.

    Must show: the overview line (5 attempts, mean 3.8 / 7, median 4, SD 1.79);
    the tabs numbered "1 Gradebook" to "5 Notes", and "1–5 Tabs" in the footer;
    the gradebook with Ana, Ben, Cal, Dee and Eve, numbers right-aligned, and
    under it "More columns to the right: → moves there." (the side charts take
    the width of the last columns);
    on the right, the score histogram (2 in the 20s, 1 each in the 50s, 70s
    and 80s), a bar per skill (30%, 60%, 70%), the class d′ 0.88 and c -0.23,
    and, muted rather than red, "Needs at least 20 finished attempts to flag
    questions to check: 5 so far."
    """
    assert snap_compare(class_app(), terminal_size=SIZE)
