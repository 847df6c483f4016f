"""What `make book` prints: how many notebooks it must execute and about how long, then a line each.

Before Sphinx reads the first page, one line: how many of this backend's
notebooks are not in the cache (`tools.book.cache`) and must be executed,
and about how long that takes. The first build executes every one of them.
Then, as each notebook is read, `n/N name` and whether it was executed (and
in how many seconds) or taken from the cache; N counts the notebooks of this
backend's book. Sphinx reads pages in forked processes (`-j`), so `n` is
counted in shared memory. At the end, the pages and the time.

The estimate comes from two measured times of `make book` on 2 cores
(`make book` prints the whole time on its last line): `PAGES_SECONDS` with
every notebook in the cache, `SECONDS_PER_NOTEBOOK` the rest of the first
build's time, per notebook.
"""

import multiprocessing
import time
from pathlib import Path

from myst_nb.sphinx_ import NbMetadataCollector

from tools.book.cache import book_notebooks, cache_path, current_backend, is_cached

# Measured with `make book` on 2 cores shared with other work, TensorFlow's 14 notebooks:
# 377 s with an empty cache (501 s under a heavier load), 66 s with every one cached (74 s).
PAGES_SECONDS = 66
SECONDS_PER_NOTEBOOK = (377 - PAGES_SECONDS) / 14


def estimate(notebooks):
    """About how long a book whose build executes `notebooks` of them takes, in words.

    Example:
    >>> estimate(0), estimate(3), estimate(14)
    ('about 1 min', 'about 2 min', 'about 6 min')
    """
    minutes = (PAGES_SECONDS + notebooks * SECONDS_PER_NOTEBOOK) / 60
    return f"about {max(1, round(minutes))} min"


def announce(app):
    """The line before the build: the notebooks to execute, the estimate, the cache."""
    backend = current_backend()
    notebooks = book_notebooks(backend)
    _NOTEBOOKS[:] = [path.stem for path in notebooks]
    to_run = [path for path in notebooks if not is_cached(path, backend)]
    cache = cache_path(backend).relative_to(cache_path(backend).parents[1]).as_posix()
    print(
        f"book: {len(to_run)} of the {len(notebooks)} notebooks of the {backend} book to execute"
        f" ({estimate(len(to_run))} on 2 cores), {len(notebooks) - len(to_run)} from {cache}",
        flush=True,
    )


def report_notebook(app, doctree):
    """`n/N name: executed in S s` or `n/N name: from the cache`, as each notebook is read."""
    docname = app.env.docname
    name = docname.removeprefix("notebooks/")
    if not docname.startswith("notebooks/") or name not in _NOTEBOOKS:
        return
    with _READ.get_lock():
        _READ.value += 1
        count = _READ.value
    run = NbMetadataCollector.get_exec_data(app.env, docname) or {}
    executed = run.get("mtime", 0) >= _STARTED and run.get("runtime") is not None
    how = f"executed in {run['runtime']:.0f} s" if executed else "from the cache"
    print(f"  {count}/{len(_NOTEBOOKS)} {name}: {how}", flush=True)


def report_build(app, exception):
    """The last line: how many pages, in how long, and where the book opens."""
    if exception is None:
        pages = len(app.env.found_docs)
        seconds = time.perf_counter() - _STARTED_CLOCK
        print(f"book: {pages} pages in {seconds:.0f} s -> {Path(app.outdir) / 'index.html'}")


# Set in the main process, before Sphinx forks its readers: the book's notebooks (their
# names), how many of them have been read (in shared memory), when the build started.
_NOTEBOOKS: list[str] = []
_READ = multiprocessing.Value("i", 0)
_STARTED = time.time()
_STARTED_CLOCK = time.perf_counter()


def setup(app):
    app.connect("builder-inited", announce)
    app.connect("doctree-read", report_notebook)
    app.connect("build-finished", report_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
