"""Fixtures for every test: nothing a test does touches the real home folder.

Shared helpers (paths, packs built in code, playing the app) are in helpers.py.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from aiohttp.test_utils import TestClient, TestServer

from helpers import AXE, CHROMIUM_ARGS, Site, Student, chromium, needed
from quiz.model import Pack


# Property tests draw the same examples on every run (from each test's name), so the test command gives
# the same verdict twice: a CI run does not turn red on examples no run before it drew. To look for new
# failing examples, run them with HYPOTHESIS_PROFILE=explore, and keep what they find as a plain test.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def _isolated_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUIZ_RESULTS", str(home / "results"))
    monkeypatch.setenv("QUIZ_USER_PACKS", str(home / "packs"))
    monkeypatch.setenv("QUIZ_SETTINGS", str(home / "settings.json"))
    monkeypatch.delenv("QUIZ_PACKS", raising=False)
    monkeypatch.setenv("HOME", str(home))
    yield home


# -- headless Chromium and the accessible pages, for the browser tests --------------------------

@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needed("playwright", "pip install -e '.[test]'")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        needed("axe-core", "npm install --prefix .ci/node axe-core@4")
    return AXE.read_text()


@pytest.fixture
def site(tmp_path):
    sites: list[Site] = []

    def serve(*packs: Pack, **options) -> Site:
        sites.append(Site(list(packs), tmp_path / "results", **options))
        return sites[-1]

    yield serve
    for s in sites:
        s.stop()


@pytest.fixture
async def serve(tmp_path):
    """A factory: the accessible pages (quiz.web) for these packs in this test's loop, and a way to open browsers on them."""
    from quiz.web import make_app

    clients: list[TestClient] = []
    server: list[TestServer] = []

    async def open_pages(*packs: Pack, **options):
        app = make_app(list(packs), tmp_path / "results", **options)
        server.append(TestServer(app))
        await server[-1].start_server()
        return app

    async def student() -> Student:
        client = TestClient(server[-1])
        await client.start_server()
        clients.append(client)
        return Student(client)

    open_pages.student = student
    yield open_pages
    for c in clients:
        await c.close()
    for s in server:
        await s.close()
