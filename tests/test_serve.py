"""`quiz serve` without a browser: the served command, the checks before listening,
the class's progress read from attempt files, and the server's count of open tabs."""

from __future__ import annotations

import asyncio
import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import REPO
from quiz import serve, store
from quiz.cli import build_parser, main
from quiz.model import Answer, Attempt

START = datetime(2026, 11, 27, 10, 2, tzinfo=timezone.utc)


def attempt(student: str, *, answered: int = 2, total: int = 8, right: int = 1, group: str = "10B",
            pack: str = "warm-up", finished: bool = False, ident: str = "a1") -> Attempt:
    order = tuple(f"q{i}" for i in range(total))
    answers = tuple(
        Answer(question=q, skill="source", response="x", score=1.0 if i < right else 0.0, max=1.0)
        for i, q in enumerate(order[:answered])
    )
    return Attempt(
        id=ident, student=student, pack_id=pack, pack_version="1.0", pack_sha256="0" * 64,
        mode="practice", seed=1, started=START.isoformat(), order=order, answers=answers,
        group=group, finished=START.isoformat() if finished else None,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quiz(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quiz", *argv], capture_output=True, text=True, cwd=REPO, timeout=60, **kwargs)


# -- the class's progress ---------------------------------------------------------


def test_progress_lists_attempts_written_since_the_server_started(tmp_path):
    results = tmp_path / "results"
    old = store.save(attempt("Old Student", ident="old"), results)
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    since = time.time() - 60
    store.save(attempt("Sam Lee", answered=3, right=2, ident="sam"), results)
    store.save(attempt("alex Kim", answered=8, right=8, group="10C", finished=True, ident="alex"), results)
    (results / "warm-up" / "notes.json").write_text("not an attempt")
    store.keep_code(results, "sam", "K7QX-M2PB")  # as a served tab keeps it for the teacher

    rows = serve.class_progress(results, since)

    assert [r.student for r in rows] == ["alex Kim", "Sam Lee"]  # by name, ignoring case
    alex, sam = rows
    assert (sam.group, sam.pack, sam.answered, sam.total, sam.score, sam.max_score, sam.finished) == (
        "10B", "warm-up", 3, 8, 2.0, 3.0, False)
    assert alex.finished and alex.answered == alex.total == 8
    assert abs(sam.last_answer.timestamp() - time.time()) < 60
    # The code lets the teacher help a student whose tab closed to carry on.
    assert serve.progress_cells(sam) == ("Sam Lee", "10B", "warm-up", "3/8", "2/3", "not yet", f"{sam.last_answer:%H:%M:%S}", "K7QX-M2PB")
    assert serve.progress_cells(alex)[-1] == ""  # a finished attempt needs no code


def test_progress_follows_each_new_answer_and_forgets_removed_files(tmp_path):
    results = tmp_path / "results"
    cache: serve.ProgressCache = {}
    since = time.time() - 1
    path = store.save(attempt("Sam Lee", answered=1), results)
    assert [r.answered for r in serve.class_progress(results, since, cache=cache)] == [1]

    store.save(attempt("Sam Lee", answered=2, right=2), results)
    os.utime(path, (time.time() + 1, time.time() + 1))  # a coarse clock must not hide the change
    (row,) = serve.class_progress(results, since, cache=cache)
    assert (row.answered, row.score) == (2, 2.0)

    path.unlink()
    assert serve.class_progress(results, since, cache=cache) == []
    assert cache == {}


def test_progress_of_a_missing_folder_is_empty(tmp_path):
    assert serve.class_progress(tmp_path / "nothing-yet", 0) == []


def test_progress_table_and_summary_read_plainly(tmp_path):
    results = tmp_path / "results"
    store.save(attempt("Sam Lee", answered=0, ident="sam"), results)
    store.save(attempt("Alex Kim", answered=8, right=7, finished=True, ident="alex"), results)
    store.keep_code(results, "sam", "K7QX-M2PB")
    rows = serve.class_progress(results, 0)

    lines = serve.progress_table(rows)
    assert lines[0].split() == ["Student", "Group", "Pack", "Answered", "Score", "Finished", "Last", "answer", "Code"]
    assert lines[1].split()[:6] == ["Alex", "Kim", "10B", "warm-up", "8/8", "7/8"]
    assert lines[2].split() == ["Sam", "Lee", "10B", "warm-up", "0/8", "-", "not", "yet", "-", "K7QX-M2PB"]
    # The plain log, which anyone who sees the file can read, leaves the codes out.
    plain = serve.progress_table(rows, codes=False)
    assert "Code" not in plain[0] and "K7QX" not in "\n".join(plain)
    started = datetime(2026, 11, 27, 10, 2)
    assert serve.summary_line(12, rows, started, 60) == "12 of 60 tabs open · 2 attempts since 10:02 (1 finished)"
    assert serve.summary_line(1, rows, started) == "1 browser tab open · 2 attempts since 10:02 (1 finished)"
    assert serve.summary_line(0, [], started) == "0 browser tabs open · 0 attempts since 10:02 (0 finished)"
    # With spare tabs: how many wait, ready for students to come.
    assert serve.summary_line(12, rows, started, 60, ready=18) == "12 of 60 tabs open · 18 ready · 2 attempts since 10:02 (1 finished)"


# -- the served command -------------------------------------------------------------


def test_student_command_is_this_python_running_the_quiz_with_the_teachers_options_quoted(tmp_path):
    results = tmp_path / "class results; $(rm -rf ~) 'x'"
    command = serve.student_command(results, packs=["warm-up", "com networks"], mode="test", python="/opt/my python/bin/python3")

    argv = shlex.split(command)
    assert argv[0] == "/opt/my python/bin/python3"
    assert argv == serve.student_argv(results, packs=["warm-up", "com networks"], mode="test", python="/opt/my python/bin/python3")
    rest = argv[argv.index("-m"):]
    assert rest == ["-m", "quiz", "--results", str(results.absolute()), "--served",
                    "--only-pack", "warm-up", "--only-pack", "com networks", "--mode", "test"]


def test_the_served_command_parses_back_into_the_hidden_options(tmp_path):
    argv = shlex.split(serve.student_command(tmp_path / "r", packs=["warm-up"], mode="practice"))
    args = build_parser().parse_args(argv[argv.index("quiz") + 1:])
    assert args.command is None and args.served is True
    assert args.only_packs == ["warm-up"] and args.mode == "practice"
    assert Path(args.results) == (tmp_path / "r").absolute()


def test_a_served_tab_builds_the_app_with_served_and_only_packs(tmp_path, monkeypatch):
    import quiz.ui.app

    built = {}

    class FakeApp:
        return_code = 0

        def run(self):
            built["ran"] = True

    def fake_make_app(**options):
        built.update(options)
        return FakeApp()

    monkeypatch.setattr(quiz.ui.app, "make_app", fake_make_app)
    code = main(["--results", str(tmp_path), "--served", "--only-pack", "warm-up", "--mode", "test"])
    assert code == 0 and built["ran"]
    assert built["served"] is True and built["only_packs"] == ["warm-up"]
    assert built["mode"] == "test" and built["pack"] is None
    assert Path(built["results_dir"]) == tmp_path


def test_no_served_options_for_a_student_at_a_terminal():
    args = build_parser().parse_args([])
    assert args.served is False and args.only_packs == []


# -- where to connect, and who can ----------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_no_warning_on_loopback(host):
    assert serve.host_warning(host) is None


def test_warning_on_the_class_network_says_who_can_reach_it():
    warning = serve.host_warning("0.0.0.0")
    assert warning.startswith("Warning: Anyone on the same network as this computer can open the quiz")
    assert "not your files" in warning and "stop the server when the lesson ends" in warning
    assert "Anyone who can reach 192.168.1.20" in serve.host_warning("192.168.1.20")


def test_share_address():
    assert serve.share_address("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.share_address("::1", 8001) == "http://[::1]:8001"
    assert serve.share_address("0.0.0.0", 8000, "https://quiz.school.example/") == "https://quiz.school.example"


def test_welcome_names_the_address_the_folder_and_the_warning(tmp_path):
    lesson = serve.Lesson(results_dir=tmp_path, host="0.0.0.0", port=8000, packs=("warm-up",), mode="test",
                          public_url="http://10.0.0.5:8000")
    text = "\n".join(serve.welcome(lesson))
    assert "Students open http://10.0.0.5:8000 in a browser." in text
    assert "Packs on offer: warm-up." in text
    assert "Test mode" in text
    assert f"quiz report {tmp_path}" in text
    assert "Warning: Anyone on the same network" in text


def test_on_loopback_one_line_says_only_this_computer_and_how_to_serve_the_class(tmp_path):
    lesson = serve.Lesson(results_dir=tmp_path, port=8000, qr=True)
    lines = serve.welcome(lesson)
    (note,) = [line for line in lines if "Only this computer" in line]
    assert note == "Only this computer can open http://127.0.0.1:8000. To serve the class, start it with: quiz serve --host 0.0.0.0"
    assert not serve.shows_qr(lesson)  # a code for an address no tablet can open would only mislead
    assert "No QR code: no other device can open this address." in lines
    assert serve.loopback_note(serve.Lesson(results_dir=tmp_path, host="0.0.0.0")) is None
    assert serve.shows_qr(serve.Lesson(results_dir=tmp_path, host="0.0.0.0", qr=True))


def test_host_0_is_every_address_and_shows_one_students_can_type(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "network_address", lambda: "192.168.1.20")
    lesson = serve.Lesson(results_dir=tmp_path, host="0", port=8000)
    assert lesson.bind_host == "0.0.0.0"
    assert lesson.address == "http://192.168.1.20:8000"
    assert serve.host_warning("0").startswith("Warning: Anyone on the same network")


def test_the_limits_are_stated_with_their_options(tmp_path):
    line = serve.limits_line(serve.Lesson(results_dir=tmp_path, max_sessions=40, idle_minutes=20))
    assert line == "At most 40 tabs at once (--max-sessions); a tab nobody uses for 20 minutes is closed, its answers saved (--idle-minutes)."
    args = build_parser().parse_args(["serve"])
    assert (args.max_sessions, args.idle_minutes, args.warm) == (60, 30.0, True)
    args = build_parser().parse_args(["serve", "--max-sessions", "5", "--idle-minutes", "0", "--spawn"])
    assert (args.max_sessions, args.idle_minutes, args.warm) == (5, 0.0, False)


def test_how_many_tabs_are_kept_ready_for_the_class(tmp_path):
    from quiz.roster import ClassRules, Roster, Student

    def ready(*flags: str, students: int | None = None) -> int:
        args = build_parser().parse_args(["serve", *flags])
        roster = None if students is None else Roster(tuple(Student(f"Student {n}") for n in range(students)))
        return serve.spare_count(serve.Lesson(results_dir=tmp_path, max_sessions=args.max_sessions,
                                              spares=args.ready, rules=ClassRules(roster=roster)))

    assert ready() == 30  # a class's worth
    assert ready(students=24) == 24  # one per student on the class list
    assert ready(students=240) == 30  # a year group's list: still a class's worth
    assert ready("--max-sessions", "10") == 10  # never more than may play
    assert ready("--ready", "5", students=24) == 5 and ready("--ready", "0") == 0
    assert ready("--ready", "100") == 60
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--ready", "-1"])


# -- checks before listening ------------------------------------------------------------


def test_a_port_in_use_is_refused_with_exit_2(tmp_path):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        done = quiz("serve", "--port", str(port), "--results", str(tmp_path / "r"))
    assert done.returncode == 2, done.stderr
    assert f"Port {port} is already in use on 127.0.0.1" in done.stderr
    assert f"--port {port + 1}" in done.stderr
    assert "Traceback" not in done.stderr


def test_port_problem_is_none_for_a_free_port():
    assert serve.port_problem("127.0.0.1", free_port()) is None


def test_a_missing_textual_serve_says_how_to_install_the_extra(tmp_path):
    code = (
        "import sys; sys.modules['textual_serve'] = None\n"
        "from quiz.cli import main\n"
        f"sys.exit(main(['serve', '--results', {str(tmp_path)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 2
    assert "pip install 'media-literacy-quiz[serve]'" in done.stderr


def test_an_unknown_pack_is_refused_with_the_installed_ids(tmp_path):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    done = quiz("serve", "--pack", "no-such-pack", "--port", str(free_port()), "--results", str(tmp_path))
    assert done.returncode == 2
    assert "There is no installed pack with the id 'no-such-pack'" in done.stderr
    assert "warm-up" in done.stderr


def test_a_results_folder_that_cannot_be_made_is_refused_with_exit_2(tmp_path, capsys):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert main(["serve", "--port", str(free_port()), "--results", str(blocked / "results")]) == 2
    out, err = capsys.readouterr()
    assert f"Could not use {blocked / 'results'} for the class's answers: " in err
    assert "Choose another folder with --results." in err
    assert out == ""  # no address was offered for a lesson that did not start


def test_every_reason_not_to_start_is_given_at_once(tmp_path):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        lesson = serve.Lesson(results_dir=tmp_path / "r", port=taken.getsockname()[1], packs=("no-such-pack",))
        problems = serve.check_lesson(lesson)
    assert len(problems) == 2
    assert "no-such-pack" in problems[0]
    assert "already in use" in problems[1]
    assert not (tmp_path / "r").exists()  # nothing made for a lesson that cannot start


def test_serve_does_not_load_textual_before_it_is_needed():
    code = "import sys, quiz.serve; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve', 'aiohttp')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"


# -- the server -----------------------------------------------------------------------------


async def test_the_server_counts_the_tabs_it_has_open(tmp_path):
    aiohttp = pytest.importorskip("aiohttp")
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    port = free_port()
    lesson = serve.Lesson(results_dir=tmp_path, port=port)
    # A stand-in for the quiz that ends at once: this test is about the server, not the app.
    classroom = serve.Classroom(lesson, command="exit 0")
    await classroom.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/") as page:
                html = await page.text()
            assert serve.TITLE in html and "--results" not in html  # no teacher's paths in the page
            first = await http.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24")
            second = await http.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24")
            await _until(lambda: len(classroom.sessions) == 2)
            await first.close()
            await _until(lambda: len(classroom.sessions) == 1)
            await second.close()
            await _until(lambda: len(classroom.sessions) == 0)
    finally:
        await classroom.stop()


async def _until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def test_plain_mode_prints_the_address_and_progress_then_stops_on_ctrl_c(tmp_path):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    results = tmp_path / "results"
    port = free_port()
    server = Output([sys.executable, "-m", "quiz", "serve", "--port", str(port), "--results", str(results)])
    try:
        assert f"Students open http://127.0.0.1:{port} in a browser." in server.until("0 of 60 tabs open")
        store.save(attempt("Sam Lee", answered=3, right=2), results)
        progress = server.until("Sam Lee")
        assert "3/8" in progress and "2/3" in progress
        server.process.send_signal(signal.SIGINT)
        assert "The quiz server has stopped." in server.until("stopped")
        assert server.process.wait(timeout=30) == 0
    finally:
        server.close()


class Output:
    """A command whose output is read line by line in a thread, so waiting for a line can time out."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def until(self, text: str, seconds: float = 30) -> str:
        """The lines printed up to the first that contains `text`."""
        seen = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return "".join(seen)
        raise AssertionError(f"{text!r} was never printed; the output was:\n{''.join(seen)}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
