"""The accessible pages' handlers: one aiohttp route a page, each form posted, checked and redirected.

Every page is rendered here in the server process from the visit's run
(`quiz.web.visits`), with Jinja2 autoescaping everything a pack or a person
wrote. Pages that change something are POST forms carrying the visit's CSRF
token; after a change the browser is sent to the page to show (303), so a
reload never answers twice. Each answer is saved (`OpenAttempt.save`) before
the next page is sent, in a worker thread so the other students' pages are
not held up by the disk.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
import time
from pathlib import Path
from functools import partial, wraps
from typing import Any, Awaitable, Callable, TypeVar
from urllib.parse import urlsplit
from uuid import uuid4

import jinja2
from aiohttp import web

from quiz import display, store, wording
from quiz.engine import AnswerError, Run, TimeUp
from quiz.model import MODES, Pack
from quiz.serving import seats
from quiz.web import forms, views
from quiz.web.visits import Desk, Full, Visit

PREFIX = "/accessible"
# Where an application keeps the desk of its accessible pages.
DESK = web.AppKey("quiz.web.desk", Desk)
COOKIE = "quiz_visit"
HERE = Path(__file__).resolve().parent

# No scripts, nothing from another address, no framing by another site.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

EXPIRED = (
    "This page had expired, so nothing was sent. Any answers you gave are saved: "
    "to carry on, pick the pack, type the same name and give your code."
)


def environment() -> jinja2.Environment:
    """The templates, with everything a pack or a person wrote escaped (autoescape) and made printable.

    Each is compiled once, here: a page is then rendered without touching
    the disk (no check that its file changed), so no student's page waits on
    the file system or on compiling a template in the middle of a lesson.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,  # every template kept (there are a dozen)
    )
    env.filters["show"] = lambda text: display.printable(str(text))
    env.filters["one_line"] = lambda text: display.one_line(str(text))
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return env


class Instead(Exception):
    """A posted form that cannot be taken: this page is shown instead."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


T = TypeVar("T")


class CodeRefused(Exception):
    """A typed resume code that was not checked, or not right: the page's status and what it says."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status, self.problem = status, problem


def form_handler(handler: Callable[..., Awaitable[web.Response]]):
    """A POST handler: a form that cannot be taken shows the page raised with Instead."""

    @wraps(handler)
    async def handle(self: "Pages", request: web.Request) -> web.Response:
        try:
            return await handler(self, request)
        except Instead as instead:
            return instead.response

    return handle


class Pages:
    """The accessible version of one lesson: its visits and the handlers that show them."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.env = environment()
        self.css = (HERE / "static" / "quiz.css").read_bytes()

    def routes(self) -> list[web.RouteDef]:
        p = PREFIX
        return [
            web.get(p, self.to_home),
            web.get(f"{p}/", self.home),
            web.post(f"{p}/start", self.start),
            web.get(f"{p}/note", self.note),
            web.post(f"{p}/note", self.note_read),
            web.get(f"{p}/resume", self.resume_page),
            web.post(f"{p}/resume", self.resume),
            web.get(f"{p}/welcome", self.welcome),
            web.get(f"{p}/question", self.question),
            web.post(f"{p}/answer", self.answer),
            web.get(f"{p}/feedback", self.feedback),
            web.get(f"{p}/article", self.article),
            web.get(f"{p}/results", self.results),
            web.get(f"{p}/used", self.used_page),
            web.post(f"{p}/used", self.used_code),
            web.post(f"{p}/leave", self.leave),
            web.get(f"{p}/stopped", self.stopped),
            web.get(f"{p}/quiz.css", self.stylesheet),
        ]

    # -- answering the browser --

    def render(self, template: str, *, status: int = 200, visit: Visit | None = None,
               pack: Pack | None = None, title: str, **context: Any) -> web.Response:
        html = self.env.get_template(template).render(
            prefix=PREFIX,
            lang=views.language(pack),
            pack=pack,
            title=title,
            csrf=visit.csrf if visit is not None else "",
            notice=visit.take_notice() if visit is not None else "",
            # Fields without a problem or a value read as "" in the templates.
            problems=defaultdict(str, context.pop("problems", {})),
            **context,
        )
        return web.Response(text=html, status=status, content_type="text/html", headers=SECURITY_HEADERS)

    def message(self, heading: str, *lines: str, status: int = 200, pack: Pack | None = None) -> web.Response:
        return self.render("message.html", status=status, pack=pack, title=heading, heading=heading, lines=list(lines))

    @staticmethod
    def go(where: str) -> web.Response:
        """Send the browser on to `where` (303: it follows with a GET, so a reload never posts again)."""
        return web.Response(status=303, headers={**SECURITY_HEADERS, "Location": where})

    async def stylesheet(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self.css, content_type="text/css", charset="utf-8",
            headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    async def to_home(self, request: web.Request) -> web.Response:
        return self.go(f"{PREFIX}/")

    # -- finding the visit and checking forms --

    def visit_of(self, request: web.Request) -> Visit | None:
        return self.desk.find(request.cookies.get(COOKIE))

    def where(self, visit: Visit | None) -> str:
        """The page this visit belongs on now."""
        if visit is None or visit.pack is None:
            return f"{PREFIX}/"
        if visit.stopped:
            return f"{PREFIX}/stopped"
        if visit.used:
            return f"{PREFIX}/used"
        if visit.pack.content_note and not visit.note_read:
            return f"{PREFIX}/note"
        if visit.run is None:
            return f"{PREFIX}/resume" if visit.unfinished else f"{PREFIX}/"
        if visit.last_grade is not None:
            return f"{PREFIX}/feedback"
        if visit.run.attempt.is_finished:
            return f"{PREFIX}/results"
        return f"{PREFIX}/question"

    async def posted(self, request: web.Request) -> tuple[Visit, dict[str, Any]]:
        """The visit and its form, or the page to show instead (raised): a bad or stale form changes nothing."""
        origin = request.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="This form was sent from another site, so it was refused.")
        try:
            data = await request.post()
        except (ValueError, UnicodeDecodeError):
            raise web.HTTPBadRequest(text="This form could not be read. Go back and try again.") from None
        form: dict[str, Any] = {}
        for key in data:
            values = [v for v in data.getall(key) if isinstance(v, str)]
            form[key] = values if key == "answer" and len(values) > 1 else (values[0] if values else "")
        visit = self.visit_of(request)
        if visit is None:
            raise Instead(self.fresh_home(EXPIRED))
        if not visit.csrf_ok(str(form.get("csrf", ""))):
            raise web.HTTPForbidden(text="This form is out of date or was not sent from the quiz, so it was refused.")
        return visit, form

    def fresh_home(self, notice: str = "") -> web.Response:
        """The home page for a new visit, with its cookie."""
        try:
            visit = self.desk.new()
        except Full:
            return self.full()
        visit.notice = notice
        response = self.home_page(visit)
        self.set_cookie(response, visit)
        return response

    @staticmethod
    def set_cookie(response: web.StreamResponse, visit: Visit) -> None:
        response.set_cookie(COOKIE, visit.token, path=f"{PREFIX}/", httponly=True, samesite="Strict")

    def full(self) -> web.Response:
        return self.message(
            "The quiz is full",
            f"There are already {self.desk.max_visits} students on these pages. Ask your teacher.",
            status=503,
        )

    # -- the home page --

    async def home(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None:
            return self.fresh_home()
        if visit.stopped or (visit.run is not None and visit.run.attempt.is_finished):
            self.desk.drop(visit)
            return self.fresh_home(visit.take_notice())
        return self.home_page(visit)

    def home_page(self, visit: Visit, who: forms.Who | None = None, status: int = 200) -> web.Response:
        packs = list(self.desk.packs.values())
        who = who or forms.Who(student=visit.student, group=visit.group,
                               pack_id=visit.pack.id if visit.pack else "", mode=visit.mode)
        playing = visit if visit.playing else None
        roster = self.desk.rules.roster
        return self.render(
            "home.html",
            status=status,
            visit=visit,
            title=("Please check your answers – " if who.problems else "") + "Media literacy quiz",
            packs=packs,
            pack_langs=[views.language(p) for p in packs],
            facts=[views.pack_facts(p) for p in packs],
            who=who,
            problems=who.problems,
            modes=[(m, wording.MODES[m]) for m in MODES],
            fixed_mode=wording.MODES[self.desk.mode] if self.desk.mode else "",
            playing=playing,
            playing_lang=views.language(visit.pack),
            playing_where=self.progress_words(visit) if playing else "",
            carry_on=self.where(visit),
            # With a class list the name is picked from it (a select: it needs no script), and the class comes with it.
            roster=[s.name for s in roster] if roster is not None else None,
        )

    @staticmethod
    def progress_words(visit: Visit) -> str:
        run = visit.run
        assert run is not None
        return f"{len(run.attempt.answers)} of {run.total} questions answered."

    @form_handler
    async def start(self, request: web.Request) -> web.Response:
        visit, form = await self.posted(request)
        async with visit.lock:
            who = forms.read_who(form, list(self.desk.packs))
            rules = self.desk.rules
            if rules.roster is not None and not who.student:
                who.problems["student"] = "Pick your name from the class list first, so your teacher knows whose answers these are."
            elif rules.roster is not None and "student" not in who.problems:
                listed = rules.student(who.student)
                if listed is None:
                    who.problems["student"] = forms.not_on_the_list(who.student)
                else:
                    who.student, who.group = listed.name, listed.group
            if who.problems:
                return self.home_page(visit, who, status=400)
            self.desk.drop(visit)  # a new pack starts a new visit: the old attempt is let go, its answers saved
            fresh = self.desk.new()
            fresh.pack = self.desk.packs[who.pack_id]
            fresh.student, fresh.group = who.student, who.group
            fresh.mode = self.desk.mode or who.mode
            try:
                fresh.seat = seats.take(self.desk.results_dir, fresh.pack.id, fresh.student, fresh.pack.title)
            except seats.SeatTaken as exc:
                where = await self.elsewhere(fresh, who, str(exc))
            else:
                where = await self.after_note(fresh)
            if not isinstance(where, str):
                self.set_cookie(where, fresh)
                return where
            response = self.go(where)
            self.set_cookie(response, fresh)
            return response

    async def elsewhere(self, visit: Visit, who: forms.Who, refusal: str) -> str | web.Response:
        """The student is playing this pack in another tab or page: no second live session.

        With an unfinished attempt on disk, its code may still carry it on here
        (a tab left open on a lost laptop is handed over); nothing else starts.
        """
        assert visit.pack is not None
        visit.unfinished = await asyncio.to_thread(
            store.has_unfinished, self.desk.results_dir, visit.pack.id, visit.student
        )
        if visit.unfinished:
            visit.note_read = True  # read in the other tab
            visit.notice = refusal
            return f"{PREFIX}/resume"
        who.problems["student"] = refusal
        return self.home_page(visit, who, status=409)

    async def after_note(self, visit: Visit) -> str:
        """After the content note (or without one): the code page for an unfinished attempt, or a new attempt."""
        assert visit.pack is not None
        if visit.pack.content_note and not visit.note_read:
            return f"{PREFIX}/note"
        visit.unfinished = await asyncio.to_thread(
            store.has_unfinished, self.desk.results_dir, visit.pack.id, visit.student
        )
        if visit.unfinished:
            return f"{PREFIX}/resume"
        return await self.start_new(visit)

    async def start_new(self, visit: Visit) -> str:
        """A new attempt, unless the student has finished as many as the teacher allows; the page to go to."""
        assert visit.pack is not None
        rules = self.desk.rules
        if rules.attempts is not None:
            done = await asyncio.to_thread(
                store.finished_count, self.desk.results_dir, visit.pack.id, visit.student
            )
            if done >= rules.attempts:
                visit.used, visit.unfinished = done, False
                visit.free_seat()
                return f"{PREFIX}/used"
        timing = rules.timing(visit.pack, visit.student, visit.mode)
        run = Run.start(
            visit.pack,
            student=visit.student,
            group=visit.group,
            mode=visit.mode,
            seed=random.SystemRandom().randrange(1, 1_000_000),
            now=self.desk.now(),
            attempt_id=uuid4().hex,
            student_id=rules.student_id(visit.student),
            time_limit=timing.limit if timing else None,
            extra_time=timing.extra if timing else 0.0,
        )
        # Already off the event loop, in the threads kept for hashing codes.
        visit.opened = await self.hashed(partial(store.start, in_background=False), run.attempt, self.desk.results_dir)
        visit.run, visit.unfinished, visit.resumed = run, False, False
        return f"{PREFIX}/welcome"

    # -- the content note --

    async def note(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or visit.pack is None or not visit.pack.content_note or visit.note_read:
            return self.go(self.where(visit))
        pack = visit.pack
        return self.render(
            "note.html", visit=visit, pack=pack,
            title=f"Content note – {display.one_line(pack.title)}",
            # What the pack is comes first, as on the terminal's content note.
            about=views.paragraphs(pack.description),
            paragraphs=views.paragraphs(pack.content_note),
        )

    @form_handler
    async def note_read(self, request: web.Request) -> web.Response:
        visit, _ = await self.posted(request)
        async with visit.lock:
            if visit.pack is None or visit.run is not None:
                return self.go(self.where(visit))
            visit.note_read = True
            return self.go(await self.after_note(visit))

    # -- carrying on with a code --

    async def resume_page(self, request: web.Request, *, visit: Visit | None = None,
                          problem: str = "", status: int = 200) -> web.Response:
        visit = visit or self.visit_of(request)
        if visit is None or visit.pack is None or visit.run is not None or not visit.unfinished:
            return self.go(self.where(visit))
        return self.render(
            "resume.html", status=status, visit=visit, pack=visit.pack,
            title=("Please check your code – " if problem else "")
            + f"Carry on with your code – {display.one_line(visit.pack.title)}",
            problems={"code": problem} if problem else {},
            # Playing in another tab: only the code carries on here, nothing new starts.
            elsewhere=visit.seat is None,
        )

    @form_handler
    async def resume(self, request: web.Request) -> web.Response:
        visit, form = await self.posted(request)
        async with visit.lock:
            if visit.pack is None or visit.run is not None or not visit.unfinished:
                return self.go(self.where(visit))
            if form.get("action") == "new":
                if visit.seat is None:
                    return await self.resume_page(request, visit=visit, status=409, problem=seats.refusal(
                        visit.student, visit.pack.title))
                return self.go(await self.start_new(visit))
            try:
                opened = await self.by_code(
                    visit, form, lambda code: self.open_with_code(visit, code),
                    nothing_typed="Nothing was typed. Type your code, or choose Start again.",
                    advice="Check it, ask your teacher, or choose Start again.",
                )
            except CodeRefused as refused:
                return await self.resume_page(request, visit=visit, status=refused.status, problem=refused.problem)
            except store.OpenElsewhere as exc:
                return await self.resume_page(request, visit=visit, status=409, problem=(
                    f"{exc} Or choose Start again to start here."
                ))
            if visit.seat is None:
                try:
                    visit.seat = seats.take(self.desk.results_dir, visit.pack.id, visit.student, visit.pack.title)
                except seats.SeatTaken as exc:
                    opened.close()
                    return await self.resume_page(request, visit=visit, status=409, problem=str(exc))
            visit.opened = opened
            visit.run = Run.resume(visit.pack, opened.attempt)
            visit.unfinished, visit.resumed = False, True
            return self.go(f"{PREFIX}/welcome")

    async def open_with_code(self, visit: Visit, code: str) -> store.OpenAttempt:
        """The attempt whose code this is; one open in another tab here is handed over (the code proves it is theirs)."""
        assert visit.pack is not None
        attempt = (self.desk.results_dir, visit.pack.id, visit.student, code)
        try:
            return await self.hashed(store.resume, *attempt)
        except store.OpenElsewhere:
            holder = self.desk.holder(visit.pack.id, visit.student, code)
            if holder is None or holder is visit:
                raise  # a terminal, or another computer's quiz: it alone may write the attempt
        async with holder.lock:
            holder.stopped = (
                "This attempt was carried on in another tab or browser with its code, "
                "so it stopped here. Your answers are saved."
            )
            holder.close()
        return await self.hashed(store.resume, *attempt)

    async def by_code(self, visit: Visit, form, check: Callable[[str], Awaitable[T]], *,
                      nothing_typed: str, advice: str) -> T:
        """`await check(code)` for the code typed in `form`, once one is typed and the student's tries allow it.

        Raises CodeRefused with the page's status and problem: nothing typed (400), too many wrong
        codes lately (429: repeated wrong codes are slowed down, so nobody can try them all), or
        a wrong code (400, `advice` and any wait it now brings). Anything else `check` raises is
        the caller's.
        """
        assert visit.pack is not None
        code = str(form.get("code", ""))
        if not code.strip():
            raise CodeRefused(400, nothing_typed)
        tries = self.desk.tries(visit.pack.id, visit.student)
        wait = tries.wait(time.monotonic())
        if wait > 0:
            raise CodeRefused(429, wording.code_wait(wait))
        try:
            found = await check(code)
        except store.WrongCode as exc:
            delay = tries.failed(time.monotonic())
            said = f"{exc} {advice}"
            raise CodeRefused(400, f"{said} {wording.code_wait(delay)}" if delay > 0 else said) from None
        tries.succeeded()
        return found

    async def hashed(self, work, *args):
        """`work(*args)`, which hashes a resume code, in the desk's threads for codes."""
        return await asyncio.get_running_loop().run_in_executor(self.desk.codes, work, *args)

    # -- before question 1 --

    async def welcome(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or not visit.playing:
            return self.go(self.where(visit))
        if await self.out_of_time(visit):
            return self.go(self.where(visit))
        run, opened = visit.run, visit.opened
        assert run is not None and opened is not None and visit.pack is not None
        answered = len(run.attempt.answers)
        attempt = run.attempt
        return self.render(
            "welcome.html", visit=visit, pack=visit.pack,
            title=f"Before question 1 – {display.one_line(visit.pack.title)}"
            if not answered else f"Welcome back – {display.one_line(visit.pack.title)}",
            resumed=visit.resumed, answered=answered, total=run.total,
            mode_words=wording.MODES[run.attempt.mode],
            code=views.code_sentence(opened.code, new=opened.code_is_new)
            if opened.code and (not visit.resumed or opened.code_is_new) else None,
            # The pack's description before question 1, unless the content note page has just shown it.
            about=views.paragraphs(visit.pack.description) if not visit.pack.content_note else [],
            go=f"Start question {run.index + 1}" if not answered else f"Carry on with question {run.index + 1}",
            time_limit=wording.time_limit_said(attempt.time_limit, attempt.extra_time or 0.0)
            if attempt.time_limit is not None else "",
            time_left=self.time_words(visit)[0],
        )

    # -- a question --

    def question_page(self, visit: Visit, *, values: dict[str, Any] | None = None,
                      problems: dict[str, str] | None = None, status: int = 200) -> web.Response:
        run = visit.run
        assert run is not None and visit.pack is not None
        q = run.current
        assert q is not None
        visit.shown.setdefault(q.id, time.monotonic())
        where = wording.question_of(run.index, run.total, run.section_title(q))
        penalty = visit.pack.hint_penalty
        options = run.options(q) if q.type in ("choice", "multi", "phrase") else ()
        time_left, time_warning = self.time_words(visit)
        return self.render(
            "question.html", status=status, visit=visit, pack=visit.pack,
            title=("Please check your answer – " if problems else "")
            + f"{where} – {display.one_line(visit.pack.title)}",
            where=where, score=views.score_so_far(run), q=q, how=views.instruction(q),
            options=options,
            phrases=[(o, views.paragraph_of(visit.pack.source, o.text)) for o in options],
            items=run.items(q) if q.type == "match" else (),
            # Nothing chosen or typed yet: no option ticked, an empty answer field.
            values=defaultdict(str, values or _kept(q.type, {})),
            problems=problems or {},
            has_source=visit.pack.source is not None,
            confidence=views.confidence_scale() if run.confidence else None,
            hint_shown=q.id in visit.hinted,
            hint_cost=wording.hint_cost(penalty),
            hint_used=wording.hint_used(penalty),
            time_left=time_left,
            time_warning=time_warning,
        )

    # -- the clock of a timed test --

    def time_words(self, visit: Visit) -> tuple[str, str]:
        """A timed test's time left, and the warning due at 5 or 1 minutes (once each); ("", "") if untimed.

        Said as text on every page that asks a question, so a reload says it
        too, and the next page after a warning is due says the warning: no
        script is needed to hear it.
        """
        run = visit.run
        if run is None or not run.timed:
            return "", ""
        now = self.desk.now()
        left = run.time_left(now) or 0.0
        due = run.warning_due(now, visit.warned)
        if due is None:
            return f"{wording.time_left(left)}.", ""
        # Every warning up to this one is given: coming back at 40 seconds left, 5 minutes is past.
        visit.warned.update(w for w in (300, 60) if w >= due)
        return f"{wording.time_left(left)}.", wording.time_warning(left)

    async def out_of_time(self, visit: Visit, *, late_answer: bool = False) -> bool:
        """At zero a timed test is finished with what was answered, saved, and said; whether it was."""
        run = visit.run
        if run is None or run.attempt.is_finished or not (late_answer or run.expired(self.desk.now())):
            return False
        run.time_up(self.desk.now())
        await self.save(visit)
        visit.free_seat()
        visit.last_grade = None
        said = wording.time_up(len(run.attempt.answers), late_answer=late_answer)
        visit.notice = f"{said} {visit.notice}" if visit.notice else said
        return True

    async def question(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or not visit.playing:
            return self.go(self.where(visit))
        visit.last_grade = None  # the feedback was read: on to the next question
        if visit.run.current is None or await self.out_of_time(visit):  # type: ignore[union-attr]
            return self.go(self.where(visit))
        return self.question_page(visit)

    @form_handler
    async def answer(self, request: web.Request) -> web.Response:
        visit, form = await self.posted(request)
        async with visit.lock:
            run = visit.run
            q = run.current if run is not None and visit.playing else None
            if q is None or form.get("question") != q.id:
                return self.go(self.where(visit))  # a form from an earlier page: nothing is answered twice
            assert run is not None
            values = _kept(q.type, form)
            if form.get("action") == "hint" and await self.out_of_time(visit):
                return self.go(self.where(visit))
            if form.get("action") == "hint":
                if q.hint:
                    visit.hinted.add(q.id)
                return self.question_page(visit, values=values)
            hinted = q.id in visit.hinted
            try:
                response = forms.read_answer(run, q, form)
                sure = forms.read_confidence(form) if run.confidence else None
                # The engine reads the answer first, so a typo costs nothing.
                run.grade(response, hinted=hinted, confidence=sure)
            except (forms.NotAnswered, AnswerError) as exc:
                if await self.out_of_time(visit):
                    return self.go(self.where(visit))
                where = exc.field if isinstance(exc, forms.NotAnswered) else "answer"
                return self.question_page(visit, values=values, problems={where: str(exc)}, status=400)
            seconds = time.monotonic() - visit.shown.get(q.id, time.monotonic())
            now = self.desk.now()
            try:
                grade = run.answer(response, seconds=seconds, hinted=hinted, confidence=sure, now=now)
            except TimeUp:
                await self.out_of_time(visit, late_answer=True)
                return self.go(self.where(visit))
            if run.done:
                run.finish(now)
            await self.save(visit)
            if run.attempt.is_finished:
                visit.free_seat()  # finished: another tab may start the next attempt
            if run.feedback_now and not visit.stopped:
                visit.last_grade = grade
            elif not run.done and not visit.stopped:
                visit.notice = "Your answer is saved." + (f" {visit.notice}" if visit.notice else "")
            return self.go(self.where(visit))

    async def save(self, visit: Visit) -> None:
        """Write the visit's attempt, in a saving thread, and return once it is on disk.

        The event loop goes on serving the other students meanwhile, so a
        class's answers wait on the disk side by side. Saves of one attempt go
        one at a time, in the order they were asked for: a page that finishes
        a timed test while the last answer is still being written waits for
        it, and the file ends as the later one left it.
        """
        run, opened = visit.run, visit.opened
        assert run is not None and opened is not None
        while visit.writing is not None and not visit.writing.done():
            await asyncio.wait([asyncio.wrap_future(visit.writing)])
        # The attempt as it is now (it is never changed in place), written whole by one thread.
        writing = visit.writing = self.desk.saves.submit(opened.save, run.attempt)
        try:
            visit.saved = await asyncio.wrap_future(writing)
        except (store.OpenElsewhere, store.AnswersElsewhere) as exc:
            # Another window has this attempt: it goes on there, and nothing here may overwrite it.
            visit.saved = None
            visit.stopped = str(exc)
            visit.close()
            return
        except store.StoreError as exc:
            visit.saved = None
            visit.notice = f"Your answer could not be saved anywhere ({exc}). Tell your teacher."
            return
        reason = visit.saved.fallback_reason
        if reason and reason != visit.told_fallback:
            visit.told_fallback = reason
            visit.notice = (
                "Your teacher's results folder could not be used, so your answers are being "
                "saved in another folder on the teacher's computer. Tell your teacher."
            )

    # -- after an answer --

    async def feedback(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or visit.last_grade is None or visit.run is None or visit.stopped:
            return self.go(self.where(visit))
        run, grade, pack = visit.run, visit.last_grade, visit.pack
        assert pack is not None
        fb = views.feedback(grade, run)
        number = run.questions.index(grade.question) if grade.question in run.questions else run.index - 1
        where = wording.question_of(number, run.total, run.section_title(grade.question))
        return self.render(
            "feedback.html", visit=visit, pack=pack,
            title=f"{fb.symbol} {fb.words} – {where} – {display.one_line(pack.title)}",
            fb=fb, where=where, done=run.done,
            next_url=f"{PREFIX}/results" if run.done else f"{PREFIX}/question",
            next_words="See your results" if run.done else f"Next: question {run.index + 1} of {run.total}",
            has_source=pack.source is not None,
        )

    async def article(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or visit.pack is None or visit.pack.source is None or visit.run is None:
            return self.go(self.where(visit))
        run, pack, source = visit.run, visit.pack, visit.pack.source
        from_feedback = request.query.get("from") == "feedback" and visit.last_grade is not None
        q = visit.last_grade.question if from_feedback and visit.last_grade else run.current
        if from_feedback:
            back_url, back_words = f"{PREFIX}/feedback", "Back to your answer"
        elif run.current is not None:
            back_url, back_words = f"{PREFIX}/question", f"Back to question {run.index + 1}"
        else:
            back_url, back_words = self.where(visit), "Back"
        marked = {"claim": "The claim this question asks about is marked.",
                  "phrase": "The phrases to choose from are marked."}
        kinds = {what for _, what in views.marked_phrases(q)}
        return self.render(
            "article.html", visit=visit, pack=pack,
            title=f"The article – {wording.question_of(run.questions.index(q), run.total) + ' – ' if q else ''}"
            f"{display.one_line(pack.title)}",
            source=source, about=views.article_about(source),
            paragraphs=views.article(source, q),
            marked=" ".join(marked[k] for k in ("claim", "phrase") if k in kinds),
            back_url=back_url, back_words=back_words,
        )

    async def results(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or visit.run is None or not visit.run.attempt.is_finished or visit.stopped:
            return self.go(self.where(visit))
        run, pack = visit.run, visit.pack
        assert pack is not None
        visit.last_grade = None  # the last feedback was read
        if visit.saved is None:
            saved = "Your answers could not be saved. Tell your teacher."
        elif visit.saved.fallback_reason:
            saved = "Your answers were saved in another folder on your teacher's computer. Tell your teacher."
        else:
            saved = "Your answers are saved for your teacher."
        return self.render(
            "results.html", visit=visit, pack=pack,
            title=f"Results – {display.one_line(pack.title)}",
            r=views.results(run), explain_each=not run.feedback_now, saved=saved,
        )

    # -- every attempt used --

    async def used_page(self, request: web.Request, *, visit: Visit | None = None,
                        problem: str = "", status: int = 200) -> web.Response:
        visit = visit or self.visit_of(request)
        if visit is None or visit.pack is None or not visit.used:
            return self.go(self.where(visit))
        return self.render(
            "used.html", status=status, visit=visit, pack=visit.pack,
            title=("Please check your code – " if problem else "")
            + f"No attempts left – {display.one_line(visit.pack.title)}",
            said=wording.attempts_used(visit.used),
            problems={"code": problem} if problem else {},
        )

    @form_handler
    async def used_code(self, request: web.Request) -> web.Response:
        """The results of a finished attempt, for its code (as the terminal and plain quiz offer them)."""
        visit, form = await self.posted(request)
        async with visit.lock:
            if visit.pack is None or not visit.used:
                return self.go(self.where(visit))
            pack = visit.pack
            try:
                path, attempt = await self.by_code(
                    visit, form,
                    lambda code: self.hashed(store.finished_by_code, self.desk.results_dir, pack.id, visit.student, code),
                    nothing_typed="Nothing was typed. Type the code of your finished attempt.",
                    advice="Check it, or ask your teacher.",
                )
            except CodeRefused as refused:
                return await self.used_page(request, visit=visit, status=refused.status, problem=refused.problem)
            visit.run = Run.resume(visit.pack, attempt)
            visit.saved = store.Saved(path)
            visit.used = 0
            return self.go(f"{PREFIX}/results")

    # -- leaving --

    @form_handler
    async def leave(self, request: web.Request) -> web.Response:
        visit, _ = await self.posted(request)
        async with visit.lock:
            run, opened, pack = visit.run, visit.opened, visit.pack
            self.desk.drop(visit)
            if run is None or run.attempt.is_finished or visit.stopped:
                return self.go(f"{PREFIX}/")
            answered = len(run.attempt.answers)
            lines = [wording.answers_saved(answered)]
            if answered and opened is not None and opened.code:
                # A browser has no command to run: the same name, the pack and the code carry it on.
                lines += [wording.how_to_resume_served(opened.code), f"Write the code down. {wording.RESUME_CODE_KEEP}"]
            response = self.message("You left the quiz", *lines, pack=pack)
            response.del_cookie(COOKIE, path=f"{PREFIX}/")
            return response

    async def stopped(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None or not visit.stopped:
            return self.go(self.where(visit))
        return self.message("This attempt goes on elsewhere", visit.stopped, pack=visit.pack)


def _kept(kind: str, form: dict[str, Any]) -> dict[str, Any]:
    """What the student had chosen or typed, to show again with a problem or the hint."""
    answer = form.get("answer", "")
    kept: dict[str, Any] = {k: v for k, v in form.items() if k.startswith("item-") or k == "confidence"}
    if kind in ("choice", "multi", "phrase", "verdict"):
        kept["answer"] = [answer] if isinstance(answer, str) else list(answer)
    else:
        kept["answer"] = answer if isinstance(answer, str) else " ".join(answer)
    return kept

