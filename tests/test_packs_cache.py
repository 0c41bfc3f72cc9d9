"""Packs read before start `quiz play` without PyYAML: the cache must never
give a pack other than the file holds, and must never be a reason to fail."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from packs_in_memory import every_type_pack
from quiz.locations import bundled_packs_dir, pack_cache_dir
from quiz.model import Pack, Question
from quiz.packs import PackError, cache, discovery, find_pack, load_pack, loader, reading


@pytest.fixture
def one_pack(tmp_path, monkeypatch):
    """A bundled folder holding one small pack, and a record of every YAML read."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    monkeypatch.setattr(discovery, "bundled_packs_dir", lambda: folder)
    path = folder / "mine.yaml"
    path.write_text(
        "pack: 1\nid: mine\ntitle: First title\nquestions:\n"
        "  - {id: q, skill: source, type: text, prompt: Who said it?, accept: [the council]}\n",
        encoding="utf-8",
    )
    reads = []
    real = loader.check_path
    monkeypatch.setattr(loader, "check_path", lambda f: reads.append(os.path.basename(f)) or real(f))
    return path, reads


def test_a_pack_played_before_is_not_read_again_and_is_the_same_pack(one_pack):
    path, reads = one_pack
    first = find_pack("mine")
    again = find_pack("mine")
    assert reads == ["mine.yaml"]
    assert again == first == load_pack(path)
    assert again.sha256 == first.sha256 and again.path == str(path)


def test_an_edited_pack_is_read_afresh(one_pack):
    path, reads = one_pack
    assert find_pack("mine").title == "First title"
    path.write_text(path.read_text("utf-8").replace("First title", "Second title"), encoding="utf-8")
    edited = find_pack("mine")
    assert edited.title == "Second title"
    assert reads == ["mine.yaml", "mine.yaml"]
    assert edited.sha256 == load_pack(path).sha256


def test_a_broken_pack_is_never_kept_and_still_says_what_is_wrong(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("pack: 1\nid: broken\ntitle: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PackError) as error:
            find_pack(str(path))
        assert str(error.value.problems[0]).startswith(f"{path}:")
    assert not list(pack_cache_dir().glob("*.json"))


@pytest.mark.parametrize("damage", ["{not json", '{"format": "quiz-pack-cache/0"}', '{"format": "quiz-pack-cache/1", "reader": "0000"}', "[]"])
def test_a_damaged_or_old_entry_is_ignored(one_pack, damage):
    path, reads = one_pack
    first = find_pack("mine")
    (entry,) = pack_cache_dir().glob("*.json")
    entry.write_text(damage, encoding="utf-8")
    assert find_pack("mine") == first
    assert reads == ["mine.yaml", "mine.yaml"]


def test_a_cache_folder_that_cannot_be_written_changes_nothing(one_pack, monkeypatch, tmp_path):
    path, reads = one_pack
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("QUIZ_CACHE", str(blocker))
    assert find_pack("mine").title == "First title"
    assert find_pack("mine").title == "First title"
    assert reads == ["mine.yaml", "mine.yaml"]


@pytest.mark.parametrize("pack", [every_type_pack(), *(load_pack(p) for p in sorted(bundled_packs_dir().glob("*.yaml")))], ids=lambda p: p.id)
def test_every_field_of_a_pack_comes_back_as_it_was(pack):
    data = json.loads(json.dumps(cache._plain(pack)))
    assert cache._pack(data, path=pack.path, sha256=pack.sha256) == pack


def test_the_cache_knows_every_field_of_the_model():
    """A field added to the model must be added to the cache too, or packs would lose it."""
    assert {f.name for f in dataclasses.fields(Pack)} == set(cache._PACK_FIELDS) | {"skills", "source", "questions", "path", "sha256"}
    assert {f.name for f in dataclasses.fields(Question)} == set(cache._QUESTION_FIELDS) | {"options", "items"}
    assert cache.READ_LIMIT == reading.MAX_BYTES


def test_playing_a_pack_read_before_does_not_load_yaml(tmp_path):
    code = (
        "import sys\nfrom quiz.packs import find_pack\n"
        "pack = find_pack('warm-up')\n"
        "print(pack.id, 'yaml' in sys.modules)\n"
    )
    env = dict(os.environ, QUIZ_CACHE=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.split() for _ in range(2)]
    assert runs == [["warm-up", "True"], ["warm-up", "False"]]


def test_an_entry_made_by_other_pack_reading_code_is_not_used(one_pack, monkeypatch):
    """A new version of the quiz (or a changed builder) reads every pack afresh."""
    path, reads = one_pack
    find_pack("mine")
    monkeypatch.setattr(cache, "reader_fingerprint", lambda: "made-by-other-code")
    again = find_pack("mine")
    assert reads == ["mine.yaml", "mine.yaml"]
    assert again == load_pack(path)


def test_the_reader_fingerprint_covers_the_code_that_builds_packs():
    from pathlib import Path

    packs_dir = Path(cache.__file__).resolve().parent
    named = {(packs_dir / name).resolve() for name in cache._READER_SOURCES}
    assert all(p.is_file() for p in named)
    for module in ("build", "loader", "reading", "claims", "problems"):
        assert packs_dir / f"{module}.py" in named
    assert packs_dir.parent / "model.py" in named and packs_dir.parent / "answers.py" in named
    assert cache.reader_fingerprint() is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_named_as_a_pack_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code = (
        "import sys\nfrom quiz.packs import find_pack, PackError\n"
        "try:\n    find_pack(sys.argv[1])\nexcept PackError as e:\n    print(e.problems[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60)
    assert "not an ordinary file" in out.stdout


def test_a_pack_with_text_utf8_cannot_hold_is_kept_without_an_error(tmp_path):
    """A lone surrogate cannot be written as UTF-8: the entry is written escaped, and comes back the same."""
    pack = dataclasses.replace(every_type_pack(), title="Bad \ud800 title", sha256="ab" * 32)
    cache.remember(pack)  # must not raise
    entry = json.loads((pack_cache_dir() / f"{'ab' * 32}.json").read_text("ascii"))
    assert cache._pack(entry["pack"], path="", sha256=pack.sha256) == pack
