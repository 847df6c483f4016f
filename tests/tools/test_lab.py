"""`make lab`: its save hook against a real git repository with the nbstripout filter; its port."""

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools.lab import busy_port_message, port_in_use, refresh_git_index
from tools.lab import main as lab_main

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.fixture
def busy_port():
    """A loopback port another program listens on, for the test's length."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


BUSY = re.compile(
    r"127\.0\.0\.1:(\d+) is in use by another program; choose another port: "
    r"make lab LAB_PORT=(\d+)"
)


def test_make_lab_on_a_busy_port_names_lab_port_and_prints_no_url(busy_port):
    """The refusal comes before anything is installed or started, so no JupyterLab is needed."""
    result = subprocess.run(
        ["make", "--no-print-directory", "lab", f"LAB_PORT={busy_port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert "http" not in result.stderr
    [line] = result.stderr.splitlines()  # make's own stop: `Makefile:N: *** MESSAGE.  Stop.`
    said = BUSY.fullmatch(re.sub(r"^Makefile:\d+: \*\*\* (.*)\.  Stop\.$", r"\1", line))
    assert said and int(said[1]) == busy_port
    assert int(said[2]) > busy_port and not port_in_use("127.0.0.1", int(said[2]))


def test_a_free_port_passes_and_a_busy_one_is_one_line(busy_port, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    assert busy_port_message("127.0.0.1", free) is None
    assert lab_main(["--check-port", "127.0.0.1", str(free)]) == 0
    assert lab_main(["--check-port", "127.0.0.1", str(busy_port)]) == 1
    assert BUSY.fullmatch(capsys.readouterr().err.rstrip("\n"))
