"""The article's section map and glossary, as tables generated from two TOML files.

`docs/sections.toml` lists every section of the article, 1 to 6, with its
Chinese title as printed, an English title, the page that holds it and the
module that implements it; `docs/glossary.toml` lists the article's terms
with their English names, the API that implements each and where it is
shown. The tables of `docs/section-map.md`, `docs/glossary.md` and
`README.zh-CN.md` are rendered from them, so they cannot drift apart:

    .venv/bin/python -m tools.book.section_map     # rewrites the tables in place

`tests/tools/test_section_map.py` renders them again and fails when a file differs.
Links are written relative to the file they sit in: a page under `docs/`
links to `glossary.md` and to `notebooks/...` (the book's `docs/notebooks`
symlink), one at the root to `docs/glossary.md` and `notebooks/...`.
"""

import sys
import tomllib
from pathlib import Path

from iris_keras.common.pages import replace_block

SECTIONS_FILE = "docs/sections.toml"
GLOSSARY_FILE = "docs/glossary.toml"
SECTION_MAP_PAGE = "docs/section-map.md"
GLOSSARY_PAGE = "docs/glossary.md"
README_ZH = "README.zh-CN.md"
# Where each generated table goes: (file, block name, table). The section map
# page is generated whole; the others have their table between two markers.
BLOCKS = (
    (GLOSSARY_PAGE, "glossary", "glossary"),
    (README_ZH, "sections", "sections-zh"),
    (README_ZH, "glossary", "glossary"),
)
SECTION_MAP_HEADER = """\
<!-- Generated from docs/sections.toml by `python -m tools.book.section_map`; do not edit. -->
"""


def load(path, key):
    """The list of tables named `key` (`"section"`, `"term"`) in the TOML file at `path`."""
    with Path(path).open("rb") as file:
        return tomllib.load(file)[key]


def link(page, *, folder, text=None):
    """A markdown link to `page` (relative to the repository root) from a file in `folder`.

    >>> link("docs/glossary.md", folder="docs")
    '[glossary](glossary.md)'
    >>> link("notebooks/3.2-back-propagation.ipynb", folder="")
    '[3.2-back-propagation](notebooks/3.2-back-propagation.ipynb)'
    """
    target = page.removeprefix("docs/") if folder == "docs" else page
    return f"[{text or Path(page).stem}]({target})"


def section_table(sections, *, folder, checks=False):
    """The section map as a markdown table, its links relative to `folder`.

    Args:
        sections: the `[[section]]` entries of `docs/sections.toml`.
        folder: the folder of the file the table goes into, `"docs"` or `""`.
        checks: add the Chinese "what is checked" column. Defaults to `False`.

    Returns:
        The table, one line per section, ending with a newline.
    """
    header = ["§", "中文", "English", "页面 / page", "模块 / module"]
    if checks:
        header.append("本项目展示与验证")
    lines = [_row(header), _row(["---"] * len(header))]
    for section in sections:
        pages = [section["page"], *section.get("also", [])]
        module = section.get("module")
        cells = [
            section["number"],
            section["title_zh"],
            section["title_en"],
            " · ".join(link(page, folder=folder) for page in pages),
            f"`{module}`" if module else "",
        ]
        if checks:
            cells.append(section["checks_zh"])
        lines.append(_row(cells))
    return "\n".join(lines) + "\n"


def glossary_table(terms, *, folder):
    """The glossary as a markdown table, its links relative to `folder`."""
    lines = [
        _row(["中文", "English", "API", "§", "本项目 / shown in"]),
        _row(["---"] * 5),
    ]
    for term in terms:
        lines.append(
            _row(
                [
                    term["zh"],
                    term["en"],
                    ", ".join(f"`{name}`" for name in term["api"]),
                    term["section"],
                    link(term["page"], folder=folder),
                ]
            )
        )
    return "\n".join(lines) + "\n"


def render_files(root):
    """Every generated file's expected text, from the TOML files under `root`.

    Returns:
        A dict from path (relative to `root`) to the file's full text.

    Raises:
        IrisKerasError: a file that should hold a block lacks its markers.
    """
    root = Path(root)
    sections = load(root / SECTIONS_FILE, "section")
    terms = load(root / GLOSSARY_FILE, "term")
    tables = {
        "glossary": lambda folder: glossary_table(terms, folder=folder),
        "sections-zh": lambda folder: section_table(sections, folder=folder, checks=True),
    }
    texts = {SECTION_MAP_PAGE: SECTION_MAP_HEADER + section_table(sections, folder="docs")}
    for path, block, table in BLOCKS:
        text = texts.get(path) or (root / path).read_text(encoding="utf-8")
        texts[path] = replace_block(
            text,
            tables[table](str(Path(path).parent.as_posix())),
            start=f"<!-- {block}:start -->",
            end=f"<!-- {block}:end -->",
        )
    return texts


def write(root):
    """Rewrites every generated table under `root`; returns the paths that changed."""
    changed = []
    for path, text in render_files(root).items():
        target = Path(root) / path
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def _row(cells):
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()):
        print(f"rewrote {path}")
