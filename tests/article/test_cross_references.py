"""Every cross-reference in the book's pages and notebooks points where the text is.

The pages (`docs/*.md`, `docs/developers/*.md`) and the notebooks' prose refer
to other places three ways, and each is checked here against the repository,
without building the book:

- "the README's errata table": the README has a heading with that word
  ("errata"), and a table under it when the reference says "table"; a
  reference to a command (the README's `make train` block) names one the
  README shows. `(README, "Set-up")` names the start of a README heading.
- "see the backends page": the book has that page (`docs/backends.md`, or a
  page whose title holds the word).
- a link `[text](target#anchor)`: the file exists, relative to the page, and
  the anchor is one of its headings (MyST makes anchors for levels 1 to 3).
"""

import json
import re
from pathlib import Path

import pytest
from myst_parser.slugs import github_slugify

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"
PAGES = sorted([*DOCS.glob("*.md"), *DOCS.glob("developers/*.md")])
SOURCES = PAGES + sorted(NOTEBOOKS.glob("*.ipynb"))

README_REFERENCE = re.compile(r"\bREADME[’']s (`[^`]+`|[\w-]+)(?: (\w+))?")
README_HEADING_REFERENCE = re.compile(r"\(README, \"([^\"]+)\"\)")
PAGE_REFERENCE = re.compile(r"\b[Tt]he ([\w-]+) page\b")
NOT_A_PAGE_NAME = {"this", "that", "same", "next", "previous", "one", "front", "whole", "a"}
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCED = re.compile(r"^(```|~~~).*?^\1", flags=re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *#*$", flags=re.MULTILINE)


def prose(path):
    """The Markdown of a page, or of a notebook's Markdown cells, without fenced code."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return FENCED.sub("", text)


def sections(markdown):
    """`{heading text: the text under it}` for every heading of `markdown`."""
    found = list(HEADING.finditer(markdown))
    ends = [match.start() for match in found[1:]] + [len(markdown)]  # one too many if none
    return {match[2]: markdown[match.end() : end] for match, end in zip(found, ends, strict=False)}


def anchors(path):
    """The anchors MyST gives the headings (levels 1 to 3) of the page or notebook at `path`."""
    plain = re.compile(r"`|\*|\[([^\]]*)\]\([^)]*\)")
    return {
        github_slugify(plain.sub(r"\1", match.group(2)))
        for match in HEADING.finditer(prose(path))
        if len(match.group(1)) <= 3
    }


README = (ROOT / "README.md").read_text(encoding="utf-8")
README_SECTIONS = sections(FENCED.sub("", README))
TITLES = {page: next(iter(sections(prose(page))), "") for page in PAGES}


def readme_problems(text):
    """What the README references in `text` name that the README does not have."""
    problems = []
    for match in README_REFERENCE.finditer(text):
        named, noun = match.groups()
        if named.startswith("`"):
            if named not in README:
                problems.append(f"{match.group(0)!r}: the README never shows {named}")
            continue
        under = [body for head, body in README_SECTIONS.items() if named.lower() in head.lower()]
        if not under:
            problems.append(f"{match.group(0)!r}: the README has no {named!r} heading")
        elif noun == "table" and not any(re.search(r"^\|", body, re.MULTILINE) for body in under):
            problems.append(f"{match.group(0)!r}: the README's {named!r} section has no table")
    for match in README_HEADING_REFERENCE.finditer(text):
        if not any(head.startswith(match.group(1)) for head in README_SECTIONS):
            problems.append(f"{match.group(0)!r}: the README has no heading {match.group(1)!r}")
    return problems


def page_problems(text):
    """The pages that `the X page` references in `text` name and the book does not have."""
    problems = []
    for match in PAGE_REFERENCE.finditer(text):
        name = match.group(1).lower()
        if name in NOT_A_PAGE_NAME:
            continue
        if not any(page.stem == name or name in TITLES[page].lower() for page in PAGES):
            problems.append(f"{match.group(0)!r}: the book has no {name!r} page")
    return problems


def link_problems(path, text):
    """The links in `text` (found in `path`) whose file or anchor does not exist."""
    problems = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address: the book's link check (make book, -W) follows none
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.exists():
            problems.append(f"link to {target}: no such file")
        elif anchor and linked.suffix in {".md", ".ipynb"} and anchor not in anchors(linked):
            problems.append(f"link to {target}: {file or path.name} has no heading #{anchor}")
    return problems


@pytest.mark.parametrize(
    "path", SOURCES, ids=[path.relative_to(ROOT).as_posix() for path in SOURCES]
)
def test_every_reference_points_where_the_text_is(path):
    text = prose(path)
    words = " ".join(INLINE_CODE.sub(lambda code: code.group(0).replace(" ", "\0"), text).split())
    words = words.replace("\0", " ")  # one line, so a reference may break across lines
    problems = readme_problems(words) + page_problems(words) + link_problems(path, text)
    assert problems == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("the README's errata table lists every fix", "the README has no 'errata' heading"),
        ("The README's errata section measured", "the README has no 'errata' heading"),
        ("the README's results table lists all six runs", None),
        ("the README's set-up section", None),
        ("the README's Tools section has no table", None),
        ("the README's `make frobnicate` block", "the README never shows `make frobnicate`"),
        ('(README, "Set-up")', None),
        ('(README, "Errata")', "the README has no heading 'Errata'"),
        ("see the backends page", None),
        ("see the errata page", None),
        ("see the fonts page of the book", "the book has no 'fonts' page"),
        ("the same page", None),
    ],
)
def test_the_check_finds_a_reference_to_text_that_is_not_there(text, problem):
    problems = readme_problems(text) + page_problems(text)
    assert [p.split(": ", 1)[1] for p in problems] == ([problem] if problem else [])


def test_the_check_finds_a_link_to_a_missing_file_or_heading():
    page = DOCS / "index.md"
    assert link_problems(page, "[ok](errata.md) [top](first-hour.md#your-first-hour)") == []
    assert link_problems(page, "[gone](README-errata.md)") == [
        "link to README-errata.md: no such file"
    ]
    assert link_problems(page, "[gone](errata.md#fonts)") == [
        "link to errata.md#fonts: errata.md has no heading #fonts"
    ]
