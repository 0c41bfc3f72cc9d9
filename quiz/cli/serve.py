"""`quiz serve`: the quiz in every student's browser, watched live or logged as plain lines.

On a terminal the teacher gets the live view (`quiz.ui.classroom`); piped to
a file or another program, the class's progress is printed whenever it
changes. Either way the server is `quiz.serve.Classroom`, run in this
process's event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from datetime import datetime
from typing import TextIO

from quiz import display
from quiz.cli.output import EXIT_OK, EXIT_PROBLEMS


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.cli.rules import read_rules
    from quiz.locations import results_dir
    from quiz.serve import Lesson, check_lesson

    rules = read_rules(args, err)
    if rules is None:
        return EXIT_PROBLEMS
    if rules.time_limit and args.mode is None:
        args.mode = "test"  # a time limit is for a test, as in `quiz play`

    lesson = Lesson(
        results_dir=results_dir(getattr(args, "results", None)).absolute(),
        host=args.host,
        port=args.port,
        packs=tuple(args.packs),
        mode=args.mode,
        public_url=args.public_url,
        qr=args.qr,
        max_sessions=getattr(args, "max_sessions", 60),
        idle_minutes=getattr(args, "idle_minutes", 30.0) or None,
        warm=getattr(args, "warm", True),
        spares=getattr(args, "ready", None),
        rules=rules,
    )
    problems = check_lesson(lesson)
    for message in problems:
        print(message, file=err)
    if problems:
        return EXIT_PROBLEMS
    return serve_live(lesson, out, err) if out.isatty() else serve_plain(lesson, out, err)


def accessible_pages(lesson):
    """What adds the accessible version (quiz.web) at /accessible/ to the server, for the lesson's packs and mode."""
    from quiz import web

    packs = web.lesson_packs(lesson.packs)
    return lambda app: web.mount(app, packs, lesson.results_dir, mode=lesson.mode,
                                 idle_minutes=lesson.idle_minutes, rules=lesson.rules)


def serve_live(lesson, out: TextIO, err: TextIO) -> int:
    """Serve with the teacher's live view on this terminal, until the teacher stops it."""
    from quiz.serve import Classroom, goodbye
    from quiz.ui.classroom import ClassroomApp

    app = ClassroomApp(Classroom(lesson, extra_routes=accessible_pages(lesson)))
    app.run()
    if app.problem:
        print(app.problem, file=err)
        return EXIT_PROBLEMS
    print(goodbye(lesson), file=out)
    return EXIT_OK


def serve_plain(lesson, out: TextIO, err: TextIO) -> int:
    """Serve, printing the class's progress whenever it changes (for a log file or a pipe)."""
    from quiz.serve import Classroom, qr_code, shows_qr, welcome

    for line in welcome(lesson):
        print(line, file=out)
    if shows_qr(lesson):
        qr_code(lesson.address).terminal(out=out, compact=True)
    print("Press Ctrl+C to stop.", file=out, flush=True)
    try:
        return asyncio.run(_print_progress(Classroom(lesson, extra_routes=accessible_pages(lesson)), out))
    except OSError as exc:
        print(exc.strerror or exc, file=err)
        return EXIT_PROBLEMS


async def _print_progress(classroom, out: TextIO) -> int:
    from quiz.serve import REFRESH_SECONDS, goodbye, progress_table, summary_line

    await classroom.start()
    if classroom.warm:
        print("Each tab's quiz starts from one prepared in advance.", file=out, flush=True)
    told = 0
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):
            pass  # Windows: Ctrl+C arrives as KeyboardInterrupt instead
    shown: list[str] = []
    try:
        while not stop.is_set():
            rows = await asyncio.to_thread(classroom.progress)
            # Without the spare tabs' count, which changes at every spare made: the log says once they are ready.
            lines = [summary_line(len(classroom.sessions), rows, classroom.started, classroom.sessions.cap)]
            if rows:
                # The plain log may be read by anyone who sees the file: no resume codes in it.
                lines += [line.rstrip() for line in progress_table(rows, codes=False)]
            news = list(classroom.events)[max(0, len(classroom.events) - (classroom.events_seen - told)):]
            told = classroom.events_seen
            for when, line in news:
                print(f"{when:%H:%M:%S} {display.one_line(line)}", file=out, flush=True)
            if lines != shown:
                print(f"\n{datetime.now():%H:%M:%S}", *lines, sep="\n", file=out, flush=True)
                shown = lines
            try:
                await asyncio.wait_for(stop.wait(), REFRESH_SECONDS)
            except asyncio.TimeoutError:
                pass
    finally:
        await classroom.stop()
    print(goodbye(classroom.lesson), file=out, flush=True)
    return EXIT_OK
