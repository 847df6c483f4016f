"""The two READMEs say the same things: README.zh-CN.md is README.md in Chinese prose.

Many learners read the article in Chinese, so the Chinese README is no shorter,
older summary: section by section (`##` headings, in order), it shows the same
commands (code blocks, comments aside: they are prose), the same links, the same
tables (rows and columns) and the same numbers as the English one. It may hold
more (the section map with the article's Chinese titles), never less.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "README.md"
CHINESE = ROOT / "README.zh-CN.md"
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:e-?\d+)?")


def sections(path):
    """`[(heading, text)]`: the text before the first `##` heading, then each `##` section."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return [("(top)", parts[0]), *zip(parts[1::2], parts[2::2], strict=True)]


def code_blocks(text):
    """Each fenced block's lines, `#` comments and trailing blanks removed (comments are prose)."""
    blocks = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.M | re.S):
        lines = [re.sub(r"\s+#\s.*$", "", line).rstrip() for line in block.splitlines()]
        blocks.append([line for line in lines if line and not line.startswith("#")])
    return blocks


def links(text):
    """The pages a text links to; anchors within the README are in its own language."""
    targets = set(re.findall(r"\]\(([^)\s#][^)\s]*)\)", text))
    return sorted(targets - {"README.md", "README.zh-CN.md"})


def tables(text):
    """Each table's shape: `(rows, columns)`, header and rule included."""
    shapes, rows = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            shapes.append((len(rows), rows[0].strip().strip("|").count("|") + 1))
            rows = []
    return shapes


def numbers(text):
    """The numbers of the prose and tables (code blocks and HTML comments aside)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    text = re.sub(r"<!--.*?-->|\]\([^)]*\)", "", text, flags=re.S)
    return {number.replace(",", "") for number in NUMBER.findall(text)}


# Paired by position; a missing or extra section fails the first test.
PAIRS = list(zip(sections(ENGLISH), sections(CHINESE), strict=False))


def test_the_chinese_readme_has_a_section_for_each_english_one():
    english, chinese = sections(ENGLISH), sections(CHINESE)
    assert len(chinese) == len(english), (
        [heading for heading, _ in english],
        [heading for heading, _ in chinese],
    )


@pytest.mark.parametrize(("english", "chinese"), PAIRS, ids=[pair[0][0] for pair in PAIRS])
def test_each_section_shows_the_same_commands(english, chinese):
    assert code_blocks(chinese[1]) == code_blocks(english[1]), chinese[0]


@pytest.mark.parametrize(("english", "chinese"), PAIRS, ids=[pair[0][0] for pair in PAIRS])
def test_each_section_links_the_same_pages(english, chinese):
    assert set(links(english[1])) <= set(links(chinese[1])), (
        chinese[0],
        sorted(set(links(english[1])) - set(links(chinese[1]))),
    )


@pytest.mark.parametrize(("english", "chinese"), PAIRS, ids=[pair[0][0] for pair in PAIRS])
def test_each_section_has_the_same_tables(english, chinese):
    shapes = tables(chinese[1])
    assert all(shape in shapes for shape in tables(english[1])), (
        chinese[0],
        tables(english[1]),
        shapes,
    )


@pytest.mark.parametrize(("english", "chinese"), PAIRS, ids=[pair[0][0] for pair in PAIRS])
def test_each_section_states_the_same_numbers(english, chinese):
    missing = sorted(numbers(english[1]) - numbers(chinese[1]))
    assert missing == [], f"{chinese[0]} lacks the numbers {missing} of {english[0]}"
