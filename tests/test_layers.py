"""The domain knows nothing of Textual: commands that need no screen start fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE_MODULES = ["quiz.model", "quiz.answers", "quiz.engine", "quiz.store", "quiz.packs", "quiz.cli", "quiz.locations"]


LAYERS = ["quiz.model", "quiz.answers", "quiz.packs", "quiz.engine", "quiz.store", "quiz.report"]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_domain_modules_do_not_load_textual(module):
    code = (
        "import sys, importlib; importlib.import_module(%r); "
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich'))))"
    ) % module
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_validate_runs_without_loading_textual(tmp_path):
    code = (
        "import sys\n"
        "from quiz.cli import main\n"
        "rc = main(['validate', 'questions'])\n"
        "assert not any(m.startswith(('textual', 'rich')) for m in sys.modules), 'textual was imported'\n"
        "sys.exit(rc)\n"
    )
    from helpers import REPO

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert "textual was imported" not in out.stderr
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("lower, higher", [(a, b) for i, a in enumerate(LAYERS) for b in LAYERS[i + 1:]])
def test_imports_point_down_only(lower, higher):
    """A lower layer never loads a higher one (the model never loads packs, packs never the engine...)."""
    code = f"import sys, importlib; importlib.import_module({lower!r}); print({higher!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
