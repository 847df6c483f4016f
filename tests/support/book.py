"""The book the browser tests read: built once per test run, served on 127.0.0.1.

`make book` rewrites `build/book-src/` and `build/book/`, so two test workers
must not build it at once, nor one rebuild it while another reads it: the
first test of a run that needs the book builds it under a file lock and
records the run's id beside it, and what `make book` printed; every later
test of that run, in any worker, finds the record and reads the same build.
"""

import contextlib
import fcntl
import os
import subprocess
import sys
from pathlib import Path

from tests.support.browser import free_port, server, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "build" / "book"
LOCK = ROOT / "build" / ".book-test.lock"
BUILT_FOR = ROOT / "build" / ".book-test-run"
PRINTED = ROOT / "build" / ".book-test-output"


def run_id(config):
    """One id for the whole test run: pytest-xdist's, shared by its workers, or this process's."""
    worker_input = getattr(config, "workerinput", None)
    return worker_input["testrunuid"] if worker_input else f"pid-{os.getpid()}"


def build_book(config):
    """`make book`, once per test run; returns every HTML file Sphinx wrote, sorted."""
    LOCK.parent.mkdir(exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        this_run = run_id(config)
        if not (BUILT_FOR.exists() and BUILT_FOR.read_text() == this_run):
            BUILT_FOR.unlink(missing_ok=True)
            built = subprocess.run(
                ["make", "--no-print-directory", "book"], cwd=ROOT, capture_output=True, text=True
            )
            assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
            PRINTED.write_text(built.stdout, encoding="utf-8")
            BUILT_FOR.write_text(this_run)
    return sorted(BOOK.rglob("*.html"))


def pages(html_files):
    """The book's pages: the HTML files Sphinx built, not the theme's templates in `_static/`.

    pydata-sphinx-theme ships two Jinja macro files (`webpack-macros.html`,
    `sbt-webpack-macros.html`) in its static folder, and Sphinx copies them
    into `_static/` with the CSS; nothing links to them and no reader sees them.
    """
    return [path for path in html_files if "_static" not in path.relative_to(BOOK).parts]


@contextlib.contextmanager
def served(log_path):
    """The built book over HTTP on 127.0.0.1 and a free port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    with server([*command, "--directory", str(BOOK)], cwd=ROOT, log_path=log_path) as process:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/index.html", process=process, timeout=60)
        yield base
