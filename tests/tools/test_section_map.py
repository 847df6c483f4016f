"""Every article section has a home, and the Chinese pages say what the English ones say.

The article's structure (sections 1 to 6 and their subsections) is written
here once; `docs/sections.toml` must list exactly those sections, every page
it names must exist, and every notebook must carry its sections' Chinese
titles. The tables generated from the TOML files must be up to date, every
API the glossary names must exist in the installed libraries, every command
`README.zh-CN.md` shows must exist, and every figure it quotes must equal
the English README's.
"""

import importlib
import json
import os
import re
import shlex
from pathlib import Path

import pytest

from iris_keras.app.parser import build_parser
from tools.book import section_map

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_ZH = (ROOT / section_map.README_ZH).read_text(encoding="utf-8")
# The English figures live in the book's pages, kept true by `make docs-study` and the errata tests.
STUDY_PAGE = (ROOT / "docs" / "study.md").read_text(encoding="utf-8")
ERRATA_PAGE = (ROOT / "docs" / "errata.md").read_text(encoding="utf-8")
SECTIONS = section_map.load(ROOT / section_map.SECTIONS_FILE, "section")
TERMS = section_map.load(ROOT / section_map.GLOSSARY_FILE, "term")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# The article's sections, in its order: 1, 2 (2.1-2.6), 3 (3.1-3.3), 4 (4.1-4.5), 5, 6.
ARTICLE_SECTIONS = ["1", "2", *(f"2.{i}" for i in range(1, 7)), "3"]
ARTICLE_SECTIONS += [*(f"3.{i}" for i in range(1, 4)), "4", *(f"4.{i}" for i in range(1, 6))]
ARTICLE_SECTIONS += ["5", "6"]
# The terms the issue names; the glossary has these and more.
ARTICLE_TERMS = "神经网络 神经元 层 激活函数 损失函数 优化器 前向传播 后向传播 梯度下降 "
ARTICLE_TERMS += "数据准备 编译模型 训练模型 评估模型"
OUR_PAGES = [
    section_map.README_ZH,
    section_map.SECTION_MAP_PAGE,
    section_map.GLOSSARY_PAGE,
    "docs/article-1-background.md",
    "docs/article-5-trends.md",
    "docs/article-6-faq.md",
]


def pages_of(section):
    return [section["page"], *section.get("also", [])]


def title_of(notebook):
    """The first line of the notebook's first cell, without its `# `."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    first_line = "".join(cells[0]["source"]).splitlines()[0]
    assert first_line.startswith("# "), f"{notebook.name} starts with {first_line!r}"
    return first_line.removeprefix("# ")


def table(text, header_start):
    """The body rows of the markdown table whose header starts with `header_start`, as cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def plain(cell):
    """A table cell without markdown emphasis or code marks."""
    return cell.replace("*", "").replace("`", "")


def test_the_map_lists_every_article_section_in_order():
    assert [section["number"] for section in SECTIONS] == ARTICLE_SECTIONS


@pytest.mark.parametrize("section", SECTIONS, ids=[s["number"] for s in SECTIONS])
def test_each_section_has_titles_pages_and_module(section):
    assert re.search(r"[\u4e00-\u9fff]", section["title_zh"]), section["title_zh"]
    assert section["title_en"] and section["checks_zh"]
    for page in pages_of(section):
        assert (ROOT / page).is_file(), f"§{section['number']}: {page} is missing"
        assert page.startswith(("notebooks/", "docs/")), page
    if "module" in section:
        assert importlib.util.find_spec(section["module"]), section["module"]


def test_every_notebook_is_one_click_from_the_map():
    mapped = {page for section in SECTIONS for page in pages_of(section)}
    assert sorted(f"notebooks/{path.name}" for path in NOTEBOOKS) == sorted(
        page for page in mapped if page.startswith("notebooks/")
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_every_notebook_title_carries_its_sections_chinese_titles(notebook):
    title = title_of(notebook)
    held = [s for s in SECTIONS if f"notebooks/{notebook.name}" in pages_of(s)]
    assert held, f"{notebook.name} is the page of no section"
    for section in held:
        assert f"§{section['number']} {section['title_zh']}" in title, (notebook.name, title)
    chinese, separator, english = title.partition(" — ")
    assert re.search(r"[\u4e00-\u9fff]", chinese), f"no Chinese before the dash: {title!r}"
    assert separator and re.search(r"[A-Za-z]{3}", english), f"no English title: {title!r}"


@pytest.mark.parametrize("path", sorted(section_map.render_files(ROOT)), ids=str)
def test_generated_tables_are_up_to_date(path):
    expected = section_map.render_files(ROOT)[path]
    assert (ROOT / path).read_text(encoding="utf-8") == expected, (
        f"{path} drifted from docs/*.toml: run `.venv/bin/python -m tools.book.section_map`"
    )


def test_the_glossary_has_the_articles_terms_in_the_articles_order():
    chinese = [term["zh"] for term in TERMS]
    assert set(ARTICLE_TERMS.split()) <= set(chinese)
    assert len(set(chinese)) == len(chinese)
    order = [ARTICLE_SECTIONS.index(term["section"]) for term in TERMS]
    assert order == sorted(order)
    for term in TERMS:
        assert (ROOT / term["page"]).is_file(), term


def resolve(name):
    """The object a dotted name names: the longest importable module, then attributes."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            found = getattr(found, attribute)
        return found
    raise ImportError(name)


SHIPPED_VARIANTS = ["article-virginica-std-4x3", "multiclass-std-16x8"]
BACKEND_PACKAGES = {"tensorflow", "jax", "torch"}
# A backend's own API (`tensorflow.GradientTape`) is checked in that backend's environment.
API_NAMES = sorted(
    name
    for name in {name for term in TERMS for name in term["api"]}
    if name.split(".")[0] not in BACKEND_PACKAGES - {os.environ.get("KERAS_BACKEND", "tensorflow")}
)


@pytest.mark.parametrize("name", API_NAMES)
def test_every_glossary_api_exists_in_the_installed_libraries(name):
    assert resolve(name) is not None


def test_resolve_fails_on_a_name_that_does_not_exist():
    with pytest.raises(AttributeError, match="Sgd"):
        resolve("keras.optimizers.Sgd")


def code_lines(text, program):
    """The lines of the text's ```sh blocks that run `program`, comments removed."""
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    lines = [line.removeprefix(".venv/bin/") for line in lines]
    return [line for line in lines if line.startswith(f"{program} ")]


def test_every_make_target_the_chinese_readme_shows_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    shown = {line.split()[1] for line in code_lines(README_ZH, "make")}
    assert {"train", "test", "lab", "book"} <= shown
    assert sorted(shown - targets) == []


def test_every_command_the_chinese_readme_shows_parses():
    commands = code_lines(README_ZH, "iris-keras")
    assert len(commands) >= 4
    parser = build_parser()
    for command in commands:
        try:
            parser.parse_args(shlex.split(command)[1:])
        except SystemExit as exit:  # `--help` exits 0; a usage error exits 2: the test fails
            assert exit.code == 0, command


def test_the_results_agree_with_the_english_readme():
    english = table(README, "| backend | recipe | test accuracy |")
    chinese = table(README_ZH, "| 后端 | 配方 | 测试准确率 |")
    assert len(english) == len(chinese) == 6  # two recipes on each of three backends
    for row_en, row_zh in zip(english, chinese, strict=True):
        assert row_en[0] == row_zh[0]  # TensorFlow, JAX, PyTorch
        assert row_en[1].split()[0] == row_zh[1].split("(")[0]  # `article`, `multiclass`
        assert row_en[2:] == row_zh[2:]


def test_the_study_rows_agree_with_the_english_study_page():
    english = {plain(row[0]): row for row in table(STUDY_PAGE, "| variant | runs |")}
    chinese = table(README_ZH, "| 变体 | 次数 |")
    assert len(chinese) == 3
    for row in chinese:
        assert english[plain(row[0])][1:7] == row[1:7], row[0]


def test_the_quoted_collapses_agree_with_the_study():
    raw = {plain(row[0]): row for row in table(STUDY_PAGE, "| variant | runs |")}
    runs, collapsed = raw["article-virginica-raw-4x3"][1], raw["article-virginica-raw-4x3"][6]
    learned, standardized = raw["article-virginica-raw-4x3"][5], raw["article-virginica-std-4x3"][6]
    tensorflow_row = next(
        line
        for line in README.splitlines()
        if line.startswith("| TensorFlow |") and "of 20" in line
    )
    assert tensorflow_row.endswith(f"| {learned} of {runs}, {collapsed} |")
    assert re.search(rf"{runs} 个种子中\s*有 {collapsed} 个塌缩", README_ZH)
    assert standardized == "0" and "标准化后一个也没有" in README_ZH
    faq = (ROOT / "docs/article-6-faq.md").read_text(encoding="utf-8")
    assert f"collapses to one answer on {collapsed} of {runs} seeds" in faq


def test_the_errata_agree_with_the_english_errata_page():
    english = table(ERRATA_PAGE, "| # | the article |")
    chinese = table(README_ZH, "| # | 原文 |")
    assert (
        [row[0] for row in english] == [row[0] for row in chinese] == list(map(str, range(1, 11)))
    )
    for row_en, row_zh in zip(english, chinese, strict=True):
        for code in re.findall(r"`([^`]+)`", row_en[1]):
            assert f"`{code}`" in row_zh[1], (row_en[0], code)


def test_the_two_readmes_link_to_each_other():
    assert README_ZH.splitlines()[0].startswith("[English (README.md)](README.md)")
    assert "(README.zh-CN.md)" in "\n".join(README.splitlines()[:5])


@pytest.mark.parametrize("page", OUR_PAGES)
def test_every_relative_link_resolves(page):
    path = ROOT / page
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    assert targets
    for target in targets:
        assert (path.parent / target).exists(), f"{page}: {target}"
        if page.startswith("docs/"):  # the book is built from docs/: no link may leave it
            inside = os.path.normpath(path.parent / target)
            assert Path(inside).is_relative_to(ROOT / "docs"), f"{page}: {target}"


@pytest.mark.parametrize(
    "backend, folder",
    [("TensorFlow", "study"), ("JAX", "study-jax"), ("PyTorch", "study-torch")],
    ids=["tensorflow", "jax", "torch"],
)
def test_the_readmes_per_backend_results_are_the_studys(backend, folder):
    from iris_keras.study.rows import read_rows
    from iris_keras.study.statistics import summarize
    from iris_keras.study.variants import study_variants

    shipped = [v for v in study_variants() if v.name in SHIPPED_VARIANTS]
    rows = read_rows(ROOT / "docs" / folder / "study.csv")
    seeds = set(range(42, 62))
    rows = [row for row in rows if row["seed"] in seeds]
    stats = summarize(rows, shipped)
    cells = [
        f"{s['mean']:.3f} ± {s['std']:.3f}, {s['min']:.3f}, {s['reliable']} of {s['n']}"
        for s in sorted(stats, key=lambda s: SHIPPED_VARIANTS.index(s["variant"]))
    ]
    [raw] = summarize(rows, [v for v in study_variants() if v.name == "article-virginica-raw-4x3"])
    cells.append(f"{raw['reliable']} of {raw['n']}, {raw['collapses']}")
    assert f"| {backend} | {cells[0]} | {cells[1]} | {cells[2]} |" in README


def test_write_rewrites_only_the_tables_that_drifted(tmp_path):
    import shutil

    for path in [
        section_map.SECTIONS_FILE,
        section_map.GLOSSARY_FILE,
        *section_map.render_files(ROOT),
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    assert section_map.write(tmp_path) == []
    glossary = tmp_path / section_map.GLOSSARY_PAGE
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("|", "¦"), encoding="utf-8")
    (tmp_path / section_map.SECTION_MAP_PAGE).unlink()
    changed = section_map.write(tmp_path)
    assert sorted(changed) == sorted([section_map.GLOSSARY_PAGE, section_map.SECTION_MAP_PAGE])
    for path, text in section_map.render_files(ROOT).items():
        assert (tmp_path / path).read_text(encoding="utf-8") == text
