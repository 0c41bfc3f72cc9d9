"""The source pane: the article a pack is about, with the claim in question marked.

Pack text is shown as plain text (`Content`, never markup). A question's
`claim` is highlighted and scrolled into view; in phrase questions every
candidate phrase is highlighted and can be clicked, and the one picked in
the answer list stands out.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Static

from quiz import display
from quiz.model import Source
from quiz.ui.text import literal

# Bold or underlined as well as coloured, so the marks read without colour.
CLAIM_STYLE = "bold underline $text on $warning 35%"
PHRASE_STYLE = "underline $text on $accent 20%"
PICKED_PHRASE_STYLE = "bold reverse"


def find_span(paragraph: str, phrase: str) -> tuple[int, int] | None:
    """Where `phrase` sits in `paragraph`, ignoring how either is wrapped."""
    wanted = " ".join(phrase.split())
    if not wanted:
        return None
    at = paragraph.find(wanted)
    return (at, at + len(wanted)) if at >= 0 else None


class SourceView(VerticalScroll, can_focus=True):
    """A scrollable article with its claim or candidate phrases marked."""

    DEFAULT_CSS = """
    SourceView {
        padding: 0 1;
        & > .source-title { text-style: bold; margin-bottom: 0; }
        & > .source-byline { color: $text-muted; }
        & > .source-paragraph { margin-top: 1; }
    }
    """

    claim: reactive[str] = reactive("")
    """The text to mark as the claim in question ("" for none)."""
    phrases: reactive[tuple[str, ...]] = reactive(())
    """Candidate phrases to mark (phrase questions)."""
    picked: reactive[int | None] = reactive(None)
    """Which candidate phrase the student has picked in the answer list."""

    @dataclass
    class PhraseClicked(Message):
        """The student clicked a candidate phrase in the text."""

        source_view: "SourceView"
        index: int

        @property
        def control(self) -> "SourceView":
            return self.source_view

    def __init__(self, source: Source, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = source
        self.paragraphs = source.paragraphs
        self._target: Static | None = None
        self._mark_tries = 0
        self._centred = 0
        self.border_title = "The story"

    def _text_widgets(self) -> list[Static]:
        widgets = []
        if self.source.title:
            widgets.append(Static(literal(self.source.title), classes="source-title"))
        byline = " · ".join(p for p in (self.source.publisher, self.source.published) if p)
        if byline:
            widgets.append(Static(literal(byline), classes="source-byline"))
        if self.source.description:
            widgets.append(Static(literal(self.source.description), classes="source-byline"))
        widgets.extend(Static(literal(p), classes="source-paragraph") for p in self.paragraphs)
        return widgets

    async def on_show(self) -> None:
        # The text is built when first seen: on a narrow screen, maybe never.
        if not self.children:
            await self.mount_all(self._text_widgets())
            self._mark()

    def watch_claim(self) -> None:
        self._mark()

    def watch_phrases(self) -> None:
        self._mark()

    def watch_picked(self) -> None:
        self._mark()

    def _mark(self) -> None:
        if not self.is_mounted:
            return
        claim_at = picked_at = phrase_at = None
        for number, widget in enumerate(self.query(".source-paragraph").results(Static)):
            # Marks are found in the text as shown, where a control character may be wider.
            text = display.printable(self.paragraphs[number])
            content = Content(text)
            span = find_span(text, display.printable(self.claim))
            if span:
                content = content.stylize(CLAIM_STYLE, *span)
                claim_at = claim_at or widget
            for index, phrase in enumerate(self.phrases):
                span = find_span(text, display.printable(phrase))
                if span is None:
                    continue
                style = PICKED_PHRASE_STYLE if index == self.picked else PHRASE_STYLE
                content = content.stylize(style, *span)
                # Clicks carry the phrase's number, read back in _phrase_clicked.
                content = content.stylize(Style.from_meta({"phrase": index}), *span)
                phrase_at = phrase_at or widget
                if index == self.picked:
                    picked_at = widget
            widget.update(content)
        self._target = picked_at or claim_at or phrase_at
        self.show_mark()

    def show_mark(self) -> None:
        """Scroll the claim (or the picked phrase) into the middle of the pane, once it is laid out."""
        self._mark_tries = 50 if self._target is not None else 0
        self._centred = 0
        self.call_after_refresh(self._scroll_to_mark)

    def _scroll_to_mark(self) -> None:
        # A new question's text is laid out a few frames after it is mounted, and once more when
        # the scroll bar appears and the lines rewrap: try until the pane can reach the claim,
        # then centre it again twice, a moment apart (a student cannot have scrolled yet).
        target = self._target
        if not self._mark_tries or target is None:
            return
        self._mark_tries -= 1
        ready = self.size.height and target.size.height and target.virtual_region.bottom <= self.virtual_size.height
        if ready:
            self.scroll_to_center(target, animate=False, immediate=True)
            self._centred += 1
            if self._centred >= 3:
                self._mark_tries = 0
                return
        self.set_timer(0.05 if ready else 0.02, self._scroll_to_mark)

    @on(Click)
    def _phrase_clicked(self, event: Click) -> None:
        index = event.style.meta.get("phrase")
        if index is not None:
            self.post_message(self.PhraseClicked(self, index))
