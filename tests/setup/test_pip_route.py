"""Any OS, no make: the README's plain pip route, run as written in a fresh environment.

pip with this machine's own configuration (its index, and the find-links with
PyTorch's CPU wheel), the current backend's runtime lock as requirements (every file
checked against its hash), the project editable without dependencies, then a short
`iris-keras train`.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")

pytestmark = pytest.mark.network


def readme_route():
    """The README's pip route: the commands of its ```sh block that starts `python -m venv`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(python -m venv .*?)```", readme, flags=re.DOTALL)
    assert len(blocks) == 1, "README.md shows the pip route once, in a ```sh block"
    return [line.split("  #")[0].strip() for line in blocks[0].splitlines() if line.strip()]


def test_the_readme_shows_the_route_this_test_runs():
    assert readme_route() == [
        "python -m venv .venv",
        ".venv/bin/python -m pip install -r requirements/tensorflow.txt",
        ".venv/bin/python -m pip install --no-deps -e .",
        ".venv/bin/iris-keras train",
    ]


def test_the_pip_route_installs_and_trains(tmp_path):
    venv = tmp_path / "venv"
    steps = [
        [sys._base_executable, "-m", "venv", str(venv)],
        [venv / "bin/python", "-m", "pip", "install", "-r", f"requirements/{BACKEND}.txt"],
        [venv / "bin/python", "-m", "pip", "install", "--no-deps", "-e", "."],
        [venv / "bin/iris-keras", "train", "--epochs", "2", "--output", tmp_path / "run"],
    ]
    environment = {**os.environ, "KERAS_BACKEND": BACKEND, "TF_CPP_MIN_LOG_LEVEL": "3"}
    for step in steps:
        result = subprocess.run(
            [str(part) for part in step],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert result.returncode == 0, f"{step}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["epochs_run"] == 2
    assert metrics["backend"] == BACKEND
    assert (tmp_path / "run" / "model.keras").is_file()
