"""The quiz's screens."""

from pathlib import Path

STYLES = Path(__file__).resolve().parent.parent
"""Where the stylesheets are: quiz.tcss (read as the app starts) and one file for each
other screen, named in that screen's CSS_PATH and read the first time it is shown."""

HOME_CSS = STYLES / "home.tcss"
"""The home screen's (and a pack's content note's); the app reads it with its own when it opens on the home screen."""
