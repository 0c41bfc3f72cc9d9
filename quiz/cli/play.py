"""`quiz` and `quiz play`: build the student's app and run it."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from quiz.cli.output import EXIT_OK, EXIT_PROBLEMS, print_problems
from quiz.cli.rules import read_rules


def cmd_play(args: argparse.Namespace, err: TextIO) -> int:
    from quiz.packs import PackError, find_pack

    try:
        pack = find_pack(args.pack)
    except PackError as exc:
        print_problems(exc.problems, err)
        print(f"Could not open the pack {args.pack!r}. `quiz packs` lists the installed ones.", file=err)
        return EXIT_PROBLEMS
    return run_app(args, pack=pack, err=err)


def run_app(args: argparse.Namespace, pack, err: TextIO | None = None) -> int:
    """The quiz on this terminal, from `pack` (None: the student picks one on the home screen)."""
    from quiz.cli.plain import run_plain, wants_plain

    err = err or sys.stderr
    rules = lesson_rules(args, err)
    if rules is None:
        return EXIT_PROBLEMS
    if wants_plain(args):
        return run_plain(args, pack, rules)
    app = build_app(args, pack, rules)
    app.run()
    return app.return_code or EXIT_OK


def lesson_rules(args: argparse.Namespace, err: TextIO):
    """The teacher's rules from `args` (None after saying what is wrong on `err`); a time limit makes it a test."""
    rules = read_rules(args, err)
    if rules is not None and rules.time_limit and getattr(args, "mode", None) is None:
        args.mode = "test"  # a time limit is for a test
    return rules


def build_app(args: argparse.Namespace, pack, rules):
    """The app `run_app` runs (`quiz serve`'s fork server builds each tab's the same way)."""
    from quiz.locations import extra_pack_paths, results_dir
    from quiz.ui.app import make_app

    return make_app(
        pack=pack,
        results_dir=results_dir(getattr(args, "results", None)),
        student=getattr(args, "student", None),
        group=getattr(args, "group", "") or "",
        mode=getattr(args, "mode", None),
        seed=getattr(args, "seed", None),
        confidence=getattr(args, "confidence", None),
        extra_pack_paths=extra_pack_paths(),
        # One browser tab of `quiz serve`: only the teacher's packs, nothing written where a student says.
        served=getattr(args, "served", False),
        only_packs=list(getattr(args, "only_packs", None) or ()),
        rules=rules,
    )
