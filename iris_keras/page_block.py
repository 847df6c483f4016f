"""Generated blocks in hand-written pages: the lines between two HTML-comment markers.

A page (the README, a page of the book) keeps generated results, such as the
bench table or the seed study's summary, between a pair of markers:

    <!-- bench:start -->
    ...generated...
    <!-- bench:end -->

`replace_block` rewrites what lies between them and nothing else. It is
only ever called by an explicit command (`make docs-update`, `iris-keras
study --readme`): producing results writes results files, never a tracked
page.
"""

from pathlib import Path

from iris_keras import artifacts
from iris_keras.errors import IrisKerasError


def replace_block(page, block, *, start, end, name="page"):
    """Replaces the lines between the markers `start` and `end` of `page` with `block`.

    The page is rewritten atomically and keeps its permissions.

    Args:
        page: the markdown file.
        block: the new text between the markers.
        start: the opening marker, e.g. `"<!-- bench:start -->"`.
        end: the closing marker, e.g. `"<!-- bench:end -->"`.
        name: the parameter to name in errors. Defaults to `"page"`.

    Raises:
        IrisKerasError: the page is missing or lacks the two markers in
            order.

    Example:
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = pathlib.Path(folder) / "page.md"
    ...     _ = page.write_text("# Speed\\n<!-- b:start -->\\nold\\n<!-- b:end -->\\n")
    ...     replace_block(page, "new", start="<!-- b:start -->", end="<!-- b:end -->")
    ...     print(page.read_text(), end="")
    # Speed
    <!-- b:start -->
    new
    <!-- b:end -->
    """
    page = Path(page)
    try:
        text = page.read_text(encoding="utf-8")
    except OSError as error:
        raise IrisKerasError(
            f"Received an invalid value for `{name}`, expected a readable file. "
            f"Received: {name}='{page}' ({error.strerror})."
        ) from None
    opening, closing = text.find(start), text.find(end)
    if opening < 0 or closing < opening:
        raise IrisKerasError(
            f"Received an invalid value for `{name}`, expected a file with the lines "
            f"{start} and {end}, in that order. Received: {name}='{page}'. "
            "Add the two markers where the results belong."
        )
    head = text[: opening + len(start)]
    mode = page.stat().st_mode
    artifacts.write_text(page, f"{head}\n{block.rstrip(chr(10))}\n{text[closing:]}")
    page.chmod(mode)  # the atomic writer's temporary file has the default permissions
