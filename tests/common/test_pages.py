"""Generated blocks in hand-written pages: only the lines between the markers change."""

import re

import pytest

from iris_keras.common.pages import replace_block, write_block
from iris_keras.errors import IrisKerasError

MARKERS = {"start": "<!-- b:start -->", "end": "<!-- b:end -->"}


def test_only_the_first_block_changes_and_the_page_keeps_its_mode(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- b:start -->\nold\n<!-- b:end -->\nprose\n<!-- b:start -->\nsecond\n<!-- b:end -->\n"
    )
    page.chmod(0o640)
    write_block(page, "new \n\n", **MARKERS)  # a trailing space is kept, newlines are not
    assert page.read_text() == (
        "<!-- b:start -->\nnew \n<!-- b:end -->\nprose\n<!-- b:start -->\nsecond\n<!-- b:end -->\n"
    )
    assert page.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("# Speed\n", id="no-markers"),
        pytest.param("<!-- b:end -->\n<!-- b:start -->\n", id="reversed"),
        pytest.param("<!-- b:start -->\n", id="no-end"),
    ],
)
def test_a_page_without_the_markers_in_order_is_refused_and_kept(tmp_path, text):
    page = tmp_path / "page.md"
    page.write_text(text)
    with pytest.raises(IrisKerasError) as error:
        write_block(page, "new", **MARKERS, name="readme")
    assert str(error.value) == (
        "Received an invalid value for `readme`, expected a file with the lines "
        f"<!-- b:start --> and <!-- b:end -->, in that order. Received: readme='{page}'. "
        "Add the two markers where the results belong."
    )
    assert page.read_text() == text


def test_a_missing_page_is_named(tmp_path):
    page = tmp_path / "missing.md"
    with pytest.raises(
        IrisKerasError,
        match=re.escape(f"`page`, expected a readable file. Received: page='{page}'"),
    ):
        write_block(page, "new", **MARKERS)


def test_a_block_ends_at_its_first_end_marker():
    text = "a\n<!-- t:start -->\nold\n<!-- t:end -->\nkept\n<!-- t:end -->\n"
    assert replace_block(text, "new\n", start="<!-- t:start -->", end="<!-- t:end -->") == (
        "a\n<!-- t:start -->\nnew\n<!-- t:end -->\nkept\n<!-- t:end -->\n"
    )
