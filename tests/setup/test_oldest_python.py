"""The oldest Python the project accepts installs every layer: Debian 12's own 3.11.2.

`pyproject.toml` says `requires-python = ">=3.11"`, and the locks are resolved
for that floor (`make lock`, PYTHON_FLOOR). This test takes the oldest
interpreter of this machine that the project accepts (on Debian 12, the OS's
own `/usr/bin/python3`, 3.11.2) and runs the README's `make lab` set-up with it,
`make install LAYER=learn`, in a copy of the project. An interpreter older
than the floor is refused before anything is created, in one line that names
it and says what to pass: shown here with this Python and the floor raised.
"""

import glob
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.setup.test_locks import declared_floor
from tests.setup.test_offline_install import classroom_copy, run

CANDIDATES = (
    "/usr/bin/python3",
    "/usr/bin/python3.*",
    "/usr/local/bin/python3.*",
    str(Path.home() / ".pyenv/versions/*/bin/python3"),
)


def interpreters():
    """`{version tuple: path}` of the Python 3 interpreters found on this machine."""
    found = {tuple(sys.version_info[:3]): sys._base_executable}
    for pattern in CANDIDATES:
        for path in glob.glob(pattern):
            if not re.search(r"python3(\.\d+)?$", path):
                continue
            result = subprocess.run(
                [path, "-c", "import sys; print(*sys.version_info[:3])"],
                capture_output=True,
                text=True,
            )
            if result.returncode == 0:
                found.setdefault(tuple(map(int, result.stdout.split())), path)
    return found


def floor():
    return tuple(map(int, declared_floor().split(".")))


@pytest.mark.network  # a fresh machine downloads the learn layer's wheels
def test_the_oldest_accepted_python_installs_the_learn_layer(tmp_path):
    accepted = {version: path for version, path in interpreters().items() if version >= floor()}
    oldest = min(accepted)
    project = classroom_copy(tmp_path / "project")
    run(["make", "install", "LAYER=learn", f"PYTHON={accepted[oldest]}"], cwd=project)
    python = project / ".venv" / "bin" / "python"
    printed = run(
        [str(python), "-c", "import sys, jupyterlab; print(*sys.version_info[:3])"], cwd=project
    )
    assert tuple(map(int, printed.stdout.split())) == oldest


@pytest.mark.parametrize("target", ["train", "lab", "install"])
def test_a_python_older_than_the_floor_is_refused_in_one_line(tmp_path, target):
    """The same check with the floor raised above this Python: what an old one meets."""
    project = classroom_copy(tmp_path / "project")
    python = sys._base_executable
    version = ".".join(map(str, sys.version_info[:3]))
    result = run(
        ["make", target, f"PYTHON={python}", "PYTHON_FLOOR=3.99"], cwd=project, check=False
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"make: {python} is Python {version}; iris-keras needs Python >= 3.99. "
        f"Pass another: make {target} PYTHON=/path/to/python3"
    )
    assert sorted(path.name for path in project.glob(".venv*")) == []


def test_a_missing_python_is_named(tmp_path):
    project = classroom_copy(tmp_path / "project")
    result = run(["make", "train", "PYTHON=/no/such/python3"], cwd=project, check=False)
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"make: no Python at PYTHON=/no/such/python3; iris-keras needs Python >= "
        f"{declared_floor()}. Pass one: make train PYTHON=/path/to/python3"
    )
