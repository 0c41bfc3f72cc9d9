"""`quiz import` refuses, before reading, anything that is not a regular file or is over the pack size limit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO
from quiz.packs.reading import MAX_BYTES


def quiz_import(path: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    # A separate process with a timeout: a reader that waits on a pipe, or reads /dev/zero, fails the test instead of hanging it.
    return subprocess.run(
        [sys.executable, "-m", "quiz", "import", str(path), "-o", str(tmp_path / "out.yaml")],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "questions.gift"
    os.mkfifo(fifo)
    done = quiz_import(fifo, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"{fifo}:1:1: this is not an ordinary file (a pipe or a device): save the questions as a file and import that"
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_and_a_link_to_it_are_refused(tmp_path):
    link = tmp_path / "zero.gift"
    link.symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), link):
        done = quiz_import(path, tmp_path)
        assert done.returncode == 2
        assert done.stderr.startswith(f"{path}:1:1: this is not an ordinary file"), done.stderr


def test_a_file_over_the_pack_limit_is_refused_by_its_size_before_it_is_read(tmp_path):
    big = tmp_path / "big.gift"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: its size says enough
    done = quiz_import(big, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"{big}:1:1: this file is {MAX_BYTES + 1:,} bytes, more than the {MAX_BYTES:,} bytes (5 MB) "
        "a pack may have: split it into smaller packs"
    )
    assert not (tmp_path / "out.yaml").exists()


def test_a_folder_is_refused_in_words(tmp_path):
    folder = tmp_path / "questions.gift"
    folder.mkdir()
    done = quiz_import(folder, tmp_path)
    assert done.returncode == 2 and "this is a folder, not a file: name the Moodle XML, GIFT or Aiken file" in done.stderr


def test_a_file_at_the_limit_is_still_read(tmp_path):
    ok = tmp_path / "ok.gift"
    ok.write_text("::q1:: The sky is blue. {T}\n", encoding="utf-8")
    done = quiz_import(ok, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.yaml").exists()
