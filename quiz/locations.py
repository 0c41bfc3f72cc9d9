"""Where the quiz keeps things on disk: results, user packs, settings.

Every folder comes from one function here, over platformdirs, and each has
an environment override so tests and classrooms can point it elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "media-literacy-quiz"


def _dirs():
    # Imported lazily: platformdirs is cheap, but commands that only print
    # their version should not pay for it.
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False)


def results_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Attempt files: `--results DIR`, else $QUIZ_RESULTS, else the user data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("QUIZ_RESULTS")
    if env:
        return Path(env).expanduser()
    return Path(_dirs().user_data_dir) / "results"


def user_packs_dir() -> Path:
    """Packs a teacher added with `quiz packs add`: $QUIZ_USER_PACKS, else the user data folder."""
    env = os.environ.get("QUIZ_USER_PACKS")
    if env:
        return Path(env).expanduser()
    return Path(_dirs().user_data_dir) / "packs"


def settings_file() -> Path:
    """Small remembered choices (the student's name): $QUIZ_SETTINGS, else the user config folder."""
    env = os.environ.get("QUIZ_SETTINGS")
    if env:
        return Path(env).expanduser()
    return Path(_dirs().user_config_dir) / "settings.json"


def extra_pack_paths() -> list[Path]:
    """Folders or files listed in $QUIZ_PACKS, separated like PATH."""
    env = os.environ.get("QUIZ_PACKS", "")
    return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]


def bundled_packs_dir() -> Path:
    """The packs that ship with the quiz.

    Inside an installed wheel they live in the package as `quiz/questions/`;
    in a source checkout they are the top-level `questions/` folder.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "questions"
    if packaged.is_dir():
        return packaged
    return here.parent / "questions"
