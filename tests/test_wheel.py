"""The bundled packs ship inside the wheel and are found from an installed copy."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from helpers import REPO


def test_installed_wheel_finds_the_bundled_packs(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("media_literacy_quiz-*.whl")

    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    site = Path(
        subprocess.run(
            [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )
    # Borrow textual, PyYAML and platformdirs from the test environment; the
    # quiz itself must come from the wheel alone (no editable finder is loaded).
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import quiz; print(quiz.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(site), where

    listing = subprocess.run(
        [str(bin_dir / "quiz"), "packs"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert listing.returncode == 0, listing.stderr
    assert "com-networks-2025" in listing.stdout
    assert "warm-up" in listing.stdout
    assert "bundled" in listing.stdout
