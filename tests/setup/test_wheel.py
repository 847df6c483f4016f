"""The wheel: `iris_keras` and its LICENSE, nothing else; built with the declared floor.

The first test builds with the setuptools of this environment (the lock's), offline;
the second, slow, installs the floor that pyproject.toml declares into a fresh
environment (pip, from the index) and builds with it.
"""

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What setuptools reads to build the wheel; nothing else is copied.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "iris_keras")


def build_wheel(python, folder):
    """Builds the wheel of a copy of the project with `python`'s setuptools; its path."""
    source = folder / "source"
    source.mkdir(parents=True)
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    script = (
        "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    )
    result = subprocess.run(
        [str(python), "-c", script, str(folder / "dist")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "dist" / result.stdout.strip().splitlines()[-1]


def check_contents(wheel):
    """Only `iris_keras/` and the dist-info, which carries the LICENSE; MIT; no tools."""
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = re.sub(r"^(iris_keras-[^-]+)-.*$", r"\1.dist-info", wheel.name)
    assert sorted({name.split("/")[0] for name in names}) == ["iris_keras", dist_info]
    assert "iris_keras/__init__.py" in names
    license_text = zipfile.ZipFile(wheel).read(f"{dist_info}/licenses/LICENSE").decode()
    assert license_text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    requires = re.findall(r"^Requires-Dist: (.*)$", metadata, flags=re.MULTILINE)
    assert not [line for line in requires if "jupytext" in line or "pytest" in line], requires


def test_the_wheel_holds_the_package_and_its_license(tmp_path):
    check_contents(build_wheel(sys.executable, tmp_path))


@pytest.mark.network  # pip downloads that setuptools
def test_the_declared_setuptools_floor_builds_the_wheel(tmp_path):
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"][
        "requires"
    ]
    (floor,) = [re.fullmatch(r"setuptools>=(\S+)", item).group(1) for item in requires]
    venv = tmp_path / "floor"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"setuptools=={floor}"],
        check=True,
        timeout=600,
    )
    check_contents(build_wheel(python, tmp_path))
