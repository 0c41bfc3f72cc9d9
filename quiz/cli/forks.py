"""`quiz serve`'s fork server: the quiz prepared once, one forked process for each browser tab.

`quiz serve` runs this module (`python -m quiz.cli.forks ARGS... FD`) before
it listens, with the environment textual-serve gives a tab. It imports
Textual and the quiz's screens, reads the packs, and draws a tab's first
screen once off-screen (quiz.ui.prepared), then hands over to
`quiz.serving.fork.serve_forks`, which forks a child for each tab. The
child runs the quiz `quiz ARGS...` runs (`--served` and the teacher's
options), built the same way (quiz.cli.play), with the stylesheet the
rehearsal read and parsed. See docs/serve.md.
"""

from __future__ import annotations

import sys
from typing import Callable

from quiz.cli.output import EXIT_OK, EXIT_PROBLEMS


def prepare(argv: list[str]) -> Callable[[], int]:
    """Everything every tab's quiz would otherwise do for itself before its first screen.

    Returns what each forked child runs: one tab's quiz, to its end (its exit status).
    """
    from quiz.cli import build_parser
    from quiz import store
    from quiz.cli.play import build_app, lesson_rules
    from quiz.packs import discovery
    from quiz.ui import prepared

    args = build_parser().parse_args(argv)
    rules = lesson_rules(args, sys.stderr)
    if rules is None:
        raise SystemExit(EXIT_PROBLEMS)  # `quiz serve` checks the rules before it starts this
    prepared.prepare()
    # Every tab offers the same packs: they are read here, once.
    discovery.hold()
    stylesheet = prepared.rehearse(build_app(args, None, rules))

    def tab() -> int:
        # The rules are read again, as a spawned tab reads them: a class list changed during the lesson counts.
        rules = lesson_rules(args, sys.stderr)
        if rules is None:
            return EXIT_PROBLEMS
        app = build_app(args, None, rules)
        prepared.share(stylesheet, app)
        # The first attempt's resume code is hashed now, while this tab's quiz may still wait for its
        # student (a spare, quiz.serving.spares), rather than when a whole class presses Start.
        app.next_code = store.code_in_advance()
        try:
            app.run()
        except BrokenPipeError:
            return EXIT_OK  # the tab went while the quiz was writing to it (as `quiz` itself answers it)
        return app.return_code or EXIT_OK

    return tab


def main(argv: list[str] | None = None) -> int:
    from quiz.serving.fork import serve_forks

    argv = list(sys.argv[1:] if argv is None else argv)
    control_fd, quiz_argv = int(argv[-1]), argv[:-1]
    return serve_forks(control_fd, prepare(quiz_argv))


if __name__ == "__main__":
    raise SystemExit(main())
