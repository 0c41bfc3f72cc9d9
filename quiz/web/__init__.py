"""The accessible web version of the quiz: plain HTML pages under /accessible/ in `quiz serve`.

The third front end, beside the Textual app and the plain lines, over the
same engine, store and packs: one server-rendered page a step (pick a pack,
the content note, a question as a form, the feedback, the article, the
results), working with the keyboard alone, a screen reader, text at 200%
and JavaScript off. Every answer is saved to the attempt file the moment it
is given, so it shows in the teacher's table like any other tab; no process
is started per student.

`mount(app, ...)` adds the pages to an aiohttp application (the classroom
server's); `make_app(...)` is an application of its own, for tests and
benchmarks. Both take the packs on offer, the teacher's mode and rules and the
results folder; `lesson_packs(ids)` finds the packs a lesson offers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from quiz.model import Pack
from quiz.roster import ClassRules
from quiz.web.pages import COOKIE, DESK, PREFIX, Pages
from quiz.web.visits import IDLE_MINUTES, MAX_VISITS, Desk, utc_now

__all__ = ["COOKIE", "DESK", "PREFIX", "Desk", "lesson_packs", "make_app", "make_routes", "mount"]


def lesson_packs(pack_ids: Sequence[str] = ()) -> list[Pack]:
    """The installed packs a lesson offers: those named, in the teacher's order, or every one."""
    from quiz.packs import discover

    found = [f.pack for f in discover().packs]
    if not pack_ids:
        return found
    by_id = {p.id: p for p in found}
    return [by_id[i] for i in pack_ids if i in by_id]


def make_routes(
    packs: Sequence[Pack],
    results_dir: Path,
    *,
    mode: str | None = None,
    idle_minutes: float | None = IDLE_MINUTES,
    max_visits: int = MAX_VISITS,
    rules: ClassRules | None = None,
    now=utc_now,
) -> tuple[list, Desk]:
    """The pages' routes (all under PREFIX) and the desk that keeps the visits; close the desk on shutdown.

    `rules` are the teacher's (class list, time limit and extra time, attempts);
    `now` the clock of timed tests (tests pass their own).
    """
    desk = Desk(packs, results_dir, mode=mode, idle_minutes=idle_minutes, max_visits=max_visits,
                rules=rules, now=now)
    return Pages(desk).routes(), desk


def mount(app, packs: Sequence[Pack], results_dir: Path, **options) -> Desk:
    """Add the pages to an aiohttp `app` not yet started; its shutdown lets go of every open attempt."""
    routes, desk = make_routes(packs, results_dir, **options)
    app.router.add_routes(routes)
    app[DESK] = desk

    async def let_go(_app) -> None:
        desk.close_all()

    app.on_cleanup.append(let_go)
    return desk


def make_app(packs: Sequence[Pack], results_dir: Path, **options):
    """An aiohttp application serving only the accessible pages."""
    from aiohttp import web

    app = web.Application()
    mount(app, packs, results_dir, **options)
    return app
