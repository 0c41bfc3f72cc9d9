"""Finding packs: bundled with the quiz, added by a teacher, or named by path.

Packs are searched in this order, and when two share an id the first one
found is used (the other gets a warning naming both files):

1. the bundled `questions/` folder (`quiz.locations.bundled_packs_dir()`),
2. the user packs folder (`user_packs_dir()`, where `quiz packs add` copies to),
3. each file or folder listed in $QUIZ_PACKS,
4. files or folders given on the command line.

A folder is searched for `*.yaml` and `*.yml` files directly inside it, not
in its subfolders; hidden files are skipped. A broken pack is reported as
problems and skipped: discovery itself never fails on a bad file.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from quiz.locations import bundled_packs_dir, extra_pack_paths, user_packs_dir
from quiz.model import Pack
from quiz.packs import loader
from quiz.packs.problems import ERROR, WARNING, PackError, Problem

BUNDLED, USER, QUIZ_PACKS, COMMAND_LINE = "bundled", "user", "QUIZ_PACKS", "command line"
PACK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Found:
    """A usable pack and where it was found."""

    pack: Pack
    path: Path
    where: str  # "bundled", "user", "QUIZ_PACKS" or "command line"


@dataclass
class Catalog:
    """Every usable pack found, in search order, and the problems met on the way."""

    packs: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, pack_id: str) -> Found | None:
        for found in self.packs:
            if found.pack.id == pack_id:
                return found
        return None

    @property
    def broken(self) -> list[str]:
        """The files that could not be used, each once."""
        return list(dict.fromkeys(p.path for p in self.problems if p.severity == ERROR))


def _places(extra: Iterable[str | os.PathLike[str]]) -> list[tuple[str, str, bool]]:
    """(path, where, named on purpose) for every place packs are searched, in order."""
    places: list[tuple[str, str, bool]] = [
        (str(bundled_packs_dir()), BUNDLED, False),
        (str(user_packs_dir()), USER, False),
    ]
    places += [(str(p), QUIZ_PACKS, True) for p in extra_pack_paths()]
    places += [(os.fspath(p), COMMAND_LINE, True) for p in extra]
    return places


# Catalogs read by `hold()`, by the places searched: `quiz serve`'s fork server
# reads the packs once, and every tab's quiz it forks finds them here.
_held: dict[tuple[tuple[str, str, bool], ...], Catalog] = {}


def hold(extra: Iterable[str | os.PathLike[str]] = ()) -> Catalog:
    """Discover now, and give later `discover(extra)` calls in this process the same catalog.

    Only for a process that forks many short-lived quizzes with the same
    packs (`quiz serve`'s fork server); nothing else calls it.
    """
    places = tuple(_places(extra))
    _held.pop(places, None)
    _held[places] = catalog = discover(extra)
    return catalog


def discover(extra: Iterable[str | os.PathLike[str]] = ()) -> Catalog:
    """Find every pack, in search order; `extra` are paths from the command line."""
    places = _places(extra)
    held = _held.get(tuple(places))
    if held is not None:
        return held
    catalog = Catalog()
    read: set[str] = set()
    for place, where, named in places:
        for file in _pack_files(place, where, named, catalog.problems):
            # The same file reached twice (say, through $QUIZ_PACKS too) is one pack.
            real = os.path.realpath(file)
            if real in read:
                continue
            read.add(real)
            checked = loader.check_path(file)
            catalog.problems.extend(checked.problems)
            if checked.pack is None:
                continue
            first = catalog.get(checked.pack.id)
            if first is not None:
                catalog.problems.append(Problem(
                    file, checked.id_line, checked.id_col,
                    f"the pack id `{checked.pack.id}` is also used by {first.path}, which "
                    "is used instead: give this pack its own id",
                    WARNING,
                ))
                continue
            catalog.packs.append(Found(checked.pack, Path(file), where))
    return catalog


def find_pack(name_or_path: str | os.PathLike[str],
              extra: Iterable[str | os.PathLike[str]] = ()) -> Pack:
    """A pack by its id among the discovered packs, or by the path of its file.

    Raises PackError when the file has errors or no pack has that id.
    """
    name = os.fspath(name_or_path)
    if os.path.exists(name) or _looks_like_path(name):
        return _read_to_play(name, strict=True)
    quick = _first_with_id(name, extra)
    if quick is not None:
        return quick
    catalog = discover(extra)
    found = catalog.get(name)
    if found is not None:
        return found.pack
    ids = [f.pack.id for f in catalog.packs]
    guess = difflib.get_close_matches(name, ids, n=1, cutoff=0.6)
    if guess:
        advice = f"did you mean `{guess[0]}`? (`quiz packs` lists the installed packs)"
    elif ids:
        advice = "`quiz packs` lists the installed packs"
    else:
        advice = "no packs are installed: give the path of a pack file, or add one with `quiz packs add FILE`"
    broken = catalog.broken
    if broken:
        files, them = ("files", "them") if len(broken) > 1 else ("file", "it")
        advice += f"; {len(broken)} pack {files} could not be read (`quiz validate` on {them} shows why)"
    raise PackError([Problem(name, 1, 1, f"no installed pack has the id `{name}`: {advice}")])


_TOP_LEVEL_ID = re.compile(rb"""^id:[ \t]*["']?([A-Za-z0-9._-]+)""", re.MULTILINE)


def _first_with_id(pack_id: str, extra: Iterable[str | os.PathLike[str]]) -> Pack | None:
    """The pack `discover()` would give for `pack_id`, reading only files whose
    top-level `id:` line names it: `quiz play` starts without loading every pack.

    None when no such file loads cleanly; the caller then discovers properly,
    which also explains what went wrong.
    """
    read: set[str] = set()
    for place, where, named in _places(extra):
        for file in _pack_files(place, where, named, []):
            real = os.path.realpath(file)
            if real in read:
                continue
            read.add(real)
            try:
                with open(file, "rb") as fh:
                    head = fh.read(MAX_PEEK)
            except OSError:
                continue
            match = _TOP_LEVEL_ID.search(head)
            if match is None or match.group(1).decode() != pack_id:
                continue
            pack = _read_to_play(file)
            if pack is not None and pack.id == pack_id:
                return pack
    return None


def _read_to_play(path: str, *, strict: bool = False) -> Pack | None:
    """The pack in a file; a file with errors gives None, or with `strict`
    raises PackError saying what is wrong."""
    checked = loader.check_path(path, traps=False)  # its errors matter here, not its writing traps
    return loader.usable(checked) if strict else checked.pack


# The id sits near the top of every pack; a file that hides it further down is read in full by discover().
MAX_PEEK = 64 * 1024


def _looks_like_path(name: str) -> bool:
    separators = [os.sep] + ([os.altsep] if os.altsep else [])
    return name.lower().endswith(PACK_SUFFIXES) or any(s in name for s in separators)


def _pack_files(place: str, where: str, named: bool, problems: list[Problem]) -> list[str]:
    """The pack files at a place: the file itself, or the packs directly in a folder."""
    if os.path.isfile(place):
        return [place]
    if os.path.isdir(place):
        try:
            names = sorted(os.listdir(place))
        except OSError as error:
            problems.append(Problem(place, 1, 1, (
                f"this folder of packs cannot be read: {error.strerror or error}"
            ), ERROR if named else WARNING))
            return []
        return [
            os.path.join(place, n) for n in names
            if n.lower().endswith(PACK_SUFFIXES) and not n.startswith(".")
            and os.path.isfile(os.path.join(place, n))
        ]
    if named:
        if where == QUIZ_PACKS:
            problems.append(Problem(place, 1, 1, (
                "$QUIZ_PACKS names this path, but there is no file or folder here: "
                "correct $QUIZ_PACKS"
            ), WARNING))
        else:
            problems.append(Problem(place, 1, 1, (
                "there is no file or folder here: check the name and folder"
            )))
    return []
