"""What several test files share: where things are, small packs built in code, and playing the app.

Test files import from here (`from helpers import ...`), never from one
another or from conftest.py, which only holds fixtures.
"""

from __future__ import annotations

import asyncio
import re
import json
import os
import shlex
import socket
import threading
import shutil
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path
from html.parser import HTMLParser
from typing import Callable

import aiohttp
import pytest
import pyte
from aiohttp.test_utils import TestClient

from quiz import serve, store
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


def axe_in_both_schemes(page, axe_source: str, name: str, found: dict[str, list[str]]) -> None:
    """Run axe on the page in light and then dark colours, adding what it finds to `found` as "name, scheme"."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = run_axe(page, axe_source)
        if problems:
            found[f"{name}, {scheme}"] = problems
    page.emulate_media(color_scheme="light")


# -- the accessible pages, read as a browser without scripts would (test_web*.py) ------------

P = "/accessible"


# -- reading pages ----------------------------------------------------------------------


# Elements a browser lays out as blocks (or boxes of their own): text on either side never runs together.
BLOCKS = {"title", "header", "main", "section", "div", "p", "ul", "ol", "li", "h1", "h2", "h3", "form",
          "fieldset", "legend", "label", "input", "button", "select", "option", "br", "a"}


class Page(HTMLParser):
    """What a student's browser shows of one page: title, headings, text, form fields and their labels."""

    def __init__(self, text: str, status: int, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html, self.status, self.url = text, status, url
        self.title = ""
        self.lang = ""
        self.headings: list[str] = []
        self.inputs: list[dict] = []
        self.labels: dict[str, str] = {}
        self.selects: dict[str, list[tuple[str, str]]] = {}
        self.text_parts: list[str] = []
        self._in: list[str] = []
        self._label_for: str | None = None
        self._label: list[str] = []
        self._select: str | None = None
        self._option: str | None = None
        self._heading: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag in ("input", "button"):
            self.inputs.append({"tag": tag, **a})
        if tag == "label":
            self._label_for, self._label = a.get("for"), []
        if tag == "select":
            self._select = a.get("name")
            self.selects[self._select] = []
            self.inputs.append({"tag": "select", **a})
        if tag == "option":
            self._option = a.get("value", "")
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag not in ("input", "br", "meta", "link"):
            self._in.append(tag)
        if tag in BLOCKS:
            self.text_parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label).split())
            self._label_for = None
        if tag == "select":
            self._select = None
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag in BLOCKS:
            self.text_parts.append(" ")

    def handle_data(self, data):
        if self._in and self._in[-1] == "title":
            self.title += data
        if self._label_for is not None:
            self._label.append(data)
        if self._select and self._in and self._in[-1] == "option":
            self.selects[self._select].append((self._option, data.strip()))
        if self._heading is not None:
            self._heading.append(data)
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    @property
    def csrf(self) -> str:
        return next(i["value"] for i in self.inputs if i.get("name") == "csrf")

    def field(self, name: str) -> str:
        return next(i.get("value", "") for i in self.inputs if i.get("name") == name)

    def choices(self, name: str = "answer") -> dict[str, str]:
        """Label text -> value of each radio button or checkbox called `name`."""
        return {
            self.labels[i["id"]].strip("“”"): i["value"]
            for i in self.inputs
            if i.get("name") == name and i.get("type") in ("radio", "checkbox")
        }


class Student:
    """One browser: its own cookie jar, following redirects as a browser does."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.page: Page | None = None

    async def get(self, path: str) -> Page:
        r = await self.client.get(path)
        self.page = Page(await r.text(), r.status, str(r.url.path))
        return self.page

    async def post(self, path: str, data: dict | list, *, csrf: str | None = None) -> Page:
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        fields.append(("csrf", csrf if csrf is not None else self.page.csrf))
        r = await self.client.post(path, data=fields)
        self.page = Page(await r.text(), r.status, str(r.url.path))
        return self.page

    async def start(self, pack: str, name: str = "Sam Lee", group: str = "10B", mode: str = "practice") -> Page:
        await self.get(f"{P}/")
        return await self.post(f"{P}/start", {"pack": pack, "student": name, "group": group, "mode": mode})

    async def answer(self, pack: Pack, *, right: bool = True, hint: bool = False, extra=()) -> Page:
        page = self.page if self.page.url == f"{P}/question" else await self.get(f"{P}/question")
        q = pack.question(page.field("question"))
        fields = [("question", q.id), *form_for(page, q, right=right), *extra]
        if hint:
            await self.post(f"{P}/answer", [*fields, ("action", "hint")])
        return await self.post(f"{P}/answer", [*fields, ("action", "answer")])


def form_for(page: Page, q: Question, *, right: bool = True) -> list[tuple[str, str]]:
    """The fields a student fills in to answer `q` right (or wrong), found by their labels."""
    wanted = right_response(q) if right else wrong_response(q)
    if q.type in ("choice", "phrase"):
        return [("answer", page.choices()[wanted])]
    if q.type == "multi":
        return [("answer", page.choices()[t]) for t in wanted]
    if q.type == "match":
        fields = []
        for name, options in page.selects.items():
            label = page.labels[f"{name}-field"].split(". ", 1)[1]
            fields.append((name, next(v for v, text in options if text == wanted[label])))
        return fields
    return [("answer", wanted)]


async def reach(student: Student, pack: Pack, wanted, extra=()) -> Page:
    """Answer questions right until the one `wanted(q)` picks is on screen (the order is shuffled)."""
    for _ in pack.questions:
        page = await student.get(f"{P}/question")
        if wanted(pack.question(page.field("question"))):
            return page
        assert (await student.answer(pack, extra=extra)).status == 200
    raise AssertionError("no such question is left")


def attempt_data(results: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(results.rglob("*.json"))]


def answered(results: Path) -> int:
    """How many answers the attempt file holds (none before the first is saved)."""
    found = attempt_data(results)
    return len(found[0]["answers"]) if found else 0


def code_on(page: Page) -> str:
    return re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b", page.text).group()


class SlowDisk:
    """The next answer written waits on the disk until `done()`: `await writing()` returns once it has begun."""

    def __init__(self, monkeypatch) -> None:
        self.begun, self.free = threading.Event(), threading.Event()
        write = store.write_atomic

        def slow(path, data) -> None:
            if not self.begun.is_set():
                self.begun.set()
                assert self.free.wait(10), "the test never let the write finish"
            write(path, data)

        monkeypatch.setattr(store, "write_atomic", slow)

    async def writing(self) -> None:
        for _ in range(1000):
            if self.begun.is_set():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("no answer was written")

    def done(self) -> None:
        self.free.set()


# -- quiz serve on a free loopback port, and tabs that speak to it as the page does -------------------

# A stand-in for a tab's quiz: says its size, then answers each packet with what it got, as text.
STAND_IN = textwrap.dedent(r"""
    import json, os, signal, sys, time
    out = sys.stdout.buffer
    def say(text):
        data = text.encode()
        out.write(b"D" + len(data).to_bytes(4, "big") + data)
        out.flush()
    behaviour = sys.argv[1]
    pidfile = sys.argv[2]
    open(pidfile, "w").write(str(os.getpid()))
    out.write(b"__GANGLION__\n")
    say(f"size {os.environ['COLUMNS']}x{os.environ['ROWS']}")
    if behaviour == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if behaviour == "crash":
        sys.stderr.write("noise " * 20000 + "\nValueError: the last words\n")
        sys.stderr.flush()
        sys.exit(3)
    buffer = b""
    while True:
        data = os.read(0, 65536)
        if not data:
            break
        buffer += data
        while len(buffer) >= 5 and len(buffer) >= 5 + int.from_bytes(buffer[1:5], "big"):
            size = int.from_bytes(buffer[1:5], "big")
            kind, payload, buffer = buffer[:1], buffer[5:5 + size], buffer[5 + size:]
            if kind == b"M":
                meta = json.loads(payload)
                if meta.get("type") == "quit" and behaviour != "stubborn":
                    sys.exit(0)
                say("meta " + json.dumps(meta, sort_keys=True))
            else:
                say(f"stdin {len(payload)}")
        if behaviour == "stubborn":
            while True:
                pass  # busy, and deaf to quit and SIGTERM
""")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Served:
    """A Classroom on a free loopback port, serving the stand-in (or the quiz)."""

    def __init__(self, tmp_path: Path, behaviour: str | None = "echo", **options) -> None:
        self.port = free_port()
        self.pidfile = tmp_path / "pid"
        command = None
        if behaviour is not None:
            script = tmp_path / "stand_in.py"
            script.write_text(STAND_IN)
            command = " ".join(shlex.quote(p) for p in [sys.executable, str(script), behaviour, str(self.pidfile)])
            command = f"exec {command}"
        lesson = serve.Lesson(results_dir=tmp_path / "results", port=self.port, **options)
        self.classroom = serve.Classroom(lesson, command=command)
        self.url = f"http://127.0.0.1:{self.port}"
        self.origin = {"Origin": self.url}

    async def __aenter__(self) -> "Served":
        await self.classroom.start()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.close()
        await self.classroom.stop()

    async def tab(self, query: str = "width=80&height=24", headers=None):
        return await self.http.ws_connect(f"{self.url}/ws?{query}", headers=self.origin if headers is None else headers)


async def until(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


class Screen:
    """The tab's terminal as the page draws it, the size the page asked for (once the server has clamped it)."""

    def __init__(self, ws, columns: int = 80, lines: int = 24) -> None:
        self.ws = ws
        self.size = (columns, lines)
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)

    def resize(self, columns: int, lines: int) -> None:
        """The tab is now this size. What it showed stays until the quiz draws over it at the new size: the
        terminal only ever grows, so nothing the quiz drew for the old size is clamped into the new one."""
        self.size = (columns, lines)
        if columns > self.screen.columns or lines > self.screen.lines:
            self.screen.resize(max(lines, self.screen.lines), max(columns, self.screen.columns))

    @property
    def display(self) -> list[str]:
        columns, lines = self.size
        return [line[:columns] for line in self.screen.display[:lines]]

    @property
    def text(self) -> str:
        return "\n".join(self.display)

    async def _read(self, seconds: float) -> None:
        # Never one long wait (see next_message).
        try:
            message = await self.ws.receive(timeout=min(seconds, 1.0))
        except asyncio.TimeoutError:
            return
        if message.type == aiohttp.WSMsgType.BINARY:
            self.stream.feed(message.data)
        else:
            raise AssertionError(f"the tab closed ({message.extra}); the screen showed:\n{self.text}")

    async def until(self, words, seconds: float = 20) -> str:
        """Read the tab until `words` show (or `words()` holds), for at most `seconds`."""
        shown = (lambda: words in self.text) if isinstance(words, str) else words
        deadline = time.monotonic() + seconds
        while not shown():
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {words!r}; the screen shows:\n{self.text}"
            await self._read(left)
        return self.text

    async def settled(self, still: float = 1.0, seconds: float = 20) -> str:
        """Read the tab until what it shows has not changed for `still` seconds."""
        deadline = time.monotonic() + seconds
        shown, since = self.text, time.monotonic()
        while time.monotonic() - since < still:
            assert time.monotonic() < deadline, f"the tab never stopped changing; it shows:\n{self.text}"
            await self._read(still)
            if self.text != shown:
                shown, since = self.text, time.monotonic()
        return shown

    async def read_for(self, seconds: float) -> None:
        """Draw whatever the tab sends for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            await self._read(left)

    async def click(self, words: str) -> None:
        row = max(r for r, line in enumerate(self.display) if words in line)
        col = self.display[row].index(words) + len(words) // 2
        await self.ws.send_json(["stdin", f"\x1b[<0;{col + 1};{row + 1}M\x1b[<0;{col + 1};{row + 1}m"])


def quiz_children(server_pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == server_pid:
                found.append(int(entry.name))
    return found
