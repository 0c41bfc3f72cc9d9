"""`quiz report`: the gradebook and item analysis of a class's attempts."""

from __future__ import annotations

import argparse
from typing import TextIO


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.locations import results_dir
    from quiz.report import run_report

    paths = args.paths or [results_dir(getattr(args, "results", None))]
    interactive = out.isatty() and args.out is None and args.items is None
    return run_report(
        paths,
        pack=args.pack,
        group=args.group,
        since=args.since,
        attempts=args.attempts,
        out=args.out,
        items=args.items,
        force=args.force,
        interactive=interactive,
        stdout=out,
        stderr=err,
    )
