"""A shared results folder: what a save leaves for the group, and a class of real users."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import every_type_pack, right_response
from quiz import store
from quiz.engine import Run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and set-group-ID folders are POSIX")

NOW = datetime(2026, 11, 27, 10, 2, 11, tzinfo=timezone.utc)
PACK = every_type_pack()
ROOT = Path(store.__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def played(student="Sam Lee"):
    run = Run.start(PACK, student=student, seed=1, now=NOW, attempt_id="6f1c0a9e55d2")
    run.answer(right_response(run.current), seconds=2)
    return run.attempt


def save_with_umask(umask: int, results: Path) -> Path:
    old = os.umask(umask)
    try:
        with store.start(played(), results) as opened:
            return opened.save(played()).path
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    "umask, folder_mode, file_mode",
    [
        (0o002, 0o2775, 0o664),
        (0o022, 0o2775, 0o644),  # the group still writes the pack's folder and reads the file
        (0o077, 0o2770, 0o640),
    ],
)
def test_a_save_in_a_shared_folder_leaves_what_the_group_needs(tmp_path, umask, folder_mode, file_mode):
    results = tmp_path / "class-results"
    results.mkdir()
    os.chmod(results, 0o2770)  # what the teacher's setup in docs/results.md leaves
    path = save_with_umask(umask, results)
    assert path.parent == results / "every-type"
    assert oct(mode(path.parent)) == oct(folder_mode)
    assert oct(mode(path)) == oct(file_mode)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp or lock file left


def test_a_save_elsewhere_follows_the_umask_alone(tmp_path):
    results = tmp_path / "mine"
    path = save_with_umask(0o022, results)
    assert (oct(mode(path.parent)), oct(mode(path))) == (oct(0o755), oct(0o644))
    path = save_with_umask(0o077, tmp_path / "private")
    assert (oct(mode(path.parent)), oct(mode(path))) == (oct(0o700), oct(0o600))


def test_the_sticky_bit_of_a_shared_folder_is_kept_too(tmp_path):
    results = tmp_path / "class-results"
    results.mkdir()
    os.chmod(results, 0o3770)
    path = save_with_umask(0o022, results)
    assert oct(mode(path.parent)) == oct(0o3775)


# -- two students and a teacher, as three users --------------------------------

CLASS_GROUP = 61000
STUDENTS = {"Ana Lopez": (61001, 61011), "Ben Okafor": (61002, 61012)}
TEACHER = (61003, 61013)

STUDENT = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    os.umask(0o022)  # the default on macOS and many Linux systems: the hard case
    from pathlib import Path
    from quiz import store
    from quiz.model import Answer, Attempt
    answer = Answer(question="q1", skill="source", response="fair", score=1.0, max=1.0, hinted=False, seconds=3.0)
    attempt = Attempt(id={ident!r}, student={name!r}, pack_id="newsroom", pack_version="1.0", pack_sha256="0" * 64,
                      mode="practice", seed=1, started="2026-11-27T10:02:11+00:00", order=("q1",), answers=(answer,))
    with store.start(attempt, Path({results!r})) as opened:
        saved = opened.save(attempt)
    print(saved.path, saved.fallback_reason or "-", sep="\\n")
    """
)

TEACHER_READS = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from quiz import store
    found, warnings = store.read_attempts([Path({results!r})])
    print(sorted(a.student for _, a in found), warnings)
    """
)


def as_user(python: str, uid: int, gid: int, groups: tuple[int, ...], script: str, home: Path):
    who = ["setpriv", f"--reuid={uid}", f"--regid={gid}"]
    who += [f"--groups={','.join(map(str, groups))}"] if groups else ["--clear-groups"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TMPDIR": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([*who, python, "-c", script], capture_output=True, text=True, env=env, cwd=home, timeout=120)


def python_others_can_run(base: Path) -> str | None:
    probe = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import quiz.store"
    for python in dict.fromkeys(filter(None, (sys.executable, shutil.which("python3")))):
        if as_user(python, 61099, 61099, (), probe, base).returncode == 0:
            return python
    return None


@pytest.fixture
def shared_base():
    base = Path(tempfile.mkdtemp(prefix="quiz-shared-"))  # not under tmp_path: that is root's alone
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_two_students_save_into_one_shared_folder_and_the_teacher_counts_both(shared_base):
    if os.geteuid() != 0:
        pytest.skip("running as other users needs root (setpriv changes the user)")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed")
    python = python_others_can_run(shared_base)
    if python is None:
        pytest.skip("no Python interpreter that other users can run and that can read the quiz's source")
    results = shared_base / "class-results"
    results.mkdir()  # the teacher's three commands from docs/results.md
    os.chown(results, TEACHER[0], CLASS_GROUP)
    os.chmod(results, 0o3770)

    for n, (name, (uid, gid)) in enumerate(STUDENTS.items()):
        script = STUDENT.format(root=str(ROOT), ident=f"{n + 1:x}" * 12, name=name, results=str(results))
        done = as_user(python, uid, gid, (CLASS_GROUP,), script, shared_base)
        assert done.returncode == 0, done.stderr
        where, fallback = done.stdout.split("\n")[:2]
        assert fallback == "-", f"{name}'s answers went elsewhere: {fallback}"
        assert Path(where).parent == results / "newsroom"

    uid, gid = TEACHER
    seen = as_user(python, uid, gid, (CLASS_GROUP,), TEACHER_READS.format(root=str(ROOT), results=str(results)), shared_base)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.strip() == "['Ana Lopez', 'Ben Okafor'] []"
    assert oct(mode(results / "newsroom")) == oct(0o3775)
    owners = {p.stat().st_uid for p in (results / "newsroom").glob("*.json")}
    assert owners == {61001, 61002}
    assert json.loads(next((results / "newsroom").glob("*ana-lopez*")).read_text())["student"] == "Ana Lopez"
