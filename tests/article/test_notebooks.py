"""Every notebook runs top to bottom in a fresh kernel, and none is committed with outputs.

We execute with nbclient (already needed by nbconvert) rather than the
nbmake plugin: it needs no extra pytest plugin, and it lets each test set the
kernel, the working folder and the timeout. Each notebook asserts its own
claims, so a notebook that runs is a notebook whose claims hold. A notebook
that ran clean is stored in the book's cache (`tools.book.cache`), so the
book built after the tests (`make test-all`) shows its outputs without
running it again.
"""

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iris_keras.app.kernel import DISPLAY_NAME, KERNEL_NAME
from tools.book import cache

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


BACKEND = cache.current_backend()
RUNNABLE = cache.book_notebooks(BACKEND)  # the notebooks whose metadata names BACKEND
# Each notebook runs in under a minute on this 2-core machine by itself
# (docs/from-scratch.md); two run at once under `make test`, so a cell that
# runs longer than 90 seconds has hung.
BUDGET_SECONDS = 90
SECTIONS = [f"§2.{i}" for i in range(1, 7)] + [f"§3.{i}" for i in range(1, 4)]
SECTIONS += [f"§4.{i}" for i in range(1, 6)]


def execute(notebook, *, cwd):
    """Runs `notebook` (an `nbformat` node) in a fresh iris-keras kernel; returns it executed.

    The kernel is the one `make install` registers (`iris_keras.app.kernel`), as
    JupyterLab and the book start it: no environment variable is set here. As
    myst-nb runs it for the book, the cells get no timing metadata, so the book's
    cache finds the executed notebook by its code (`tools.book.cache`).
    """
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=BUDGET_SECONDS,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    return client.execute()


@pytest.mark.notebook
@pytest.mark.parametrize("path", RUNNABLE, ids=[path.name for path in RUNNABLE])
def test_notebook_runs_in_a_fresh_kernel(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    executed = execute(notebook, cwd=path.parent)  # raises CellExecutionError on any failure
    seconds = time.perf_counter() - started
    stderr = [
        "".join(output["text"])
        for cell in executed.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]
    assert stderr == [], f"{path.name} printed to stderr: {stderr}"
    cache.store(executed, path, backend=BACKEND, seconds=seconds)


def test_the_kernel_is_this_environments_python():
    """The kernel the notebooks name starts this environment's Python (what nbclient,
    JupyterLab and the book start: the spec's first argument), on this backend."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
    assert spec.argv[1:3] == ["-m", "iris_keras.app.kernel"]
    assert spec.env["KERAS_BACKEND"] == BACKEND


def test_there_is_a_notebook_per_section():
    assert len(NOTEBOOKS) >= 11


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_a_notebook_for_fewer_backends_says_which(path):
    backends = cache.backends_of(path)
    assert set(backends) <= {"tensorflow", "jax", "torch"} and backends
    if len(backends) < 3:
        introduction = sources(path, "markdown").split("## Setup")[0]
        assert all(f"{name} backend" in introduction for name in backends), introduction


def stored(path):
    """The notebook at `path` as git stores it (the index), not as the working tree has it."""
    relative = path.relative_to(NOTEBOOKS_DIR.parent).as_posix()
    return subprocess.run(
        ["git", "show", f":{relative}"],
        cwd=NOTEBOOKS_DIR.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_is_stored_without_outputs_on_the_projects_kernel(path):
    notebook = json.loads(stored(path))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, f"{path.name} has no code"
    assert [cell["outputs"] for cell in code] == [[]] * len(code), f"{path.name} has outputs"
    assert {cell["execution_count"] for cell in code} == {None}, f"{path.name} has counts"
    kernelspec = notebook["metadata"]["kernelspec"]
    assert (kernelspec["name"], kernelspec["display_name"]) == (KERNEL_NAME, DISPLAY_NAME)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_stored_notebook_is_what_the_git_filter_makes_of_it(path):
    """Saving a notebook in JupyterLab changes nothing git sees: what git stores is
    already stripped, so the nbstripout filter maps any run of it back to the same bytes."""
    text = stored(path)
    stripped = subprocess.run(
        [sys.executable, "-m", "nbstripout", "-t"],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert stripped == text, f"{path.name}: run `.venv/bin/nbstripout {path.name}` and commit"


def sources(path, cell_type):
    """The text of every `cell_type` cell of the notebook at `path`, one cell per line."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == cell_type)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_is_thin_and_tells_its_story(path):
    headings = re.findall(r"^## (.+)$", sources(path, "markdown"), flags=re.MULTILINE)
    assert headings[:2] == ["Introduction", "Setup"] and headings[-1] == "Conclusion"
    code = sources(path, "code")
    assert not re.search(r"^\s*(def|class) ", code, flags=re.MULTILINE), (
        "library code belongs in iris_keras"
    )
    assert "assert" in code, f"{path.name} asserts none of its claims"


def test_every_section_from_2_1_to_4_5_has_a_heading():
    headings = set()
    for path in NOTEBOOKS:
        headings.update(re.findall(r"^## (§\d\.\d)", sources(path, "markdown"), re.MULTILINE))
    assert sorted(set(SECTIONS) - headings) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_references_to_other_notebooks_are_links(path):
    """A section named in the prose (§3.1), or a notebook named by file, is a link to follow."""
    others = {other.name for other in NOTEBOOKS} - {path.name}
    for line in sources(path, "markdown").splitlines():
        if line.startswith("#"):
            continue
        plain = re.sub(r"\[[^\]]*\]\([^)]*\)|`[^`]*`|\$[^$]*\$", "", line)
        named = [name for name in others if name in plain or name.removesuffix(".ipynb") in plain]
        assert named == [], f"{path.name}: {line!r} names {named} without a link"
        for match in re.finditer(r"§(\d\.\d)", plain):
            holders = [name for name in others if name.startswith(match.group(1))]
            holders += [name for name in others if f"-{match.group(1)}-" in name]
            assert holders == [], f"{path.name}: {line!r}: link {match.group(0)} to {holders}"
        for target in re.findall(r"\]\(([^)#]+\.ipynb)", line):
            assert (NOTEBOOKS_DIR / target).is_file(), f"{path.name}: broken link to {target}"
