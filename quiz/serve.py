"""The classroom server behind `quiz serve`: the quiz in every student's browser.

This module owns what happens on the teacher's side: the one command each
browser tab runs (built only from the teacher's options, never from anything
a student types), the checks made before listening (textual-serve installed,
the packs known, the port free), the textual-serve server that counts the
tabs it has open, and the class's progress read from the attempt files.

It prints nothing and starts no screen: the `serve` command (`quiz.cli.serve`)
does that, with the teacher's live view (`quiz.ui.classroom`) or plain lines.
textual-serve (the optional `serve` extra) is imported only when serving, so
the pure parts here are tested without it.
"""

from __future__ import annotations

import errno
import ipaddress
import shlex
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import urlsplit

from quiz import display, store
from quiz.roster import ClassRules, name_key
from quiz.timing import compact, in_words
from quiz.serving.limits import DEFAULT_IDLE_MINUTES, DEFAULT_MAX_SESSIONS, Addresses, Sessions

TITLE = "Media literacy quiz"
INSTALL_HINT = "pip install 'media-literacy-quiz[serve]'"
# How often the teacher's view rereads the attempt files, in seconds.
REFRESH_SECONDS = 2.0
# How long a stopping server waits for the students' quizzes to save and close.
SHUTDOWN_SECONDS = 5.0
# How many of the server's notices (a tab turned away, one that crashed) are kept for the teacher's view.
EVENTS_KEPT = 50


# --------------------------------------------------------------------------
# What the teacher asked for
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """The teacher's choices for one `quiz serve`."""

    results_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    packs: tuple[str, ...] = ()
    mode: str | None = None
    public_url: str | None = None
    qr: bool = False
    max_sessions: int = DEFAULT_MAX_SESSIONS
    idle_minutes: float | None = DEFAULT_IDLE_MINUTES  # None or 0: never close an idle tab
    warm: bool = True  # fork each tab from a prepared quiz where the system can; False: spawn each
    spares: int | None = None  # tabs' quizzes kept ready for tabs to come (warm only); None: `spare_count`'s rule
    rules: ClassRules = field(default_factory=ClassRules)  # class list, time limit, extra time, attempts: every tab and page keeps them

    @property
    def bind_host(self) -> str:
        """The address to listen on: `--host 0` is every address, as 0.0.0.0."""
        host = self.host.strip("[]")
        return "0.0.0.0" if host in ("0", "") else host

    @cached_property
    def address(self) -> str:
        """The address students type (worked out once: it may ask the network which address is ours)."""
        return share_address(self.host, self.port, self.public_url)


def quiz_arguments(results_dir: Path, *, packs: Sequence[str] = (), mode: str | None = None,
                   rules: ClassRules | None = None) -> list[str]:
    """The `quiz` arguments of each browser tab's quiz: the teacher's options, nothing a student typed."""
    argv = ["--results", str(Path(results_dir).absolute()), "--served"]
    for pack_id in packs:
        argv += ["--only-pack", pack_id]
    if mode:
        argv += ["--mode", mode]
    return argv + rule_arguments(rules)


def rule_arguments(rules: ClassRules | None) -> list[str]:
    """The teacher's rules as the flags a tab's quiz reads them back from (quiz.cli.rules)."""
    if rules is None:
        return []
    argv: list[str] = []
    if rules.roster is not None:
        argv += ["--roster", str(Path(rules.roster.path).absolute())]
    if rules.time_limit:
        argv += ["--time-limit", compact(rules.time_limit)]
    for name, extra in rules.extra_time.items():
        # Keyed by the folded name, which the tab matches against the list the same way.
        argv += ["--extra-time", f"{name}={extra}"]
    if rules.attempts:
        argv += ["--attempts", str(rules.attempts)]
    return argv


def _python(python: str) -> list[str]:
    # -P: the teacher's current folder must not shadow the quiz's own modules.
    return [python, "-P"] if sys.version_info >= (3, 11) else [python]


def student_argv(results_dir: Path, *, packs: Sequence[str] = (), mode: str | None = None,
                 rules: ClassRules | None = None, python: str = sys.executable) -> list[str]:
    """The process each browser tab runs when it is spawned: this Python's quiz. No shell is involved."""
    return [*_python(python), "-m", "quiz", *quiz_arguments(results_dir, packs=packs, mode=mode, rules=rules)]


def student_command(results_dir: Path, *, packs: Sequence[str] = (), mode: str | None = None,
                    rules: ClassRules | None = None, python: str = sys.executable) -> str:
    """`student_argv` as one line a shell would run the same way (for the docs and the log)."""
    return " ".join(shlex.quote(part) for part in student_argv(
        results_dir, packs=packs, mode=mode, rules=rules, python=python))


def fork_server_argv(lesson: "Lesson", python: str = sys.executable) -> list[str]:
    """The fork server's process (quiz.cli.forks): it prepares the quiz once, then forks each tab's."""
    return [*_python(python), "-m", "quiz.cli.forks",
            *quiz_arguments(lesson.results_dir, packs=lesson.packs, mode=lesson.mode, rules=lesson.rules)]


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listens_everywhere(host: str) -> bool:
    return host in ("0", "0.0.0.0", "::", "[::]", "")


def host_warning(host: str) -> str | None:
    """A plain warning when people other than the teacher can reach the quiz, else None."""
    if is_loopback(host):
        return None
    who = "Anyone on the same network as this computer" if listens_everywhere(host) else f"Anyone who can reach {host}"
    return (
        f"Warning: {who} can open the quiz and answer under any name. "
        "They reach only the quiz, not your files, but use this on the school's "
        "network only, and stop the server when the lesson ends."
    )


def share_address(host: str, port: int, public_url: str | None = None) -> str:
    """The address students type into their browsers."""
    if public_url:
        return public_url.rstrip("/")
    if listens_everywhere(host):
        host = network_address() or socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def network_address() -> str | None:
    """This computer's address on its network, as other machines on it see it, if it can be found."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            # connect() on a UDP socket sends nothing: it only asks which local address would be used.
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if is_loopback(address) else address


# --------------------------------------------------------------------------
# Checks before listening
# --------------------------------------------------------------------------


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, in words a teacher can act on; None if it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the server itself will: a port still closing from an earlier run is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except socket.gaierror:
            return f"{host} is not a name or address this computer knows. Leave out --host to use this computer only."
        except OSError as exc:
            return _bind_problem(host, port, exc)
    return None


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Port {port} is already in use on {host}: another program (perhaps another "
            f"`quiz serve`) is listening there. Stop it, or choose another port, for example --port {port + 1}."
        )
    if exc.errno == errno.EACCES:
        return f"Port {port} needs administrator rights on this computer. Choose one above 1023, for example --port 8000."
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this computer. Leave out --host to use this computer only, or use --host 0.0.0.0 for the class network."
    return f"Could not listen on {host} port {port}: {exc.strerror or exc}."


def textual_serve_missing() -> str | None:
    """How to install the serve extra, if textual-serve is not installed."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        return (
            "Serving the quiz to browsers needs the optional textual-serve package. "
            f"Install it with:  {INSTALL_HINT}"
        )
    return None


def unknown_packs(wanted: Iterable[str]) -> list[str]:
    """One message for each pack id asked for that is not installed."""
    wanted = list(wanted)
    if not wanted:
        return []
    from quiz.packs import discover

    known = [found.pack.id for found in discover().packs]
    return [
        f"There is no installed pack with the id {pack_id!r}. "
        f"Installed packs: {', '.join(known) or 'none'} (`quiz packs` lists them)."
        for pack_id in wanted
        if pack_id not in known
    ]


# --------------------------------------------------------------------------
# The class's progress, from the attempt files
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far one attempt has got, as the teacher's table shows it."""

    student: str
    group: str
    pack: str
    answered: int
    total: int
    score: float
    max_score: float  # of the questions answered so far
    finished: bool
    last_answer: datetime  # when the file was last written, in local time
    path: Path
    code: str = ""  # the resume code, for a student whose tab closed


# path -> (modification time in ns, size, what it said), so an unchanged file is not reread.
ProgressCache = dict[Path, tuple[int, int, Progress]]


def class_progress(results_dir: Path, since: float, *, cache: ProgressCache | None = None) -> list[Progress]:
    """Every attempt written in `results_dir` at or after `since` (a time.time()), by student.

    Files that are not attempts are left out: the report command warns about
    those. A `cache` kept between calls saves rereading unchanged files.
    """
    cache = {} if cache is None else cache
    rows: list[Progress] = []
    seen: set[Path] = set()
    for path in store.attempt_files([Path(results_dir)]):
        try:
            stat = path.stat()
        except OSError:
            continue  # renamed or removed since the folder was listed
        if stat.st_mtime < since:
            continue
        seen.add(path)
        cached = cache.get(path)
        if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            rows.append(cached[2])
            continue
        try:
            attempt = store.read_attempt(path)
        except (store.NotAnAttempt, OSError):
            continue
        row = Progress(
            student=attempt.student,
            group=attempt.group,
            pack=attempt.pack_id,
            answered=len(attempt.answers),
            total=len(attempt.order),
            score=attempt.score,
            max_score=attempt.max_score,
            finished=attempt.is_finished,
            last_answer=datetime.fromtimestamp(stat.st_mtime),
            path=path,
            # Kept by the tab for the teacher (quiz serve only); shown on a key press.
            code=store.kept_code(results_dir, attempt.id),
        )
        cache[path] = (stat.st_mtime_ns, stat.st_size, row)
        rows.append(row)
    for gone in set(cache) - seen:
        del cache[gone]
    return sorted(rows, key=lambda r: (r.student.casefold(), r.group.casefold(), r.pack, r.path.name))


PROGRESS_COLUMNS = ("Student", "Group", "Pack", "Answered", "Score", "Finished", "Last answer", "Code")


def progress_cells(row: Progress) -> tuple[str, ...]:
    """One row of the progress table, as text, in the order of PROGRESS_COLUMNS.

    Names and groups are as typed, on one line, with any control character
    made visible (an escape sequence in a name must not reach a terminal).
    """
    return (
        display.one_line(row.student) or "(no name)",
        display.one_line(row.group),
        display.one_line(row.pack),
        f"{row.answered}/{row.total}",
        f"{display.number(row.score)}/{display.number(row.max_score)}" if row.answered else "-",
        "finished" if row.finished else "not yet",
        row.last_answer.strftime("%H:%M:%S") if row.answered else "-",
        "" if row.finished else row.code,
    )


def summary_line(connected: int, rows: Sequence[Progress], started: datetime, cap: int | None = None,
                 ready: int | None = None) -> str:
    """`12 of 60 tabs open · 18 ready · 2 attempts since 10:02 (1 finished)` (without a cap:
    `3 browser tabs open`; without spare tabs, nothing about them)."""
    if cap is None:
        tabs = f"{connected} browser tab{'s' if connected != 1 else ''} open"
    else:
        tabs = f"{connected} of {cap} tabs open"
    if ready is not None:
        tabs += f" · {ready} ready"
    finished = sum(r.finished for r in rows)
    attempts = f"{len(rows)} attempt{'s' if len(rows) != 1 else ''} since {started:%H:%M}"
    return f"{tabs} · {attempts} ({finished} finished)"


def progress_table(rows: Sequence[Progress], *, codes: bool = True) -> list[str]:
    """The progress table as lines of aligned plain text; `codes=False` leaves the resume codes out."""
    columns = len(PROGRESS_COLUMNS) - (0 if codes else 1)
    table = [PROGRESS_COLUMNS[:columns], *(progress_cells(row)[:columns] for row in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(columns)]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in table]


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


def allowed_addresses(lesson: Lesson) -> Addresses:
    """Every name and port the quiz's own page may be reached by (for the websocket's Origin check)."""
    names = {"localhost", "127.0.0.1", "::1", socket.gethostname(), f"{socket.gethostname()}.local"}
    try:
        names.add(socket.getfqdn())
    except OSError:
        pass
    if not listens_everywhere(lesson.host):
        names.add(lesson.host)
    found = network_address()
    if found:
        names.add(found)
    ports = {lesson.port}
    if lesson.public_url:
        parts = urlsplit(lesson.public_url)
        if parts.hostname:
            names.add(parts.hostname)
        try:
            ports.add(parts.port or {"https": 443}.get(parts.scheme, 80))
        except ValueError:
            pass
    return Addresses.of(names, ports)


# How many tabs' quizzes are made ready before a class without a class list arrives.
SPARES_FOR_A_CLASS = 30


def spare_count(lesson: Lesson) -> int:
    """How many tabs' quizzes to keep ready (quiz.serving.spares): one per student on the class list,
    up to a class's worth (a year group's list does not hold a year group's memory), a class's worth
    without one, and never more than the tabs the server lets in."""
    if lesson.spares is not None:
        return max(0, min(lesson.max_sessions, lesson.spares))
    roster = lesson.rules.roster
    return min(lesson.max_sessions, SPARES_FOR_A_CLASS, len(roster) if roster else SPARES_FOR_A_CLASS)


def spares_ready(count: int) -> str:
    """Said once, when the tabs kept ready before the class comes are all ready."""
    tabs = "1 tab is" if count == 1 else f"{count} tabs are"
    return f"{tabs} ready for the class: students who open the page now start at once."


def roster_path(lesson: Lesson) -> str | None:
    roster = lesson.rules.roster
    return roster.path if roster else None


FORK_FALLBACK = (
    "This computer cannot fork processes (Windows), so each tab starts a fresh quiz: "
    "a class arriving at once waits longer for its first question."
)


class Classroom:
    """One lesson's server, started and stopped inside an asyncio loop that is already running.

    The teacher's live view (Textual) and the plain printing mode both drive
    the server through this, and read `sessions`, `events` and `progress()`
    from it. Before it listens it starts the fork server, which prepares the
    quiz once for every tab (where the system can fork; otherwise each tab
    is spawned, and `events` says so once).
    """

    def __init__(
        self,
        lesson: Lesson,
        *,
        command: str | None = None,
        extra_routes: Callable[[Any], None] | None = None,
    ) -> None:
        self.lesson = lesson
        self.command = command  # None: the quiz; tests serve a stand-in shell command
        # Called with the aiohttp web.Application before it starts, to add more
        # pages beside the quiz: the command mounts the accessible version at
        # /accessible/ with it (quiz.web sits above this module).
        self.extra_routes = extra_routes
        self.sessions = Sessions(cap=lesson.max_sessions)
        self.started_at = time.time()
        self.started = datetime.fromtimestamp(self.started_at)
        # What the teacher should hear about: a tab turned away, one that crashed, one closed idle.
        self.events: deque[tuple[datetime, str]] = deque(maxlen=EVENTS_KEPT)
        self.events_seen = 0
        self.warm = False
        self._forks = None
        self._spares = None
        self._told_cold = False
        self._cache: ProgressCache = {}
        self._runner = None

    @property
    def ready_tabs(self) -> int | None:
        """How many tabs' quizzes wait, ready, for tabs to come (quiz.serving.spares); None without spares."""
        spares = self._spares
        return len(spares.ready) if spares is not None and spares.count else None

    def report(self, line: str) -> None:
        self.events.append((datetime.now(), line))
        self.events_seen += 1

    async def start(self) -> None:
        """Prepare the quiz and listen; raises OSError (with a teacher's message as its text) if it cannot."""
        from aiohttp import web

        from quiz.serving.web import ClassroomServer

        await self._start_forks()
        server = ClassroomServer(
            self._starter, self.sessions, allowed_addresses(self.lesson),
            host=self.lesson.host, port=self.lesson.port, title=TITLE,
            idle_seconds=self.lesson.idle_minutes * 60 if self.lesson.idle_minutes else None,
            report=self.report,
        )
        app = await server._make_app()
        if self.extra_routes is not None:
            self.extra_routes(app)
        self._runner = web.AppRunner(app, shutdown_timeout=SHUTDOWN_SECONDS, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.lesson.bind_host, self.lesson.port)
        try:
            await site.start()
        except OSError as exc:
            await self.stop()
            raise OSError(exc.errno, _bind_problem(self.lesson.host, self.lesson.port, exc)) from exc
        self.started_at = time.time()
        self.started = datetime.fromtimestamp(self.started_at)

    async def _start_forks(self) -> None:
        from quiz.serving.fork import AVAILABLE, ForkServer, ForkServerGone
        from quiz.serving.spares import Spares, file_stamp
        from quiz.serving.tabs import tab_environment

        if self.command is not None or not self.lesson.warm:
            return
        if not AVAILABLE:
            self.report(FORK_FALLBACK)
            return
        forks = ForkServer(fork_server_argv(self.lesson), tab_environment())
        try:
            await forks.start()
        except ForkServerGone as exc:
            self.report(f"Could not prepare the quiz once for every tab, so each tab starts a fresh one: {exc}")
            return
        self._forks = forks
        self.warm = True
        self._spares = Spares(
            forks, spare_count(self.lesson), rules_stamp=partial(file_stamp, roster_path(self.lesson)),
            on_ready=lambda count: self.report(spares_ready(count)),
            room=lambda: self.sessions.cap - len(self.sessions),
        )
        self._spares.start()

    def _starter(self):
        from quiz.serving.tabs import Fork, Spawn

        if self.command is not None:
            return Spawn(command=self.command)
        if self._forks is not None and self._forks.alive:
            return Fork(self._forks, self._spares)
        if self._forks is not None and not self._told_cold:
            self._told_cold = True
            self.warm = False
            self.report("The helper that starts tabs quickly has stopped: new tabs start a fresh quiz each (slower).")
        return Spawn(student_argv(self.lesson.results_dir, packs=self.lesson.packs, mode=self.lesson.mode,
                                  rules=self.lesson.rules))

    async def stop(self) -> None:
        """Close every tab's quiz (each saves as it goes) and stop listening."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        spares, self._spares = self._spares, None
        if spares is not None:
            await spares.stop()
        forks, self._forks = self._forks, None
        if forks is not None:
            await forks.stop()

    def progress(self) -> list[Progress]:
        """The class's attempts since the server started (reads files: call it off the UI thread)."""
        return class_progress(self.lesson.results_dir, self.started_at, cache=self._cache)


# --------------------------------------------------------------------------
# Before and after the lesson
# --------------------------------------------------------------------------


def check_lesson(lesson: Lesson) -> list[str]:
    """Why the lesson cannot start, one message each, in the order to fix them; [] when it can.

    When nothing else is wrong, the results folder is made, so a folder that
    cannot be used is found before any student connects.
    """
    missing = textual_serve_missing()
    if missing:
        return [missing]
    problems = unknown_packs(lesson.packs)
    port = port_problem(lesson.host, lesson.port)
    if port:
        problems.append(port)
    if problems:
        return problems
    try:
        lesson.results_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [f"Could not use {lesson.results_dir} for the class's answers: {exc.strerror or exc}. Choose another folder with --results."]
    return []


def qr_code(address: str):
    import segno

    return segno.make(address, error="m")


def loopback_note(lesson: Lesson) -> str | None:
    """On a loopback address, the one line that says the class cannot reach it, and what to do."""
    if lesson.public_url or not is_loopback(lesson.host):
        return None
    return (
        f"Only this computer can open {lesson.address}. "
        "To serve the class, start it with: quiz serve --host 0.0.0.0"
    )


def shows_qr(lesson: Lesson) -> bool:
    """A QR code only for an address other devices can open."""
    return lesson.qr and loopback_note(lesson) is None


def limits_line(lesson: Lesson) -> str:
    """The lesson's limits, as the teacher set them or left them."""
    idle = (f"a tab nobody uses for {display.number(lesson.idle_minutes)} minutes is closed, its answers saved"
            if lesson.idle_minutes else "a tab nobody uses stays open")
    return f"At most {lesson.max_sessions} tabs at once (--max-sessions); {idle} (--idle-minutes)."


def rules_line(lesson: Lesson) -> str | None:
    """The teacher's rules in one line (time limit, extra time, class list, attempts); None without any."""
    rules = lesson.rules
    if not rules.any:
        return None
    said = []
    if rules.time_limit:
        said.append(f"time limit {in_words(rules.time_limit)} in test mode")
    if rules.extra_time or (rules.roster is not None and any(s.extra_time for s in rules.roster)):
        given = set(rules.extra_time) | {name_key(s.name) for s in rules.roster or () if s.extra_time}
        said.append(f"extra time for {len(given)} student{'s' if len(given) != 1 else ''}")
    if rules.roster is not None:
        size = len(rules.roster)
        said.append(f"class list of {size} name{'s' if size != 1 else ''} (others are refused)")
    if rules.attempts:
        said.append(f"at most {rules.attempts} finished attempt{'s' if rules.attempts != 1 else ''} a pack each")
    return "Rules: " + "; ".join(said) + "."


def welcome(lesson: Lesson) -> list[str]:
    """What the teacher reads first: the address to share, and any warning."""
    lines = [f"Students open {lesson.address} in a browser. Each tab is its own quiz."]
    note = loopback_note(lesson)
    if note:
        lines.append(note)
    if lesson.packs:
        lines.append(f"Packs on offer: {', '.join(lesson.packs)}.")
    if lesson.mode == "test":
        lines.append("Test mode: answers are explained at the end, for everyone.")
    lines.append(f"Answers are saved in {lesson.results_dir}; `quiz report {shlex.quote(str(lesson.results_dir))}` works at any time.")
    lines.append(limits_line(lesson))
    rules = rules_line(lesson)
    if rules:
        lines.append(rules)
    warning = host_warning(lesson.host)
    if warning:
        lines.append(warning)
    if lesson.qr and not shows_qr(lesson):
        lines.append("No QR code: no other device can open this address.")
    return lines


def goodbye(lesson: Lesson) -> str:
    return f"The quiz server has stopped. See the class's results with: quiz report {shlex.quote(str(lesson.results_dir))}"
