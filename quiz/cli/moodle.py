"""`quiz import` and `quiz export`: packs to and from Moodle's XML, GIFT and Aiken formats."""

from __future__ import annotations

import argparse
from typing import TextIO

from quiz.cli.output import EXIT_OK, EXIT_PROBLEMS, plural, print_problems, write_whole


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
        print_problems(exc.problems, err)
        return EXIT_PROBLEMS
    for line in imported.report():
        print(line, file=out)
    if not imported.pack.questions:
        print(f"No questions could be imported from {args.file}; nothing was written.", file=err)
        return EXIT_PROBLEMS
    if not write_whole(target, dump_pack(imported.pack), err):
        return EXIT_PROBLEMS
    print(f"Wrote {target}. Add the article as `source:` if you like, then check it with `quiz validate {target}`.", file=out)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from quiz.packs import PackError, find_pack
    from quiz.packs.export import summarise_warnings
    from quiz.packs.gift import write_gift
    from quiz.packs.moodle_xml import write_moodle_xml

    # Refuse before anything else is said: warnings about a file not written are noise.
    if args.out is not None and args.out.exists() and not args.force:
        print(f"{args.out} already exists. Add --force to replace it.", file=err)
        return EXIT_PROBLEMS
    try:
        pack = find_pack(args.pack)
    except PackError as exc:
        print_problems(exc.problems, err)
        return EXIT_PROBLEMS
    writer, name = (write_moodle_xml, "Moodle XML") if args.to == "moodle-xml" else (write_gift, "GIFT")
    text, warnings = writer(pack)
    for line in summarise_warnings(warnings):
        print(f"warning: {line}", file=err)
    if args.out is None:
        out.write(text)
        return EXIT_OK
    if not write_whole(args.out, text, err):
        return EXIT_PROBLEMS
    print(f"Wrote {plural(len(pack.questions), 'question')} as {name} to {args.out}", file=out)
    return EXIT_OK
