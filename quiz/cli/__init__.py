"""The `quiz` command line: the student's quiz and the teacher's tools.

This package is the top floor: the parser and the dispatch are here, and one
module per command family beside them (play, packs, moodle, report, serve).
Only these modules start an app, print to people, or return exit codes.

Commands that need no screen (validate, packs, new, import, export, report
to a file) never import Textual, so they start fast and work over ssh, in
scripts and in CI.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from quiz import __version__
from quiz.cli.output import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS
from quiz.cli.rules import add_rule_flags

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "build_parser", "dispatch", "main"]

EPILOG = """\
commands:
  quiz                        pick a pack, type your name, play
  quiz play PACK              go straight to a pack (an id from `quiz packs`, or a file)
  quiz packs                  list installed packs;  quiz packs add FILE  installs one
  quiz packs remove ID        removes one you added (never one that comes with the quiz)
  quiz validate PATH...       check packs (files or folders)
  quiz new FILE               write a commented starter pack
  quiz import FILE            turn Moodle XML, GIFT or Aiken questions into a pack
  quiz export PACK --to gift|moodle-xml   write a pack for Moodle
  quiz report [DIR|FILE...]   gradebook and item analysis of a class's attempts
  quiz serve                  the same quiz in every student's browser (needs the serve extra)
  quiz --plain, quiz play PACK --plain   the quiz as plain lines, for screen readers
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quiz",
        description="A quiz that teaches you to read the news critically.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    parser.add_argument("--results", metavar="DIR", help="folder for attempt files (default: $QUIZ_RESULTS, else your user data folder)")
    parser.add_argument("--plain", action="store_true", help="the quiz as plain lines, for screen readers and braille displays (also when TERM=dumb)")
    # Hidden: `quiz serve` runs each browser tab's quiz with these; nobody types them.
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only-pack", dest="only_packs", action="append", metavar="ID", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("practice", "test"), default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    add_rule_flags(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play one pack", description="Go straight to a pack.")
    play.add_argument("pack", metavar="PACK", help="a pack id (see `quiz packs`) or a pack file")
    play.add_argument("--student", metavar="NAME", help="your name, as your teacher will see it")
    play.add_argument("--group", metavar="G", default="", help="your class or group, e.g. 10B")
    play.add_argument("--mode", choices=("practice", "test"), help="practice explains each answer; test waits until the end")
    play.add_argument("--seed", type=int, metavar="N", help="fix the order of questions and options")
    play.add_argument("--confidence", action="store_true", default=None, help="ask how sure you are after each answer")
    play.add_argument("--results", metavar="DIR", default=argparse.SUPPRESS, help="folder for attempt files")
    play.add_argument("--plain", action="store_true", default=argparse.SUPPRESS, help="plain lines for screen readers and braille displays (also when TERM=dumb)")
    add_rule_flags(play, top=False)

    packs = sub.add_parser(
        "packs",
        help="list installed packs, add one or remove one",
        description="List installed packs, add one, or remove one you added.",
    )
    packs_sub = packs.add_subparsers(dest="packs_command", metavar="add|remove")
    add = packs_sub.add_parser("add", help="validate a pack and copy it into your packs folder")
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--force", action="store_true", help="replace an installed pack file of the same name")
    remove = packs_sub.add_parser("remove", help="remove a pack from your packs folder (never one that comes with the quiz)")
    remove.add_argument("pack_id", metavar="ID", help="the pack's id, as `quiz packs` lists it")

    validate = sub.add_parser("validate", help="check packs for mistakes", description="Check packs (files or folders). Exit 0 when clean (warnings allowed), 2 when there are errors.")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="count warnings (traps in writing questions) as errors")

    new = sub.add_parser("new", help="write a commented starter pack", description="Write a commented starter pack that uses every question type.")
    new.add_argument("file", type=Path, metavar="FILE")

    imp = sub.add_parser("import", help="turn Moodle XML, GIFT or Aiken questions into a pack", description="Turn Moodle XML, GIFT or Aiken questions into a pack that validates.")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("-o", "--out", type=Path, metavar="OUT", help="the pack file to write (default: FILE with .yaml)")
    imp.add_argument("--format", choices=("moodle-xml", "gift", "aiken"), help="the input's format (default: guessed from the file)")
    imp.add_argument("--id", dest="pack_id", metavar="ID", help="the new pack's id (default: from the file name)")
    imp.add_argument("--title", metavar="T", help="the new pack's title")
    imp.add_argument("--force", action="store_true", help="replace OUT if it exists")

    exp = sub.add_parser("export", help="write a pack as Moodle XML or GIFT", description="Write a pack as Moodle XML or GIFT.")
    exp.add_argument("pack", metavar="PACK", help="a pack id or a pack file")
    exp.add_argument("--to", choices=("moodle-xml", "gift"), required=True, help="the format to write")
    exp.add_argument("-o", "--out", type=Path, metavar="OUT", help="the file to write (default: print it)")
    exp.add_argument("--force", action="store_true", help="replace OUT if it exists")

    rep = sub.add_parser("report", help="gradebook and item analysis", description="Gradebook and item analysis of a class's attempt files.")
    rep.add_argument("paths", nargs="*", type=Path, metavar="DIR|FILE", help="attempt files or folders (default: the results folder)")
    rep.add_argument("--pack", metavar="ID", help="only this pack")
    rep.add_argument("--group", metavar="G", help="only this class or group")
    rep.add_argument("--since", metavar="DATE", help="only attempts started on or after this date (YYYY-MM-DD)")
    rep.add_argument("--attempts", choices=("last", "first", "best", "all"), default="last", help="which of a student's attempts count (default: last finished)")
    rep.add_argument("--out", type=Path, metavar="FILE", help="write the gradebook: .csv, .json or .md")
    rep.add_argument("--for", dest="system", choices=("moodle", "canvas"), help="with --out FILE.csv: the grades as Moodle's or Canvas's gradebook import takes them (one row a student, matched by the ID from the class list)")
    rep.add_argument("--roster", type=Path, metavar="CLASS.csv", help="the class list: gives --for the IDs of students whose attempts were made without it")
    rep.add_argument("--items", type=Path, metavar="FILE.csv", help="write the item analysis as CSV")
    rep.add_argument("--force", action="store_true", help="replace output files that exist")
    rep.add_argument("--results", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    srv = sub.add_parser("serve", help="the quiz in every student's browser", description="Serve the quiz to the class's browsers: each tab is one student's quiz, and every attempt is saved in the results folder. Needs the serve extra: pip install 'media-literacy-quiz[serve]'.")
    srv.add_argument("--host", default="127.0.0.1", help="where to listen (default: 127.0.0.1, this computer only; 0.0.0.0 for the class network)")
    srv.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    srv.add_argument("--pack", dest="packs", action="append", metavar="ID", default=[], help="offer only this pack (repeat for more; default: every installed pack)")
    srv.add_argument("--mode", choices=("practice", "test"), help="set the mode for everyone: test explains answers only at the end")
    srv.add_argument("--results", metavar="DIR", default=argparse.SUPPRESS, help="folder for the class's attempt files")
    srv.add_argument("--public-url", metavar="URL", help="the address students type, if it differs from this computer's (behind a proxy, say)")
    srv.add_argument("--qr", action="store_true", help="show the address as a QR code too, for tablets (not for this computer's own address)")
    srv.add_argument("--max-sessions", type=_positive_int, default=60, metavar="N", help="at most N browser tabs at once; more get a page saying the class is full (default: 60, what a 2-core laptop holds)")
    srv.add_argument("--idle-minutes", type=_minutes, default=30.0, metavar="M", help="close a tab nobody has used for M minutes; its answers are saved and it carries on with its code (default: 30; 0: never)")
    srv.add_argument("--ready", type=_whole_number, default=None, metavar="N", help="keep N tabs' quizzes started and waiting, so a class arriving at once finds them ready (default: one per student on --roster, at most 30, else 30; 0: none; each takes about 16 MB of memory)")
    srv.add_argument("--spawn", dest="warm", action="store_false", help="start each tab's quiz in a fresh Python instead of forking it from one prepared once (slower; for comparison)")
    add_rule_flags(srv, top=False)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more (got {text!r})")
    return value


def _minutes(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of minutes, 0 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names (default: the process's arguments) and return its exit code."""
    args = build_parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        return dispatch(args, out, err)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `quiz packs | head` closed the pipe: not an error worth a traceback.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK


def dispatch(args: argparse.Namespace, out, err) -> int:
    """Hand the parsed command to its module.

    Each module is imported only when its command runs, so `quiz validate`
    never loads the quiz's screens and `quiz play` never loads the report.
    """
    if args.command is None:
        from quiz.cli.play import run_app

        return run_app(args, pack=None, err=err)
    if args.command == "play":
        from quiz.cli.play import cmd_play

        return cmd_play(args, err)
    if args.command in ("packs", "validate", "new"):
        from quiz.cli import packs

        if args.command == "validate":
            return packs.cmd_validate(args.paths, out, err, strict=args.strict)
        if args.command == "new":
            return packs.cmd_new(args.file, out, err)
        if args.packs_command == "add":
            return packs.cmd_packs_add(args.file, args.force, out, err)
        if args.packs_command == "remove":
            return packs.cmd_packs_remove(args.pack_id, out, err)
        return packs.cmd_packs(out, err)
    if args.command in ("import", "export"):
        from quiz.cli import moodle

        return moodle.cmd_import(args, out, err) if args.command == "import" else moodle.cmd_export(args, out, err)
    if args.command == "report":
        from quiz.cli.report import cmd_report

        return cmd_report(args, out, err)
    if args.command == "serve":
        from quiz.cli.serve import cmd_serve

        return cmd_serve(args, out, err)
    return EXIT_OK
