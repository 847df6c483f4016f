"""The book's folded cells (the exercises' solutions): named by what they show.

myst-nb folds a cell tagged `hide-output` under a `<summary>` that shows the
cell's prompt ("Solution · 解答") but gives it the accessible name "Toggle
hidden content", so a voice user who says what they see names nothing (WCAG
2.1, 2.5.3 Label in Name, level A), and its Chinese is not marked as Chinese
(3.1.2). This extension writes the same `<details>` with a summary whose name is
its visible text, each Chinese run in `<span lang="zh-Hans">`, as the rest of
the book (`tools.book.language`).
"""

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

from tools.book.language import LANGUAGE, chinese_runs


def marked(text):
    """`text` as HTML, each run of Chinese in a span marked Chinese.

    Example:
    >>> marked("Solution · 解答")
    'Solution · <span lang="zh-Hans">解答</span>'
    >>> marked("a < b")
    'a &lt; b'
    """
    return "".join(
        f'<span lang="{LANGUAGE}">{escape(piece)}</span>' if chinese else escape(piece)
        for piece, chinese in chinese_runs(text)
    )


def visit_fold(self, node):
    """Opens the fold: `<details>`, and a `<summary>` named by its visible prompt."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{marked(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{marked(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def setup(app):
    """Replaces myst-nb's HTML for folded cells (after myst-nb has registered its own)."""
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_fold, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
