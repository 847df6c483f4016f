"""The pages say what the repository holds: no missing file, no stale "not yet", no wrong count.

Pages drift: a study gets published while a page still says it "has not been run
yet"; a file moves while a page still names it; a lock grows while the README
still counts its old pins. This test reads the READMEs and the book's pages
(`docs/*.md`, `docs/developers/*.md`) and checks three kinds of claim against
the repository itself:

- every path a page names (a link target, a backticked path under one of the
  repository's folders, or a backticked file name such as `requirements.lock`)
  exists, relative to the page or to the repository's root (a bare name:
  anywhere in it); what commands make (`runs/`, `build/`, environments, a run's
  `model.keras`) and placeholders (`<backend>`, `*`) are not files to find;
- no sentence says a thing is missing ("not been run yet", "not committed",
  "does not exist yet", ...) while naming a path that the repository holds;
- every count of pins, notebooks, variants or locks equals what the repository has.
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(
    [
        ROOT / "README.md",
        ROOT / "README.zh-CN.md",
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "docs" / "developers").glob("*.md"),
    ]
)
TOP_LEVEL = {
    path.split("/", 1)[0]
    for path in subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
}
# Made by commands, or the learner's own: named by pages, never committed.
GENERATED = ("runs/", "build/", ".venv", "wheelhouse/", "my-notebooks/", "mutants/", "study/")
# A file name in backticks, without a folder: it must be a file the repository holds.
BARE_NAME = re.compile(
    r"`([^`\n/ ]+\.(?:lock|txt|toml|cfg|ini|py|ipynb|md|yaml|yml|json|csv|png))`"
)
# Files pages may name though no commit holds them, and why.
NAMED_ON_PURPOSE = {
    # The speed page's install benchmark reads the last pip-freeze lock from git history.
    ("docs/speed.md", "requirements.lock"),
}
PLACEHOLDER = re.compile(r"[<>*{}…]|\.\.\.|^-|\s")
MISSING = re.compile(
    r"(ha(?:ve|s) not (?:yet )?been (?:run|committed|published|measured|written)"
    r"|not (?:yet )?(?:committed|published)"
    r"|do(?:es)? not exist yet|(?:is|are) not (?:there|written) yet"
    r"|(?:尚未|还没有)(?:运行|发布|提交|测量))",
    re.IGNORECASE,
)


def page_id(path):
    return path.relative_to(ROOT).as_posix()


def prose(text):
    """The page without its fenced code blocks (commands are not claims) and HTML comments."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def named_paths(text):
    """`(path, kind)` of each link target and each backticked repository path in `text`."""
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:|#", target):
            yield target.split("#", 1)[0], "link"
    for quoted in re.findall(r"`([^`\n]+)`", text):
        first = quoted.split("/", 1)[0]
        if ("/" in quoted and first in TOP_LEVEL) or (quoted in TOP_LEVEL and "." in quoted):
            yield quoted.split(":", 1)[0].split("::", 1)[0], "path"


def exists(path, page):
    candidates = [page.parent / path, ROOT / path]
    return any(candidate.exists() for candidate in candidates)


def grid_files(grid):
    """The files `iris-keras study` or `sweep` writes: its rows and its record."""
    return grid.rows_name, grid.metadata_name


def committed_names():
    """The file names the repository holds, those a run writes, and the example tables."""
    from iris_keras.app.outputs import ARTIFACTS
    from iris_keras.datasets.examples import EXAMPLES
    from iris_keras.study.grid import study_grid, sweep_grid

    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    tables = {f"{name}.csv" for name in EXAMPLES}  # python -m iris_keras.datasets.examples NAME
    grids = {name for grid in (study_grid(), sweep_grid()) for name in grid_files(grid)}
    return {Path(name).name for name in files} | set(ARTIFACTS) | tables | grids


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_file_a_page_names_is_in_the_repository(page):
    text = prose(page.read_text(encoding="utf-8"))
    missing = sorted(
        {
            path
            for path, _kind in named_paths(text)
            if not PLACEHOLDER.search(path)
            and not path.startswith(GENERATED)
            and not exists(path, page)
        }
    )
    names = committed_names()
    missing += sorted(
        {
            name
            for name in BARE_NAME.findall(text)
            if not PLACEHOLDER.search(name)
            and name not in names
            and (page_id(page), name) not in NAMED_ON_PURPOSE
        }
    )
    assert missing == [], f"{page_id(page)} names files the repository does not hold: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_page_says_a_committed_artifact_is_missing(page):
    stale = []
    sentences = re.split(r"(?<=[.!?。])\s+|\n\n|\n(?=\|)", prose(page.read_text(encoding="utf-8")))
    for sentence in sentences:
        if MISSING.search(" ".join(sentence.split())):
            held = [
                path
                for path, _kind in named_paths(sentence)
                if not PLACEHOLDER.search(path) and exists(path, page)
            ]
            if held:
                stale.append((" ".join(sentence.split())[:160], held))
    assert stale == [], f"{page_id(page)} says these are missing, but they are committed: {stale}"


def lock_pins():
    """`{lock name: number of pinned packages}` of every lock in requirements/."""
    return {
        path.name: len(
            {
                line.split("==")[0]
                for line in path.read_text().splitlines()
                if re.match(r"[A-Za-z0-9_.\-]+==", line)
            }
        )
        for path in (ROOT / "requirements").glob("*.txt")
    }


def truths():
    """What each counted noun is in the repository: a set of accepted numbers."""
    from iris_keras.study.variants import study_names, study_variants

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    return {
        "pins": set(lock_pins().values()),
        "notebooks": {len(notebooks)},
        "variants": {len(study_variants()), len(study_names(on_table=True))},  # iris, a table
        "locks": {len(lock_pins())},
    }


COUNT = re.compile(
    r"(?<![\d.,])(\d[\d,]*)\s+(pins|notebooks|variants|locks)\b"
    r"|(\d[\d,]*)\s*(?:个)?\s*(notebook|变体)"
)
CHINESE = {"notebook": "notebooks", "变体": "variants"}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_count_a_page_states_is_the_repositorys(page):
    known = truths()
    wrong = []
    for match in COUNT.finditer(prose(page.read_text(encoding="utf-8"))):
        number, noun = (match.group(1), match.group(2)) if match.group(1) else match.groups()[2:]
        noun = CHINESE.get(noun, noun)
        if int(number.replace(",", "")) not in known[noun]:
            wrong.append(f"{match.group(0)!r} (the repository has {sorted(known[noun])})")
    assert wrong == [], f"{page_id(page)}: {wrong}"
