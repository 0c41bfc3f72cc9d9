"""How fast the student's quiz starts and answers, and how much memory it takes.

Run it with the project's Python: `python benchmarks/bench_tui.py [--runs N]`.
It prints, and is not a test (timings depend on the machine):

1. Start-up in a real terminal (a pty read with pyte): from launching
   `quiz play warm-up --student X` until "Question 1 of" is on screen,
   against a bare Textual app (Header, Static, Footer) launched and measured
   the same way in the same run, with Python's garbage collector left as
   it is and the pack read from its YAML on every launch. Target: at most
   1.6x the bare app.
2. Resident memory (VmRSS from /proc) while the first question is being read,
   half a second after it appeared, against the bare app's measured the same
   way. Target: at most 1.3x. The peak (VmHWM) is printed beside it: it
   includes the 16 MiB that scrypt works in while it hashes the attempt's
   resume code, in a thread, as the quiz starts. That buffer is freed when the
   hash is done, which may be just before or just after the first question is
   on screen, so the memory "at that moment" measured the hash's progress
   rather than what the quiz holds.
3. Answer to feedback: from the enter that submits an answer until the
   screen has been drawn with its feedback, under Pilot (the end of the
   screen's own repaint) and in the real terminal (until
   "✓ Right" is on the pty's screen), beside a bare app changing one label
   on a key, measured the same way: the cost of the pty and pyte themselves.
   Target: median under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pexpect
import pyte

REPO = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 80, 24

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        BINDINGS = [("x", "flip", "Flip")]
        flips = 0

        def compose(self):
            yield Header()
            yield Static("Question 1 of 1: bare app ready", id="words")
            yield Footer()

        def action_flip(self):
            # The least a key can do: change one label. Calibrates the pty measure.
            self.flips += 1
            self.query_one("#words").update(f"✓ Right {self.flips}")

    Bare().run()
    """
)


SETTLE_SECONDS = 0.5  # after the first screen, before its memory is read


def rss_and_peak_kib(pid: int) -> tuple[int, int]:
    """Resident memory now and at its peak so far (VmRSS, VmHWM), in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found.get("VmRSS", 0), found.get("VmHWM", 0)


class Pty:
    """A program in a pseudo-terminal, its screen read with pyte."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(LINES, COLUMNS))

    def wait_for(self, words: str, timeout: float = 10.0, poll: float = 0.002) -> float:
        """perf_counter() when `words` are first on the screen."""
        deadline = time.perf_counter() + timeout
        while not any(words in line for line in self.screen.display):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{words!r} never appeared:\n" + "\n".join(self.screen.display))
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=poll))
            except pexpect.TIMEOUT:
                pass
        return time.perf_counter()

    def close(self) -> None:
        self.child.terminate(force=True)


def time_to_screen(argv: list[str], words: str, env: dict[str, str], timeout: float = 30) -> tuple[float, tuple[int, int]]:
    """Seconds from spawning `argv` in a pty until `words` is on its screen, and its rss_and_peak_kib
    half a second later (the timing is taken first: the wait costs it nothing)."""
    start = time.perf_counter()
    pty = Pty(argv, env)
    try:
        elapsed = pty.wait_for(words, timeout, poll=0.005) - start
        time.sleep(SETTLE_SECONDS)
        return elapsed, rss_and_peak_kib(pty.child.pid)
    finally:
        pty.close()


def startup(runs: int) -> None:
    quiz = Path(sys.executable).with_name("quiz")
    quiz_cmd = str(quiz) if quiz.exists() else shutil.which("quiz")
    if not quiz_cmd:
        sys.exit("the quiz console script is not installed: pip install -e .")
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        env = dict(os.environ, TERM="xterm-256color", QUIZ_RESULTS=str(Path(tmp) / "results"))
        env.pop("TEXTUAL", None)
        quiz_argv = [quiz_cmd, "play", "warm-up", "--student", "X", "--seed", "1"]
        bare_argv = [sys.executable, str(bare)]
        # One unmeasured launch of each fills the OS file cache for both.
        time_to_screen(quiz_argv, "Question 1 of", env)
        time_to_screen(bare_argv, "bare app ready", env)
        quiz_times, bare_times, quiz_memory, bare_memory = [], [], [], []
        for _ in range(runs):
            seconds, memory = time_to_screen(quiz_argv, "Question 1 of", env)
            quiz_times.append(seconds)
            quiz_memory.append(memory)
            seconds, memory = time_to_screen(bare_argv, "bare app ready", env)
            bare_times.append(seconds)
            bare_memory.append(memory)
    q, b = (statistics.median(t) for t in (quiz_times, bare_times))
    qm, bm = (statistics.median(rss for rss, _ in m) for m in (quiz_memory, bare_memory))
    qp, bp = (statistics.median(peak for _, peak in m) for m in (quiz_memory, bare_memory))
    print(f"start-up to first question  quiz {q * 1000:6.0f} ms   bare app {b * 1000:6.0f} ms   ratio {q / b:.2f}x  (target <= 1.6x)")
    # Medians are the verdict; the fastest launches show how much of a ratio is this machine's noise.
    fq, fb = min(quiz_times), min(bare_times)
    print(f"  fastest of {runs} launches: quiz {fq * 1000:.0f} ms, bare app {fb * 1000:.0f} ms, ratio {fq / fb:.2f}x")
    print(f"resident memory, reading    quiz {qm / 1024:6.1f} MiB  bare app {bm / 1024:6.1f} MiB  ratio {qm / bm:.2f}x  (target <= 1.3x)")
    print(f"  peak (the resume code's scrypt included): quiz {qp / 1024:.1f} MiB, bare app {bp / 1024:.1f} MiB")


def seconds_to_run(code: str, runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of `python -c code` in a fresh interpreter."""
    import subprocess

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def where_start_up_goes(runs: int) -> None:
    """The parts of start-up that happen before any screen, each in a fresh interpreter."""
    parts = {
        "python itself": "pass",
        "command line + find_pack": "import quiz.cli; from quiz.packs import find_pack; find_pack('warm-up')",
        "textual + Header, Static, Footer": "from textual.app import App; from textual.widgets import Header, Static, Footer",
        "quiz.ui.app (textual included)": "import quiz.ui.app",
    }
    for name, code in parts.items():
        print(f"  {name:<42}{seconds_to_run(code, runs) * 1000:6.0f} ms")


def feedback_on_screen(app, screen_name) -> bool:
    """Whether the feedback's words are laid out on the screen (not just its empty box)."""
    if screen_name(app) != "FeedbackView":
        return False
    blocks = [block for block in app.screen.view.children if block.display]  # "more below" shows only when needed
    return bool(blocks) and all(block.region.height > 0 for block in blocks)


async def answer_to_feedback(rounds: int) -> list[float]:
    """Seconds from the enter that submits an answer until its feedback has been drawn."""
    sys.path.insert(0, str(REPO / "tests"))
    from helpers import keys_for, screen_name, warm_up
    from textual import events

    from quiz.ui.app import make_app

    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(rounds):
            app = make_app(
                pack=warm_up(), results_dir=Path(tmp) / "results", student=f"Bench {n}",
                group="", mode="practice", seed=n + 1, confidence=False, extra_pack_paths=[],
            )
            async with app.run_test(size=(COLUMNS, LINES)) as pilot:
                await pilot.pause()
                while app.quiz_run.current is not None:
                    keys = keys_for(app.quiz_run, app.quiz_run.current)
                    await pilot.press(*keys[:-1])
                    await pilot.pause()
                    screen = app.screen
                    painted: list[tuple[float, bool]] = []  # when the screen was drawn, and whether with feedback
                    paint = screen._compositor_refresh

                    def timed_paint(paint=paint, painted=painted) -> None:
                        paint()
                        painted.append((time.perf_counter(), feedback_on_screen(app, screen_name)))

                    screen._compositor_refresh = timed_paint  # noqa: SLF001 - measuring the real draw
                    start = time.perf_counter()
                    # Straight into the app's queue, as a terminal's key would arrive (Pilot's
                    # press also waits for idle, which would be measured too).
                    app.post_message(events.Key(keys[-1], "\r" if keys[-1] == "enter" else keys[-1]))
                    # Until the screen has been drawn with the feedback on it.
                    while not any(with_feedback for _, with_feedback in painted):
                        await asyncio.sleep(0)
                    samples.append(next(t for t, with_feedback in painted if with_feedback) - start)
                    del screen._compositor_refresh
                    await pilot.press("enter")
                    await pilot.pause()
    return samples


def answer_to_feedback_in_a_terminal(rounds: int) -> list[float]:
    """The same in a real terminal: from writing the last key until "Right" is on the pty's screen."""
    sys.path.insert(0, str(REPO / "tests"))
    from datetime import datetime, timezone

    from helpers import keys_for, warm_up

    from quiz.engine import Run

    quiz = Path(sys.executable).with_name("quiz")
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", QUIZ_RESULTS=str(Path(tmp) / "results"))
        env.pop("TEXTUAL", None)
        for n in range(rounds):
            run = Run.start(warm_up(), student="X", seed=n + 1, now=datetime.now(timezone.utc))
            pty = Pty([str(quiz), "play", "warm-up", "--student", f"Bench {n}", "--seed", str(n + 1)], env)
            try:
                for number, question in enumerate(run.questions, 1):
                    pty.wait_for(f"Question {number} of")
                    keys = [{"enter": "\r"}.get(k, k) for k in keys_for(run, question)]
                    pty.child.send("".join(keys[:-1]))
                    time.sleep(0.3)  # let the picks settle, so only the answer is timed
                    pty.wait_for(f"Question {number} of")
                    start = time.perf_counter()
                    pty.child.send(keys[-1])
                    samples.append(pty.wait_for("✓ Right") - start)
                    pty.child.send("\r")
            finally:
                pty.close()
    return samples


def bare_key_to_screen(presses: int) -> list[float]:
    """A bare app changing one label on a key, measured like the quiz: the pty's own cost."""
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("TEXTUAL", None)
        pty = Pty([sys.executable, str(bare)], env)
        try:
            for n in range(presses + 1):
                start = time.perf_counter()
                if n:
                    pty.child.send("x")
                shown = pty.wait_for("bare app ready" if n == 0 else f"✓ Right {n}")
                if n:
                    samples.append(shown - start)
                time.sleep(0.2)
        finally:
            pty.close()
    return samples


def report(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    print(
        f"{name:<28}median {statistics.median(ms):5.1f} ms   "
        f"90th {ms[int(len(ms) * 0.9) - 1]:5.1f} ms   max {ms[-1]:5.1f} ms   over {len(ms)} answers  (target median < 50 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="launches of each app to take the median of")
    parser.add_argument("--rounds", type=int, default=5, help="whole warm-up packs to answer for the latency")
    args = parser.parse_args()
    # Textual was byte-compiled when pip installed it; compile the quiz too, as
    # pip does for an installed quiz, so neither side pays for compiling
    # source (with PYTHONDONTWRITEBYTECODE set, an editable checkout would on
    # every launch).
    compileall.compile_dir(str(REPO / "quiz"), quiet=1)
    startup(args.runs)
    print("where start-up goes (imports and loading, no screen):")
    where_start_up_goes(args.runs)
    report("answer to feedback (Pilot)", asyncio.run(answer_to_feedback(args.rounds)))
    report("answer to feedback (pty)", answer_to_feedback_in_a_terminal(args.rounds))
    report("bare app key to label (pty)", bare_key_to_screen(8 * args.rounds))


if __name__ == "__main__":
    main()
