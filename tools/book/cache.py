"""The notebooks of a backend's book, and the one cache their executions share.

`make book` executes the notebooks with myst-nb (`nb_execution_mode =
"cache"` in `docs/conf.py`) into the jupyter-cache `build/.jupyter_cache-<backend>`.
myst-nb finds a notebook there by jupyter-cache's hash of its code cells
(their sources and metadata) and its kernelspec; outputs and Markdown are
not hashed. A notebook found there is not executed again: its stored outputs
are merged into the page.

The notebook tests (`tests/article/test_notebooks.py`) execute the same
notebooks, on the same kernel, with nbclient as myst-nb calls it (no timing
metadata on the cells, which would change the hash), and `store` each
executed notebook in that cache: `make test-all`, the notebook tests and then
the book, executes each notebook once.
"""

import json
import os
from pathlib import Path

import nbformat
from filelock import FileLock
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BACKENDS = ("tensorflow", "jax", "torch")


def current_backend():
    """The backend this process runs Keras on: `KERAS_BACKEND`, TensorFlow if unset."""
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def cache_path(backend):
    """The jupyter-cache folder of `backend`'s book, e.g. `build/.jupyter_cache-jax`.

    Example:
    >>> cache_path("jax").relative_to(ROOT).as_posix()
    'build/.jupyter_cache-jax'
    """
    return ROOT / "build" / f".jupyter_cache-{backend}"


def backends_of(path):
    """The backends the notebook at `path` runs on: all three, unless its metadata names fewer.

    `tf.distribute` (the §6 data-parallel notebook) exists on TensorFlow only;
    such a notebook names its backends in `metadata["iris-keras"]["backends"]`.

    Example:
    >>> backends_of(NOTEBOOKS / "6-distributed.ipynb")
    ['tensorflow']
    """
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    return metadata.get("iris-keras", {}).get("backends", list(BACKENDS))


def book_notebooks(backend):
    """The notebooks `backend`'s book executes, sorted: every one that runs on `backend`.

    Example:
    >>> [path.name for path in book_notebooks("tensorflow") if path not in book_notebooks("jax")]
    ['6-distributed.ipynb']
    """
    return [path for path in sorted(NOTEBOOKS.glob("*.ipynb")) if backend in backends_of(path)]


def _cache(backend):
    return get_cache(str(cache_path(backend)))


def is_cached(path, backend):
    """Whether `backend`'s book would take the notebook at `path` from the cache, as it is now."""
    try:
        _cache(backend).match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return False
    return True


def store(executed, path, *, backend, seconds):
    """Stores `executed` (the notebook at `path`, run top to bottom) for `backend`'s book.

    Args:
        executed: the executed notebook, an `nbformat` node with its outputs.
        path: the notebook's file; its code, as it is now, must be what ran.
        backend: the backend it ran on.
        seconds: how long it ran, which the cache records, as myst-nb does.

    Raises:
        AssertionError: the book would not find it (`executed` differs from
            the file in its code, or in its cells' metadata).
    """
    cache_path(backend).parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{cache_path(backend)}.lock"):
        bundle = CacheBundleIn(executed, str(path), data={"execution_seconds": seconds})
        _cache(backend).cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    assert is_cached(path, backend), f"{path.name}: stored, but the book would not find it"
