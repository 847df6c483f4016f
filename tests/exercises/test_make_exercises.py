"""`make exercises`: the learner's own copies of the notebooks, out of git's and `git pull`'s way.

Each test runs the real Makefile in a small git repository of its own (the
Makefile, .gitignore and two notebooks, committed), so the learner's folder
of this checkout is never touched. `make` itself costs milliseconds here:
the target copies files and imports no Python.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ["2.4-activation-functions.ipynb", "2.5-loss-functions.ipynb"]


def run(command, cwd):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def clone(tmp_path):
    """A committed repository with the project's Makefile, .gitignore, tools and two notebooks."""
    (tmp_path / "notebooks").mkdir()
    for name in ("Makefile", ".gitignore"):
        shutil.copy(ROOT / name, tmp_path / name)
    ignored = shutil.ignore_patterns("__pycache__", "node_modules")
    shutil.copytree(ROOT / "tools", tmp_path / "tools", ignore=ignored)  # make lab's port check
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, tmp_path / "notebooks" / name)
    run(["git", "init", "--quiet"], tmp_path)
    run(["git", "add", "--all"], tmp_path)
    identity = ["-c", "user.name=learner", "-c", "user.email=learner@example.invalid"]
    run(["git", *identity, "commit", "--quiet", "-m", "the tutorial"], tmp_path)
    return tmp_path


def make(target, cwd):
    return run(["make", "--no-print-directory", target], cwd)


def status(cwd):
    return run(["git", "status", "--porcelain", "--untracked-files=all"], cwd)


def test_make_exercises_copies_every_notebook_into_a_folder_git_ignores(clone):
    printed = make("exercises", clone)
    for name in NOTEBOOKS:
        copy = clone / "my-notebooks" / name
        assert copy.read_bytes() == (clone / "notebooks" / name).read_bytes()
        assert f"copied my-notebooks/{name}\n" in printed
    assert printed.endswith("make lab opens it.\n")
    answered = clone / "my-notebooks" / NOTEBOOKS[0]
    answered.write_text(answered.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert status(clone) == ""


def test_make_exercises_never_overwrites_a_notebook_the_learner_has(clone):
    make("exercises", clone)
    mine = clone / "my-notebooks" / NOTEBOOKS[0]
    mine.write_text('{"my": "answers"}', encoding="utf-8")
    (clone / "my-notebooks" / NOTEBOOKS[1]).unlink()

    printed = make("exercises", clone)

    assert mine.read_text(encoding="utf-8") == '{"my": "answers"}'
    assert f"kept my-notebooks/{NOTEBOOKS[0]}: yours, not overwritten\n" in printed
    assert f"copied my-notebooks/{NOTEBOOKS[1]}\n" in printed
    assert status(clone) == ""


def lab_root(cwd):
    """The folder `make lab` would serve (a dry run; the environment counts as installed)."""
    from tests.support.browser import free_port

    # TensorFlow's environment, whichever backend the suite runs on: only the folder matters.
    command = ["make", "--no-print-directory", "-n", "-o", ".venv/.installed-learn", "lab"]
    command.append("BACKEND=tensorflow")
    dry_run = run([*command, f"LAB_PORT={free_port()}"], cwd)
    return re.search(r"--ServerApp\.root_dir=(\S+)", dry_run).group(1)


def test_make_lab_opens_the_learners_folder_once_make_exercises_made_it(clone):
    assert lab_root(clone) == "notebooks"
    make("exercises", clone)
    assert lab_root(clone) == "my-notebooks"
