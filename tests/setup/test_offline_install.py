"""An offline classroom: `make wheelhouse`, then `make install WHEELHOUSE=...` with no network.

On the connected side, `make wheelhouse` downloads the wheels of the current backend's
runtime lock (and the pinned uv) into a folder. On the classroom side, a copy of the
project installs from that folder alone: uv's `--offline --no-index`, `UV_OFFLINE`,
`PIP_NO_INDEX`, an empty uv cache, and, where `unshare -n` can make one (root on
Linux), inside a network namespace with no network at all. The same run shows that the
install is exact: a tampered wheel fails its hash, and a package installed by hand is
gone after the next `make install`.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")
# What `make install` and `make lab` read; a classroom's copy of the project needs nothing else.
PROJECT = (
    "Makefile",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "requirements",
    "iris_keras",
    "tools",
)
BASE_PYTHON = sys._base_executable  # has pip; this environment's Python (uv's) has none

pytestmark = pytest.mark.network


def no_network_prefix():
    """`unshare -n` where this machine can run a command without any network, else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", "--"]
    return []


def run(command, *, cwd, env=None, check=True, timeout=900):
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


def classroom_copy(folder):
    """The project as a classroom machine receives it: no environments, not a git clone."""
    folder.mkdir()
    for name in PROJECT:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name,
                folder / name,
                ignore=shutil.ignore_patterns("__pycache__", "node_modules"),
            )
        else:
            shutil.copy2(ROOT / name, folder / name)
    return folder


def installed(python):
    """The names of the distributions in `python`'s environment."""
    script = (
        "import importlib.metadata as m; print(*(d.metadata['Name'] for d in m.distributions()))"
    )
    return {name.lower() for name in run([str(python), "-c", script], cwd="/").stdout.split()}


def test_a_wheelhouse_installs_with_the_network_refused(tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    run(
        ["make", "--no-print-directory", "wheelhouse", f"BACKEND={BACKEND}", "LAYER=runtime",
         f"WHEELHOUSE={wheelhouse}", f"PYTHON={BASE_PYTHON}"],
        cwd=ROOT,
    )  # fmt: skip
    wheels = sorted(wheelhouse.glob("*.whl"))
    assert any(wheel.name.startswith("keras-") for wheel in wheels)
    assert any(wheel.name.startswith("uv-") for wheel in wheels)

    classroom = classroom_copy(tmp_path / "classroom")
    offline = no_network_prefix()
    install = [
        *offline, "make", "--no-print-directory", "install", f"BACKEND={BACKEND}",
        "LAYER=runtime", f"WHEELHOUSE={wheelhouse}", f"PYTHON={BASE_PYTHON}",
    ]  # fmt: skip

    def environment(cache):
        return {
            **os.environ,
            "UV_OFFLINE": "1",
            "PIP_NO_INDEX": "1",
            "UV_CACHE_DIR": str(tmp_path / cache),
            "PIP_FIND_LINKS": "",
        }

    # A wheel altered after download fails its hash: nothing installs from it.
    victim = min(
        (w for w in wheels if not w.name.startswith("uv-")), key=lambda w: w.stat().st_size
    )
    original = victim.read_bytes()
    victim.write_bytes(original + b"\0")
    tampered = run(install, cwd=classroom, env=environment("cache-tampered"), check=False)
    victim.write_bytes(original)
    assert tampered.returncode != 0
    assert "hash mismatch" in (tampered.stdout + tampered.stderr).lower()
    shutil.rmtree(classroom / venv_name(), ignore_errors=True)

    run(install, cwd=classroom, env=environment("cache"))
    python = classroom / venv_name() / "bin" / "python"
    imported = run(
        [*offline, str(python), "-c", "import keras, iris_keras; print(keras.__version__)"],
        cwd=tmp_path,
        env={**os.environ, "KERAS_BACKEND": BACKEND},
    )
    assert imported.stdout.split()[-1] == "3.15.1"
    assert not {"jupyterlab", "sphinx", "selenium", "mutmut"} & installed(python)

    # A package installed by hand (uv, from the same folder) is gone after `make install`.
    uv = classroom / ".venv-tools" / "bin" / "uv"
    run(
        [*offline, str(uv), "pip", "install", "--python", str(python), "--offline",
         "--no-index", "--find-links", str(wheelhouse), "uv"],
        cwd=classroom, env=environment("cache"),
    )  # fmt: skip
    assert "uv" in installed(python)
    run(install, cwd=classroom, env=environment("cache"))
    assert "uv" not in installed(python)
    assert "keras" in installed(python)


def venv_name():
    return ".venv" if BACKEND == "tensorflow" else f".venv-{BACKEND}"
