"""The `quiz` command line: the student's quiz and the teacher's tools.

Commands that need no screen (validate, packs, new, import, export, report
to a file) never import Textual, so they start fast and work over ssh, in
scripts and in CI.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import Sequence, TextIO

from quiz import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 2

EPILOG = """\
commands:
  quiz                        pick a pack, type your name, play
  quiz play PACK              go straight to a pack (an id from `quiz packs`, or a file)
  quiz packs                  list installed packs;  quiz packs add FILE  installs one
  quiz validate PATH...       check packs (files or folders)
  quiz new FILE               write a commented starter pack
  quiz import FILE            turn Moodle GIFT or Aiken questions into a pack
  quiz export PACK --to gift  write a pack as Moodle GIFT
  quiz report [DIR|FILE...]   gradebook and item analysis of a class's attempts
  quiz serve                  the same quiz in every student's browser (needs the serve extra)
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
    # Hidden: `quiz serve` runs each browser tab's quiz with these; nobody types them.
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only-pack", dest="only_packs", action="append", metavar="ID", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("practice", "test"), default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play one pack", description="Go straight to a pack.")
    play.add_argument("pack", metavar="PACK", help="a pack id (see `quiz packs`) or a pack file")
    play.add_argument("--student", metavar="NAME", help="your name, as your teacher will see it")
    play.add_argument("--group", metavar="G", default="", help="your class or group, e.g. 10B")
    play.add_argument("--mode", choices=("practice", "test"), help="practice explains each answer; test waits until the end")
    play.add_argument("--seed", type=int, metavar="N", help="fix the order of questions and options")
    play.add_argument("--confidence", action="store_true", default=None, help="ask how sure you are after each answer")
    play.add_argument("--results", metavar="DIR", default=argparse.SUPPRESS, help="folder for attempt files")

    packs = sub.add_parser("packs", help="list installed packs, or add one", description="List installed packs, or add one.")
    packs_sub = packs.add_subparsers(dest="packs_command", metavar="add")
    add = packs_sub.add_parser("add", help="validate a pack and copy it into your packs folder")
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--force", action="store_true", help="replace an installed pack file of the same name")

    validate = sub.add_parser("validate", help="check packs for mistakes", description="Check packs (files or folders). Exit 0 when clean, 2 when there are errors.")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    new = sub.add_parser("new", help="write a commented starter pack", description="Write a commented starter pack that uses every question type.")
    new.add_argument("file", type=Path, metavar="FILE")

    imp = sub.add_parser("import", help="turn Moodle GIFT or Aiken questions into a pack", description="Turn Moodle GIFT or Aiken questions into a pack that validates.")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("-o", "--out", type=Path, metavar="OUT", help="the pack file to write (default: FILE with .yaml)")
    imp.add_argument("--format", choices=("gift", "aiken"), help="the input's format (default: guessed from the file)")
    imp.add_argument("--id", dest="pack_id", metavar="ID", help="the new pack's id (default: from the file name)")
    imp.add_argument("--title", metavar="T", help="the new pack's title")
    imp.add_argument("--force", action="store_true", help="replace OUT if it exists")

    exp = sub.add_parser("export", help="write a pack as Moodle GIFT", description="Write a pack as Moodle GIFT.")
    exp.add_argument("pack", metavar="PACK", help="a pack id or a pack file")
    exp.add_argument("--to", choices=("gift",), required=True, help="the format to write")
    exp.add_argument("-o", "--out", type=Path, metavar="OUT", help="the file to write (default: print it)")
    exp.add_argument("--force", action="store_true", help="replace OUT if it exists")

    rep = sub.add_parser("report", help="gradebook and item analysis", description="Gradebook and item analysis of a class's attempt files.")
    rep.add_argument("paths", nargs="*", type=Path, metavar="DIR|FILE", help="attempt files or folders (default: the results folder)")
    rep.add_argument("--pack", metavar="ID", help="only this pack")
    rep.add_argument("--group", metavar="G", help="only this class or group")
    rep.add_argument("--since", metavar="DATE", help="only attempts started on or after this date (YYYY-MM-DD)")
    rep.add_argument("--attempts", choices=("last", "first", "best", "all"), default="last", help="which of a student's attempts count (default: last finished)")
    rep.add_argument("--out", type=Path, metavar="FILE", help="write the gradebook: .csv, .json or .md")
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
    srv.add_argument("--qr", action="store_true", help="show the address as a QR code too, for tablets")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in (None, "play"):
        return _command(args)
    # Importing Textual and the quiz, then building the first screen, makes a
    # few hundred thousand objects that live as long as the process; the cycle
    # collector walking them again and again was a fifth of start-up. It stays
    # off until the first screen is drawn (see QuizApp.on_mount), and comes
    # back here whatever happened before that (a pack that would not open, say).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _command(args)
    finally:
        if paused:
            gc.enable()


def _command(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    try:
        if args.command is None:
            return _run_app(args, pack=None)
        if args.command == "play":
            return cmd_play(args, err)
        if args.command == "packs":
            if args.packs_command == "add":
                return cmd_packs_add(args.file, args.force, out, err)
            return cmd_packs(out, err)
        if args.command == "validate":
            return cmd_validate(args.paths, out, err)
        if args.command == "new":
            return cmd_new(args.file, out, err)
        if args.command == "import":
            return cmd_import(args, out, err)
        if args.command == "export":
            return cmd_export(args, out, err)
        if args.command == "report":
            return cmd_report(args, out, err)
        if args.command == "serve":
            return cmd_serve(args, out, err)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `quiz packs | head` closed the pipe: not an error worth a traceback.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    return EXIT_OK


# -- the student's quiz ------------------------------------------------------


def cmd_play(args: argparse.Namespace, err: TextIO) -> int:
    from quiz.packs import PackError, find_pack

    try:
        pack = find_pack(args.pack)
    except PackError as exc:
        _print_problems(exc.problems, err)
        print(f"Could not open the pack {args.pack!r}. `quiz packs` lists the installed ones.", file=err)
        return EXIT_PROBLEMS
    return _run_app(args, pack=pack)


def _run_app(args: argparse.Namespace, pack) -> int:
    from quiz.locations import extra_pack_paths, results_dir
    from quiz.ui.app import make_app

    app = make_app(
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
    )
    app.run()
    return app.return_code or EXIT_OK


# -- packs -------------------------------------------------------------------


def cmd_packs(out: TextIO, err: TextIO) -> int:
    from quiz.packs import discover

    catalog = discover()
    _print_problems(catalog.problems, err)
    if not catalog.packs:
        print("No packs are installed. `quiz new my-pack.yaml` writes one to start from.", file=out)
        return EXIT_OK
    rows = [("ID", "TITLE", "QUESTIONS", "SKILLS", "FOUND IN")]
    for found in catalog.packs:
        p = found.pack
        rows.append((p.id, p.title, str(len(p.questions)), ", ".join(p.skills_used), f"{found.where}: {found.path}"))
    _print_table(rows, out, right_aligned={2})
    return EXIT_OK


def cmd_packs_add(file: Path, force: bool, out: TextIO, err: TextIO) -> int:
    import shutil

    from quiz.locations import user_packs_dir
    from quiz.packs import check_file

    pack, problems = check_file(file)
    _print_problems(problems, err)
    if pack is None:
        print(f"{file} was not added: fix the errors above, then run `quiz packs add {file}` again.", file=err)
        return EXIT_PROBLEMS
    target_dir = user_packs_dir()
    target = target_dir / f"{pack.id}{file.suffix or '.yaml'}"
    if target.exists() and not force:
        print(f"A pack file {target} is already installed. Add --force to replace it.", file=err)
        return EXIT_PROBLEMS
    target_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, target)
    print(f"Added {pack.title!r} ({len(pack.questions)} questions) as {target}", file=out)
    return EXIT_OK


def cmd_validate(paths: list[Path], out: TextIO, err: TextIO) -> int:
    from quiz.packs import check_file

    files, missing = _pack_files(paths)
    errors = len(missing)
    for m in missing:
        print(m, file=err)
    packs = questions = 0
    seen: dict[str, Path] = {}
    for f in files:
        pack, problems = check_file(f)
        _print_problems(problems, err)
        errors += sum(1 for p in problems if p.severity == "error")
        if pack is not None:
            packs += 1
            questions += len(pack.questions)
            if pack.id in seen:
                print(f"{f}: warning: pack id {pack.id!r} is also used by {seen[pack.id]}; only one of them can be installed", file=err)
            seen.setdefault(pack.id, f)
    print(f"{_plural(packs, 'pack')}, {_plural(questions, 'question')}, {_plural(errors, 'error')}", file=out)
    return EXIT_PROBLEMS if errors else EXIT_OK


def cmd_new(file: Path, out: TextIO, err: TextIO) -> int:
    from quiz.packs.starter import SCHEMA_PATH, starter_text

    if file.exists():
        print(f"{file} already exists; `quiz new` never overwrites a file. Choose another name.", file=err)
        return EXIT_PROBLEMS
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(file, "x", encoding="utf-8", newline="\n") as fh:
            # Point editors at the schema installed with the quiz, which they can open.
            fh.write(starter_text(SCHEMA_PATH.as_uri()))
    except OSError as exc:
        print(f"Could not write {file}: {exc.strerror or exc}", file=err)
        return EXIT_PROBLEMS
    print(f"Wrote {file}. Edit it, then check it with `quiz validate {file}`.", file=out)
    return EXIT_OK


# -- Moodle formats ----------------------------------------------------------


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.packs import PackError
    from quiz.packs.imported import import_file
    from quiz.packs.writer import dump_pack

    target = args.out or args.file.with_suffix(".yaml")
    if target.exists() and not args.force:
        print(f"{target} already exists. Add --force to replace it, or choose another name with -o.", file=err)
        return EXIT_PROBLEMS
    try:
        imported = import_file(args.file, fmt=args.format, pack_id=args.pack_id, title=args.title)
    except PackError as exc:
        _print_problems(exc.problems, err)
        return EXIT_PROBLEMS
    for line in imported.report():
        print(line, file=out)
    if not imported.pack.questions:
        print(f"No questions could be imported from {args.file}; nothing was written.", file=err)
        return EXIT_PROBLEMS
    if not _write_whole(target, dump_pack(imported.pack), err):
        return EXIT_PROBLEMS
    print(f"Wrote {target}. Add the article as `source:` if you like, then check it with `quiz validate {target}`.", file=out)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.packs import PackError, find_pack
    from quiz.packs.gift import write_gift

    try:
        pack = find_pack(args.pack)
    except PackError as exc:
        _print_problems(exc.problems, err)
        return EXIT_PROBLEMS
    text, warnings = write_gift(pack)
    for w in warnings:
        print(f"warning: {w}", file=err)
    if args.out is None:
        out.write(text)
        return EXIT_OK
    if args.out.exists() and not args.force:
        print(f"{args.out} already exists. Add --force to replace it.", file=err)
        return EXIT_PROBLEMS
    if not _write_whole(args.out, text, err):
        return EXIT_PROBLEMS
    print(f"Wrote {_plural(len(pack.questions), 'question')} as GIFT to {args.out}", file=out)
    return EXIT_OK


# -- the teacher's report ----------------------------------------------------


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


# -- the quiz in the class's browsers -----------------------------------------


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


# -- printing ----------------------------------------------------------------


def _write_whole(path: Path, text: str, err: TextIO) -> bool:
    """Write `text` whole or not at all; on failure say why, plainly, and return False."""
    from quiz.store import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"Could not write {path}: {exc.strerror or exc}", file=err)
        return False
    return True


PACK_SUFFIXES = (".yaml", ".yml")


def _pack_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The pack files named, or found in folders named; and a message for each path that is missing."""
    files: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(f for f in path.rglob("*") if f.suffix.lower() in PACK_SUFFIXES and f.is_file()))
        elif path.exists():
            files.append(path)
        else:
            missing.append(f"{path}: no such file or folder")
    return files, missing


def _print_problems(problems, err: TextIO) -> None:
    for p in problems:
        print(str(p), file=err)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _print_table(rows: list[tuple[str, ...]], out: TextIO, right_aligned: set[int] = frozenset()) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right_aligned else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip(), file=out)


if __name__ == "__main__":
    raise SystemExit(main())
