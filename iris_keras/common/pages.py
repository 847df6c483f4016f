"""Generated blocks in hand-written pages: the lines between two HTML-comment markers.

A page (the README, a page of the book) keeps generated results, such as the
bench table or the seed study's summary, between a pair of markers:

    <!-- bench:start -->
    ...generated...
    <!-- bench:end -->

`replace_block` rewrites what lies between them in a text, `write_block` in
a file, atomically. Only explicit commands write pages (`make docs-update`,
`iris-keras study --readme`, `python -m tools.book.section_map`).
"""

from pathlib import Path

from iris_keras.common.artifacts import write_text
from iris_keras.errors import IrisKerasError


def replace_block(text, block, *, start, end):
    """`text` with the lines between the first `start` marker and the next `end` replaced.

    Pages keep generated results (the bench table, the seed study's summary,
    the section map) between two HTML-comment markers; only those lines
    change, the trailing newlines of `block` aside.

    Args:
        text: the page's text.
        block: the new lines between the markers.
        start: the opening marker, e.g. `"<!-- bench:start -->"`.
        end: the closing marker, e.g. `"<!-- bench:end -->"`.

    Returns:
        The new text.

    Raises:
        IrisKerasError: `text` lacks the two markers in that order.

    Example:
    >>> replace_block("a\\n<!-- t:start -->\\nold\\n<!-- t:end -->\\n", "new\\n",
    ...               start="<!-- t:start -->", end="<!-- t:end -->")
    'a\\n<!-- t:start -->\\nnew\\n<!-- t:end -->\\n'
    """
    head, found_start, rest = text.partition(start)
    _, found_end, tail = rest.partition(end)
    if not (found_start and found_end):
        raise IrisKerasError(f"expected the lines {start} and {end}, in that order")
    return f"{head}{start}\n{block.rstrip(chr(10))}\n{end}{tail}"


def write_block(page, block, *, start, end, name="page"):
    """Rewrites the block between the markers of the file `page` (`replace_block`), atomically.

    Only an explicit command calls it (`make docs-update`, `iris-keras study
    --readme`): producing results writes results files, never a tracked
    page. The page keeps its permissions.

    Args:
        page: the markdown file.
        block: the new text between the markers.
        start: the opening marker.
        end: the closing marker.
        name: the parameter to name in errors. Defaults to `"page"`.

    Raises:
        IrisKerasError: the page is missing or lacks the two markers in order.
    """
    page = Path(page)
    try:
        text = page.read_text(encoding="utf-8")
    except OSError as error:
        raise IrisKerasError(
            f"Received an invalid value for `{name}`, expected a readable file. "
            f"Received: {name}='{page}' ({error.strerror})."
        ) from None
    try:
        text = replace_block(text, block, start=start, end=end)
    except IrisKerasError:
        raise IrisKerasError(
            f"Received an invalid value for `{name}`, expected a file with the lines "
            f"{start} and {end}, in that order. Received: {name}='{page}'. "
            "Add the two markers where the results belong."
        ) from None
    mode = page.stat().st_mode
    write_text(page, text)
    page.chmod(mode)  # the atomic writer's temporary file has the default permissions
