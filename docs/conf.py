"""Sphinx configuration of the iris-keras book (`make book` builds it into build/book/).

`make book` copies `docs/` into `build/book-src/`, following the
`docs/notebooks -> ../notebooks` link, so that Sphinx sees the notebooks as
pages of the book (it resolves links through symbolic links to their real
place, outside the source folder), then builds from there.

Sphinx with myst-nb: notebooks stay notebooks, executed at build time on the
project's kernel, with their outputs; pages are MyST markdown; the API
reference comes from the docstrings. MathJax is bundled
(`sphinx-mathjax-offline`), so the book reads offline: no page loads
anything from the network (`tests/browser/test_book.py` checks it).
"""

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not (ROOT / "iris_keras").is_dir():  # built from the copy in build/book-src/
    ROOT = ROOT.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import iris_keras  # noqa: E402
from iris_keras.backend.quiet import import_keras  # noqa: E402
from tools.book.cache import book_notebooks, cache_path, current_backend  # noqa: E402

import_keras()  # autodoc imports the package: no backend start-up lines

project = "iris-keras"
author = "the iris-keras authors"
copyright = "2026, the iris-keras authors"
release = version = iris_keras.__version__
language = "en"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "tools.book.language",  # the Chinese passages marked lang="zh-Hans" (WCAG 2.1, 3.1.2)
    "tools.book.folds",  # folded solutions named by their visible, marked prompt (2.5.3)
    "tools.book.progress",  # what make book prints: the notebooks to execute, then n/N each
    "tools.book.atlas_page",  # the atlas page's controls, data and plotly.js (docs/atlas.md)
]
# Pieces that pages {include}, not pages of their own.
exclude_patterns = [
    "study/summary.md",
    "study-*/summary.md",
    "section-map.md",
    "**/.ipynb_checkpoints",
]
root_doc = "index"

# MyST: $…$ and $$…$$ math in pages and notebooks, ::: fences, heading anchors for links.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# Notebooks: executed on the kernel their metadata names (iris-keras), cached
# under build/.jupyter_cache-<backend> so a rebuild runs only the notebooks that changed;
# the notebook tests store their executions there too (tools/book/cache.py).
_BACKEND = current_backend()
nb_execution_mode = "cache"
# A notebook whose metadata names fewer backends (the §6 data-parallel one is
# TensorFlow's) is shown without outputs in a book built on another backend.
_EXECUTED = set(book_notebooks(_BACKEND))
nb_execution_excludepatterns = [
    f"notebooks/{path.name}"
    for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
    if path not in _EXECUTED
]
nb_execution_cache_path = str(cache_path(_BACKEND))
nb_execution_timeout = 180
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# API reference from the Google/Keras-style docstrings.
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "sphinx_book_theme"
# The theme's templates this book overrides: the search button, named by the text it shows.
templates_path = ["_templates"]
html_title = "iris-keras"
html_theme_options = {
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
# MathJax 3 from the pinned sphinx-mathjax-offline package, copied into _static/mathjax:
# we take its files, not its Sphinx hook (which is not declared safe for parallel builds).
_MATHJAX_PACKAGE = Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent
html_static_path = [str(_MATHJAX_PACKAGE / "static"), "_static"]
# The book's few CSS rules for WCAG 2.1 AA: tables that fit, code that wraps, legible
# model summaries.
html_css_files = ["iris-keras.css"]
html_show_sourcelink = False
html_last_updated_fmt = None
# SVG output: the formulas need no web fonts, so nothing else is loaded.
mathjax_path = "mathjax/tex-svg.js"

# Broken cross-references fail the build (`make book` runs sphinx with -W).
nitpicky = False
suppress_warnings = ["mystnb.unknown_mime_type"]
