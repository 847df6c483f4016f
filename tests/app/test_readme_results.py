"""The README's results table holds the seed-42 runs of every backend, as recorded.

Each backend's seed study (`docs/study/`, `docs/study-jax/`,
`docs/study-torch/`, committed and rewritten by `make docs-study`) trains the
recipes exactly as `make train` does, seed 42 first; its `study.csv` keeps
each run's test accuracy and loss. The README's figures must be those rows,
rounded as printed. The confusion matrices, which the study does not keep,
are checked where the run is made: `tests/app/test_full_runs.py` trains both
recipes with seed 42 on the suite's backend and compares all three figures
with the README's row for that backend.
"""

import csv
from pathlib import Path

import pytest

from iris_keras.recipes import RECIPES, get_recipe
from iris_keras.study.variants import recipe_config
from tests.support.readme import BACKENDS, readme_results

ROOT = Path(__file__).resolve().parents[2]
STUDY_FOLDERS = {"tensorflow": "study", "jax": "study-jax", "torch": "study-torch"}
SEED = 42


def recorded_run(backend, recipe_name):
    """The study's row of `recipe_name` as shipped, seed 42, on `backend`."""
    path = ROOT / "docs" / STUDY_FOLDERS[backend] / "study.csv"
    config = recipe_config(get_recipe(recipe_name))
    with open(path, newline="", encoding="utf-8") as rows:
        matches = [
            row
            for row in csv.DictReader(rows)
            if row["recipe"] == recipe_name and row["config"] == config and int(row["seed"]) == SEED
        ]
    assert len(matches) == 1, f"{path}: {len(matches)} seed-{SEED} runs of {recipe_name}"
    return matches[0]


def test_the_table_lists_both_recipes_on_every_backend():
    expected = {(backend, recipe) for backend in BACKENDS.values() for recipe in RECIPES}
    assert set(readme_results()) == expected


@pytest.mark.parametrize("backend", sorted(STUDY_FOLDERS))
@pytest.mark.parametrize("recipe_name", sorted(RECIPES))
def test_the_figures_are_the_recorded_seed_42_runs(backend, recipe_name):
    shown = readme_results()[(backend, recipe_name)]
    recorded = recorded_run(backend, recipe_name)
    assert shown["test_accuracy"] == f"{float(recorded['test_accuracy']):.3f}"
    assert shown["test_loss"] == f"{float(recorded['test_loss']):.3f}"
