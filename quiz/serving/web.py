"""The web server of `quiz serve`: the page, one websocket and one quiz process per tab.

Built on textual-serve's Server (its downloads and static files are reused)
with the page and the websocket handled here:

- The page is our own (templates/page.html): textual-serve's without the
  font from an outside service. Its font, scripts and styles come from this
  server, its websocket goes back to the address the page came from, and a
  Content-Security-Policy tells the browser to fetch nothing from anywhere
  else. The first thing on it, and the first Tab stop, is a link to the
  accessible version.
- A websocket is refused unless its Origin is the quiz's own page (another
  site's page could otherwise open tabs on the teacher's server), and when
  the class is full (the page says so too). A plain GET of /ws is one line in
  the log.
- Sizes from the browser are clamped at connect and on every resize; a
  message that is not what the page sends is ignored.
- A tab left idle is closed; a tab whose quiz stopped is told why in words.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import time
from importlib import resources
from string import Template
from typing import Any, Callable

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from quiz.serving.limits import Addresses, Sessions, clamp_size
from quiz.serving.tabs import CRASHED, ENDED, FULL, IDLE, STOPPED, STUCK, Starter, TabService

log = logging.getLogger("quiz.serve")

# The largest message a page sends: a long paste is well inside it.
MAX_MESSAGE_BYTES = 256 * 1024
# How long closing a websocket waits for the browser to answer.
CLOSE_SECONDS = 2.0
# How often idle tabs are looked for.
IDLE_CHECK_SECONDS = 5.0

CSP = (
    "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

FULL_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>The class is full</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5; padding: 0 1em">
<h1>The class is full</h1>
<p>Every place on this quiz server is taken ({cap} quizzes are open). Try again in a minute
(reload this page), or ask your teacher.</p>
<p><a href="accessible/">Accessible version</a></p>
</body></html>
"""

NOT_A_PAGE = "This address is the quiz page's own connection. Open the quiz's main address in a browser instead.\n"


def _template(name: str) -> str:
    return resources.files("quiz.serving").joinpath("templates", name).read_text(encoding="utf-8")


class ClassroomServer(Server):
    """textual-serve's Server with a classroom's page, limits and checks."""

    def __init__(
        self,
        starter: Callable[[], Starter],
        sessions: Sessions,
        addresses: Addresses,
        *,
        host: str,
        port: int,
        title: str,
        idle_seconds: float | None = None,
        report: Callable[[str], None] = lambda line: None,
    ) -> None:
        super().__init__("quiz", host=host, port=port, title=title)
        self.starter = starter
        self.sessions = sessions
        self.addresses = addresses
        self.idle_seconds = idle_seconds
        self.report = report
        self.stopping = False
        self._idle_task: asyncio.Task | None = None
        self._page = Template(_template("page.html"))
        self._script = _template("page.js")

    async def _make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.get("/quiz-static/page.js", self.handle_script),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        if self.idle_seconds:
            self._idle_task = asyncio.ensure_future(self._close_idle())

    async def on_shutdown(self, app: web.Application) -> None:
        self.stopping = True
        if self._idle_task is not None:
            self._idle_task.cancel()
        # Every tab is closed with words; each quiz then ends (it has saved every answer already).
        await asyncio.gather(*(s.close(STOPPED) for s in list(self.sessions.open.values()) if s.close),
                             return_exceptions=True)

    # -- the page --

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.sessions.full:
            self.report(f"The class is full ({self.sessions.cap} tabs): a browser got the page that says so.")
            return web.Response(text=FULL_PAGE.format(cap=self.sessions.cap), content_type="text/html",
                                status=503, headers={"Retry-After": "60", "Cache-Control": "no-store"})
        try:
            font_size = max(8, min(48, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        page = self._page.substitute(title=html.escape(self.title), font_size=font_size)
        return web.Response(text=page, content_type="text/html", headers={
            "Content-Security-Policy": CSP, "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
        })

    async def handle_script(self, request: web.Request) -> web.Response:
        return web.Response(text=self._script, content_type="application/javascript",
                            headers={"X-Content-Type-Options": "nosniff"})

    # -- one tab --

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        # A closing tab waits at most CLOSE_SECONDS for the browser's reply, so a lesson stops promptly.
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES, timeout=CLOSE_SECONDS)
        if not websocket.can_prepare(request).ok:
            log.info("GET /ws from %s without a websocket: answered 400", request.remote)
            self.report(f"{request.remote} asked for the quiz's connection address as a page; it was told to open the main address.")
            return web.Response(status=400, text=NOT_A_PAGE)
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        arrived_at = sockname[0] if sockname else None
        origin = request.headers.get("Origin")
        if not self.addresses.origin_allowed(origin, request.host, arrived_at):
            self.report(f"Refused a connection from a page that is not the quiz's: {origin!r} (from {request.remote}).")
            return web.Response(status=403, text="Only the quiz's own page may connect.\n")
        key = self.sessions.opened(request.remote)
        if key is None or self.stopping:
            self.report(f"The class is full ({self.sessions.cap} tabs): a tab from {request.remote} was turned away.")
            return web.Response(status=503, text="The class is full. Try again in a minute.\n",
                                headers={"Retry-After": "60"})
        session = self.sessions.open[key]
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))
        service: TabService | None = None
        reason: list[str] = []

        async def close(why: str) -> None:
            reason.append(why)
            if not websocket.closed:
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=why.encode())

        try:
            await websocket.prepare(request)
            session.close = close
            service = TabService(
                self.starter(),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=lambda: close(STUCK if service is not None and service.stuck else ENDED),
                download_manager=self.download_manager,
                on_end=lambda tab: self._ended(tab, reason, close),
            )
            await service.start(width, height)
            await self._process_messages(websocket, service, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # one tab's trouble is a line in the log, never the server's
            self.report(f"A tab from {request.remote} failed: {type(error).__name__}: {error}")
            log.warning("tab failed: %r", error)
        finally:
            if service is not None:
                await service.stop()
            self.sessions.closed(key)
            if not websocket.closed:
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=(reason[0] if reason else ENDED).encode())
        return websocket

    def _ended(self, tab: TabService, reason: list[str], close: Callable[[str], Any]) -> None:
        """The tab's quiz has ended: if nobody asked it to, the tab hears why, and so does the teacher."""
        if tab.asked_to_stop or reason:
            return
        if tab.status == 0:
            return  # the student left, or finished and closed: textual-serve closes the tab
        why = STUCK if tab.stuck else CRASHED
        last = tab.errors.last_line()
        self.report(f"A student's quiz stopped (exit status {tab.status}){': ' + last if last else ''}. "
                    "Their answers are saved; they can open the page again and carry on with their code.")
        asyncio.ensure_future(close(why))

    async def _process_messages(self, websocket: web.WebSocketResponse, service: TabService, session) -> None:
        """The page's messages: keys, sizes (clamped), focus; anything else is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                session.touched()
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                session.touched()
                width, height = clamp_size(data.get("width"), data.get("height"))
                await service.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str) and len(data) <= 64:
                await websocket.send_json(["pong", data])
            elif kind == "focus":
                session.touched()
                await service.focus()
            elif kind == "blur":
                await service.blur()
            if not service.running:
                break

    async def _close_idle(self) -> None:
        assert self.idle_seconds
        while True:
            await asyncio.sleep(min(IDLE_CHECK_SECONDS, self.idle_seconds / 2))
            for session in self.sessions.idle(self.idle_seconds, time.monotonic()):
                if session.close is not None:
                    minutes = self.idle_seconds / 60
                    self.report(f"Closed a tab from {session.remote} that was idle for {minutes:g} minutes (its answers are saved).")
                    session.touched()  # reported once, even if closing takes a moment
                    asyncio.ensure_future(session.close(IDLE))

