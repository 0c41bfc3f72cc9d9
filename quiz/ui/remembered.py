"""What this machine remembers between goes: the class (group) last typed, never a name.

A small JSON file at `locations.settings_file()`. On a shared computer the
next student must not find the last one's name filled in (and press Enter
under it), so only the group is kept; a name an older version wrote there
is removed at the next save. Reading never fails (a missing or broken file
just means nothing is remembered) and writing is best effort: forgetting a
class is not worth interrupting a student.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from quiz import locations, store


@dataclass(frozen=True)
class Remembered:
    group: str = ""


def load() -> Remembered:
    try:
        data = json.loads(locations.settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Remembered()
    if not isinstance(data, dict):
        return Remembered()
    group = data.get("group")
    return Remembered(group if isinstance(group, str) else "")


def save(remembered: Remembered) -> None:
    path = locations.settings_file()
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    if not isinstance(existing, dict):
        existing = {}
    # Keep any other settings another part of the quiz may have written, but no student's name.
    existing.pop("student", None)
    existing["group"] = remembered.group
    try:
        store.write_atomic(path, (json.dumps(existing, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except OSError:
        pass
