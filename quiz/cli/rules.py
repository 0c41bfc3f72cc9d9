"""The teacher's rules for a lesson from the command line: --roster, --time-limit, --extra-time, --attempts.

Read and checked here, each problem said in plain words (exit 2), and handed
to a front end as one `quiz.roster.ClassRules`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from quiz.display import printable
from quiz.roster import ClassRules, RosterError, name_key, read_roster
from quiz.timing import TimeError, parse_extra_time, parse_time_limit


# The commands whose --help lists the four flags: those that take them.
SHOWN_IN_HELP = frozenset({"quiz", "quiz play", "quiz serve"})

HELP = {
    "--roster": "the class list (CSV with name, class, and optional id and extra time columns): students pick their name from it",
    "--time-limit": "a time limit for the test, like 20m or 1h30m (test mode only); the time left is shown, with warnings at 5 and 1 minutes",
    "--extra-time": 'extra time for one student, like "Sam Lee=+50%%" or "Sam Lee=+10m" (repeat for each student)',
    "--attempts": "how many finished attempts of a pack each student may have",
}


def add_rule_flags(parser: argparse.ArgumentParser, *, top: bool = True) -> None:
    """The four flags on `parser`; on a sub-command (`top=False`) they keep what the top level read.

    Listed in --help for the commands in SHOWN_IN_HELP (the app's screens, the
    plain mode, and `quiz serve`'s tabs and pages take them).
    """
    default = None if top else argparse.SUPPRESS
    shown = parser.prog in SHOWN_IN_HELP

    def said(flag: str) -> str:
        return HELP[flag] if shown else argparse.SUPPRESS

    parser.add_argument("--roster", type=Path, metavar="CLASS.csv", default=default, help=said("--roster"))
    parser.add_argument("--time-limit", metavar="TIME", default=default, help=said("--time-limit"))
    parser.add_argument("--extra-time", action="append", metavar="NAME=+50%", default=[] if top else argparse.SUPPRESS, help=said("--extra-time"))
    parser.add_argument("--attempts", type=_attempts, metavar="N", default=default, help=said("--attempts"))


def _attempts(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of attempts, like 1 or 2 (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more: each student needs at least one attempt")
    return value


class RulesError(Exception):
    """The rules cannot be used; `problems` says each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def rules_from(args: argparse.Namespace) -> ClassRules:
    """The ClassRules the command line asks for; raises RulesError with every problem."""
    problems: list[str] = []
    roster = None
    if getattr(args, "roster", None) is not None:
        try:
            roster = read_roster(args.roster)
        except RosterError as exc:
            problems += list(exc.problems)
            problems.append("The class list could not be read. Fix the lines above, or save it again from the spreadsheet as CSV.")
    limit = None
    typed_limit = getattr(args, "time_limit", None)
    if typed_limit is not None:
        try:
            limit = parse_time_limit(typed_limit)
        except TimeError as exc:
            problems.append(f"--time-limit: {exc}")
        if getattr(args, "mode", None) == "practice":
            problems.append("--time-limit is for tests: practice is never timed. Use --mode test, or leave the limit out.")
    extra = {}
    for given in getattr(args, "extra_time", None) or ():
        name, sep, amount = given.rpartition("=")
        name = " ".join(name.split())
        if not sep or not name:
            problems.append(f"--extra-time {given!r}: write the student's name, = and the extra time, like \"Sam Lee=+50%\" or \"Sam Lee=+10m\".")
            continue
        try:
            value = parse_extra_time(amount)
        except TimeError as exc:
            problems.append(f"--extra-time for {name}: {exc}")
            continue
        if value is None:
            problems.append(f"--extra-time for {name}: {amount.strip() or 'nothing'} gives no extra time; leave the flag out for them.")
            continue
        if roster is not None and roster.entry(name) is None:
            problems.append(f"--extra-time: {name} is not on the class list {args.roster.name}; check the spelling.")
            continue
        if name_key(name) in extra:
            problems.append(f"--extra-time: {name} is given extra time twice; give it once.")
            continue
        extra[name_key(name)] = value
    if problems:
        raise RulesError(problems)
    return ClassRules(roster=roster, time_limit=limit, extra_time=extra, attempts=getattr(args, "attempts", None))


def read_rules(args: argparse.Namespace, err: TextIO) -> ClassRules | None:
    """The rules, or None after saying every problem on `err` (the caller exits 2)."""
    try:
        return rules_from(args)
    except RulesError as exc:
        for problem in exc.problems:
            print(printable(problem), file=err)
        return None


