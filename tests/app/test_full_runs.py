"""The article's full 100-epoch runs, one per recipe, with the default seed.

Each run is `make train`'s on the suite's backend, so its figures are the
README's results row for that backend (`make test BACKEND=jax` checks JAX's).
"""

import re
from pathlib import Path

import numpy as np
import pytest

from iris_keras.app.run import train_recipe
from iris_keras.recipes import get_recipe
from tests.support.readme import readme_results

# Thresholds from the seed study (`make docs-study`; rows in docs/study/study.csv,
# table in docs/study.md). Seed 42, the one these tests train, is
# the study's first seed, and the study's run is this run (same numbers).
# - article: rows `article-virginica-std-4x3`, seeds 42-61: at or above 0.9
#   on 20 of 20 (min 0.900, seed 42: 0.967), never collapsed.
# - multiclass: rows `multiclass-std-16x8` (the recipe since the study
#   widened it), seeds 42-61: at or above 0.9 on 19 of 20 (min 0.867 on
#   seed 56; seed 42: 0.967). With the article's 4-3 layers
#   (`multiclass-std-4x3`) it was 15 of 20, which is why the recipe changed.
# 0.9 is the bar the corrected recipe must clear on 19 seeds in 20.
MIN_TEST_ACCURACY = {"article": 0.9, "multiclass": 0.9}


README = Path(__file__).resolve().parents[2] / "README.md"
README_MARK = "<!-- checked by tests/app/test_full_runs.py::test_full_run -->"
ELAPSED = re.compile(r"(\S+) s since the command started \(imports (\S+) s, fit (\S+) s\)")


@pytest.mark.slow
@pytest.mark.parametrize("recipe_name", ["article", "multiclass"])
def test_full_run(recipe_name, tmp_path):
    metrics = train_recipe(get_recipe(recipe_name), output_dir=tmp_path, device="cpu", verbose=0)
    assert metrics["epochs_run"] == 100
    # Compared in float32, as the study counts: Keras's 27/30 is 0.89999998.
    assert np.float32(metrics["test_accuracy"]) >= np.float32(MIN_TEST_ACCURACY[recipe_name])
    assert metrics["reload_matches"]
    assert_readme_results_are(metrics, recipe_name)
    if recipe_name == "article":
        assert_readme_summary_is(metrics)


def assert_readme_results_are(metrics, recipe_name):
    """The README's results row of this backend and recipe holds this run's figures."""
    from iris_keras import backend

    shown = readme_results()[(backend.name(), recipe_name)]
    assert f"{metrics['test_accuracy']:.3f}" == shown["test_accuracy"]
    assert f"{metrics['test_loss']:.3f}" == shown["test_loss"]
    assert metrics["confusion_matrix"] == shown["confusion_matrix"]


def assert_readme_summary_is(metrics):
    """The README's summary block is what `iris-keras train` prints for this run.

    What differs by machine and by run is taken from the block: the device,
    Keras's version and the three times. On TensorFlow, the backend the block
    shows, every other line must be this run's, scores included, and with
    them where the run falls among the seed study's recorded seeds; JAX and
    PyTorch draw other weights from the same seed, so there the scores and
    that line are the block's too and the lines' form is what is checked.
    """
    from iris_keras import backend
    from iris_keras.app.outputs import default_output_dir
    from iris_keras.app.overwrite import recorded_settings
    from iris_keras.app.summary import training_summary
    from iris_keras.study.reference import standing

    block = README.read_text(encoding="utf-8").split(f"{README_MARK}\n```\n", 1)[1]
    shown = {line[:16].strip(): line[16:] for line in block.split("\n```", 1)[0].splitlines()}
    total, imports, fit = map(float, ELAPSED.fullmatch(shown["elapsed"]).groups())
    taken = {
        "device": shown["device"],
        "versions": {"keras": re.search(r"\(Keras (\S+)\)", shown["backend"])[1]},
        "timings": {"total_seconds": total, "imports_seconds": imports, "fit_seconds": fit},
        "output_dir": str(default_output_dir(get_recipe("article"), "tensorflow")),
    }
    place = str(standing(recorded_settings(metrics), metrics["test_accuracy"]))
    if backend.name() != "tensorflow":
        taken |= {
            "backend": "tensorflow",
            "test_accuracy": float(shown["test accuracy"]),
            "test_loss": float(shown["test loss"]),
        }
        place = shown["seed study"]
    printed = training_summary({**metrics, **taken}, standing=place).split("\n")
    assert printed == [f"{label:<16}{value}" for label, value in shown.items()]
