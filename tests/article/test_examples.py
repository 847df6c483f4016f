"""Every example of the README and the book is run, or says why not.

The Python blocks of the README and of the book's pages (`docs/*.md`,
`docs/developers/*.md`) are Python sessions, `>>>` prompts and the output
they print, and pytest runs each page as a doctest (`--doctest-glob=*.md`
in `pyproject.toml`): a block whose output changes fails `make test`. Every
other fenced block (shell commands, what a command prints, a listing that
must not run) carries one of two marks on the line before it
(docs/developers/testing.md):

- `<!-- not run: REASON -->`: shown, never run, for the reason given;
- `<!-- checked by tests/PATH.py::TEST -->`: a test compares the block
  with what the code prints.

MyST directives (a fence whose language is in braces, e.g. ```{toctree}) are
not code. A block with neither a prompt nor a mark fails here: none is
skipped silently.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_GLOBS = ("README.md", "README.zh-CN.md", "docs/*.md", "docs/developers/*.md")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
MARK = re.compile(
    r"^<!-- (?:not run: (?P<reason>\S.*?)|checked by (?P<test>tests/\S+\.py)::(?P<name>\w+)) -->$"
)
PYTHON = {"python", "py", "python3", "pycon"}


def pages():
    return sorted(path for pattern in PAGE_GLOBS for path in ROOT.glob(pattern))


def fenced_blocks(text):
    """Each fenced block of a markdown text: `(line number, info string, lines, mark line)`."""
    lines, blocks, index = text.splitlines(), [], 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, start = opening["fence"], index
        index += 1
        while index < len(lines) and not lines[index].startswith(fence):
            index += 1
        before = lines[start - 1] if start else ""
        blocks.append((start + 1, opening["info"].strip(), lines[start + 1 : index], before))
        index += 1
    return blocks


def is_doctest(info, body):
    first = next((line for line in body if line.strip()), "")
    return info.split(" ")[0] in PYTHON and first.startswith(">>> ")


@pytest.mark.parametrize("page", pages(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_block_runs_or_is_marked(page):
    unmarked = []
    for line, info, body, before in fenced_blocks(page.read_text(encoding="utf-8")):
        if info.startswith("{") or is_doctest(info, body):
            continue
        mark = MARK.match(before.strip())
        if mark is None:
            unmarked.append(f"line {line} (```{info})")
        elif mark["test"]:
            source = (ROOT / mark["test"]).read_text(encoding="utf-8")
            assert f"def {mark['name']}(" in source, f"{page.name}:{line}: no {mark['name']}"
    assert not unmarked, (
        f"{page.relative_to(ROOT)}: blocks neither run as a doctest (`>>>`) nor marked "
        "`<!-- not run: why -->` or `<!-- checked by tests/...py::test -->`: " + ", ".join(unmarked)
    )


def test_python_blocks_of_the_pages_are_sessions_pytest_runs():
    """A Python block that is not a `>>>` session would not run: it must say why."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_settings = settings["tool"]["pytest"]["ini_options"]
    assert "--doctest-glob=*.md" in pytest_settings["addopts"].split()
    assert set(PAGE_GLOBS) <= set(pytest_settings["testpaths"])
    sessions = [
        (page.name, line)
        for page in pages()
        for line, info, body, _ in fenced_blocks(page.read_text(encoding="utf-8"))
        if is_doctest(info, body)
    ]
    assert "api.md" in {page for page, _ in sessions}, sessions


def test_a_block_is_found_with_its_mark():
    text = "text\n<!-- not run: shell -->\n```sh\nmake train\n```\n```{toctree}\nx\n```\n"
    assert fenced_blocks(text) == [
        (3, "sh", ["make train"], "<!-- not run: shell -->"),
        (6, "{toctree}", ["x"], "```"),
    ]
    assert MARK.match("<!-- not run: shell commands -->")["reason"] == "shell commands"
    assert MARK.match("<!-- checked by tests/app/test_cli.py::test_x -->")["name"] == "test_x"
    assert MARK.match("<!-- not run: -->") is None
    assert is_doctest("python", ["", ">>> 1 + 1", "2"])
    assert not is_doctest("python", ["print(1)"])
