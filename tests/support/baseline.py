"""Outputs recorded in `tests/support/baseline/`: what a figure or a page looked like when checked.

A test draws or renders from fixed inputs and compares with the recording:
text exactly, images with matplotlib's `compare_images` at tolerance 0 (the
pinned matplotlib draws the same pixels every time). After a change you
meant, record anew with `IRIS_KERAS_RECORD_BASELINES=1 make test-fast`,
look at the files, and commit them.
"""

import os
import shutil
from pathlib import Path

FOLDER = Path(__file__).parent / "baseline"
RECORD = os.environ.get("IRIS_KERAS_RECORD_BASELINES") == "1"


def check_text(name, text):
    """Asserts that `text` is the recorded `tests/support/baseline/<name>`."""
    recorded = FOLDER / name
    if RECORD:
        recorded.write_text(text, encoding="utf-8")
    assert recorded.is_file(), f"no recording {recorded}: see tests/support/baseline.py"
    assert text == recorded.read_text(encoding="utf-8")


def check_image(name, drawn):
    """Asserts that the PNG `drawn` has the pixels of `tests/support/baseline/<name>`."""
    from matplotlib.testing.compare import compare_images

    recorded = FOLDER / name
    if RECORD:
        shutil.copy(drawn, recorded)
    assert recorded.is_file(), f"no recording {recorded}: see tests/support/baseline.py"
    assert compare_images(str(recorded), str(drawn), tol=0) is None
