"""The home screen: pick a pack, read what it is, type your name (and class), choose a mode, start.

Packs are found in a worker thread (reading many YAML files can be slow on
a school network); broken packs become a one-line notice, not a crash. The
screen posts `HomeScreen.Start` and the app takes it from there.

On a shared computer the next student must not answer under the last one's
name: a name is never filled in from an earlier go (the class may be).

With a class list (`--roster`) the student does not type a name: they type
the first letters of it, the list below shows the names that match, and
Enter (or a click) picks the one highlighted (↑ and ↓ move it); Enter again
starts. The class comes from the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option as ListOption

from quiz import display, wording
from quiz.model import Pack
from quiz.roster import Roster, Student
from quiz.ui import remembered
from quiz.ui.text import literal, literal_line
from quiz.ui.widgets.keys import KeyBar
from quiz.ui.screens import HOME_CSS

CONTENT_NOTE_MARK = "⚑ content note"

# The most names the class list shows at once; typing more of a name narrows it.
NAMES_SHOWN = 200
NOT_ON_LIST = "No name on the class list matches that. Check the spelling, or ask your teacher."
FIND_YOUR_NAME = "Type the first letters of your name, then pick it from the list."


def student_line(student: Student) -> Content:
    """A name on the class list as the list shows it: the name, and the class in brackets."""
    if student.group:
        return Content.assemble(literal_line(student.name), "  ", literal_line(f"({student.group})", "italic"))
    return literal_line(student.name)


class NameFilter(Input):
    """The name box with a class list: ↑ and ↓ move the highlight in the names below it."""

    BINDINGS = [
        Binding("down", "screen.move_name(1)", "Next name", show=False),
        Binding("up", "screen.move_name(-1)", "Previous name", show=False),
    ]


def pack_line(pack: Pack) -> Content:
    """A pack as the list shows it, in two lines that fit 80 columns:
    the title (and any content note), then size, audience and skills."""
    facts = [f"{len(pack.questions)} questions"]
    if pack.audience:
        facts.append(pack.audience)
    if pack.mode:
        facts.append(f"{pack.mode} only")
    if pack.skills_used:
        facts.append("skills: " + ", ".join(pack.skills_used))
    title: list[Content | str | tuple[str, str]] = [literal_line(pack.title, "bold")]
    if pack.content_note:
        title += ["  ", (CONTENT_NOTE_MARK, "bold")]
    return Content.assemble(*title, "\n", literal_line(" · ".join(facts), "italic"))


def pack_about(pack: Pack) -> Content:
    """The chosen pack in more words, beside the list when there is room (the description alone when narrow)."""
    skills = [pack.skills[s] for s in pack.skills_used]
    parts: list[Content | str] = [literal(pack.description)] if pack.description else []
    if skills:
        parts.append(Content.assemble(("Skills: ", "bold"), literal(" · ".join(skills))))
    if pack.content_note:
        parts.append(Content("⚑ This pack has a content note, shown before the first question."))
    return Content("\n\n").join(parts)


class ModeButton(RadioButton):
    """A radio button drawn ● when chosen and ○ when not, so it reads without colour."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else "○"


def broken_notice(problems: Sequence) -> Content | None:
    """One short line about packs that could not be opened, or None."""
    files = sorted({Path(p.path).name for p in problems if getattr(p, "severity", "error") == "error"})
    if not files:
        return None
    names = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return Content.assemble(
        ("⚠ ", "bold"),
        f"{len(files)} pack{'s' if len(files) != 1 else ''} could not be opened (",
        literal_line(names),
        "). Your teacher can run `quiz validate` to see why.",
    )


class PackList(OptionList):
    """The packs to pick from; says when the layout around it has given it a new size."""

    class Resized(Message):
        """The list's height changed: a pack may now hide below its edge, or no longer."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class HomeScreen(Screen):
    """Choose what to play, and who is playing."""

    # The home screen's rules, read the first time it is shown (quiz.tcss has the play screen's).
    CSS_PATH = HOME_CSS

    BINDINGS = [
        Binding("escape", "app.leave", "Quit", tooltip="Close the quiz", id="home-quit"),
    ]

    packs: reactive[tuple[Pack, ...]] = reactive((), init=False)
    """The packs on offer, in the order listed."""
    chosen: reactive[Pack | None] = reactive(None)
    """The pack highlighted in the list."""
    problem: reactive[str] = reactive("")
    """Why Start did not start, in words for the student."""

    @dataclass
    class Start(Message):
        """The student pressed Start with a pack, a name and a mode."""

        pack: Pack
        student: str
        group: str
        mode: str | None

    @dataclass
    class PacksFound(Message):
        """Discovery finished (sent from the worker thread)."""

        packs: tuple[Pack, ...]
        problems: tuple

    def __init__(
        self,
        *,
        fixed: Pack | None = None,
        extra_pack_paths: Sequence[Path] = (),
        student: str | None = None,
        group: str = "",
        mode: str | None = None,
        only_packs: Sequence[str] = (),
        remember: bool = True,
        roster: Roster | None = None,
        problem: str = "",
    ) -> None:
        super().__init__()
        self.roster = roster
        self.found: tuple[Student, ...] = ()  # the names the list shows, with a class list
        self.first_problem = problem
        self._looking = False  # the pack list is still being read
        self._start_asked = False  # Start was pressed before it was read
        self.fixed = fixed
        self.only_packs = tuple(only_packs)
        # A shared machine (quiz serve) must not offer one student's name to the next.
        self.remember = remember
        self.extra_pack_paths = list(extra_pack_paths)
        self.student = student
        self.group = group
        self.mode = mode

    def compose(self):
        yield Static(
            Content.assemble(("Media literacy quiz", "bold"), "  ·  pick a pack, type your name, press Start"),
            classes="screen-title",
        )
        with Horizontal(id="home"):
            with Vertical(id="pack-side"):
                yield Static("1  Pick a pack", classes="part-title")
                yield PackList(Content("Looking for packs…"), id="packs")
                yield Static(id="broken")
                yield Static(id="pack-about")
                yield Static(id="pack-description")
            # Not a stop of its own: Tab from the packs goes straight to the name.
            with VerticalScroll(id="form", can_focus=False):
                if self.roster is not None:
                    yield Static("2  Find your name", classes="part-title")
                    yield NameFilter(placeholder="First letters of your name", id="student")
                    yield OptionList(id="names")
                    yield Static(id="picked")
                else:
                    yield Static("2  Your name", classes="part-title")
                    with Horizontal(id="who"):
                        yield Input(placeholder="Your name", id="student")
                        yield Input(placeholder="Class (optional)", id="group")
                yield Static("3  Mode", classes="part-title")
                yield RadioSet(
                    ModeButton(wording.MODES["practice"], value=True, id="practice"),
                    ModeButton(wording.MODES["test"], id="test"),
                    id="mode",
                )
                yield Static(id="mode-fixed")
                yield Static(id="home-problem")
                yield Button("Start", id="start", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        known = remembered.load() if self.remember else remembered.Remembered()
        # An input box draws its value as it is: a control character would reach the terminal.
        # The name only from the command line, never from an earlier go: the next student would answer under it.
        self.query_one("#student", Input).value = display.printable(self.student or "")
        if self.roster is None:
            self.query_one("#group", Input).value = display.printable(self.group or known.group)
        else:
            self._filter(self.student or "")
        self.problem = self.first_problem
        listing = self.query_one("#packs", OptionList)
        self.watch(listing, "scroll_y", self._sign_more, init=False)
        if self.fixed is not None:
            self.packs = (self.fixed,)
            self.query_one("#student", Input).focus()
        else:
            self.query_one("#packs").focus()
            self._looking = True
            self.find_packs()

    @work(thread=True, exclusive=True, group="discover")
    def find_packs(self) -> None:
        from quiz.packs import discover

        catalog = discover(self.extra_pack_paths)
        packs = tuple(f.pack for f in catalog.packs)
        problems = tuple(catalog.problems)
        if self.only_packs:
            # Only the packs the teacher chose, in the teacher's order; other packs' troubles are not the class's.
            by_id = {p.id: p for p in packs}
            packs = tuple(by_id[i] for i in self.only_packs if i in by_id)
            problems = ()
        self.post_message(self.PacksFound(packs, problems))

    @on(PacksFound)
    def _packs_found(self, event: PacksFound) -> None:
        self._looking = False
        self.packs = event.packs
        notice = self.query_one("#broken", Static)
        words = broken_notice(event.problems)
        notice.display = words is not None
        notice.update(words or "")
        if self._start_asked:
            # Start came before the list: with one pack there is nothing to pick, so go on;
            # with several, the student picks now.
            self._start_asked = False
            if len(self.packs) == 1:
                self.action_start()
            else:
                self.problem = "Pick a pack first."
                self.query_one("#packs").focus()

    def watch_packs(self, packs: tuple[Pack, ...]) -> None:
        listing = self.query_one("#packs", OptionList)
        listing.clear_options()
        if not packs:
            listing.add_option(ListOption(Content("No packs are installed yet. Ask your teacher."), disabled=True))
            return
        # A separator (None) between packs keeps each pack's lines together.
        listing.add_options([item for p in packs for item in (ListOption(pack_line(p)), None)][:-1])
        listing.highlighted = 0
        self.chosen = packs[0]
        self.call_after_refresh(self._sign_more)

    def on_resize(self) -> None:
        self.call_after_refresh(self._sign_more)

    @on(PackList.Resized)
    def _list_resized(self) -> None:
        self.call_after_refresh(self._sign_more)

    def _sign_more(self, *_) -> None:
        """A pack below (or above) the list's edge is said on its border: nothing hides without a sign."""
        listing = self.query_one("#packs", OptionList)
        signs = []
        if listing.scroll_y > 0:
            signs.append("▲ more above")
        if listing.max_scroll_y - listing.scroll_y > 0:
            signs.append("▼ more packs below: press ↓")
        listing.border_subtitle = "  ".join(signs) or None

    @on(OptionList.OptionHighlighted, "#packs")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.packs):
            self.chosen = self.packs[event.option_index]

    @on(OptionList.OptionSelected, "#packs")
    def _selected(self) -> None:
        self.query_one("#student", Input).focus()

    def watch_chosen(self, pack: Pack | None) -> None:
        about = self.query_one("#pack-about", Static)
        about.update(pack_about(pack) if pack is not None else "")
        description = self.query_one("#pack-description", Static)
        description.update(literal(pack.description.strip()) if pack is not None and pack.description else "")
        description.set_class(not (pack is not None and pack.description), "-empty")
        fixed = self.mode or (pack.mode if pack else "")
        self.query_one("#mode", RadioSet).display = not fixed
        label = self.query_one("#mode-fixed", Static)
        label.display = bool(fixed)
        if fixed:
            who = "this pack" if pack is not None and pack.mode else "your teacher"
            label.update(f"{wording.MODES[fixed]} (set by {who})")

    # -- the class list --

    @on(Input.Changed, "#student")
    def _typed(self, event: Input.Changed) -> None:
        if self.roster is not None:
            self._filter(event.value)

    def _filter(self, typed: str) -> None:
        """The names that match what is typed, the best first and highlighted."""
        assert self.roster is not None
        found = self.roster.find(typed)
        self.found = found[:NAMES_SHOWN]
        names = self.query_one("#names", OptionList)
        names.clear_options()
        if self.found:
            names.add_options([ListOption(student_line(s)) for s in self.found])
            exact = self.picked
            names.highlighted = self.found.index(exact) if exact in self.found else 0
        else:
            names.add_option(ListOption(Content(NOT_ON_LIST), disabled=True))
        more = len(found) - len(self.found)
        names.border_subtitle = f"and {more} more: type more of your name" if more > 0 else None
        self._say_picked()

    def _say_picked(self) -> None:
        chosen = self.picked
        line = self.query_one("#picked", Static)
        if chosen is None:
            # The highlighted name in words as well as by its background, so it reads without colour.
            at = self.query_one("#names", OptionList).highlighted
            if self.found and at is not None and 0 <= at < len(self.found):
                line.update(Content.assemble("Enter picks ", literal_line(self.found[at].name, "bold"), "  ·  ↑ ↓ choose another"))
            else:
                line.update("")
            return
        parts: list[Content | str | tuple[str, str]] = [("You: ", "bold"), literal_line(chosen.name, "bold")]
        if chosen.group:
            parts += ["  ·  class ", literal_line(chosen.group)]
        parts.append("  ·  Enter starts")
        line.update(Content.assemble(*parts))

    @property
    def picked(self) -> Student | None:
        """The student whose name the box holds, exactly (case and accents aside); None until one is picked."""
        if self.roster is None:
            return None
        return self.roster.entry(self.query_one("#student", Input).value)

    def action_move_name(self, step: int) -> None:
        names = self.query_one("#names", OptionList)
        if not self.found:
            return
        at = names.highlighted if names.highlighted is not None else -step
        names.highlighted = max(0, min(len(self.found) - 1, at + step))

    def _pick(self, index: int) -> None:
        box = self.query_one("#student", Input)
        box.value = display.printable(self.found[index].name)
        box.cursor_position = len(box.value)
        box.focus()
        self.problem = ""

    @on(OptionList.OptionHighlighted, "#names")
    def _name_highlighted(self) -> None:
        self._say_picked()

    @on(OptionList.OptionSelected, "#names")
    def _name_selected(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.found):
            self._pick(event.option_index)

    def watch_problem(self, problem: str) -> None:
        box = self.query_one("#home-problem", Static)
        box.display = bool(problem)
        box.update(Content.assemble(("! ", "bold"), problem) if problem else "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self, event: Input.Submitted | Button.Pressed | None = None) -> None:
        pack = self.chosen
        student = " ".join(self.query_one("#student", Input).value.split())
        if pack is None and self._looking:
            self._start_asked = True
            self.problem = "Finding the packs: a moment…"
            return
        if pack is None:
            self.problem = "Pick a pack first."
            self.query_one("#packs").focus()
            return
        if self.roster is not None:
            listed = self.picked
            names = self.query_one("#names", OptionList)
            at = names.highlighted
            if isinstance(event, Input.Submitted) and self.found and at is not None and self.found[at] != listed:
                self._pick(at)  # Enter picks the highlighted name; Enter again starts
                return
            if listed is None:
                self.problem = NOT_ON_LIST if student and not self.found else FIND_YOUR_NAME
                self.query_one("#student", Input).focus()
                return
            student, group = listed.name, listed.group or " ".join(self.group.split())
        else:
            group = " ".join(self.query_one("#group", Input).value.split())
        if not student:
            self.problem = "Type your name first, so your teacher knows whose answers these are."
            self.query_one("#student", Input).focus()
            return
        self.problem = ""
        mode = self.mode
        if mode is None and not pack.mode:
            mode = "test" if self.query_one("#test", RadioButton).value else "practice"
        if self.remember and self.roster is None:
            remembered.save(remembered.Remembered(group))
        self.post_message(self.Start(pack, student, group, mode))
