"""What this machine remembers between goes: the student's name and group.

A small JSON file at `locations.settings_file()`. Reading never fails (a
missing or broken file just means nothing is remembered) and writing is
best effort: forgetting a name is not worth interrupting a student.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from quiz import locations, store


@dataclass(frozen=True)
class Remembered:
    student: str = ""
    group: str = ""


def load() -> Remembered:
    try:
        data = json.loads(locations.settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Remembered()
    if not isinstance(data, dict):
        return Remembered()
    return Remembered(str(data.get("student") or ""), str(data.get("group") or ""))


def save(remembered: Remembered) -> None:
    path = locations.settings_file()
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    if not isinstance(existing, dict):
        existing = {}
    # Keep any other settings another part of the quiz may have written.
    existing.update(student=remembered.student, group=remembered.group)
    try:
        store.write_atomic(path, (json.dumps(existing, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except OSError:
        pass
