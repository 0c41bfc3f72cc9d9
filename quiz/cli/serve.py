"""`quiz serve`: the quiz in every student's browser, with the teacher's live view."""

from __future__ import annotations

import argparse
from typing import TextIO


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.locations import results_dir
    from quiz.serve import Lesson, serve

    lesson = Lesson(
        results_dir=results_dir(getattr(args, "results", None)).absolute(),
        host=args.host,
        port=args.port,
        packs=tuple(args.packs),
        mode=args.mode,
        public_url=args.public_url,
        qr=args.qr,
    )
    return serve(lesson, out=out, err=err)
