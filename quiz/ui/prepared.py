"""The quiz's front end made ready once, for `quiz serve`'s fork server to fork tabs from.

Everything here is what each browser tab's quiz would otherwise do for
itself before its first screen:

- import Textual's web driver and every screen;
- draw the first screen once, off-screen (`rehearse`). Textual and Rich fill
  many caches on a first draw (styles and colours parsed from text, widths
  of characters, the CSS bases of each widget class...). Filled here, they
  are filled once, in memory every tab shares with the fork server, instead
  of once in each tab;
- keep that app's stylesheet, read and parsed, for every tab's app
  (`share`), with the files of the screens that come later (dialogs,
  results) read and parsed too. Textual keeps a stylesheet's parsed rules
  in the stylesheet object itself, so a new app parses the whole stylesheet
  again; a tab given this one parses none of the quiz's own files.

The rehearsal runs its own event loop and closes it, and the one thread it
starts (the home screen's look for packs) has ended when it returns: a
process that forks must have only one thread.
"""

from __future__ import annotations

import asyncio
import threading

from textual.app import App
from textual.css.stylesheet import Stylesheet

from quiz.ui.screens import STYLES


def prepare() -> None:
    """Import what every tab's quiz imports before its first screen."""
    import textual.drivers.web_driver  # noqa: F401  (the driver textual-serve names)

    import quiz.ui.screens.content_note  # noqa: F401
    import quiz.ui.screens.dialogs  # noqa: F401
    import quiz.ui.screens.feedback  # noqa: F401
    import quiz.ui.screens.home  # noqa: F401
    import quiz.ui.screens.play  # noqa: F401
    import quiz.ui.screens.question  # noqa: F401
    import quiz.ui.screens.results  # noqa: F401


def rehearse(app: App, size: tuple[int, int] = (80, 24)) -> Stylesheet:
    """Run `app` off-screen until its first screen is drawn, then close it; return its stylesheet.

    `app` must be built as every tab's will be (the same options and rules),
    so that its stylesheet holds what theirs would, in the same order. Its
    first screen must write nothing: `quiz serve`'s tabs open on the home
    screen, which only reads the packs.
    """

    async def first_screen(pilot) -> None:
        await pilot.pause()
        if pilot.app.return_code is None:  # not already ending with an error
            pilot.app.exit()

    threads = set(threading.enumerate())
    # Its own loop, closed after: a child must not inherit a loop (its selector is the parent's too).
    # If it fails, the fork server does not start: the server spawns each tab instead, and says why.
    try:
        asyncio.run(app.run_async(headless=True, size=size, auto_pilot=first_screen))
    except Exception as exc:
        raise RuntimeError(f"the rehearsal of a tab's first screen failed: {exc!r}") from exc
    if app.return_code:
        raise RuntimeError(f"the rehearsal of a tab's first screen failed (exit status {app.return_code})")
    if left := set(threading.enumerate()) - threads:
        raise RuntimeError(f"a thread outlived the rehearsal: {left}")
    stylesheet = app.stylesheet
    # The stylesheets of the screens that come later (dialogs, results...), read and parsed here
    # too. Textual reads a screen's own file the first time the screen is shown, and then parses
    # every source again and restyles the whole app: each tab paid about 20 ms for its first dialog,
    # and again for its results, as a whole class finished at once.
    for path in sorted(STYLES.glob("*.tcss")):
        if not stylesheet.has_source(str(path)):
            stylesheet.read(path)
    stylesheet.parse()
    return stylesheet


def share(stylesheet: Stylesheet, app: App) -> None:
    """Give `app`, not yet run, the stylesheet `rehearse` returned, rules already parsed.

    Reading its CSS files and adding each widget's default CSS as it starts
    finds each source already there, unchanged, in the order it would have
    added them; only widgets first seen later (on the first question) add
    default CSS of their own, parsed then as before.
    """
    app.stylesheet = stylesheet
