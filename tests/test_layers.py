"""The layers of docs/CONTRACTS.md hold: imports point down, no cycles, only quiz/ui loads Textual."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from helpers import REPO

PURE_MODULES = [
    "quiz.model", "quiz.answers", "quiz.display", "quiz.locations", "quiz.packs",
    "quiz.engine", "quiz.store", "quiz.report", "quiz.serve", "quiz.cli", "quiz.roster", "quiz.timing",
]


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """import-linter's check of the contracts in `folder`/pyproject.toml, from this Python's own scripts."""
    script = shutil.which("lint-imports", path=sysconfig.get_path("scripts"))
    assert script, "lint-imports is missing: install the test extra (pip install -e '.[test]')"
    return subprocess.run([script, "--no-cache", "--no-logo"], cwd=folder, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_the_contracts_see_imports_inside_functions(tmp_path):
    """A lazy import cannot hide an upward arrow, a cycle, or Textual outside quiz/ui;
    and a module nobody placed in a layer is named."""
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    modules = {
        "__init__": "",
        "cli/__init__": "from quiz.ui import app\n",  # the top floor may start the front end
        "ui/__init__": "",
        "ui/app": "import textual.app\nfrom rich.text import Text\n",
        "serve": "", "serving/__init__": "", "report": "", "store": "", "engine": "",
        "answers": "", "display": "", "locations": "", "roster": "", "timing": "",
        "model": "def newest():\n    from quiz.engine import Run\n",
        "packs/__init__": "",
        "packs/gift": "def read():\n    from quiz.packs.imported import Imported\n",
        "packs/imported": "def read():\n    from quiz.packs.gift import read\n",
        "packs/reading": "def show():\n    import rich.text\n",
        "odds_and_ends": "",
    }
    for name, text in modules.items():
        path = tmp_path / "quiz" / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "quiz.model is not allowed to import quiz.engine" in result.stdout
    assert "quiz.packs.reading -> rich" in result.stdout
    assert "No cycles are allowed in quiz.packs" in result.stdout
    assert "- quiz.odds_and_ends" in result.stdout  # not listed as a layer
    assert "quiz.cli" not in result.stdout  # commands reach Textual only through quiz.ui, as they should


@pytest.mark.parametrize("module", PURE_MODULES)
def test_domain_modules_do_not_load_textual(module):
    code = (
        "import sys, importlib; importlib.import_module(%r); "
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich'))))"
    ) % module
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_validate_runs_without_loading_textual():
    code = (
        "import sys\n"
        "from quiz.cli import main\n"
        "rc = main(['validate', 'questions'])\n"
        "assert not any(m.startswith(('textual', 'rich')) for m in sys.modules), 'textual was imported'\n"
        "sys.exit(rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert "textual was imported" not in out.stderr
    assert out.returncode == 0, out.stderr
