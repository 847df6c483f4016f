"""`make lab`'s save hook against a real git repository with the nbstripout filter."""

import json
import subprocess
import sys

import nbformat
import pytest

from tools.lab import refresh_git_index


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path):
    """A repository whose `lesson.ipynb` is committed stripped, as `make install` sets git up."""
    git(tmp_path, "init", "-q")
    for key, value in (
        ("user.name", "test"),
        ("user.email", "test@example.invalid"),
        ("filter.nbstripout.clean", f'"{sys.executable}" -m nbstripout'),
        ("filter.nbstripout.smudge", "cat"),
        ("filter.nbstripout.required", "true"),
    ):
        git(tmp_path, "config", key, value)
    (tmp_path / ".gitattributes").write_text("*.ipynb filter=nbstripout\n")
    cell = nbformat.v4.new_code_cell("print('hello')", id="0")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "lesson.ipynb")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "lesson")
    return tmp_path


def run_and_save(path, *, source=None):
    """What JupyterLab writes after Run All: outputs and counts, and maybe an edited cell."""
    notebook = json.loads(path.read_text())
    cell = notebook["cells"][0]
    cell["execution_count"] = 1
    cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["hello\n"]}]
    if source is not None:
        cell["source"] = [source]
    path.write_text(json.dumps(notebook, indent=1))


def test_a_run_and_saved_notebook_leaves_git_status_clean(repo):
    run_and_save(repo / "lesson.ipynb")
    assert git(repo, "diff") == ""  # the filter strips the outputs ...
    assert git(repo, "status", "--porcelain") == " M lesson.ipynb\n"  # ... the size differs
    assert refresh_git_index({"type": "notebook"}, repo / "lesson.ipynb") is True
    assert git(repo, "status", "--porcelain") == ""
    assert "hello" in (repo / "lesson.ipynb").read_text()  # the outputs stay on disk


def test_an_edited_notebook_stays_modified_and_unstaged(repo):
    run_and_save(repo / "lesson.ipynb", source="print('changed')")
    assert refresh_git_index({"type": "notebook"}, repo / "lesson.ipynb") is False
    assert git(repo, "status", "--porcelain") == " M lesson.ipynb\n"


@pytest.mark.parametrize(
    "model, name",
    [
        pytest.param({"type": "file"}, "notes.txt", id="not-a-notebook"),
        pytest.param({"type": "notebook"}, "untracked.ipynb", id="untracked"),
    ],
)
def test_other_files_are_left_alone(repo, model, name, capfd):
    (repo / name).write_text((repo / "lesson.ipynb").read_text())  # a valid notebook
    assert refresh_git_index(model, repo / name) is False
    assert capfd.readouterr() == ("", "")  # git's complaint stays out of JupyterLab's log
    assert git(repo, "status", "--porcelain") == f"?? {name}\n"
