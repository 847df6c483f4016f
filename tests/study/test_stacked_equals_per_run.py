"""Proven equal, run by run: each copy of a stacked model is the same seed trained alone.

For every variant of the study's grid, two seeds are trained for the full
100 epochs in the study's own stacked tasks (`tasks.plan_tasks`: all
variants of a recipe and width in one model, here 12 or 4 copies) and each
alone with `fit_model` (`measures.train_variant`, the `--per-run` path).
Each copy's weights must be within 1e-5 of its own run's, and every figure
the study records must be the same: test accuracy, epoch to 0.95, dead
units and collapse exactly, the test loss within 1e-5.

One task, the cheapest (the multiclass 4x3 network, 4 copies), is the
offline tier's proof on the backend it runs on; the other three are `slow`.
CI runs all four on TensorFlow, JAX and PyTorch.
"""

import numpy as np
import pytest

from iris_keras.study.measures import train_variant
from iris_keras.study.stacked import copy_weights, fit_stacked
from iris_keras.study.tasks import plan_tasks
from iris_keras.study.variants import study_variants

SEEDS = (42, 43)
TOLERANCE = 1e-5
EXACT = ("test_accuracy", "epoch_to_0.95", "dead_units", "collapsed", "error")
TASKS = plan_tasks([(v, seed) for seed in SEEDS for v in study_variants()], epochs=None)


def compare(task):
    """Each run of `task`, stacked and alone: `(variant, seed, weights, test_loss, figures)`.

    `weights` and `test_loss` are the largest absolute differences; `figures`
    the names of the exact figures that differ.
    """
    stacked = fit_stacked(task.runs)
    found = []
    for copy, (variant, seed) in enumerate(task.runs):
        model, alone = train_variant(variant, seed)
        row, weights = stacked["rows"][copy], copy_weights(stacked["model"], copy)
        theirs = model.get_weights()[-len(weights) :]  # the Dense layers' (after Normalization's)
        found.append(
            (
                variant.name,
                seed,
                max(float(np.abs(a - b).max()) for a, b in zip(weights, theirs, strict=True)),
                abs(row["test_loss"] - alone["test_loss"]),
                [key for key in EXACT if row[key] != alone[key]],
            )
        )
    return found


def test_the_grid_is_stacked_by_recipe_and_width_and_every_variant_is_checked():
    assert [len(task.runs) for task in TASKS] == [12, 12, 4, 4]
    checked = {(variant.name, seed) for task in TASKS for variant, seed in task.runs}
    assert checked == {(v.name, seed) for v in study_variants() for seed in SEEDS}


def representative(task):
    """The offline tier keeps one task per backend (the cheapest); the others are slow."""
    variant = task.runs[0][0]
    cheapest = variant.recipe == "multiclass" and variant.units == (4, 3)
    marks = () if cheapest else (pytest.mark.slow,)
    return pytest.param(task, marks=marks, id=task.describe().split(",")[0])


@pytest.mark.parametrize("task", [representative(task) for task in TASKS])
def test_each_copy_equals_its_seed_trained_alone(task):
    found = compare(task)
    assert [run for run in found if run[2] > TOLERANCE or run[3] > TOLERANCE or run[4]] == []
