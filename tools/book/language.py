"""The book's Chinese passages marked as Chinese: WCAG 2.1 success criterion 3.1.2.

The book is English (`language = "en"` in `docs/conf.py`, `<html lang="en">`),
with the article's Chinese titles and terms among the English. A screen
reader reads a page in its language unless a passage says otherwise, so
without marks it spells Chinese out in an English voice. This Sphinx
transform wraps each run of Chinese text in an inline node with the class
`language-zh-Hans`, which docutils writes as `<span lang="zh-Hans">`. It runs
when a page is read, before Sphinx collects the titles, so the sidebar, the
page's contents and the previous/next links carry the mark too. Code, maths
and raw HTML are left as they are.

`tests/browser/test_book_accessibility.py` checks every page: no Chinese
character of the text outside `lang="zh-Hans"`.
"""

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

LANGUAGE = "zh-Hans"
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
PUNCTUATION = "[\u3000-\u303f\uff00-\uffef]"
# A run of Chinese: Han characters, with Chinese punctuation and spaces between them.
CHINESE = re.compile(f"{HAN}(?:(?:{PUNCTUATION}| )*{HAN})*{PUNCTUATION}*")
LEFT_ALONE = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw, nodes.comment)


def chinese_runs(text):
    """`text` in pieces, each `(piece, is_chinese)`: the runs of Chinese and what lies between.

    Example:
    >>> list(chinese_runs("§2.4 激活函数 — Activation"))
    [('§2.4 ', False), ('激活函数', True), (' — Activation', False)]
    """
    start = 0
    for run in CHINESE.finditer(text):
        if run.start() > start:
            yield text[start : run.start()], False
        yield run.group(), True
        start = run.end()
    if start < len(text):
        yield text[start:], False


def split_chinese(text):
    """`text` as a list of nodes: plain text, and each Chinese run in a marked inline.

    Example:
    >>> [node.astext() for node in split_chinese("§2.4 激活函数 — Activation")]
    ['§2.4 ', '激活函数', ' — Activation']
    >>> split_chinese("激活函数")[0]["classes"]
    ['language-zh-Hans']
    """
    return [
        nodes.inline(piece, piece, classes=[f"language-{LANGUAGE}"])
        if chinese
        else nodes.Text(piece)
        for piece, chinese in chinese_runs(text)
    ]


class MarkChinese(SphinxTransform):
    """Wraps every run of Chinese in the page's text in `<span lang="zh-Hans">`."""

    default_priority = 700

    def apply(self, **kwargs):
        marked = f"language-{LANGUAGE}"
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, LEFT_ALONE):
                continue
            if marked in parent.get("classes", []) or not CHINESE.search(text.astext()):
                continue
            parent.replace(text, split_chinese(text.astext()))


def setup(app):
    """Registers the transform (`docs/conf.py` calls this from its own `setup`)."""
    app.add_transform(MarkChinese)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
