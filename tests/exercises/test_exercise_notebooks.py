"""Every section notebook ends with exercises: a prompt in English and Chinese, an empty
answer cell, the one line that checks it, and the solution the book shows folded.

The notebook tests (tests/article/test_notebooks.py) run each of them top to
bottom, so every `solution("…")` cell there runs its solution and its check
in a real kernel; an unanswered `check("…")` says so without raising.
"""

import json
import re
from pathlib import Path

import pytest

from iris_keras.exercises import EXERCISES

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
# The notebooks of the article's sections; the errata and distributed ones have no exercises.
SECTION_NOTEBOOKS = sorted(
    path
    for path in NOTEBOOKS_DIR.glob("*.ipynb")
    if path.stem[0].isdigit() and path.stem != "6-distributed"
)
HAN = re.compile("[\u4e00-\u9fff]")
SOLUTION_TAGS = ["remove-input", "hide-output"]


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def exercises_in(path):
    """`[(id, prompt cell, answer cell, check cell, solution cell)]` of the notebook at `path`."""
    found, notebook = [], cells(path)
    for index, cell in enumerate(notebook):
        heading = (
            re.match(r"### (\S+) · ", source(cell)) if cell["cell_type"] == "markdown" else None
        )
        if heading:
            found.append((heading.group(1), *notebook[index : index + 4]))
    return found


def test_there_are_thirteen_section_notebooks():
    assert len(SECTION_NOTEBOOKS) == 13


@pytest.mark.parametrize("path", SECTION_NOTEBOOKS, ids=[path.stem for path in SECTION_NOTEBOOKS])
def test_the_exercises_come_last_before_the_conclusion_and_are_the_notebooks_own(path):
    headings = [re.match(r"## (\S+)", source(cell)) for cell in cells(path)]
    headings = [match.group(1) for match in headings if match]
    assert headings[-2:] == ["Exercises", "Conclusion"]
    mine = sorted(exercise.id for exercise in EXERCISES.values() if exercise.notebook == path.stem)
    assert sorted(exercise for exercise, *_ in exercises_in(path)) == mine
    assert len(mine) >= 2


@pytest.mark.parametrize("path", SECTION_NOTEBOOKS, ids=[path.stem for path in SECTION_NOTEBOOKS])
def test_each_exercise_is_a_bilingual_prompt_an_empty_answer_a_check_and_a_folded_solution(path):
    for exercise, prompt, answer, check, solution in exercises_in(path):
        english, chinese = source(prompt).split("\n\n")[1:3]
        assert not HAN.search(english) and HAN.search(chinese), exercise
        for name in EXERCISES[exercise].answers:
            assert f"`{name}`" in english and f"`{name}`" in chinese, (exercise, name)
        assert (answer["cell_type"], source(answer)) == ("code", ""), exercise
        assert answer["metadata"]["tags"] == ["remove-cell"]
        assert source(check) == f'check("{exercise}")'
        assert check["metadata"]["tags"] == ["remove-output"]
        assert source(solution) == f'solution("{exercise}")'
        assert solution["metadata"]["tags"] == SOLUTION_TAGS
        assert solution["metadata"]["mystnb"]["code_prompt_show"] == "Solution · 解答"


def test_every_exercise_is_in_its_notebook():
    placed = {exercise for path in SECTION_NOTEBOOKS for exercise, *_ in exercises_in(path)}
    assert placed == set(EXERCISES)


def test_both_readmes_count_the_exercises_there_are():
    root = NOTEBOOKS_DIR.parent
    english = (root / "README.md").read_text(encoding="utf-8")
    chinese = (root / "README.zh-CN.md").read_text(encoding="utf-8")
    count = len(EXERCISES)
    assert f"{len(SECTION_NOTEBOOKS)} section notebooks ends with exercises, {count} in" in english
    assert f"{len(SECTION_NOTEBOOKS)} 个章节 notebook 的末尾都有练习,共 {count} 道" in chinese
