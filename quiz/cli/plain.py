"""`quiz --plain` and `quiz play PACK --plain`: the quiz as plain lines, for screen readers.

Also chosen without the flag when the terminal says it cannot move the
cursor (TERM=dumb), except in `quiz serve`'s browser tabs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def wants_plain(args: argparse.Namespace) -> bool:
    if getattr(args, "served", False):
        return False
    return bool(getattr(args, "plain", False)) or os.environ.get("TERM", "") == "dumb"


def run_plain(args: argparse.Namespace, pack, rules=None) -> int:
    """The quiz as lines on this process's streams, from `pack` (None: the student picks one).

    `rules` is the teacher's quiz.roster.ClassRules (class list, time limit, attempts).
    """
    from quiz import plain
    from quiz.locations import extra_pack_paths, results_dir
    from quiz.roster import ClassRules

    for stream in (sys.stdin, sys.stdout):
        # A braille console in another encoding, or bytes that are not UTF-8, must not end the quiz.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    common = dict(
        student=getattr(args, "student", None),
        group=getattr(args, "group", "") or "",
        mode=getattr(args, "mode", None),
        seed=getattr(args, "seed", None),
        confidence=getattr(args, "confidence", None),
        results_dir=results_dir(getattr(args, "results", None)),
        rules=rules or ClassRules(),
        stdin=sys.stdin,
        stdout=sys.stdout,
    )
    if pack is not None:
        return plain.play(pack, **common)
    from quiz.packs import discover

    catalog = discover(extra_pack_paths())
    broken = sorted({Path(p).name for p in catalog.broken})
    return plain.choose(packs=[f.pack for f in catalog.packs], broken=broken, **common)
