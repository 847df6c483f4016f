"""The book's notebook cache: what the notebook tests store is what `make book` finds.

myst-nb looks a notebook up by jupyter-cache's hash of its code cells and
kernelspec. These tests store small notebooks in a cache of their own and
look them up the way the book does, from the file.
"""

import nbformat
import pytest

from tools.book import cache


@pytest.fixture
def notebook(tmp_path, monkeypatch):
    """A one-cell notebook on disk, with a cache of its own: `(path, the notebook as run)`."""
    monkeypatch.setattr(cache, "cache_path", lambda backend: tmp_path / f"cache-{backend}")
    cell = nbformat.v4.new_code_cell("print(1 + 1)")
    path = tmp_path / "sum.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    executed = nbformat.read(path, as_version=4)
    executed.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    executed.cells[0].execution_count = 1
    return path, executed


def test_a_stored_notebook_is_found_as_the_book_reads_it(notebook):
    path, executed = notebook
    assert not cache.is_cached(path, "jax")
    cache.store(executed, path, backend="jax", seconds=1.5)
    assert cache.is_cached(path, "jax")
    assert not cache.is_cached(path, "torch")  # each backend's book has its own cache


def test_a_notebook_whose_code_changed_since_is_not_found(notebook):
    path, executed = notebook
    cache.store(executed, path, backend="jax", seconds=1.5)
    changed = nbformat.read(path, as_version=4)
    changed.cells[0].source = "print(2 + 2)"
    nbformat.write(changed, path)
    assert not cache.is_cached(path, "jax")


def test_timing_metadata_on_the_cells_would_hide_it_from_the_book(notebook):
    """nbclient's `record_timing` (on by default) adds cell metadata, which is hashed."""
    path, executed = notebook
    executed.cells[0].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    with pytest.raises(AssertionError, match=r"sum\.ipynb: stored, but the book would not find it"):
        cache.store(executed, path, backend="jax", seconds=1.5)
