"""`quiz serve`'s fork server: the quiz prepared once, one forked process for each browser tab.

`quiz serve` runs this module (`python -m quiz.cli.forks ARGS... FD`) before
it listens, with the environment textual-serve gives a tab. It imports
Textual and the quiz's screens, reads the packs and parses the stylesheet,
then hands over to `quiz.serving.fork.serve_forks`, which forks a child for
each tab; the child runs `quiz ARGS...` (`--served` and the teacher's
options) exactly as a spawned tab would. See docs/serve.md.
"""

from __future__ import annotations

import sys


def prepare(argv: list[str]) -> None:
    """Everything every tab's quiz would otherwise do for itself before its first screen."""
    from quiz.cli import build_parser
    from quiz.packs import discovery
    from quiz.ui.prepared import prepare as prepare_screens

    build_parser().parse_args(argv)
    prepare_screens()
    # Every tab offers the same packs: they are read here, once.
    discovery.hold()


def main(argv: list[str] | None = None) -> int:
    from quiz.serving.fork import serve_forks

    argv = list(sys.argv[1:] if argv is None else argv)
    control_fd, quiz_argv = int(argv[-1]), argv[:-1]
    prepare(quiz_argv)

    def run() -> int:
        from quiz.cli import main as quiz_main

        return quiz_main(quiz_argv)

    return serve_forks(control_fd, run)


if __name__ == "__main__":
    raise SystemExit(main())
