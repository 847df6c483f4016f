"""Exercises of §2.5: a loss and its gradient, by hand.

Notebook `2.5-loss-functions`. The checks compute the right values with
`scratch.losses`, which equal Keras's:

    binary_crossentropy = mean(-(y log p + (1 - y) log(1 - p)))
    d mean_squared_error / d y_pred = 2 * (y_pred - y_true) / n
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array, mark_number
from iris_keras.scratch import losses

NOTEBOOK = "2.5-loss-functions"


def mark_bce(my_bce: Any, y_true: Any, y_pred: Any) -> None:
    """2.5-a: the binary cross-entropy of `y_pred` against `y_true`."""
    y, p = losses.check_pair(y_true, y_pred)
    right = losses.binary_crossentropy(y, p)
    clipped, n = np.clip(p, losses.EPSILON, losses.ONE_MINUS_EPSILON), len(y)
    mark_number(
        "my_bce",
        my_bce,
        right,
        mistakes=[
            (
                f"sums the losses of the {n} flowers: average them, the mean over the batch",
                n * right,
            ),
            ("is negative: cross-entropy is minus the mean log-probability", -right),
            (
                "keeps only the y log p term: add (1 − y) log(1 − p) for the flowers labelled 0",
                -np.mean(y * np.log(clipped)),
            ),
            ("uses log base 10: cross-entropy takes the natural log, np.log", right / np.log(10)),
        ],
    )


def mark_mse_gradient(my_mse_gradient: Any, y_true: Any, y_pred: Any) -> None:
    """2.5-b: the gradient of the mean squared error with respect to `y_pred`."""
    y, p = losses.check_pair(y_true, y_pred)
    right = losses.mean_squared_error_gradient(y, p)
    mark_array(
        "my_mse_gradient",
        my_mse_gradient,
        right,
        mistakes=[
            ("is half the gradient: d/dp (p − y)² = 2 (p − y)", right / 2),
            (f"leaves out the 1/n: the loss is a mean over {p.size} values", right * p.size),
            ("has the wrong sign: it is 2 (p − y) / n, positive where p is too high", -right),
            ("is the squared error itself, not its gradient", (p - y) ** 2 / p.size),
        ],
    )


EXERCISES = (
    Exercise(
        id="2.5-a",
        notebook=NOTEBOOK,
        answers=("my_bce",),
        inputs=("y_true", "y_pred"),
        mark=mark_bce,
        solution="""
y, p = y_true, y_pred
my_bce = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
""",
        right="right: the mean over the flowers of −log(the probability given to the true label)",
    ),
    Exercise(
        id="2.5-b",
        notebook=NOTEBOOK,
        answers=("my_mse_gradient",),
        inputs=("y_true", "y_pred"),
        mark=mark_mse_gradient,
        solution="""
my_mse_gradient = 2 * (y_pred - y_true) / y_pred.size
""",
        right="right: 2 (p − y) / n, one slope per prediction",
    ),
)
