"""The teacher's live view while `quiz serve` runs: where to connect, and how far each student is.

The server itself (`quiz.serve.Classroom`) runs in this app's event loop; the
attempt files are reread every couple of seconds in a worker thread, and the
table is updated on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from quiz.serve import (
    PROGRESS_COLUMNS,
    REFRESH_SECONDS,
    Classroom,
    Progress,
    host_warning,
    limits_line,
    loopback_note,
    progress_cells,
    qr_code,
    rules_line,
    shows_qr,
    summary_line,
)
from quiz.ui.text import literal, literal_cell
from quiz.ui.widgets.keys import KeyBar

# Pure black on pure white, whatever the theme: the most a phone's camera can ask for.
DARK, LIGHT = "#000000", "#ffffff"


HIDDEN_CODE = "····-····"


def table_cells(row: Progress, *, codes: bool = False) -> list[Text]:
    """One student's row of the live table: each cell as typed, on one line, never markup.

    A name like `[/]` would otherwise stop the table, and with it the server
    every student's tab talks to. The resume code shows only when `codes`
    (a key press: the screen may be on the projector).
    """
    cells = list(progress_cells(row))
    code = PROGRESS_COLUMNS.index("Code")
    if cells[code] and not codes:
        cells[code] = HIDDEN_CODE
    return [literal_cell(cell) for cell in cells]


def qr_text(address: str) -> Text:
    """The address as a QR code drawn in half blocks, dark on light so every phone can read it."""
    rows = [list(r) for r in qr_code(address).matrix_iter(border=2)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    text = Text()
    for top, bottom in zip(rows[::2], rows[1::2]):
        for upper, lower in zip(top, bottom):
            # Upper half in the top module's colour, lower half in the bottom one's.
            text.append("▀", style=f"{DARK if upper else LIGHT} on {DARK if lower else LIGHT}")
        text.append("\n")
    text.rstrip()
    return text


class QRScreen(ModalScreen[None]):
    """The address as a QR code, big enough to scan from the projector."""

    BINDINGS = [Binding("escape,c,q,enter", "dismiss", "Close", id="qr-close")]

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def compose(self) -> ComposeResult:
        with Vertical(id="qr-box"):
            yield Static(qr_text(self.address), id="qr")
            yield Static(literal(self.address, "bold"), id="qr-address")
            yield Static("Scan with a tablet's camera. Press c to close.", id="qr-help")

    def on_click(self) -> None:
        self.dismiss()


class ClassroomApp(App[None]):
    """The teacher's view of a class playing the quiz in their browsers."""

    TITLE = "Media literacy quiz: classroom"
    CSS = """
    #heading { height: auto; padding: 0 1; background: $panel; }
    #address { height: auto; padding: 0 1; }
    #warning, #loopback { height: auto; padding: 0 1; color: $warning; }
    #limits { height: auto; padding: 0 1; color: $text-muted; }
    #events { height: auto; padding: 0 1; color: $text-warning; }
    #summary { height: auto; padding: 0 1; color: $text-muted; }
    #progress { height: 1fr; margin-top: 1; }
    QRScreen { align: center middle; }
    #qr-box { width: auto; height: auto; padding: 1 2; background: $surface; border: thick $primary; }
    #qr { width: auto; }
    #qr-address, #qr-help { width: auto; margin-top: 1; }
    """
    BINDINGS = [
        Binding("q", "stop", "Stop the server", tooltip="Close every student's quiz (their answers are saved) and stop", id="stop"),
        Binding("ctrl+c", "stop", "Stop", show=False, priority=True, id="stop-ctrl-c"),
        Binding("c", "show_qr", "QR code", tooltip="Show the address as a QR code for tablets", id="qr"),
        Binding("k", "toggle_codes", "Codes", tooltip="Show or hide the resume codes (the screen may be on a projector)", id="codes"),
    ]

    @dataclass
    class ProgressRead(Message):
        """The attempt files were reread (sent from the worker thread)."""

        rows: list[Progress]

    def __init__(self, classroom: Classroom) -> None:
        super().__init__()
        self.classroom = classroom
        self.problem = ""  # why the server could not start, for the command to print
        self.show_codes = False
        self._rows: list[Progress] = []

    def compose(self) -> ComposeResult:
        lesson = self.classroom.lesson
        offer = f"packs: {', '.join(lesson.packs)}" if lesson.packs else "every installed pack"
        mode = f" · {lesson.mode} mode for everyone" if lesson.mode else ""
        yield Static(
            Content.assemble(("Media literacy quiz · classroom", "bold"), literal(f"  ·  {offer}{mode}")), id="heading"
        )
        yield Static(
            Content.assemble(
                "Students open ", literal(lesson.address, "bold underline"), " in a browser. Each tab is its own quiz."
            ),
            id="address",
        )
        note = loopback_note(lesson)
        if note:
            yield Static(literal(f"⚠ {note}"), id="loopback")
        warning = host_warning(lesson.host)
        if warning:
            yield Static(literal(f"⚠ {warning}"), id="warning")
        yield Static(literal(limits_line(lesson)), id="limits")
        rules = rules_line(lesson)
        if rules:
            yield Static(literal(rules), id="rules")
        yield Static("Starting: preparing the quiz for every tab…", id="summary")
        events = Static("", id="events")
        events.display = False
        yield events
        yield DataTable(id="progress", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    async def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in PROGRESS_COLUMNS:
            table.add_column(name, key=name)
        try:
            await self.classroom.start()
        except OSError as exc:
            self.problem = exc.strerror or str(exc)
            self.exit()
            return
        if shows_qr(self.classroom.lesson):
            self.action_show_qr()
        self.read_progress()
        self.set_interval(REFRESH_SECONDS, self.read_progress)

    @work(thread=True, exclusive=True, group="progress")
    def read_progress(self) -> None:
        self.post_message(self.ProgressRead(self.classroom.progress()))

    @on(ProgressRead)
    def _show_progress(self, event: ProgressRead) -> None:
        classroom = self.classroom
        summary = summary_line(len(classroom.sessions), event.rows, classroom.started, classroom.sessions.cap,
                                ready=classroom.ready_tabs)
        start = "each tab starts from a prepared quiz" if classroom.warm else "each tab starts a fresh quiz"
        self.query_one("#summary", Static).update(
            literal(f"{summary} · {start} · results in {classroom.lesson.results_dir}"))
        if classroom.events:
            when, line = classroom.events[-1]
            events = self.query_one("#events", Static)
            events.update(literal(f"{when:%H:%M:%S} {line}"))
            events.display = True
        self._rows = event.rows
        self._fill_table()

    def _fill_table(self) -> None:
        table = self.query_one(DataTable)
        keys = {str(row.path) for row in self._rows}
        for key in [k.value for k in table.rows if k.value not in keys]:
            table.remove_row(key)
        for row in self._rows:
            cells = table_cells(row, codes=self.show_codes)
            key = str(row.path)
            if key in table.rows:
                for name, cell in zip(PROGRESS_COLUMNS, cells):
                    table.update_cell(key, name, cell)
            else:
                table.add_row(*cells, key=key)
        table.sort(*PROGRESS_COLUMNS[:3], key=lambda cells: tuple(c.plain.casefold() for c in cells))

    def action_toggle_codes(self) -> None:
        self.show_codes = not self.show_codes
        self._fill_table()
        self.notify("Resume codes shown: press k to hide them." if self.show_codes else "Resume codes hidden.")

    def action_show_qr(self) -> None:
        if not shows_qr(self.classroom.lesson) and loopback_note(self.classroom.lesson):
            self.notify("No QR code: only this computer can open this address. Serve the class with --host 0.0.0.0.")
            return
        if not isinstance(self.screen, QRScreen):
            self.push_screen(QRScreen(self.classroom.lesson.address))

    async def action_stop(self) -> None:
        self.query_one("#summary", Static).update("Stopping: closing every student's quiz (their answers are saved)…")
        await self.classroom.stop()
        self.exit()

    async def action_quit(self) -> None:
        await self.action_stop()
