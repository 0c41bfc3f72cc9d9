"""What several test files share: where things are, small packs built in code, and playing the app.

Test files import from here (`from helpers import ...`), never from one
another or from conftest.py, which only holds fixtures.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from quiz import store
from quiz.engine import Run
from quiz.model import MatchItem, Option, Pack, Question, Source
from quiz.packs import load_pack

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WARM_UP = REPO / "questions" / "00-warm-up.yaml"


# -- packs ------------------------------------------------------------------------


def warm_up() -> Pack:
    return load_pack(WARM_UP)


SOURCE = Source(
    title="Library opens on Sundays",
    publisher="The Example Gazette",
    published="2026-01-10",
    text=(
        "The town library will open on Sundays from March, the council said.\n\n"
        "Visits rose six-fold last year, according to a survey of 40 residents.\n\n"
        "Everyone loves the new reading room."
    ),
)


def every_type_pack(**changes) -> Pack:
    """A small pack built in code with every question type, for tests of the engine, store, report and app."""
    questions = (
        Question(
            id="who", skill="source", type="choice", prompt="Who said it?",
            claim="the council said",
            options=(
                Option("The council", correct=True, explain="It says 'the council said'."),
                Option("The library", explain="The library is the subject, not the source."),
                Option("Residents", explain="Residents were surveyed later."),
            ),
            hint="Look for 'said'.",
        ),
        Question(
            id="units", skill="sample-size", type="multi", prompt="Which are counts?",
            options=(
                Option("visits", correct=True),
                Option("residents surveyed", correct=True),
                Option("opening day"),
                Option("the reading room"),
            ),
            points=2,
        ),
        Question(
            id="loaded", skill="framing", type="phrase", prompt="Which phrase is opinion?",
            options=(
                Option("Everyone loves the new reading room", correct=True),
                Option("the council said"),
            ),
        ),
        Question(
            id="fold", skill="sample-size", type="number", prompt="Six-fold is a rise of what percent?",
            answer=500, tolerance=0, unit="%",
        ),
        Question(
            id="sample", skill="sample-size", type="number", prompt="How many residents?",
            low=40, high=40,
        ),
        Question(
            id="name", skill="source", type="text", prompt="Who publishes it?",
            accept=("The Example Gazette", "Example Gazette"),
        ),
        Question(
            id="sort", skill="framing", type="match", prompt="Fact or opinion?",
            items=(
                MatchItem("opens on Sundays", "fact"),
                MatchItem("everyone loves it", "opinion"),
                MatchItem("visits rose", "fact"),
            ),
            categories=("fact", "opinion"),
            points=3,
        ),
        Question(
            id="v-fair", skill="framing", type="verdict", prompt="Fair or misleading?",
            claim="the council said", verdict="fair",
        ),
        Question(
            id="v-bad", skill="framing", type="verdict", prompt="Fair or misleading?",
            claim="Everyone loves the new reading room", verdict="misleading",
        ),
    )
    fields = dict(
        id="every-type", title="Every type", version="1.0", questions=questions,
        source=SOURCE, sha256="0" * 64,
    )
    fields.update(changes)
    return Pack(**fields)


# -- answers ----------------------------------------------------------------------


def right_response(q):
    """The response that earns full marks, in words."""
    if q.type in ("choice", "phrase"):
        return q.correct_options[0].text
    if q.type == "multi":
        return [o.text for o in q.correct_options]
    if q.type == "number":
        return str(q.answer if q.answer is not None else (q.low + q.high) / 2)
    if q.type == "text":
        return q.accept[0]
    if q.type == "match":
        return {i.text: i.answer for i in q.items}
    return q.verdict


def wrong_response(q):
    """A response that earns nothing."""
    if q.type in ("choice", "phrase"):
        return next(o.text for o in q.options if not o.correct)
    if q.type == "multi":
        return [o.text for o in q.options if not o.correct]
    if q.type == "number":
        return "987654321"
    if q.type == "text":
        return "zzz"
    if q.type == "match":
        return {i.text: next(c for c in q.categories if c != i.answer) for i in q.items}
    return "fair" if q.verdict == "misleading" else "misleading"


def digit(index: int) -> str:
    return str(index + 1)


def keys_for(run: Run, question: Question, *, right: bool = True) -> list[str]:
    """The keys that answer `question` right (or wrong), ending with the submitting enter."""
    wanted = right_response(question) if right else wrong_response(question)
    kind = question.type
    if kind in ("choice", "phrase"):
        texts = [o.text for o in run.options(question)]
        return [digit(texts.index(wanted)), "enter"]
    if kind == "multi":
        texts = [o.text for o in run.options(question)]
        return [digit(texts.index(t)) for t in wanted] + ["enter"]
    if kind == "number":
        typed = wanted if not right else f"{float(wanted):g}"
        return [*typed, "enter"]
    if kind == "text":
        return [*wanted, "enter"]
    if kind == "match":
        # Each digit sorts the item in focus and moves on; the last one focuses Submit.
        return [digit(question.categories.index(wanted[i.text])) for i in run.items(question)] + ["enter"]
    return ["f" if wanted == "fair" else "m", "enter"]


def keyed_response(run: Run, question: Question, *, right: bool = True):
    """The response the app hands the engine when `keys_for(run, question, right=right)` is pressed."""
    wanted = right_response(question) if right else wrong_response(question)
    if question.type == "multi":
        return [o.text for o in run.options(question) if o.text in wanted]  # ticked, in the order shown
    if question.type == "number" and right:
        return f"{float(wanted):g}"
    if question.type == "match":
        return {i.text: wanted[i.text] for i in run.items(question)}
    return wanted


def answered_run(
    pack: Pack,
    *,
    student: str,
    before: str | None = None,
    right: Callable[[int, Question], bool] = lambda n, q: True,
    sure: Callable[[int], int | None] = lambda n: None,
    **start,
) -> Run:
    """A run the engine has answered up to the first question of type `before` (every one when None).

    Question n (from 0) is answered right if `right(n, question)`, wrong if not,
    with confidence `sure(n)`, in the words the app sends for those keys. `start`
    goes to Run.start (seed, group, mode, now, attempt_id); seed 1 and now unless given.
    """
    start.setdefault("seed", 1)
    start.setdefault("now", datetime.now(timezone.utc))
    run = Run.start(pack, student=student, **start)
    while run.current is not None and run.current.type != before:
        n, question = len(run.attempt.answers), run.current
        run.answer(keyed_response(run, question, right=right(n, question)), seconds=5, confidence=sure(n))
    return run


def saved_run(pack: Pack, results: Path, **answered) -> Run:
    """`answered_run(pack, **answered)`, saved in `results` if anything was answered, for the app to resume."""
    run = answered_run(pack, **answered)
    if run.attempt.answers:
        store.save(run.attempt, results)
    return run


# -- the app on screen ------------------------------------------------------------


async def give_saved_code(pilot) -> None:
    """On the resume dialog: type the code of the attempt `saved_run` wrote, and press Enter.

    `saved_run` writes with `store.save`, as the quiz did before codes were
    hashed, so the attempt is carried on by its old code (`store.resume_code`).
    """
    app = pilot.app
    _, attempt = store.find_unfinished(app.results_dir, app.player.pack.id, app.player.student)
    await pilot.press(*store.resume_code(attempt), "enter")
    await pilot.pause()



def screen_text(app) -> str:
    """Every character on screen, as a person would read it (top screen and what shows beneath)."""
    # The compositor is private, but it is the one place the whole picture exists as text.
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat_text(app) -> str:
    """The screen's words with line breaks and runs of spaces folded, for wrapped sentences."""
    return " ".join(screen_text(app).split())


def static_text(app) -> str:
    """The words of every Static on the top screen, one per line, however they are laid out."""
    from textual.widgets import Static

    return "\n".join(" ".join(str(w.content).split()) for w in app.screen.query(Static))


def screen_name(app) -> str:
    """The screen on top, or on the play screen the view in its middle (QuestionView, FeedbackView)."""
    view = getattr(app.screen, "view", None)
    return type(view).__name__ if view is not None else type(app.screen).__name__


def current_view(app):
    return app.screen.view


async def answer_current(pilot, *, right: bool = True) -> None:
    app = pilot.app
    run = app.quiz_run
    for key in keys_for(run, run.current, right=right):
        await pilot.press(key)
    await pilot.pause()


async def play_to_results(pilot, results: Path, *, right: bool = True) -> None:
    """Answer every question by keys, checking the attempt file after each answer."""
    app = pilot.app
    answered = len(app.quiz_run.attempt.answers)
    while screen_name(app) != "ResultsScreen":
        await pilot.pause()
        if screen_name(app) == "QuestionView":
            await answer_current(pilot, right=right)
            answered += 1
            saved = read_only_attempt(results)
            assert len(saved["answers"]) == answered
        elif screen_name(app) == "FeedbackView":
            await pilot.press("enter")
            await pilot.pause()
        else:
            raise AssertionError(f"stuck on {screen_name(app)}")


# -- attempt files ----------------------------------------------------------------


def attempt_files(results: Path) -> list[Path]:
    return sorted(results.rglob("*.json"))


def read_only_attempt(results: Path) -> dict:
    files = attempt_files(results)
    assert len(files) == 1, files
    return json.loads(files[0].read_text(encoding="utf-8"))


# -- the installed command in a real terminal (pexpect and pyte) ------------------

COLUMNS, LINES = 80, 24
KEY_BYTES = {"enter": "\r", "space": " ", "escape": "\x1b", "tab": "\t", "ctrl+n": "\x0e", "down": "\x1b[B"}


def quiz_command() -> str:
    beside_python = Path(sys.executable).with_name("quiz")
    found = shutil.which("quiz") if not beside_python.exists() else str(beside_python)
    if not found:
        pytest.skip("the quiz console script is not installed (pip install -e .)")
    return found


class Terminal:
    """A pty running one command, with the screen as pyte draws it."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pexpect
        import pyte

        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, dimensions=(LINES, COLUMNS), timeout=10
        )

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, seconds: float = 0.1) -> None:
        import pexpect

        try:
            data = self.child.read_nonblocking(65536, timeout=seconds)
        except (pexpect.TIMEOUT, pexpect.EOF):
            return
        self.stream.feed(data)

    def wait_for(self, words: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if words in self.text:
                return self.text
            if not self.child.isalive() and words not in self.text:
                self.pump()
                break
        raise AssertionError(f"{words!r} never appeared on screen:\n{self.text}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.child.send(KEY_BYTES.get(key, key))
            self.pump(0.05)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


# -- headless Chromium, for the browser tests ---------------------------------------------------

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def needed(thing: str, why: str) -> None:
    """Skip for want of `thing`, except on CI, where a skipped browser test would hide a broken install."""
    message = f"{thing} is not installed ({why})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; on CI .ci/run must install it")
    pytest.skip(message)


def chromium() -> str:
    """Debian's chromium, or a skip (a failure on CI) saying how to install it."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        needed("chromium", "apt-get install chromium")
    return found


# -- the accessible pages in a browser, with axe-core -------------------------------------------

AXE = REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Site:
    """The accessible pages of some packs, served on a free port from a thread of their own."""

    def __init__(self, packs: list[Pack], results: Path, **options) -> None:
        self.results = results
        self.loop = asyncio.new_event_loop()
        self.port = free_port()
        self.runner = None
        ready = threading.Event()

        async def start() -> None:
            from aiohttp import web

            from quiz.web import make_app

            self.runner = web.AppRunner(make_app(packs, results, **options))
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(start())
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert ready.wait(10), "the accessible pages did not start"
        self.url = f"http://127.0.0.1:{self.port}/accessible/"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answer(page, pack: Pack, how: str = "right") -> None:
    """Fill in the question on `page` right, wrong or (multi, match) partly right, and submit it."""
    q = pack.question(page.input_value("input[name=question]"))
    wanted = wrong_response(q) if how == "wrong" else right_response(q)
    if how == "partly" and q.type == "multi":
        wanted = [wanted[0], next(o.text for o in q.options if not o.correct)]
    if q.type in ("choice", "phrase"):
        page.get_by_label(f"“{wanted}”" if q.type == "phrase" else wanted, exact=True).check()
    elif q.type == "multi":
        for text in wanted:
            page.get_by_label(text, exact=True).check()
    elif q.type == "verdict":
        page.get_by_label(wanted.capitalize(), exact=True).check()
    elif q.type == "match":
        for n in range(1, len(q.items) + 1):
            select = page.locator(f"#item-{n}-field")
            item = select.evaluate("s => s.labels[0].textContent").split(". ", 1)[1]
            select.select_option(label=wanted[item])
    else:
        page.locator("#typed-field").fill(wanted)
    page.get_by_role("button", name="Submit answer").click()


def run_axe(page, axe_source: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
        }""",
        WCAG_TAGS,
    )
    return violations
