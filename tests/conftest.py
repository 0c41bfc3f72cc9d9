"""Fixtures for every test: nothing a test does touches the real home folder.

Shared helpers (paths, packs built in code, playing the app) are in helpers.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUIZ_RESULTS", str(home / "results"))
    monkeypatch.setenv("QUIZ_USER_PACKS", str(home / "packs"))
    monkeypatch.setenv("QUIZ_SETTINGS", str(home / "settings.json"))
    monkeypatch.delenv("QUIZ_PACKS", raising=False)
    monkeypatch.setenv("HOME", str(home))
    yield home
