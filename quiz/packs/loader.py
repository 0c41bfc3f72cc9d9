"""Reading one pack: the entry points the command line, the UI and importers call.

`check_file` and `load_pack` read a file (refusing one over 5 MB before a byte
of it is read), `check_text` and `load_pack_text` read a string. All four
apply the same rules: `reading` turns bytes into a YAML node tree, `build`
turns the tree into a `Pack`, and every problem of the file comes back at once.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field, replace

from quiz.model import Pack
from quiz.packs import reading
from quiz.packs.build import PackBuilder
from quiz.packs.problems import PackError, Problem, sort_problems


@dataclass(frozen=True)
class Checked:
    """What checking one file found: the pack if it is usable, and every problem."""

    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)
    id_line: int = 1  # where the pack's id is written, for duplicate-id warnings
    id_col: int = 1


def check_file(path: str | os.PathLike[str]) -> tuple[Pack | None, list[Problem]]:
    """The pack in a file (None if it has errors) and all its problems; never raises for bad input."""
    checked = check_path(path)
    return checked.pack, checked.problems


def load_pack(path: str | os.PathLike[str]) -> Pack:
    """The pack in a file; raises PackError listing every error of the file."""
    return usable(check_path(path))


def check_text(text: str, path: str = "<string>") -> tuple[Pack | None, list[Problem]]:
    """Like `check_file`, for a pack held in a string; `path` is only used in messages."""
    checked = _check_text(text, path)
    return checked.pack, checked.problems


def load_pack_text(text: str, path: str = "<string>") -> Pack:
    """Like `load_pack`, for a pack held in a string (importers' tests use it)."""
    return usable(_check_text(text, path))


def check_path(path: str | os.PathLike[str], *, traps: bool = True) -> Checked:
    """Everything checking a file found, with where its id is written (`traps=False`: errors only, no writing traps)."""
    name = os.fspath(path)
    data, problems = _read(name)
    if data is None:
        return Checked(None, problems)
    text, problems = reading.decode(data, name)
    if text is None:
        return Checked(None, problems)
    return _check_text(text, name, hashlib.sha256(data).hexdigest(), traps=traps)


def usable(checked: Checked) -> Pack:
    """The checked pack; raises PackError listing the file's errors when there is none."""
    if checked.pack is None:
        raise PackError([p for p in checked.problems if p.is_error] or checked.problems)
    return checked.pack


def _read(path: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or why they cannot be had; the size is checked first."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return None, [Problem(path, 1, 1, (
                "this is a folder, not a pack file: name a .yaml file, or use "
                "`quiz validate` on the folder to check every pack in it"
            ))]
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(path, 1, 1, "this is not an ordinary file: name a .yaml pack file")]
        too_big = reading.size_problem(info.st_size, path)
        if too_big:
            return None, [too_big]
        with open(path, "rb") as file:
            data = file.read(reading.MAX_BYTES + 1)
    except FileNotFoundError:
        return None, [Problem(path, 1, 1, "there is no file here: check the file's name and folder")]
    except PermissionError:
        return None, [Problem(path, 1, 1, (
            "this file cannot be opened (permission denied): ask whoever manages the "
            "computer, or copy the file somewhere you can read it"
        ))]
    except OSError as error:
        return None, [Problem(path, 1, 1, f"this file cannot be read: {error.strerror or error}")]
    # The file may have grown since it was measured.
    too_big = reading.size_problem(len(data), path)
    return (None, [too_big]) if too_big else (data, [])


def _check_text(text: str, path: str, digest: str | None = None, *, traps: bool = True) -> Checked:
    if len(text) > reading.MAX_BYTES:
        return Checked(None, [reading.size_problem(len(text), path)])  # type: ignore[list-item]
    if digest is None:
        data = text.encode("utf-8", "surrogatepass")
        too_big = reading.size_problem(len(data), path)
        if too_big:
            return Checked(None, [too_big])
        digest = hashlib.sha256(data).hexdigest()
    loader = reading.PackLoader
    builder = PackBuilder(path, text, traps=traps)
    root, problems = reading.compose(text, path, loader)
    if problems:
        return Checked(None, problems)
    pack = builder.build(root)
    problems = builder.problems
    if builder.aliased:
        problems += reading.alias_problems(text, path, loader)
        pack = None
    if pack is not None:
        pack = replace(pack, path=path, sha256=digest)
    return Checked(pack, sort_problems(problems), builder.id_line, builder.id_col)
