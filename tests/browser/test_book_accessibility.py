"""The book, for anyone: WCAG 2.1 level AA on every page, and tables that fit the column.

axe-core, Deque's accessibility engine, runs inside headless Chromium on
every page of the built book, served on 127.0.0.1, in the theme's light and
dark colour schemes, with every rule it has for WCAG 2.0 and 2.1 A and AA,
the experimental ones included (axe skips those unless named): each rule
`axe.getRules(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])` returns is run
by name, and the test checks that each one ran. The script is npm's
axe-core at the version `tools/axe/package-lock.json` pins, installed by
`make axe` and checked against the lock's sha512 (`tests/support/axe.py`);
nothing is fetched while the pages are checked. The window is tall, so that
the whole sidebar is in view and axe can tell every text's background (a
background it cannot tell is "incomplete", not checked). Any violation fails
the test, listed as page, rule, element.

What axe cannot check, checked here: the language of parts (WCAG 3.1.2).
The pages are English, and every Chinese character of their text sits in an
element marked `lang="zh-Hans"` (`tools/book/language.py`), so a screen
reader reads it in Chinese; code and program output are not prose.

At 1,280 and 1,400 px wide, every table fits the reading column; the tables
too wide for any column (the mutation page's counts, the first rows of the
wine table with its 14 columns) scroll, in a container the keyboard can reach.
At 1,280 px, no line of code runs out of its block: code cells, outputs and
code blocks wrap (`docs/_static/iris-keras.css`).
"""

import pytest

from tests.support.axe import axe_script, pinned_version
from tests.support.book import BOOK, pages, served

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TALL_WINDOW = (1280, 3000)
# Keras's model.summary(), coloured by rich with inline styles, on this page.
SUMMARY_PAGE = "notebooks/2.1-2.3-network-neuron-layer.html"
# The mutation page's table of counts: wider than the column at 1,280 px (at 1,400 px it
# depends on the fonts the machine has), so it may scroll instead; so may the learner's
# table shown as it is in its file, one column per feature.
WIDE_TABLE_PAGES = {"developers/mutation.html", "notebooks/your-own-data.html"}

WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
const ready = window.MathJax && MathJax.startup && MathJax.startup.promise;
(ready ? MathJax.startup.promise : Promise.resolve()).then(() => done(true));
"""

UNMARKED_CHINESE = """
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const unmarked = [];
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!/[\u3400-\u9fff]/.test(node.data)) continue;
  const element = node.parentElement;
  if (element.closest("pre, code, script, style, mjx-container, .cell_output")) continue;
  if (!element.checkVisibility()) continue;  // the theme's print-only copy of the title
  const language = element.closest("[lang]");
  if (!language || !language.lang.startsWith("zh")) unmarked.push(node.data.trim().slice(0, 40));
}
return {page: document.documentElement.lang, unmarked: unmarked};
"""

# Every rule with one of the tags, run by name: a rule named in `runOnly` runs even if
# it is experimental (off by default). Through the callback API, which answers with the
# error, if any, instead of a promise that never settles. What comes back is what the
# test reads: the rules asked for and reported, the violations, the text that passed the
# colour-contrast rule (axe's whole result, every passing node's HTML, is megabytes).
RUN_AXE = """
const done = arguments[arguments.length - 1];
const rules = axe.getRules(arguments[0]).map((rule) => rule.ruleId);
axe.run(document, {runOnly: {type: "rule", values: rules}}, (error, results) => {
  if (error) return done({error: String(error)});
  const outcomes = ["violations", "passes", "incomplete", "inapplicable"];
  const contrast = results.passes.filter((rule) => rule.id === "color-contrast");
  done({
    version: axe.version,
    rules: rules,
    reported: outcomes.flatMap((outcome) => results[outcome].map((rule) => rule.id)),
    violations: results.violations,
    contrast_passed: contrast.flatMap((rule) => rule.nodes.map((node) => node.html)),
  });
});
"""

MEASURE_TABLES = """
const scroller = (table) => {
  for (let box = table.parentElement; box && box.tagName !== "ARTICLE"; box = box.parentElement) {
    if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return box;
  }
  return table.parentElement;
};
return [...document.querySelectorAll("article table")].map((table) => {
  // The box that scrolls the table: its own wrapper, or a notebook output's.
  const box = scroller(table);
  const style = getComputedStyle(box);
  return {
    head: table.rows[0].innerText.replace(/\\s+/g, " ").trim().slice(0, 40),
    overflow: Math.round(table.getBoundingClientRect().right - box.getBoundingClientRect().right),
    scrolls: ["auto", "scroll"].includes(style.overflowX) && box.scrollWidth > box.clientWidth,
    focusable: box.tabIndex >= 0,
  };
});
"""

# Every code block, code cell and output whose text is wider than its block.
MEASURE_CODE = """
return [...document.querySelectorAll("article pre")].map((pre) => ({
  line: pre.innerText.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""),
  overflow: pre.scrollWidth - pre.clientWidth,
})).filter((pre) => pre.overflow > 1);
"""


@pytest.fixture(scope="module")
def axe():
    """The pinned axe-core's script, to inject into each page."""
    return axe_script()


@pytest.fixture(scope="module")
def site(book, tmp_path_factory):
    """`(base URL, page names)` of the built book, served on 127.0.0.1."""
    log = tmp_path_factory.mktemp("book-server") / "http.log"
    names = [path.relative_to(BOOK).as_posix() for path in pages(book)]
    with served(log) as base:
        yield base, names


def color_scheme(driver, scheme):
    """Makes the page see `prefers-color-scheme: scheme`, as a reader's system setting would."""
    feature = {"name": "prefers-color-scheme", "value": scheme}
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [feature]})


def run_axe(driver, script):
    """axe-core on the loaded page, every WCAG 2.0/2.1 A and AA rule it has: what RUN_AXE keeps.

    Injects `script` (the pinned `axe.min.js`) and runs it; checks that it is
    the version the lock pins and that every rule with those tags ran.
    """
    driver.execute_async_script(WAIT_FOR_MATHJAX)
    driver.execute_script(script)
    results = driver.execute_async_script(RUN_AXE, WCAG_21_AA)
    assert "error" not in results, results["error"]
    assert results["version"] == pinned_version()
    assert sorted(set(results["rules"]) - set(results["reported"])) == []
    return results


def violations(name, results):
    """One line per element that fails a rule: page, rule, impact, element, axe's summary."""
    lines = []
    for rule in results["violations"]:
        for node in rule["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            element = " ".join(map(str, node["target"]))
            lines.append(f"{name}: {rule['id']} ({rule['impact']}) at {element}: {summary}")
    return lines


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_meets_wcag_21_aa(chromium, site, axe, scheme):
    base, names = site
    assert {"index.html", "glossary.html", "search.html", SUMMARY_PAGE} <= set(names)
    chromium.set_window_size(*TALL_WINDOW)
    color_scheme(chromium, scheme)
    problems, summary_checked = [], []
    try:
        for name in names:
            chromium.get(f"{base}/{name}")
            results = run_axe(chromium, axe)
            problems += violations(name, results)
            if name == SUMMARY_PAGE:
                summary_checked = [
                    html
                    for html in results["contrast_passed"]
                    if html.startswith('<span style="color: #')
                ]
    finally:
        color_scheme(chromium, "light")
    assert problems == []
    # The model summary's coloured text was among what axe checked, and passed.
    assert len(summary_checked) >= 3, summary_checked


@pytest.mark.browser
def test_the_pages_are_english_and_their_chinese_is_marked_chinese(chromium, site):
    base, names = site
    problems, marked_pages = [], 0
    for name in names:
        chromium.get(f"{base}/{name}")
        seen = chromium.execute_script(UNMARKED_CHINESE)
        if seen["page"] != "en":
            problems.append(f"{name}: <html lang={seen['page']!r}>")
        problems += [f"{name}: Chinese not marked lang=zh: {text!r}" for text in seen["unmarked"]]
        marked_pages += bool(chromium.find_elements("css selector", '[lang="zh-Hans"]'))
    assert problems == []
    assert marked_pages >= len(names) // 2  # the sidebar alone holds the article's titles


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 1400])
def test_every_table_fits_the_column_or_scrolls_by_keyboard(chromium, site, width):
    base, names = site
    chromium.set_window_size(width, 1000)
    problems = []
    for name in names:
        chromium.get(f"{base}/{name}")
        for table in chromium.execute_script(MEASURE_TABLES):
            if table["overflow"] <= 1:
                continue
            where = f"{name}: table {table['head']!r} overflows by {table['overflow']} px"
            if name not in WIDE_TABLE_PAGES:
                problems.append(f"{where} at {width} px")
            elif not (table["scrolls"] and table["focusable"]):
                problems.append(f"{where} and cannot be scrolled by keyboard")
    assert problems == []


@pytest.mark.browser
def test_every_line_of_code_wraps_or_fits(chromium, site):
    base, names = site
    chromium.set_window_size(1280, 1000)
    problems, blocks = [], 0
    for name in names:
        chromium.get(f"{base}/{name}")
        blocks += len(chromium.find_elements("css selector", "article pre"))
        for code in chromium.execute_script(MEASURE_CODE):
            problems.append(f"{name}: {code['line'][:60]!r} overflows by {code['overflow']} px")
    assert problems == []
    assert blocks >= 100  # the notebooks' cells and outputs were among them
