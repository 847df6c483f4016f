"""The README's Python example, pasted into `.venv/bin/python`, prints what the README shows.

The example is a plain Python block (no `>>>` prompts: a learner copies it into
the interpreter as it is), followed by the block of what it prints. Python's
interactive interpreter runs pasted lines one by one, as `code.InteractiveConsole`
does here, echoing the value of a bare expression: the example binds every
value it does not print. Each README's example is run so, on this backend.
"""

import code
import contextlib
import doctest
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", ROOT / "README.zh-CN.md"]
EXAMPLE = re.compile(
    r"^```python\n(?P<source>.*?)^```\n.*?^```text\n(?P<printed>.*?)^```", re.M | re.S
)


def example(readme):
    """`(source, printed)`: the first Python block of `readme` and the text block after it."""
    found = EXAMPLE.search(readme.read_text(encoding="utf-8"))
    assert found, f"{readme.name} has no ```python block followed by a ```text block"
    return found["source"], found["printed"]


def pasted(source):
    """What the interactive interpreter prints for `source` pasted line by line."""
    console, printed = code.InteractiveConsole(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        for line in [*source.splitlines(), ""]:
            console.push(line)
    return printed.getvalue()


@pytest.mark.parametrize("readme", READMES, ids=lambda path: path.name)
def test_the_readme_example_pasted_into_python_prints_what_it_shows(readme):
    source, shown = example(readme)
    output = pasted(source)
    checker = doctest.OutputChecker()
    assert checker.check_output(shown, output, doctest.ELLIPSIS), (
        f"{readme.name}: the example printed\n{output}\nbut the README shows\n{shown}"
    )


def test_both_readmes_show_the_same_example():
    english, chinese = (example(readme) for readme in READMES)
    strip = lambda text: [re.sub(r"\s+#.*$", "", line) for line in text.splitlines()]  # noqa: E731
    assert strip(chinese[0]) == strip(english[0]) and chinese[1] == english[1]
