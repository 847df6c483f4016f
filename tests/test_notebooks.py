"""Every notebook runs top to bottom in a fresh kernel, and none is committed with outputs.

We execute with nbclient (already needed by nbconvert) rather than the
nbmake plugin: it needs no extra pytest plugin, and it lets each test set the
kernel, the working folder and the timeout. Each notebook asserts its own
claims, so a notebook that runs is a notebook whose claims hold.
"""

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
# Each notebook runs in under a minute on this 2-core machine by itself
# (README, "Notebooks"); two run at once under `make test`, so the budget per
# notebook, and per cell, is 90 seconds.
BUDGET_SECONDS = 90
SECTIONS = [f"§2.{i}" for i in range(1, 7)] + [f"§3.{i}" for i in range(1, 4)]
SECTIONS += [f"§4.{i}" for i in range(1, 6)]


def execute(notebook, *, cwd):
    """Runs `notebook` (an `nbformat` node) in a fresh python3 kernel; returns it executed."""
    from nbclient import NotebookClient

    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # the kernel inherits it: no TensorFlow log noise
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=BUDGET_SECONDS,
        resources={"metadata": {"path": str(cwd)}},
    )
    return client.execute()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_runs_in_a_fresh_kernel(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    execute(notebook, cwd=path.parent)  # raises CellExecutionError on any failure
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{path.name} took {elapsed:.0f} s"


@pytest.mark.slow
def test_the_kernel_is_this_environments_python(tmp_path):
    import nbformat

    cell = nbformat.v4.new_code_cell("import sys; print(sys.executable)")
    executed = execute(nbformat.v4.new_notebook(cells=[cell]), cwd=tmp_path)
    printed = executed.cells[0].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


def test_there_is_a_notebook_per_section():
    assert len(NOTEBOOKS) >= 11


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, f"{path.name} has no code"
    assert [cell["outputs"] for cell in code] == [[]] * len(code), f"{path.name} has outputs"
    assert {cell["execution_count"] for cell in code} == {None}, f"{path.name} has counts"
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


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
