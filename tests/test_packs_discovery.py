"""Finding packs: the search order, duplicate ids, broken files, and find_pack."""

from __future__ import annotations

import hashlib
import os

import pytest

from quiz.packs import Catalog, PackError, discover, find_pack, load_pack
from quiz.packs import discovery, loader


def pack_text(pack_id: str, title: str = "A pack") -> str:
    return (
        f"pack: 1\nid: {pack_id}\ntitle: {title}\nquestions:\n"
        "  - {id: q, skill: source, type: text, prompt: Who, accept: [NCA]}\n"
    )


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Empty bundled, user and $QUIZ_PACKS folders, and a command-line folder."""
    folders = {name: tmp_path / name for name in ("bundled", "user", "env", "cli")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setattr(discovery, "bundled_packs_dir", lambda: folders["bundled"])
    monkeypatch.setenv("QUIZ_USER_PACKS", str(folders["user"]))
    monkeypatch.setenv("QUIZ_PACKS", str(folders["env"]))
    return folders


def test_packs_are_found_in_every_place_in_search_order(places):
    (places["bundled"] / "b.yaml").write_text(pack_text("bundled-pack"), encoding="utf-8")
    (places["user"] / "u.yml").write_text(pack_text("user-pack"), encoding="utf-8")
    (places["env"] / "e.yaml").write_text(pack_text("env-pack"), encoding="utf-8")
    (places["cli"] / "c.yaml").write_text(pack_text("cli-pack"), encoding="utf-8")
    catalog = discover([places["cli"]])
    assert isinstance(catalog, Catalog)
    assert [(f.pack.id, f.where) for f in catalog.packs] == [
        ("bundled-pack", "bundled"), ("user-pack", "user"),
        ("env-pack", "QUIZ_PACKS"), ("cli-pack", "command line"),
    ]
    assert catalog.problems == []


def test_only_yaml_files_directly_in_a_folder_are_read(places):
    (places["user"] / "notes.txt").write_text("not a pack", encoding="utf-8")
    (places["user"] / ".hidden.yaml").write_text("broken: [", encoding="utf-8")
    (places["user"] / "sub").mkdir()
    (places["user"] / "sub" / "deeper.yaml").write_text(pack_text("deeper"), encoding="utf-8")
    (places["user"] / "b.yaml").write_text(pack_text("second"), encoding="utf-8")
    (places["user"] / "a.YAML").write_text(pack_text("first"), encoding="utf-8")
    catalog = discover()
    assert [f.pack.id for f in catalog.packs] == ["first", "second"]
    assert catalog.problems == []


def test_a_duplicate_id_warns_naming_both_files_and_the_first_wins(places):
    first = places["bundled"] / "news.yaml"
    second = places["user"] / "news-copy.yaml"
    first.write_text(pack_text("news", "Original"), encoding="utf-8")
    second.write_text(pack_text("news", "Copy"), encoding="utf-8")
    catalog = discover()
    assert [(f.pack.title, f.path) for f in catalog.packs] == [("Original", first)]
    assert [str(p) for p in catalog.problems] == [
        f"{second}:2:5: warning: the pack id `news` is also used by {first}, which is used "
        "instead: give this pack its own id"
    ]


def test_broken_packs_are_reported_and_skipped_never_fatal(places):
    (places["user"] / "good.yaml").write_text(pack_text("good"), encoding="utf-8")
    (places["user"] / "broken.yaml").write_text("pack: 1\nid: [\n", encoding="utf-8")
    (places["user"] / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    (places["user"] / "empty.yaml").write_text("", encoding="utf-8")
    catalog = discover()
    assert [f.pack.id for f in catalog.packs] == ["good"]
    assert sorted(os.path.basename(p) for p in catalog.broken) == ["binary.yaml", "broken.yaml", "empty.yaml"]
    assert all(p.line >= 1 for p in catalog.problems)


def test_a_file_reached_twice_is_read_once(places):
    path = places["user"] / "one.yaml"
    path.write_text(pack_text("one"), encoding="utf-8")
    catalog = discover([path, places["user"]])
    assert [f.pack.id for f in catalog.packs] == ["one"]
    assert catalog.problems == []


def test_missing_places_named_by_the_user_are_reported(places, monkeypatch, tmp_path):
    monkeypatch.setenv("QUIZ_PACKS", os.pathsep.join([str(tmp_path / "gone"), str(places["env"])]))
    catalog = discover([tmp_path / "also-gone.yaml"])
    assert [(p.severity, p.message) for p in catalog.problems] == [
        ("warning", "$QUIZ_PACKS names this path, but there is no file or folder here: correct $QUIZ_PACKS"),
        ("error", "there is no file or folder here: check the name and folder"),
    ]


def test_missing_default_folders_are_fine(places, monkeypatch, tmp_path):
    monkeypatch.setattr(discovery, "bundled_packs_dir", lambda: tmp_path / "nope")
    monkeypatch.setenv("QUIZ_USER_PACKS", str(tmp_path / "nope-either"))
    monkeypatch.delenv("QUIZ_PACKS")
    assert discover() == Catalog()


def test_the_pack_records_its_path_as_given_and_the_sha256_of_its_bytes(places, monkeypatch):
    monkeypatch.chdir(places["cli"])
    data = pack_text("hashed").encode("utf-8")
    (places["cli"] / "hashed.yaml").write_bytes(data)
    found = discover(["hashed.yaml"]).get("hashed")
    assert found is not None and found.where == "command line"
    assert found.pack.path == "hashed.yaml"
    assert found.pack.sha256 == hashlib.sha256(data).hexdigest()


# -- find_pack ---------------------------------------------------------------------------


def test_find_pack_by_id_or_by_path(places, monkeypatch):
    (places["user"] / "u.yaml").write_text(pack_text("user-pack"), encoding="utf-8")
    (places["cli"] / "c.yaml").write_text(pack_text("on-disk"), encoding="utf-8")
    assert find_pack("user-pack").id == "user-pack"
    assert find_pack(str(places["cli"] / "c.yaml")).id == "on-disk"
    monkeypatch.chdir(places["cli"])
    assert find_pack("c.yaml").path == "c.yaml"


def test_find_pack_suggests_a_near_id(places):
    (places["user"] / "u.yaml").write_text(pack_text("reading-the-news"), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        find_pack("reading-the-new")
    assert [str(p) for p in caught.value.problems] == [
        "reading-the-new:1:1: no installed pack has the id `reading-the-new`: did you mean "
        "`reading-the-news`? (`quiz packs` lists the installed packs)"
    ]


def test_find_pack_says_when_nothing_is_installed_and_what_was_broken(places):
    (places["user"] / "broken.yaml").write_text("pack: 1\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        find_pack("anything")
    assert caught.value.problems[0].message == (
        "no installed pack has the id `anything`: no packs are installed: give the path of a pack "
        "file, or add one with `quiz packs add FILE`; 1 pack file could not be read "
        "(`quiz validate` on it shows why)"
    )


def test_find_pack_reports_the_errors_of_a_named_file(places):
    path = places["cli"] / "bad.yaml"
    path.write_text("pack: 1\nid: x\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        find_pack(str(path))
    assert str(caught.value) == (
        f"{path}:1:1: the pack has no `title` or `questions`: a pack needs `pack: 1`, an `id`, a "
        "`title` and its `questions` (`quiz new FILE` writes a starter pack to copy from)"
    )
    with pytest.raises(PackError, match="there is no file here"):
        find_pack("missing.yaml")


def test_the_bundled_packs_all_load():
    from quiz.locations import bundled_packs_dir

    for path in sorted(bundled_packs_dir().glob("*.yaml")):
        assert load_pack(path).questions, path


def test_find_pack_reads_only_the_file_with_that_id_and_agrees_with_discover(places, monkeypatch):
    (places["bundled"] / "a-broken.yaml").write_text("pack: 1\nid: wanted\ntitle: [\n", encoding="utf-8")
    (places["bundled"] / "other.yaml").write_text(pack_text("other"), encoding="utf-8")
    (places["user"] / "first.yaml").write_text(pack_text("wanted", "The one discover picks"), encoding="utf-8")
    (places["env"] / "second.yaml").write_text(pack_text("wanted", "A duplicate"), encoding="utf-8")
    opened = []
    real = loader.check_path
    monkeypatch.setattr(loader, "check_path", lambda f, **how: opened.append(os.path.basename(f)) or real(f, **how))

    pack = find_pack("wanted")
    assert pack.title == discover().get("wanted").pack.title == "The one discover picks"
    assert opened[:2] == ["a-broken.yaml", "first.yaml"]  # the broken one is skipped, as discover does
    assert "other.yaml" not in opened[:2]  # a pack with another id is never loaded to find this one


def test_a_pack_opened_to_play_is_not_checked_for_writing_traps(places, monkeypatch):
    """Only `quiz validate` and `quiz packs` report writing traps; playing a pack reads its errors alone."""
    import quiz.packs.traps as traps

    (places["user"] / "first.yaml").write_text(pack_text("wanted", "The one to play"), encoding="utf-8")
    checked = []
    real = traps.writing_traps
    monkeypatch.setattr(traps, "writing_traps", lambda pack: checked.append(pack.id) or real(pack))
    assert find_pack("wanted").title == "The one to play"
    assert checked == []
    assert discover().get("wanted") is not None and checked == ["wanted"]  # the pack list still checks them
