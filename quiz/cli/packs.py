"""`quiz packs`, `quiz packs add`, `quiz packs remove`, `quiz validate` and `quiz new`: the teacher's packs."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from quiz.cli.output import EXIT_OK, EXIT_PROBLEMS, plural, print_problems, print_table

PACK_SUFFIXES = (".yaml", ".yml")


def cmd_packs(out: TextIO, err: TextIO) -> int:
    from quiz.packs import discover

    catalog = discover()
    print_problems(catalog.problems, err)
    if not catalog.packs:
        print("No packs are installed. `quiz new my-pack.yaml` writes one to start from.", file=out)
        return EXIT_OK
    rows = [("ID", "TITLE", "QUESTIONS", "SKILLS", "FOUND IN")]
    for found in catalog.packs:
        p = found.pack
        rows.append((p.id, p.title, str(len(p.questions)), ", ".join(p.skills_used), f"{found.where}: {found.path}"))
    print_table(rows, out, right_aligned={2})
    return EXIT_OK


def cmd_packs_add(file: Path, force: bool, out: TextIO, err: TextIO) -> int:
    import shutil

    from quiz.locations import user_packs_dir
    from quiz.packs import check_file

    pack, problems = check_file(file)
    print_problems(problems, err)
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


def cmd_packs_remove(pack_id: str, out: TextIO, err: TextIO) -> int:
    """Remove a pack from the user packs folder, and say what went; never a bundled pack.

    No question is asked: a command line tool says what it removed, and
    `quiz packs add` puts it back from the teacher's own copy.
    """
    from quiz.locations import user_packs_dir
    from quiz.packs import check_file, discover

    folder = user_packs_dir()
    mine = []
    if folder.is_dir():
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() not in PACK_SUFFIXES or not file.is_file():
                continue
            pack, _ = check_file(file)
            # A broken file has no id to read: its name, as `quiz packs add` chose it, stands in.
            if (pack.id if pack is not None else file.stem) == pack_id:
                mine.append((file, pack))
    catalog = discover()
    if mine:
        for file, pack in mine:
            file.unlink()
            what = f"{pack.title!r} ({pack_id})" if pack is not None else f"the pack file for {pack_id!r}"
            print(f"Removed {what} from your packs folder: {file}", file=out)
        other = catalog.get(pack_id)
        if other is not None and other.path not in {f for f, _ in mine}:
            print(f"The {other.where} pack {pack_id!r} ({other.path}) is still installed.", file=out)
        return EXIT_OK
    found = catalog.get(pack_id)
    if found is not None and found.where == "bundled":
        print(
            f"{pack_id!r} comes with the quiz and cannot be removed: `quiz packs remove` only removes "
            "packs added with `quiz packs add`.",
            file=err,
        )
    elif found is not None:
        print(
            f"{pack_id!r} is not in your packs folder but at {found.path} ({found.where}): "
            "delete or move that file yourself.",
            file=err,
        )
    else:
        print(
            f"No pack with the id {pack_id!r} is in your packs folder ({folder}). "
            "`quiz packs` lists the installed packs and where each was found.",
            file=err,
        )
    return EXIT_PROBLEMS


def cmd_validate(paths: list[Path], out: TextIO, err: TextIO, strict: bool = False) -> int:
    from dataclasses import replace

    from quiz.packs import check_file

    files, missing = pack_files(paths)
    errors = len(missing)
    for m in missing:
        print(m, file=err)
    packs = questions = 0
    seen: dict[str, Path] = {}
    for f in files:
        pack, problems = check_file(f)
        if strict:
            # --strict: a warning is an error, and reads as one.
            problems = [replace(p, severity="error") for p in problems]
        print_problems(problems, err)
        errors += sum(1 for p in problems if p.severity == "error")
        if pack is not None:
            packs += 1
            questions += len(pack.questions)
            if pack.id in seen:
                print(f"{f}: warning: pack id {pack.id!r} is also used by {seen[pack.id]}; only one of them can be installed", file=err)
            seen.setdefault(pack.id, f)
    print(f"{plural(packs, 'pack')}, {plural(questions, 'question')}, {plural(errors, 'error')}", file=out)
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


def pack_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
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
