"""Shared test set-up: nothing a test does touches the real home folder."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUIZ_RESULTS", str(home / "results"))
    monkeypatch.setenv("QUIZ_USER_PACKS", str(home / "packs"))
    monkeypatch.setenv("QUIZ_SETTINGS", str(home / "settings.json"))
    monkeypatch.setenv("QUIZ_CACHE", str(home / "cache"))
    monkeypatch.delenv("QUIZ_PACKS", raising=False)
    monkeypatch.setenv("HOME", str(home))
    yield home
