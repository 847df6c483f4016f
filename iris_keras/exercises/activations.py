"""Exercises of §2.4: an activation's derivative and softmax, by hand.

Notebook `2.4-activation-functions`. The checks compute the right values
with `scratch.activations`:

    tanh'(z) = 1 - tanh(z) ** 2
    softmax(z)_i = exp(z_i) / sum_j exp(z_j)          # along each row
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iris_keras.exercises.exercise import Exercise
from iris_keras.exercises.marking import mark_array
from iris_keras.scratch import activations

NOTEBOOK = "2.4-activation-functions"
# Where 2.4-a asks for tanh's slope.
POINTS = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])


def mark_tanh_slopes(my_tanh_slopes: Any) -> None:
    """2.4-a: tanh's derivative at `POINTS`."""
    t = activations.tanh(POINTS)
    mark_array(
        "my_tanh_slopes",
        my_tanh_slopes,
        activations.tanh_derivative(POINTS),
        mistakes=[
            ("is 1 − tanh(z): square it, tanh'(z) = 1 − tanh(z)²", 1 - t),
            ("is tanh(z) (1 − tanh(z)), the sigmoid's form: tanh'(z) = 1 − tanh(z)²", t * (1 - t)),
            ("is 1 − z²: square tanh(z), not z", 1 - POINTS**2),
            (
                "is the sigmoid's slope: this exercise asks for tanh's",
                activations.sigmoid_derivative(POINTS),
            ),
        ],
    )


def mark_softmax(my_softmax: Any, scores: Any) -> None:
    """2.4-b: softmax of each row of `scores`."""
    scores = np.asarray(scores, dtype=np.float64)
    e = np.exp(scores)
    mark_array(
        "my_softmax",
        my_softmax,
        activations.softmax(scores),
        mistakes=[
            ("has rows that do not sum to 1: divide each row of exp(scores) by its sum", e),
            ("has columns that sum to 1: normalize each row instead, axis=1", e / e.sum(axis=0)),
            ("sums to 1 over the whole array: normalize each row, axis=1", e / e.sum()),
            (
                "is the sigmoid of each score: softmax divides exp(z_i) by the row's sum",
                activations.sigmoid(scores),
            ),
        ],
    )


EXERCISES = (
    Exercise(
        id="2.4-a",
        notebook=NOTEBOOK,
        answers=("my_tanh_slopes",),
        inputs=(),
        mark=mark_tanh_slopes,
        solution="""
points = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
my_tanh_slopes = 1 - np.tanh(points) ** 2
""",
        right="right: tanh'(z) = 1 − tanh(z)², at most 1, at z = 0",
    ),
    Exercise(
        id="2.4-b",
        notebook=NOTEBOOK,
        answers=("my_softmax",),
        inputs=("scores",),
        mark=mark_softmax,
        solution="""
shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
my_softmax = shifted / shifted.sum(axis=1, keepdims=True)
""",
        right="right: each row is positive and sums to 1",
    ),
)
