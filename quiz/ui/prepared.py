"""The quiz's front end made ready once, for `quiz serve`'s fork server to fork tabs from.

Everything here is what each browser tab's quiz would otherwise do for
itself before its first screen: import Textual's web driver and every
screen, and parse the stylesheet (Textual keeps parsed selectors and rules
in caches that a forked child inherits). Nothing starts: no app, no loop, no
thread, since a process that forks must have only one thread.
"""

from __future__ import annotations

from pathlib import Path


def prepare() -> None:
    import textual.drivers.web_driver  # noqa: F401  (the driver textual-serve names)
    from textual.css.stylesheet import Stylesheet

    import quiz.ui.app as app_module
    import quiz.ui.screens.content_note  # noqa: F401
    import quiz.ui.screens.dialogs  # noqa: F401
    import quiz.ui.screens.feedback  # noqa: F401
    import quiz.ui.screens.home  # noqa: F401
    import quiz.ui.screens.question  # noqa: F401
    import quiz.ui.screens.results  # noqa: F401

    from textual.app import App

    # The theme's variables ($panel, $warning...), from an app that is built and never run.
    stylesheet = Stylesheet(variables=App().get_css_variables())
    stylesheet.read(Path(app_module.__file__).with_name(app_module.QuizApp.CSS_PATH))
    stylesheet.parse()
