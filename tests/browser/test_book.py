"""The book, read offline in a real browser: every page of `make book`.

For every page of the built book we assert what a reader without a network
would see: nothing requested from the network, no raw TeX left in the text,
every formula typeset by the bundled MathJax, every image loaded and
described by its alt text, and every internal link pointing at a page (and
anchor) that exists. No file of the book names a path of the machine that
built it, and `make book` said what it was about to do, then counted the
notebooks as it read them.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.support.book import PRINTED, pages
from tests.support.browser import requested_urls
from tools.book.cache import book_notebooks, current_backend

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "build" / "book"
# Absolute paths of a machine: the places a build runs in on Linux, macOS and Windows.
MACHINE_PATHS = [b"/tmp/", b"/home/", b"/root/", b"/Users/", b"/work/", b"C:\\"]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
RAW_TEX = re.compile(r"\\(d?frac|partial|sum|cdot|delta|hat|mathbf|left|right|begin)\b|\$\$")

# Runs inside the page: wait for MathJax (where the page has math), then report.
INSPECT = """
const done = arguments[arguments.length - 1];
(async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const text = document.body.cloneNode(true);
  text.querySelectorAll("pre, code, script, style, mjx-container, .math")
    .forEach((node) => node.remove());
  const math = [...document.querySelectorAll(".math")];
  done({
    text: text.textContent,
    math: math.length,
    typeset: math.filter((node) => node.querySelector("mjx-container svg")).length,
    images: [...document.images].map((image) => ({
      src: image.getAttribute("src"), alt: image.getAttribute("alt") || "",
      loaded: image.complete && image.naturalWidth > 0,
    })),
    links: [...document.querySelectorAll("a[href]")].map((link) => link.href),
  });
})().catch((error) => done({ error: String(error) }));
"""


def anchors(page):
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


@pytest.mark.browser
def test_every_page_of_the_book_reads_offline(chromium, book):
    names = {page.relative_to(BOOK).as_posix() for page in book}
    assert {"index.html", "notebooks/3.2-back-propagation.html", "api.html"} <= names
    problems = []
    math_on = {}
    for page in book:
        name = page.relative_to(BOOK).as_posix()
        chromium.get(page.as_uri())
        seen = chromium.execute_async_script(INSPECT)
        assert "error" not in seen, f"{name}: {seen.get('error')}"
        remote = [
            url for url in requested_urls(chromium) if urlsplit(url).scheme not in LOCAL_SCHEMES
        ]
        problems += [f"{name}: requested {url}" for url in remote]
        problems += [f"{name}: raw TeX {m.group(0)!r}" for m in RAW_TEX.finditer(seen["text"])]
        if seen["typeset"] != seen["math"]:
            problems.append(f"{name}: {seen['math'] - seen['typeset']} formulas not typeset")
        math_on[name] = seen["typeset"]
        for image in seen["images"]:
            if not image["loaded"]:
                problems.append(f"{name}: image {image['src']} did not load")
            if not image["alt"].strip() or image["alt"].endswith((".png", ".svg")):
                problems.append(f"{name}: image {image['src']} has no alt text")
        for link in seen["links"]:
            parts = urlsplit(link)
            if parts.scheme != "file":
                continue
            target = Path(unquote(parts.path))
            if not target.exists():
                problems.append(f"{name}: broken link {link}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in anchors(target)
            ):
                problems.append(f"{name}: link {link} names a missing anchor")
    assert problems == []
    # §3.2's restored chain rule is typeset, as are the other formula pages.
    assert math_on["notebooks/3.2-back-propagation.html"] >= 5
    assert sum(count > 0 for count in math_on.values()) >= 5


def test_no_file_of_the_book_names_a_path_of_the_machine_that_built_it(book):
    """What a reader can open: every page, its sources and images, the search index.

    Not read: `.doctrees/` (Sphinx's own state between builds, never shown)
    and `_static/`, the theme's and MathJax's files as their packages ship
    them (MathJax's XSLT data names its author's folder, `file:///Users/…`).
    """
    paths = [*MACHINE_PATHS, str(ROOT).encode(), str(BOOK.resolve()).encode()]
    shown = [
        path
        for path in BOOK.rglob("*")
        if path.is_file() and not {".doctrees", "_static"} & set(path.relative_to(BOOK).parts)
    ]
    assert set(pages(book)) < set(shown)  # the pages, and more
    problems = [
        f"{path.relative_to(BOOK)}: {machine.decode()!r}"
        for path in shown
        for machine in paths
        if machine in path.read_bytes()
    ]
    assert problems == []


ANNOUNCED = re.compile(
    r"^book: (\d+) of the (\d+) notebooks of the (\w+) book to execute "
    r"\(about \d+ min on 2 cores\), (\d+) from build/\.jupyter_cache-\3$",
    flags=re.MULTILINE,
)
COUNTED = re.compile(r"^  (\d+)/(\d+) (\S+): (executed in \d+ s|from the cache)$", re.MULTILINE)


def test_make_book_says_how_many_notebooks_it_executes_then_counts_them(book):
    printed = PRINTED.read_text(encoding="utf-8")
    backend = current_backend()
    names = [path.stem for path in book_notebooks(backend)]
    announced = ANNOUNCED.search(printed)
    assert announced, printed[:500]
    to_run, total, named = int(announced[1]), int(announced[2]), announced[3]
    assert (total, named, to_run + int(announced[4])) == (len(names), backend, len(names))
    lines = COUNTED.findall(printed)
    assert [(int(n), int(of)) for n, of, _, _ in lines] == [(n, total) for n in range(1, total + 1)]
    assert sorted(name for _, _, name, _ in lines) == names
    assert sum(how != "from the cache" for _, _, _, how in lines) == to_run
    assert announced.start() < printed.index("  1/")
