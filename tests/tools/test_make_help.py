"""`make help`: every target once, under its group (learn, run, maintain), in aligned columns.

The groups are the Makefile's `##@ group` headers; a target belongs to the
header above it. What a learner runs comes first, and the targets that
rewrite tracked files (docs/, the locks) are apart, each saying so.
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GROUPS = {
    "learn": ["lab", "exercises", "book", "notebooks", "study", "sweep", "tensorboard"],
    "run": [
        "install",
        "train",
        "test",
        "test-all",
        "test-fast",
        "test-notebooks",
        "axe",
        "git-filters",
        "lint",
        "format",
        "wheelhouse",
        "clean",
        "clean-all",
    ],
    "maintain": [
        "docs-study",
        "docs-atlas",
        "bench",
        "bench-study",
        "bench-sweep",
        "docs-update",
        "mutate",
        "mutate-survivors",
        "mutation-report",
        "lock",
    ],
}
# The maintainer's targets that write only git-ignored files, and say so.
WRITES_ONLY_IGNORED = {"bench", "bench-study", "bench-sweep"}
TARGET_LINE = re.compile(r"^    make (\S+)( +)(\S.*)$")


@pytest.fixture(scope="module")
def shown():
    """`make help`'s output, as `(group, [(target, text, column of the text)])` in order."""
    output = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    groups = []
    for line in output.splitlines()[1:]:
        if not line:
            continue
        match = TARGET_LINE.match(line)
        if match is None:
            groups.append((line.split(":")[0], []))
        else:
            name, text = match.group(1), match.group(3)
            groups[-1][1].append((name, text, match.start(3)))
    return output, groups


def phony_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    declared = re.findall(r"^\.PHONY:(.*)$", makefile, flags=re.MULTILINE)
    return {name for line in declared for name in line.split()}


def test_the_first_line_says_how_to_call_make(shown):
    output, _ = shown
    assert output.startswith("usage: make TARGET [BACKEND=tensorflow|jax|torch]")


def test_every_target_is_listed_once_in_its_group(shown):
    _, groups = shown
    assert [name for name, _ in groups] == list(GROUPS)
    listed = {group: [target for target, _, _ in rows] for group, rows in groups}
    assert listed == GROUPS
    every = [target for targets in GROUPS.values() for target in targets]
    assert len(every) == len(set(every))
    assert set(every) == phony_targets() - {"help"}


def test_the_columns_line_up_whatever_the_longest_name(shown):
    _, groups = shown
    rows = [row for _, group_rows in groups for row in group_rows]
    longest = max(len(target) for target, _, _ in rows)
    columns = {column for _, _, column in rows}
    assert columns == {len("    make ") + longest + 2}


def test_each_maintainer_target_says_what_tracked_files_it_rewrites(shown):
    _, groups = shown
    maintain = dict((target, text) for target, text, _ in dict(groups)["maintain"])
    for target, text in maintain.items():
        if target in WRITES_ONLY_IGNORED:
            assert "(tracked files untouched)" in text, target
        else:
            assert text.startswith("rewrites tracked "), f"{target}: {text}"
    learner = [text for name, rows in groups if name != "maintain" for _, text, _ in rows]
    assert not [text for text in learner if "rewrites tracked" in text]
