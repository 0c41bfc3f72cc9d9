"""The teacher's dashboard for `quiz report`: the class's results on one screen.

Shows a `Report` that `quiz.report` has already worked out: the gradebook
(sortable), each student's skills beside the class's, the item analysis with
its flags and what the class answered, a histogram of scores and a bar per
skill. `e` exports the report to a file the teacher names. Nothing here
computes a statistic; this module only lays out and writes what
`quiz.report` decides.

`make_report_app(report)` builds it, for the command line and the tests alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from quiz import display
from quiz.model import CONFIDENCE_LABELS
from quiz.report import (
    BANDS,
    Report,
    ReportError,
    Section,
    check_output,
    ran_out_of_time,
    too_few_to_flag,
    verdict_sentence,
    write_items,
    write_report,
)
from quiz.ui.text import literal_line
from quiz.ui.widgets.keys import KeyBar

# Eighths of a cell, for bars that grow smoothly rather than a whole cell at a time.
_RISING = " ▁▂▃▄▅▆▇█"
_ACROSS = " ▏▎▍▌▋▊▉█"


class Cell(Text):
    """A table cell that sorts by what it means (a number, a name), not by how it reads.

    Built from plain text on one line, never markup: a student called `[red]`
    shows as `[red]`, and a control character as a visible symbol.
    """

    def __init__(self, text: str, value: Any = None, *, right: bool = False, style: str = "") -> None:
        shown = display.one_line(text)
        super().__init__(shown, style=style, justify="right" if right else "left", end="")
        self.value = value if value is not None or not text else shown.casefold()


def number(value: float | None, places: int = 2, *, suffix: str = "") -> Cell:
    """A number as people write it (quiz.display): 7.5, 7, 18.17, 86%; empty when there is none."""
    return Cell(display.number(value, places) + suffix if value is not None else "", value, right=True)


def statistic(value: float | None) -> Cell:
    """A statistic with its two decimals always shown, so a column of them lines up."""
    return Cell(display.fixed(value) if value is not None else "", value, right=True)


MORE_RIGHT = "More columns to the right: → moves there."


def two_lines(label: str) -> str:
    """A heading broken at the space nearest its middle, so the column is half as wide."""
    spaces = [i for i, c in enumerate(label) if c == " "]
    if len(label) <= 12 or not spaces:
        return label
    middle = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:middle] + "\n" + label[middle + 1 :]


# --------------------------------------------------------------------------
# Charts drawn with block characters
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    fraction: float  # of the full width, 0..1
    caption: str
    tone: str = ""  # "good", "bad" or "" for the plain bar colour


class BarChart(Widget):
    """One labelled horizontal bar a line: `Who is the source?  ██████▌   54%`."""

    DEFAULT_CSS = """
    BarChart { height: auto; width: 1fr; }
    BarChart > .bar-chart--bar { color: $primary; }
    BarChart > .bar-chart--good { color: $success; }
    BarChart > .bar-chart--bad { color: $error; }
    BarChart > .bar-chart--caption { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--good", "bar-chart--bad", "bar-chart--caption"}

    bars: reactive[tuple[Bar, ...]] = reactive((), layout=True)

    def __init__(self, bars: Iterable[Bar] = (), *, label_width: int = 22, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label_width = label_width
        self.set_reactive(BarChart.bars, tuple(bars))

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.bars))

    def render(self) -> Text:
        if not self.bars:
            return Text("Nothing to show yet.", style=self.get_component_rich_style("bar-chart--caption"))
        label_w = min(self.label_width, max(len(b.label) for b in self.bars))
        caption_w = max(len(b.caption) for b in self.bars)
        room = max(4, self.size.width - label_w - caption_w - 3)
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, b in enumerate(self.bars):
            label = display.one_line(b.label)
            label = label if len(label) <= label_w else label[: label_w - 1] + "…"
            eighths = round(max(0.0, min(1.0, b.fraction)) * room * 8)
            full, part = divmod(eighths, 8)
            drawn = ("█" * full + (_ACROSS[part] if part else "")).ljust(room)
            tone = {"good": "bar-chart--good", "bad": "bar-chart--bad"}.get(b.tone, "bar-chart--bar")
            out.append(f"{label:<{label_w}} ")
            out.append(drawn, self.get_component_rich_style(tone))
            out.append(f" {b.caption:>{caption_w}}", self.get_component_rich_style("bar-chart--caption"))
            if i < len(self.bars) - 1:
                out.append("\n")
        return out


class Histogram(Widget):
    """Upright columns of how many attempts fell in each band of scores."""

    DEFAULT_CSS = """
    Histogram { height: 10; width: 1fr; }
    Histogram > .histogram--bar { color: $primary; }
    Histogram > .histogram--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"histogram--bar", "histogram--axis"}

    counts: reactive[tuple[int, ...]] = reactive(())

    def render(self) -> Text:
        counts = self.counts or (0,) * len(BANDS)
        # Long labels ("90–100") when there is room, else each band's lower bound ("90").
        labels = [band.removesuffix("%") for band in BANDS]
        if self.size.width < 8 * len(counts):
            labels = [label.split("–")[0] for label in labels]
        column = max(len(label) for label in labels) + 2
        bar = min(column - 2, 4)  # narrow enough to read as columns, wide enough to see
        rows = max(2, self.size.height - 1)  # the last line holds the labels
        top = max(counts) or 1
        # Heights in eighths of a line; the top line is kept free for the tallest count.
        heights = [round(n / top * (rows - 1) * 8) for n in counts]
        bar_style = self.get_component_rich_style("histogram--bar")
        axis_style = self.get_component_rich_style("histogram--axis")
        out = Text(no_wrap=True)
        for line in range(rows):
            level = rows - 1 - line  # 0 is the bottom line
            for n, h in zip(counts, heights):
                filled = h - level * 8
                if filled > 0:
                    block = "█" if filled >= 8 else _RISING[filled]
                    out.append((block * bar).center(column), bar_style)
                elif level == -(-h // 8):  # the first line above the bar: its count
                    out.append(str(n).center(column), axis_style)
                else:
                    out.append(" " * column)
            out.append("\n")
        out.append("".join(label.center(column) for label in labels), axis_style)
        return out


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    items: bool  # the item analysis rather than the gradebook
    force: bool


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Asks where to save the report; says plainly why a name will not do."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="export.cancel")]

    def __init__(self, pack_id: str, cwd: Path) -> None:
        super().__init__()
        self.suggestions = (f"{pack_id}-grades.csv", f"{pack_id}-items.csv")
        self.cwd = cwd

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label("Export the report", id="export-title")
            with RadioSet(id="export-kind"):
                yield RadioButton("Gradebook and class summary", value=True)
                yield RadioButton("Item analysis of each question (.csv)")
            yield Label("Save as: .csv for a spreadsheet, .json for other tools, .md to paste in a message")
            yield Input(value=self.suggestions[0], id="export-path")
            yield Checkbox("Replace the file if it is there already", id="export-force")
            yield Static("", id="export-error")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export-cancel")
    def cancelled(self) -> None:
        self.dismiss(None)

    @on(RadioSet.Changed, "#export-kind")
    def kind_changed(self, event: RadioSet.Changed) -> None:
        # Swap the suggested name with the choice, unless the teacher typed their own.
        box = self.query_one("#export-path", Input)
        if box.value in self.suggestions:
            box.value = self.suggestions[event.index]

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def submitted(self) -> None:
        typed = self.query_one("#export-path", Input).value.strip()
        error = self.query_one("#export-error", Static)
        if not typed:
            error.update("Type a file name, such as grades.csv.")
            return
        path = Path(typed).expanduser()
        path = path if path.is_absolute() else self.cwd / path
        items = self.query_one("#export-kind", RadioSet).pressed_index == 1
        force = self.query_one("#export-force", Checkbox).value
        if path.is_file() and not force:
            error.update(Text(display.printable(
                f"{path.name} is there already. Tick “Replace” to write over it, or choose another name."
            )))
            return
        try:
            check_output(path, items=items, force=force)
        except ReportError as exc:
            error.update(Text(display.printable(str(exc))))
            return
        self.dismiss(ExportRequest(path, items, force))


# --------------------------------------------------------------------------
# The dashboard
# --------------------------------------------------------------------------


class ReportApp(App[None]):
    """The class report: gradebook, skills, questions and charts, one pack version at a time."""

    TITLE = "Class report"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    CSS = """
    #overview { height: auto; padding: 0 1; color: $text-muted; }
    #version { margin: 0 1; width: 1fr; }
    #body { height: 1fr; }
    #tabs { width: 1fr; }
    #side { width: 46; padding: 0 1; border-left: vkey $foreground 20%; }
    .-narrow #side, #side.-hidden { display: none; }
    #side-verdicts, #side-flags { margin-top: 1; }
    #side-flags { color: $error; }
    #side-flags.-too-few { color: $text-muted; }
    #items-note { height: auto; padding: 0 1; color: $text-muted; }
    .chart-title { text-style: bold; margin-top: 1; }
    #side .chart-title { margin-top: 0; }
    #side Histogram { height: 11; }
    #skills-pane { layout: horizontal; }
    #skills-box { width: 1fr; }
    #skills-table { height: auto; }
    #class-skills-box { width: 44; padding: 0 1; }
    .-narrow #skills-pane { layout: vertical; }
    .-narrow #skills-box { height: 1fr; }
    .-narrow #class-skills-box { width: 1fr; height: auto; dock: bottom; }
    .more-right { height: 1; padding: 0 1; color: $text-muted; text-style: italic; }
    #gradebook-box { height: 1fr; }
    #gradebook { height: auto; }
    #items-table { height: auto; max-height: 70%; }
    #responses { height: auto; max-height: 12; padding: 0 1; border-top: hkey $foreground 20%; }
    #responses-title { text-style: bold; }
    #charts-pane, #notes-pane { padding: 0 1; }
    #verdicts, #calibration { margin-top: 1; }
    ExportScreen { align: center middle; }
    #export-dialog {
        width: 90; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    #export-title { text-style: bold; margin-bottom: 1; }
    #export-kind { width: 1fr; margin-bottom: 1; }
    #export-error { color: $error; height: auto; margin: 1 0 0 0; }
    #export-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    #export-buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        # The tabs by number, as their titles show; the footer names the keys once.
        Binding("1", "tab('gradebook-pane')", "Tabs", key_display="1–5", tooltip="Show the gradebook", id="report.tab1"),
        Binding("2", "tab('skills-pane')", "Skills", show=False, tooltip="Show the skills", id="report.tab2"),
        Binding("3", "tab('items-pane')", "Questions", show=False, tooltip="Show the questions", id="report.tab3"),
        Binding("4", "tab('charts-pane')", "Charts", show=False, tooltip="Show the charts", id="report.tab4"),
        Binding("5", "tab('notes-pane')", "Notes", show=False, tooltip="Show the notes", id="report.tab5"),
        Binding("e", "export", "Export", tooltip="Save the report as CSV, JSON or Markdown", id="report.export"),
        Binding(
            "s", "sort", "Sort",
            tooltip="Sort the table by the column the cursor is in; again to reverse", id="report.sort",
        ),
        Binding("q", "quit", "Quit", tooltip="Close the report", id="report.quit"),
    ]

    class Exported(Message):
        """A report file was written (or could not be: `error` says why)."""

        def __init__(self, request: ExportRequest, path: Path, error: str = "") -> None:
            super().__init__()
            self.request = request
            self.path = path
            self.error = error

    section_index: reactive[int] = reactive(0, init=False)

    def __init__(self, report: Report, *, cwd: Path | None = None) -> None:
        super().__init__()
        self.report = report
        self.cwd = Path(cwd) if cwd is not None else Path.cwd()
        self._sorted: dict[str, tuple[str, bool]] = {}  # table id -> (column, reversed)

    @property
    def section(self) -> Section:
        return self.report.sections[self.section_index]

    # -- layout --

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="overview")
        if len(self.report.sections) > 1:
            yield Select(
                [(literal_line(s.heading), i) for i, s in enumerate(self.report.sections)],
                value=0, allow_blank=False, id="version",
            )
        with Horizontal(id="body"):
            with TabbedContent(id="tabs"):
                with TabPane("1 Gradebook", id="gradebook-pane"):
                    with Vertical(id="gradebook-box"):
                        yield DataTable(id="gradebook", cursor_type="cell", zebra_stripes=True)
                        yield Static(MORE_RIGHT, classes="more-right")
                with TabPane("2 Skills", id="skills-pane"):
                    with Vertical(id="skills-box"):
                        yield DataTable(id="skills-table", cursor_type="cell", zebra_stripes=True, header_height=2)
                        yield Static(MORE_RIGHT, classes="more-right")
                    with Vertical(id="class-skills-box"):
                        yield Label("The class, by skill", classes="chart-title")
                        yield BarChart(id="class-skills", label_width=26)
                with TabPane("3 Questions", id="items-pane"):
                    yield Static(id="items-note")
                    yield DataTable(id="items-table", cursor_type="cell", zebra_stripes=True)
                    with VerticalScroll(id="responses"):
                        yield Label("", id="responses-title")
                        yield BarChart(id="responses-chart", label_width=40)
                with TabPane("4 Charts", id="charts-pane"):
                    yield Label("Scores (%)", classes="chart-title")
                    yield Histogram(id="histogram")
                    yield Label("Skills: class mean", classes="chart-title")
                    yield BarChart(id="skill-bars", label_width=30)
                    yield Static(id="verdicts")
                    yield Static(id="calibration")
                with TabPane("5 Notes", id="notes-pane"):
                    yield Static(id="notes")
            with Vertical(id="side"):
                yield Label("Scores (%)", classes="chart-title")
                yield Histogram(id="side-histogram")
                yield Label("Skills: class mean", classes="chart-title")
                yield BarChart(id="side-skills", label_width=26)
                yield Static(id="side-verdicts")
                yield Static(id="side-flags")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_section()
        self.watch(self.query_one("#tabs", TabbedContent), "active", self.tab_changed)
        self.query_one("#gradebook", DataTable).focus()
        for table in self.query(DataTable).results(DataTable):
            for changes in ("scroll_x", "virtual_size", "show_horizontal_scrollbar"):
                self.watch(table, changes, self._more_right_of(table))

    def _more_right_of(self, table: DataTable):
        return lambda *_: self.show_more_right(table)

    def show_more_right(self, table: DataTable) -> None:
        """Say so under a table while columns are hidden to its right, not only by a scrollbar."""
        if table.parent is not None:
            for sign in table.parent.query_children(".more-right"):
                sign.display = table.show_horizontal_scrollbar and table.scroll_x < table.max_scroll_x

    def action_tab(self, pane: str) -> None:
        """1–5: show a tab, and put the keys in it (its table) so the arrows work at once."""
        self.query_one("#tabs", TabbedContent).active = pane
        tables = self.query_one(f"#{pane}").query(DataTable)
        if tables:
            tables.first().focus()
        else:
            self.query_one("#tabs", TabbedContent).query_one("Tabs").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab" and isinstance(self.screen, ModalScreen):
            return False  # the digits belong to the export box while it is open
        return True

    def watch_section_index(self) -> None:
        self.show_section()

    def tab_changed(self, active: str) -> None:
        # The side charts sum up the gradebook; the other tabs need the width.
        self.query_one("#side").set_class(active != "gradebook-pane", "-hidden")

    @on(Select.Changed, "#version")
    def version_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.section_index = event.value

    # -- filling the widgets --

    def show_section(self) -> None:
        sec = self.section
        s = sec.summary
        self.sub_title = display.one_line(sec.heading)
        mean_percent = s.percent(s.mean)
        overview = (
            f"{s.count} attempt{'s' if s.count != 1 else ''} · mean {display.number(s.mean)} / "
            f"{display.number(s.max)} ({display.percent(None if mean_percent is None else mean_percent / 100)}) · "
            f"median {display.number(s.median)} · standard deviation {display.number(s.sd)} · "
            f"counting {self.report.counting}"
        )
        extras = []
        if sec.unfinished:
            extras.append(f"{len(sec.unfinished)} unfinished, not counted")
        late = ran_out_of_time(sec)
        if late:
            extras.append(f"{len(late)} ran out of time")
        if self.report.warnings:
            skipped = len(self.report.warnings)
            extras.append(f"{skipped} file{'s' if skipped != 1 else ''} skipped")
        if extras or len(self.report.notes) > 1:
            extras.append("see Notes")
        if extras:
            overview += "\n" + " · ".join(extras)
        self.query_one("#overview", Static).update(Text(display.printable(overview)))
        self.fill_gradebook(sec)
        self.fill_skills(sec)
        self.fill_items(sec)
        self.fill_charts(sec)
        self.fill_notes(sec)

    def fill_gradebook(self, sec: Section) -> None:
        table = self.query_one("#gradebook", DataTable)
        table.clear(columns=True)
        has_cbm = any(r.cbm is not None for r in sec.rows)
        has_verdicts = any(r.verdicts is not None for r in sec.rows)
        table.add_column("Student", key="student")
        table.add_column("Group", key="group")
        table.add_column(Text("Score", justify="right"), key="score")
        table.add_column(Text("%", justify="right"), key="percent")
        table.add_column(Text("Minutes", justify="right"), key="minutes")
        for skill, _ in sec.skills:
            table.add_column(Text(f"{display.one_line(skill)} %", justify="right"), key=f"skill:{skill}")
        if has_cbm:
            table.add_column(Text("CBM", justify="right"), key="cbm")
        if has_verdicts:
            table.add_column(Text("Judgement (d′)", justify="right"), key="d")
            table.add_column(Text("Doubt or trust (c)", justify="right"), key="c")
        for q in sec.questions:
            table.add_column(
                Text(f"{display.one_line(q.id)} /{display.number(q.max)}", justify="right"), key=f"q:{q.id}"
            )
        table.add_column("Finished", key="finished")
        for i, r in enumerate(sec.rows):
            cells: list[Cell] = [
                Cell(r.student or "(no name)"),
                Cell(r.header.group),
                Cell(f"{display.number(r.score)} / {display.number(r.max)}", r.score, right=True),
                number(r.percent, 0),
                number(r.minutes, 0),
            ]
            cells += [number(r.skills.get(skill), 0) for skill, _ in sec.skills]
            if has_cbm:
                cells.append(number(r.cbm, 0))
            if has_verdicts:
                v = r.verdicts
                cells += [number(v.d_prime if v else None, 2), number(v.c if v else None, 2)]
            cells += [number(r.points.get(q.id), 2) for q in sec.questions]
            done = r.finished
            cells.append(Cell(f"{done:%Y-%m-%d %H:%M}" if done else "", done.timestamp() if done else None))
            table.add_row(*cells, key=str(i))
        self._resort(table)

    def fill_skills(self, sec: Section) -> None:
        table = self.query_one("#skills-table", DataTable)
        table.clear(columns=True)
        table.add_column("Student", key="student")
        for skill, label in sec.skills:
            # On two lines ("Who is the" / "source?"), so every skill fits beside the names at 80 columns.
            table.add_column(Text(two_lines(display.one_line(label)), justify="right"), key=f"skill:{skill}")
        for i, r in enumerate(sec.rows):
            table.add_row(
                Cell(r.student or "(no name)"),
                *[number(r.skills.get(skill), 0, suffix="%") for skill, _ in sec.skills],
                key=str(i),
            )
        means = {m.skill: m.percent for m in sec.summary.skills}
        table.add_row(
            Cell("Class mean", "\uffff", style="bold"),  # sorts after every name
            *[number(means.get(skill), 0, suffix="%") for skill, _ in sec.skills],
            key="class",
        )
        self._resort(table)
        self.query_one("#class-skills", BarChart).bars = self._skill_bars(sec)

    def fill_items(self, sec: Section) -> None:
        table = self.query_one("#items-table", DataTable)
        table.clear(columns=True)
        for label, key in (
            ("Question", "question"), ("Skill", "skill"), ("Type", "type"),
            (Text("Facility", justify="right"), "facility"), (Text("SD", justify="right"), "sd"),
            (Text("Discrim.", justify="right"), "discrimination"),
            (Text("Efficiency", justify="right"), "efficiency"), ("Check", "flag"),
            (Text("Mean s", justify="right"), "seconds"), (Text("Hints", justify="right"), "hints"),
            ("Most common wrong answer", "wrong"),
        ):
            table.add_column(label, key=key)
        too_few = too_few_to_flag(sec.summary.count)
        note = self.query_one("#items-note", Static)
        note.update(Text(too_few))
        note.display = bool(too_few)
        error = self.theme_variables.get("error", "red")
        for i, it in enumerate(sec.items):
            wrong = it.most_common_wrong
            flag = "check the answer key" if it.flags else ""
            table.add_row(
                Cell(it.id), Cell(it.info.skill), Cell(it.info.type or "?"),
                statistic(it.facility), statistic(it.sd), statistic(it.discrimination),
                statistic(it.efficiency), Cell(flag, style=f"bold {error}" if flag else ""),
                number(it.mean_seconds, 0), number(float(it.hints), 0),
                Cell(f"{wrong.text} ({wrong.count})" if wrong else ""),
                key=str(i),
            )
        self._resort(table)
        self.show_responses(0)

    def show_responses(self, index: int) -> None:
        items = self.section.items
        try:
            title = self.query_one("#responses-title", Label)
            chart = self.query_one("#responses-chart", BarChart)
        except NoMatches:  # a highlight that arrives as the dashboard closes
            return
        if not items:
            title.update("")
            chart.bars = ()
            return
        it = items[min(index, len(items) - 1)]
        heading = f"{it.id}: {it.info.prompt}" if it.info.prompt else it.id
        if it.info.claim:
            heading += f" “{it.info.claim}”"
        if it.flags:
            heading += f"  ({'; '.join(it.flags)})"
        title.update(Text(display.one_line(heading)))
        top = max((r.count for r in it.responses), default=0) or 1
        chart.bars = tuple(
            Bar(
                ("✓ " if r.right else "  ") + r.text, r.count / top, str(r.count),
                "good" if r.right else ("bad" if r.right is False else ""),
            )
            for r in it.responses
        )

    @on(DataTable.CellHighlighted, "#items-table")
    def item_highlighted(self, event: DataTable.CellHighlighted) -> None:
        key = event.cell_key.row_key.value
        if key is not None:
            self.show_responses(int(key))

    def _skill_bars(self, sec: Section) -> tuple[Bar, ...]:
        return tuple(Bar(m.label, m.percent / 100, display.percent(m.percent / 100)) for m in sec.summary.skills)

    def fill_charts(self, sec: Section) -> None:
        s = sec.summary
        for hid in ("#histogram", "#side-histogram"):
            self.query_one(hid, Histogram).counts = s.bands
        for bid in ("#skill-bars", "#side-skills"):
            self.query_one(bid, BarChart).bars = self._skill_bars(sec)
        verdicts = verdict_sentence(s)
        self.query_one("#verdicts", Static).update(
            Text(display.printable("Fair or misleading: " + verdicts)) if verdicts else ""
        )
        if s.verdicts:
            v = s.verdicts
            self.query_one("#side-verdicts", Static).update(Text(
                f"Fair or misleading: class d′ {display.fixed(v.d_prime)}, c {display.fixed(v.c)}. "
                f"{s.all_misleading} of {s.verdict_students} called every claim misleading."
            ))
        else:
            self.query_one("#side-verdicts", Static).update("")
        flagged = [it.id for it in sec.items if it.flags]
        too_few = too_few_to_flag(s.count)
        side_flags = self.query_one("#side-flags", Static)
        side_flags.set_class(bool(too_few), "-too-few")
        if too_few:
            side_flags.update(Text(too_few))
        else:
            side_flags.update(
                Text(display.one_line(f"Check the answer key: {', '.join(flagged)} (see Questions)")) if flagged else ""
            )
        if s.calibration:
            lines = [f"Certainty-based marks: class mean {display.number(s.cbm_mean)}. Right answers by confidence:"]
            lines += [
                f"  {c.level} ({CONFIDENCE_LABELS[c.level]}): {c.correct} of {c.answered}"
                for c in s.calibration if c.answered
            ]
            self.query_one("#calibration", Static).update(Text("\n".join(lines)))
        else:
            self.query_one("#calibration", Static).update("")

    def fill_notes(self, sec: Section) -> None:
        lines = [f"Counting {self.report.counting} on each pack."]
        lines += list(self.report.notes[1:])
        late = ran_out_of_time(sec)
        if late:
            lines += ["", "Ran out of time (marked on what they had answered):"] + [f"  {who}" for who in late]
        if sec.unfinished:
            lines += ["", "Unfinished (listed, not counted):"]
            for r in sec.unfinished:
                group = f" ({r.header.group})" if r.header.group else ""
                started = f"{r.started:%Y-%m-%d %H:%M}" if r.started else "?"
                lines.append(
                    f"  {r.student or '(no name)'}{group}: started {started}, "
                    f"{len(r.answers)} of {len(r.header.order)} answered"
                )
        if self.report.warnings:
            lines += ["", "Files skipped:"] + [f"  {w}" for w in self.report.warnings]
        self.query_one("#notes", Static).update(Text("\n".join(display.printable(line) for line in lines)))

    # -- sorting --

    @on(DataTable.HeaderSelected)
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        self._sort(event.data_table, str(event.column_key.value))

    def action_sort(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or not table.columns:
            return
        column = list(table.columns)[table.cursor_coordinate.column]
        self._sort(table, str(column.value))

    def _sort(self, table: DataTable, column: str) -> None:
        previous = self._sorted.get(table.id or "")
        # Numbers read best largest first; names A to Z. A second press reverses.
        first_reverse = column not in ("student", "group", "question", "skill", "type", "wrong", "flag")
        reverse = (not previous[1]) if previous and previous[0] == column else first_reverse
        self._sorted[table.id or ""] = (column, reverse)
        self._apply_sort(table, column, reverse)

    def _resort(self, table: DataTable) -> None:
        sort = self._sorted.get(table.id or "")
        if sort and sort[0] in {str(k.value) for k in table.columns}:
            self._apply_sort(table, *sort)

    @staticmethod
    def _apply_sort(table: DataTable, column: str, reverse: bool) -> None:
        def key(cell: Cell) -> tuple:
            value = getattr(cell, "value", None)
            # Empty cells go last whichever way the column is sorted.
            return ((value is None) != reverse, value if value is not None else 0)

        table.sort(column, key=key, reverse=reverse)

    # -- export --

    def action_export(self) -> None:
        self.push_screen(ExportScreen(self.section.pack_id, self.cwd), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.export(request)

    @work(thread=True, exclusive=True, group="export")
    def export(self, request: ExportRequest) -> None:
        try:
            write = write_items if request.items else write_report
            path = write(self.report, request.path, force=request.force)
            self.post_message(self.Exported(request, path))
        except ReportError as exc:
            self.post_message(self.Exported(request, request.path, str(exc)))

    def on_report_app_exported(self, event: Exported) -> None:
        if event.error:
            self.notify(display.printable(event.error), title="Not saved", severity="error", markup=False)
        else:
            what = "item analysis" if event.request.items else "report"
            self.notify(display.printable(f"Saved the {what} to {event.path}"), title="Exported", markup=False)


def make_report_app(report: Report, *, cwd: Path | None = None) -> ReportApp:
    """The dashboard for `report`, built the same way by the command line and the tests."""
    return ReportApp(report, cwd=cwd)
